"""The theme on the built sample catalog: budgets, contracts and accessibility
basics, checked on the files the real Pelican build wrote."""

import json
import re
from urllib.parse import parse_qs, urlparse

import pytest

from warung.rupiah import format_rupiah
from warung.text import texts
from warung.wilayah import kecamatan_names

from .helpers import css_rules, gz, labelled, parse, srcset_candidates, words

KB = 1024
T = texts()
ORDER_FIELDS = {"item", "qty", "name", "phone", "kecamatan", "desa", "address", "delivery",
                "payment", "note", "email", "website"}
AVAILABILITY = {"tersedia": "InStock", "habis": "OutOfStock", "po": "PreOrder"}
FIRST_SCREEN_IMAGES = 6


@pytest.fixture(scope="module")
def site(built_site):
    return built_site


@pytest.fixture(scope="module")
def css(site):
    return (site.output / "theme" / "css" / "site.css").read_text(encoding="utf-8")


def page_file(site, url):
    return site.output / url.lstrip("/") / "index.html"


def read(site, url):
    return page_file(site, url).read_text(encoding="utf-8")


def products(site, stock=None):
    found = [p for p in site.catalog["products"] if stock is None or p["stock"] == stock]
    assert found, f"the sample catalog has products with stock {stock!r}"
    return found


def orderable_pages(site):
    """``(product, shop, parsed page)`` for every product that can be ordered."""
    for product in products(site):
        if product["stock"] != "habis":
            shop = site.catalog["shops"][product["shop"]]
            yield product, shop, parse(read(site, product["url"]))


def order_forms(doc):
    return [f for f in doc.find_all("form") if (f.get("action") or "").endswith("/order")]


def all_html(site):
    pages = sorted(site.output.rglob("*.html"))
    assert len(pages) > 10
    return pages


# -- budgets -------------------------------------------------------------------

def test_product_page_and_css_fit_one_round_trip(site, css):
    """Heaviest product page HTML + its one stylesheet <= 14 KB gzip."""
    heaviest = max((read(site, p["url"]) for p in products(site)), key=gz)
    doc = parse(heaviest)
    sheets = [link.get("href") for link in doc.find_all("link") if link.get("rel") == "stylesheet"]
    assert sheets == ["/theme/css/site.css"]
    assert not doc.find_all("style"), "no inline CSS: one cached stylesheet"
    total = gz(heaviest) + gz(css)
    assert total <= 14 * KB, f"product page + CSS = {total} bytes gzip"
    assert gz(css) <= 3.5 * KB


def first_screen_image_bytes(site, doc):
    """Bytes of the first images of the main content at their smallest width
    (WebP, what a phone's browser picks)."""
    main = doc.find("main")
    total = 0
    for img in main.find_all("img")[:FIRST_SCREEN_IMAGES]:
        source = img.parent.find("source", type="image/webp") if img.parent.tag == "picture" else None
        candidates = srcset_candidates(source.get("srcset") if source else img.get("srcset") or img.get("src") + " 0w")
        url = min(candidates, key=lambda c: c[1])[0]
        total += (site.output / url.lstrip("/")).stat().st_size
    return total


def test_category_page_with_first_screen_thumbnails_under_100_kb(site, css):
    pages = sorted((site.output / "kategori").rglob("index.html"))
    assert pages
    sizes = {}
    for path in pages:
        html = path.read_text(encoding="utf-8")
        doc = parse(html)
        images = doc.find("main").find_all("img")
        assert images, path
        for img in images[FIRST_SCREEN_IMAGES:]:
            assert img.get("loading") == "lazy", f"{path}: below-the-fold image not lazy"
        sizes[path] = gz(html) + gz(css) + first_screen_image_bytes(site, doc)
    heaviest = max(sizes, key=sizes.get)
    assert sizes[heaviest] <= 100 * KB, f"{heaviest}: {sizes[heaviest]} bytes"


def test_all_javascript_under_10_kb_gzip_and_deferred(site):
    scripts = sorted((site.output / "theme" / "js").glob("*.js"))
    # warung.js: the helpers cart.js and search.js share, loaded before them;
    # daftar.js: the seller form's photo shrinking and progress;
    # pesanan.js: the buyer's orders remembered on this phone.
    assert {s.name for s in scripts} == {"warung.js", "cart.js", "search.js", "daftar.js", "pesanan.js"}
    total = sum(gz(s.read_bytes()) for s in scripts)
    assert total <= 10 * KB, f"{total} bytes gzip"
    for path in all_html(site):
        doc = parse(path.read_text(encoding="utf-8"))
        for script in doc.find_all("script"):
            if script.get("src"):
                assert "defer" in script.attrs, f"{path}: {script}"
                assert script.get("src").startswith("/theme/js/")
            else:
                assert script.get("type") in ("application/json", "application/ld+json"), \
                    f"{path}: inline script that runs"
    search = parse(read(site, "/cari/"))
    sources = [s.get("src") for s in search.find_all("script") if s.get("src")]
    assert sources == ["/theme/js/warung.js", "/theme/js/cart.js", "/theme/js/search.js"]
    home = read(site, "/")
    assert "search.js" not in home, "search.js only where the search is"


def test_no_web_fonts_images_in_css_or_foreign_urls(site, css):
    assert "@font-face" not in css and "url(" not in css and "@import" not in css
    for path in all_html(site):
        doc = parse(path.read_text(encoding="utf-8"))
        assert not doc.find_all("style"), f"{path}: CSS only in site.css"
        for element in doc.iter():
            urls = [element.get(a) for a in ("href", "src", "action") if element.get(a)]
            if element.get("srcset"):
                urls += [u for u, _ in srcset_candidates(element.get("srcset"))]
            for url in urls:
                host = urlparse(url).netloc
                assert host in ("", "wa.me"), f"{path}: external URL {url}"


# -- every page ----------------------------------------------------------------

def test_every_page_is_indonesian_with_viewport_and_footer_links(site):
    for path in all_html(site):
        html = path.read_text(encoding="utf-8")
        assert html.startswith("<!doctype html>\n<html lang=\"id\">"), path
        doc = parse(html)
        assert doc.find("meta", name="viewport"), path
        assert words(doc.find("title").text), path
        footer = {a.get("href") for a in doc.find("footer").find_all("a")}
        assert {"/cara-pesan/", "/tentang/", "/daftar/"} <= footer, path
        assert doc.find("a", href="/keranjang/"), path
        assert len(doc.find_all("h1")) == 1, f"{path}: one h1"
        ids = [e.get("id") for e in doc.iter() if e.get("id")]
        assert len(ids) == len(set(ids)), f"{path}: duplicate ids"


def test_every_form_control_has_a_label(site):
    checked = 0
    for path in all_html(site):
        doc = parse(path.read_text(encoding="utf-8"))
        for control in doc.iter():
            if control.tag not in ("input", "select", "textarea"):
                continue
            if control.get("type") in ("hidden", "submit", "button"):
                continue
            assert labelled(doc, control), f"{path}: {control} has no label"
            checked += 1
        for form in order_forms(doc):
            for label in form.find_all("label"):
                assert "vh" not in label.classes, f"{path}: order form label hidden: {label}"
    assert checked > 100


def test_heading_levels_do_not_skip(site):
    for path in all_html(site):
        doc = parse(path.read_text(encoding="utf-8"))
        levels = [int(e.tag[1]) for e in doc.iter() if re.fullmatch(r"h[1-6]", e.tag)]
        for before, after in zip(levels, levels[1:]):
            assert after <= before + 1, f"{path}: h{before} then h{after}"


# -- product page --------------------------------------------------------------

def test_product_order_form_follows_the_order_contract(site):
    for product, shop, doc in orderable_pages(site):
        forms = order_forms(doc)
        assert len(forms) == 1, product["url"]
        form = forms[0]
        assert form.get("action") == "/api/order" and form.get("method") == "post"
        assert form.get("enctype") in (None, "application/x-www-form-urlencoded")
        names = {e.get("name") for e in form.iter() if e.get("name")}
        assert ORDER_FIELDS <= names, ORDER_FIELDS - names
        items = [e for e in form.iter() if e.get("name") == "item"]
        assert len(items) == 1
        if product["variants"]:
            assert items[0].tag == "select"
            assert [o.get("value") for o in items[0].find_all("option")] == [
                f"{product['id']}:{v['name']}" for v in product["variants"]]
            for option, variant in zip(items[0].find_all("option"), product["variants"]):
                assert format_rupiah(variant["price"]) in option.text
        else:
            assert items[0].get("type") == "hidden" and items[0].get("value") == product["id"]
        qty = form.find("input", name="qty")
        assert (qty.get("type"), qty.get("min"), qty.get("max"), qty.get("value")) == ("number", "1", "999", "1")
        phone = form.find("input", name="phone")
        assert phone.get("type") == "tel" and phone.get("autocomplete") == "tel" and phone.get("inputmode")
        for required in ("name", "phone", "kecamatan", "address", "qty"):
            assert "required" in form.find(name=required).attrs, required
        for optional in ("desa", "note", "email", "website"):
            assert "required" not in form.find(name=optional).attrs, optional
        kecamatan = [o.text for o in form.find("select", name="kecamatan").find_all("option") if o.get("value") != ""]
        assert kecamatan == kecamatan_names()
        for field, options, labels in (("delivery", shop["delivery"], T["delivery"]),
                                       ("payment", shop["payment"], T["payment"])):
            radios = form.find_all("input", name=field)
            assert [r.get("value") for r in radios] == options
            assert all(r.get("type") == "radio" and labelled(doc, r) == labels[r.get("value")] for r in radios)
        # The build id stays out of product pages (one edit must not re-render all).
        assert form.find("input", name="build") is None
        submit = form.find("button", type="submit")
        assert words(submit.text) == T["order_form"]["submit"]
        text = words(doc.find("main").text)
        if "antar" in shop["delivery"]:
            fee = shop["delivery_fee"]
            if fee is None:
                assert T["fee"]["confirm"] in text
            else:
                for amount in list(fee["kecamatan"].values()) + [fee["default"]]:
                    assert amount is None or format_rupiah(amount) in text


def test_honeypot_is_off_screen_not_display_none(site, css):
    rules = css_rules(css)
    urls = [p["url"] for p in products(site) if p["stock"] != "habis"][:3] + ["/keranjang/"]
    for url in urls:
        doc = parse(read(site, url))
        trap = doc.find("input", name="website")
        assert trap is not None, url
        assert trap.get("tabindex") == "-1" and trap.get("autocomplete") == "off"
        assert trap.get("type") in (None, "text") and "hidden" not in trap.attrs
        assert labelled(doc, trap) == T["order_form"]["honeypot"]
        boxes = [trap, *trap.ancestors()]
        assert not any("display:none" in (e.get("style") or "").replace(" ", "") for e in boxes)
        styles = "".join(rules.get(f".{c}", "") for e in boxes for c in e.classes).replace(" ", "")
        assert "display:none" not in styles and "visibility:hidden" not in styles
        assert "left:-9999px" in styles, "the honeypot's box is moved off-screen"


def test_sold_out_product_is_shown_without_order_form(site):
    for product in products(site, "habis"):
        doc = parse(read(site, product["url"]))
        main = doc.find("main")
        text = words(main.text)
        assert T["stock"]["habis"] in text and format_rupiah(product["price"]) in text
        assert not order_forms(doc) and not main.find_all("form")
        assert not main.find_all("button")
        assert T["order_form"]["submit"] not in text
        asks = [a for a in main.find_all("a") if (a.get("href") or "").startswith("https://wa.me/")]
        assert [words(a.text) for a in asks] == [T["product_page"]["ask_seller"]]
        assert not doc.find(id="produk"), "no cart data: cart.js must not offer it"


def test_pre_order_product_is_orderable_with_badge(site):
    for product in products(site, "po"):
        doc = parse(read(site, product["url"]))
        assert T["stock"]["po"] in words(doc.find("main").text)
        assert len(order_forms(doc)) == 1


def meta(doc, key):
    found = [m.get("content") for m in doc.find_all("meta")
             if m.get("property") == key or m.get("name") == key]
    assert len(found) == 1, key
    return found[0]


def test_open_graph_and_json_ld(site):
    catalog = site.catalog
    for product in products(site):
        shop = catalog["shops"][product["shop"]]
        doc = parse(read(site, product["url"]))
        first = doc.find("main").find("img")
        assert first.get("fetchpriority") == "high" and first.get("loading") != "lazy"
        assert all(img.get("loading") == "lazy" for img in doc.find("main").find_all("img")[1:])
        assert first.get("width") and first.get("height") and first.get("alt") and first.get("sizes")
        assert first.parent.tag == "picture" and first.parent.find("source", type="image/webp")
        assert meta(doc, "og:type") == "product"
        assert meta(doc, "og:title") == product["title"]
        assert meta(doc, "og:url") == product["url"]  # dev build: SITEURL is ""
        assert meta(doc, "og:image") == first.get("src")
        assert format_rupiah(product["price"]) in meta(doc, "og:description")
        assert meta(doc, "twitter:card") == "summary_large_image"
        scripts = doc.find_all("script", type="application/ld+json")
        assert len(scripts) == 1
        data = json.loads(scripts[0].text)
        assert data["@context"] == "https://schema.org" and data["@type"] == "Product"
        assert data["name"] == product["title"] and data["sku"] == product["id"]
        assert data["image"][0] == first.get("src") and data["description"]
        assert data["brand"]["name"] == shop["title"]
        offers = data["offers"]
        assert offers["priceCurrency"] == "IDR" and offers["url"] == product["url"]
        assert offers["availability"] == "https://schema.org/" + AVAILABILITY[product["stock"]]
        assert offers["seller"]["name"] == shop["title"]
        if product["variants"]:
            prices = [v["price"] for v in product["variants"]]
            assert offers["@type"] == "AggregateOffer"
            assert (offers["lowPrice"], offers["highPrice"]) == (min(prices), max(prices))
        else:
            assert offers["@type"] == "Offer" and offers["price"] == product["price"]


def test_whatsapp_order_link_names_product_and_price(site):
    for product, shop, doc in orderable_pages(site):
        link = doc.find("a", id="wa-order")
        assert words(link.text) == T["product_page"]["whatsapp_order"]
        url = urlparse(link.get("href"))
        assert (url.scheme, url.netloc, url.path) == ("https", "wa.me", "/" + shop["whatsapp"])
        message = parse_qs(url.query)["text"][0]
        first = product["variants"][0] if product["variants"] else None
        assert message.startswith(f"Halo {shop['title']}")
        assert f"*{product['title']}*" in message
        assert f" x1 = {format_rupiah(first['price'] if first else product['price'])}" in message
        if first:
            assert f"({first['name']})" in message
        assert product["url"] in message


def test_cart_data_for_the_script_matches_the_catalog(site):
    catalog = site.catalog
    product = next(p for p in products(site) if p["variants"] and p["stock"] != "habis")
    doc = parse(read(site, product["url"]))
    data = json.loads(doc.find("script", id="produk").text)
    assert (data["id"], data["price"], data["variants"]) == (product["id"], product["price"], product["variants"])
    shop = catalog["shops"][product["shop"]]
    for key in ("id", "title", "url", "payment", "delivery", "delivery_fee"):
        assert data["shop"][key] == shop[key], key
    assert "email" not in json.dumps(data)
    assert json.loads(doc.find("script", id="teks-js").text) == T["js"]


# -- listings, shop, cart, search, static pages ---------------------------------

def test_shop_page_profile(site):
    for shop in site.catalog["shops"].values():
        doc = parse(read(site, shop["url"]))
        main = doc.find("main")
        text = words(main.text)
        assert shop["title"] in doc.find("h1").text and shop["kecamatan"] in text
        for method in shop["payment"]:
            assert T["payment"][method] in text
        for method in shop["delivery"]:
            assert T["delivery"][method] in text
        for kind, number in shop["permits"].items():
            assert f"{T['permit'][kind]} {number}" in text
        if "antar" in shop["delivery"] and shop["delivery_fee"] is None:
            assert T["fee"]["confirm"] in text
        chats = [a for a in main.find_all("a") if (a.get("href") or "").startswith(f"https://wa.me/{shop['whatsapp']}")]
        assert chats and T["shop_page"]["whatsapp_button"] in words(chats[0].text)
        listed = {a.get("href") for a in main.find_all("a")}
        assert {p["url"] for p in site.catalog["products"] if p["shop"] == shop["id"]} <= listed


def test_home_lists_categories_shops_and_newest(site):
    doc = parse(read(site, "/"))
    links = {a.get("href") for a in doc.find("main").find_all("a")}
    assert {p["category_url"] for p in site.catalog["products"]} <= links
    assert {s["url"] for s in site.catalog["shops"].values()} <= links
    assert len(doc.find("main").find("ul", class_="grid").find_all("li")) >= 4


def test_cart_page_without_javascript_explains_itself(site):
    doc = parse(read(site, "/keranjang/"))
    main = doc.find("main")
    assert T["cart_page"]["no_js"] in words(main.text)
    form = order_forms(doc)[0]
    assert "hidden" in form.attrs, "the checkout shows only when the script runs"
    root = doc.find(id="keranjang")
    assert root.get("data-api") == "/api/order" and root.get("data-build") == site.catalog["build"]
    assert form.find("input", name="build").get("value") == site.catalog["build"]


def test_search_page_works_without_javascript(site):
    doc = parse(read(site, "/cari/"))
    form = doc.find("form", id="cari")
    assert form.get("action") == "/api/search" and form.get("method") == "get"
    assert form.find("input", name="q").get("type") == "search"
    assert (site.output / form.get("data-index").lstrip("/")).is_file()
    assert doc.find(id="cari-status").get("role") == "status"
    header = parse(read(site, "/")).find("header").find("form")
    assert header.get("action") == "/api/search" and header.find("input", name="q")


def test_not_found_page(site):
    doc = parse((site.output / "404.html").read_text(encoding="utf-8"))
    assert T["not_found"]["title"] in doc.find("h1").text
    assert {"/", "/cari/"} <= {a.get("href") for a in doc.find("main").find_all("a")}


def test_static_pages(site):
    for url in ("/cara-pesan/", "/tentang/", "/daftar/"):
        doc = parse(read(site, url))
        assert words(doc.find("h1").text)
        forms = doc.find("main").find_all("form")
        if url == "/daftar/":  # the seller join form (issue 8) posts to the seller function
            assert [f.get("action") for f in forms] == ["/api/daftar"], url
        else:
            assert not forms, f"{url}: no fake forms"
    daftar = words(parse(read(site, "/daftar/")).find("main").text)
    for key in ("Title:", "WhatsApp:", "Email:", "Kecamatan:", "Payment:", "Delivery:",
                "DeliveryFee:", "Price:", "Category:", "Image:", "Stock:", "Variants:"):
        assert key in daftar, key
