"""page_data: a product page's JSON-LD and cart data, byte for byte what the
template literals they replaced wrote (the literals are kept here)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2 import Environment

from warung_catalog.catalog import Image, Product, Shop
from warung_catalog.fragments import with_keys
from warung_catalog.page_data import product_jsonld, product_script_data

# product.html's literals before page_data.py.
JSONLD_LITERAL = """\
{% set abs_url = SITEURL ~ product.url %}
{% set availability = "https://schema.org/" ~ {"tersedia": "InStock", "habis": "OutOfStock", "po": "PreOrder"}[product.stock] %}
{% set seller = {"@type": "Organization", "name": shop.title, "url": SITEURL ~ shop.url} %}
{% if product.variants %}
{% set prices = product.variants|map(attribute="price")|list %}
{% set offers = {"@type": "AggregateOffer", "priceCurrency": "IDR", "lowPrice": prices|min, "highPrice": prices|max, "offerCount": prices|length, "availability": availability, "url": abs_url, "seller": seller} %}
{% else %}
{% set offers = {"@type": "Offer", "priceCurrency": "IDR", "price": product.price, "availability": availability, "url": abs_url, "seller": seller} %}
{% endif %}
{{ {"@context": "https://schema.org", "@type": "Product", "name": product.title, "sku": product.id, "description": product.summary, "category": product.category, "image": product.images|map(attribute="src")|map("replace", "/", SITEURL ~ "/", 1)|list, "brand": {"@type": "Brand", "name": shop.title}, "offers": offers}|tojson }}"""
SCRIPT_LITERAL = """\
{% set abs_url = SITEURL ~ product.url %}
{{ {"id": product.id, "title": product.title, "url": product.url, "price": product.price, "variants": product.variants, "whatsapp": shop.whatsapp, "wa": T.product_page.whatsapp_message, "site": T.site_name, "abs": abs_url, "shop": {"id": shop.id, "title": shop.title, "url": shop.url, "payment": shop.payment, "delivery": shop.delivery, "delivery_fee": shop.delivery_fee}}|tojson }}"""

ENV = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
TEXTS = with_keys({"product_page": {"whatsapp_message": "Halo {shop}, pesan {product} <&'>"},
                   "site_name": "Warung \"Online\" & Co"})
awkward = st.text(st.characters(codec="utf-8"), max_size=30) | st.sampled_from(
    ["</script><script>alert(1)</script>", "a & b", "Kopi 'Asli'", "<!--", "\u2028"])


def image(src):
    return Image(src=src, width=768, height=576, srcset_webp="", srcset_jpeg="", alt="",
                 thumbnail=src)


@st.composite
def products(draw):
    shop = Shop(id="kopi-wanayasa", title=draw(awkward), kecamatan="Wanayasa",
                whatsapp="6281234567890", email="a@b.id",
                payment=draw(st.lists(st.sampled_from(["cod", "transfer", "qris"]), min_size=1,
                                      unique=True)),
                delivery=["ambil", "antar"],
                delivery_fee=draw(st.none() | st.just({"kecamatan": {"Wanayasa": 0},
                                                       "default": 5000})))
    variants = draw(st.lists(st.fixed_dictionaries(
        {"name": awkward, "price": st.integers(1, 100_000_000)}), max_size=4))
    srcs = draw(st.lists(st.sampled_from(["/gambar/a/kopi-768.jpg", "/gambar/b/kopi-768.jpg"]),
                         min_size=1, max_size=3))
    return Product(slug="kopi-arabika", shop=shop, title=draw(awkward),
                   price=draw(st.integers(1, 100_000_000)), category=draw(awkward),
                   images=[image(src) for src in srcs],
                   stock=draw(st.sampled_from(["tersedia", "habis", "po"])),
                   variants=variants, summary=draw(awkward)), shop


@settings(max_examples=300)
@given(products(), st.sampled_from(["", "https://warung.example", "http://127.0.0.1:8000"]))
def test_the_json_is_what_the_template_literals_wrote(made, site_url):
    product, shop = made
    context = {"product": product, "shop": shop, "SITEURL": site_url, "T": TEXTS}
    assert product_jsonld(product, shop, site_url) == \
        ENV.from_string(JSONLD_LITERAL).render(context)
    assert product_script_data(product, shop, site_url, TEXTS) == \
        ENV.from_string(SCRIPT_LITERAL).render(context)


def test_products_of_one_shop_share_its_parts_and_a_new_build_forgets_them():
    from warung_catalog import page_data

    shop = Shop(id="kopi", title="Kopi <Asli>", kecamatan="Wanayasa", whatsapp="62812",
                email="a@b.id", payment=["cod"], delivery=["ambil"])
    products = [Product(slug=slug, shop=shop, title=slug.title(), price=price,
                        category="Minuman", images=[image("/gambar/a/kopi-768.jpg")])
                for slug, price in (("arabika", 45_000), ("robusta", 30_000))]
    other_texts = with_keys({"product_page": {"whatsapp_message": "Pesan {product}"},
                             "site_name": "Warung Lain"})
    for texts in (TEXTS, other_texts, TEXTS):
        for product in products:
            context = {"product": product, "shop": shop, "SITEURL": "", "T": texts}
            assert product_jsonld(product, shop, "") == \
                ENV.from_string(JSONLD_LITERAL).render(context)
            assert product_script_data(product, shop, "", texts) == \
                ENV.from_string(SCRIPT_LITERAL).render(context)
    assert page_data._shop_script_data.cache_info().hits >= 3
    page_data.forget_shops()
    assert page_data._shop_script_data.cache_info().currsize == 0


@pytest.mark.parametrize("build", [product_jsonld, product_script_data])
def test_seller_text_cannot_close_the_script(build):
    shop = Shop(id="t", title="</script><b>", kecamatan="Wanayasa", whatsapp="62812",
                email="a@b.id")
    product = Product(slug="p", shop=shop, title="<!-- & '", price=1, category="Makanan",
                      images=[image("/gambar/p.jpg")], summary="</SCRIPT>")
    arguments = (product, shop, "") + ((TEXTS,) if build is product_script_data else ())
    text = str(build(*arguments))
    assert "<" not in text and ">" not in text and "&" not in text and "'" not in text


def test_the_code_templates_call_is_part_of_every_page_s_inputs(monkeypatch, tmp_path):
    from types import SimpleNamespace

    import warung_catalog
    from warung_catalog import generator
    from warung_catalog.catalog import digest

    helper = tmp_path / "helper.py"
    helper.write_text("A = 1\n")
    monkeypatch.setattr(warung_catalog, "template_helpers",
                        lambda: [SimpleNamespace(__file__=helper)])
    plain = SimpleNamespace(settings={"SITENAME": "Warung"})
    warung_catalog.template_helper_sources.cache_clear()
    before = digest(generator.CatalogGenerator._site_inputs(plain))
    helper.write_text("A = 2\n")
    # A process keeps the source it loaded: a long-lived builder's pages
    # are hashed with the code that made them.
    assert digest(generator.CatalogGenerator._site_inputs(plain)) == before
    warung_catalog.template_helper_sources.cache_clear()  # as a new process
    assert digest(generator.CatalogGenerator._site_inputs(plain)) != before
    warung_catalog.template_helper_sources.cache_clear()


def test_every_helper_the_plugin_gives_templates_is_a_listed_module(tmp_path):
    from types import SimpleNamespace

    from warung_catalog import extend_jinja, template_helpers

    env = Environment()
    before = {**env.globals, **env.filters}
    extend_jinja(SimpleNamespace(env=env, settings={
        "WARUNG": {"IMAGE_CACHE": str(tmp_path / "images")}, "JINJA_ENVIRONMENT": {}}))
    listed = {module.__name__ for module in template_helpers()}
    for name, value in {**env.globals, **env.filters}.items():
        if name not in before and callable(value):
            assert getattr(value, "__module__", type(value).__module__) in listed, name


@pytest.mark.parametrize("change", [
    lambda p, s: setattr(p, "title", "Lain"), lambda p, s: setattr(p, "price", 2),
    lambda p, s: setattr(p, "content", "<p>baru</p>"), lambda p, s: setattr(p, "summary", "baru"),
    lambda p, s: setattr(p.images[0], "src", "/gambar/lain.jpg"),
    lambda p, s: setattr(p.images[0], "alt", "foto"), lambda p, s: setattr(s, "title", "Toko B"),
    lambda p, s: setattr(s, "kecamatan", "Campaka"), lambda p, s: setattr(p, "stock", "po"),
    lambda p, s: p.variants.append({"name": "Besar", "price": 3}),
])
def test_a_product_s_fingerprint_changes_with_anything_its_pages_show(change):
    def made():
        shop = Shop(id="t", title="Toko A", kecamatan="Wanayasa", whatsapp="62812",
                    email="a@b.id")
        return Product(slug="p", shop=shop, title="Kopi", price=1, category="Minuman",
                       images=[image("/gambar/p.jpg")], summary="Enak", content="<p>x</p>"), shop

    before = made()[0].fingerprint
    assert made()[0].fingerprint == before
    product, shop = made()
    change(product, shop)
    assert product.fingerprint != before


def test_templates_get_the_environment_s_globals_as_a_plain_dict(tmp_path):
    from types import SimpleNamespace

    from jinja2 import DictLoader

    from warung_catalog import extend_jinja

    env = Environment(loader=DictLoader({
        "m.html": "{% macro hi() %}{{ T.site_name }}{% endmacro %}",
        "page.html": '{% import "m.html" as m %}{{ m.hi() }} {{ own }} {{ WARUNG.x }}'}))
    extend_jinja(SimpleNamespace(env=env, settings={
        "WARUNG": {"IMAGE_CACHE": str(tmp_path / "images"), "x": 1}, "JINJA_ENVIRONMENT": {}}))
    page = env.get_template("page.html", globals={"own": "sendiri"})
    assert type(page.globals) is dict and page.globals["own"] == "sendiri"
    assert "own" not in env.globals
    assert page.render() == "Warung Online Purwakarta sendiri 1"


def test_every_stock_state_has_a_schema_org_availability():
    from warung import rules
    from warung_catalog.page_data import AVAILABILITY

    assert set(AVAILABILITY) == set(rules.STOCK_STATES)


@pytest.mark.parametrize("stock", ["tersedia", "habis", "po"])
def test_a_grid_card_shows_the_stock_badge_macro_s_markup(stock):
    from pathlib import Path

    from jinja2 import FileSystemLoader

    from warung.rupiah import format_rupiah
    from warung.text import texts

    theme = Path(__file__).resolve().parents[2] / "theme" / "templates"
    env = Environment(loader=FileSystemLoader(str(theme)), autoescape=True,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["rupiah"] = format_rupiah
    env.globals["T"] = with_keys(texts())
    shop = Shop(id="t", title="Toko", kecamatan="Wanayasa", whatsapp="62812", email="a@b.id")
    product = Product(slug="p", shop=shop, title="Kopi", price=1, category="Minuman",
                      images=[image("/gambar/p.jpg")], stock=stock)
    page = env.from_string('{% import "_macros.html" as m with context %}'
                           "[{{ m.stock_badge(p) }}]{{ m.grid([p]) }}")
    badge, grid = page.render(p=product)[1:].split("]", 1)
    assert f'<span class="pr">Rp1</span> {badge}\n' in grid
