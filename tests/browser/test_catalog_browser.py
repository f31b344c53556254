"""A buyer's walk through the built sample catalog on a 360x640 phone,
with JavaScript on and off: home -> a category -> a product, and a sold-out
product. Pages are served as plain static files (like S3), so only what the
build wrote is tested. Screenshots of every step go to
test-results/screenshots/."""

import re
from urllib.parse import urlparse

import pytest

from warung.rupiah import format_rupiah

pytestmark = pytest.mark.browser

PHONE_WIDTH = 360
JS_MODES = [pytest.param(True, id="js"), pytest.param(False, id="nojs")]
CATEGORY = "Minuman"
ORDER_FORM = "form[action$='/api/order']"


@pytest.fixture(scope="module")
def catalog(built_site):
    return built_site.catalog


def price_texts(product):
    """Every price a buyer may see for this product (base and variants)."""
    return {format_rupiah(product["price"])} | {format_rupiah(v["price"]) for v in product["variants"]}


def assert_no_horizontal_scroll(page):
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{page.url} scrolls sideways: {width}px wide"


def assert_images_loaded(page, selector="main img"):
    """The first image in the selection really decoded (not a broken icon)."""
    first = page.locator(selector).first
    first.scroll_into_view_if_needed()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=first.element_handle(), timeout=10_000)


def visible_text(page):
    return page.locator("body").inner_text()


def path_of(page):
    return urlparse(page.url).path


@pytest.mark.parametrize("javascript", JS_MODES)
def test_walk_home_category_product(phone_page, screenshot, site_url, catalog, javascript):
    page = phone_page(javascript=javascript)
    category_products = [p for p in catalog["products"]
                         if p["category"] == CATEGORY and p["stock"] == "tersedia"]
    assert category_products, f"the sample has orderable {CATEGORY} products"
    category_url = category_products[0]["category_url"]

    # Home: the site's heading, links to every category, no sideways scroll.
    response = page.goto(site_url + "/")
    assert response.status == 200
    assert page.locator("h1").first.is_visible()
    assert page.title()
    for category in {p["category"] for p in catalog["products"]}:
        assert page.locator(f"a[href='{catalog_url(catalog, category)}']").count() >= 1, category
    assert_no_horizontal_scroll(page)
    screenshot(page, "1-home")

    # A category: its heading names it and it lists its products with prices.
    page.locator(f"main a[href='{category_url}']").first.click()
    page.wait_for_load_state()
    assert path_of(page) == category_url
    assert CATEGORY in page.locator("h1").inner_text()
    listed = page.locator("main a[href^='/toko/']")
    assert listed.count() >= 1
    text = visible_text(page)
    shown = [p for p in category_products if p["title"] in text]
    assert shown, "the category lists its products by name"
    assert re.search(r"Rp\d{1,3}(\.\d{3})+", text), "prices in PUEBI form"
    assert format_rupiah(shown[0]["price"]) in text
    assert_images_loaded(page)
    assert_no_horizontal_scroll(page)
    screenshot(page, "2-category")

    # A product: title, price, photo, and the order form with its submit button.
    product = shown[0]
    page.locator(f"main a[href='{product['url']}']").first.click()
    page.wait_for_load_state()
    assert path_of(page) == product["url"]
    assert page.locator("h1").inner_text().strip() == product["title"]
    text = visible_text(page)
    assert format_rupiah(product["price"]) in text
    assert price_texts(product) & set(re.findall(r"Rp\d{1,3}(?:\.\d{3})*", text))
    assert_images_loaded(page, "main img")
    form = page.locator(ORDER_FORM)
    assert form.count() == 1
    form.scroll_into_view_if_needed()
    assert form.is_visible()
    submit = form.locator("button[type='submit'], input[type='submit']")
    assert submit.count() >= 1
    submit.first.scroll_into_view_if_needed()
    assert submit.first.is_visible() and submit.first.is_enabled()
    # The no-JavaScript order form carries what the order contract needs.
    for field in ("item", "qty", "name", "phone", "kecamatan", "desa", "address", "delivery", "payment"):
        assert form.locator(f"[name='{field}']").count() >= 1, field
    item_values = form.locator("[name='item']").evaluate_all(
        "els => els.flatMap(e => e.options ? [...e.options].map(o => o.value) : [e.value])")
    assert any(v == product["id"] or v.startswith(product["id"] + ":") for v in item_values), item_values
    assert "Stok habis" not in text
    assert_no_horizontal_scroll(page)
    screenshot(page, "3-product")


@pytest.mark.parametrize("javascript", JS_MODES)
def test_sold_out_product_cannot_be_ordered(phone_page, screenshot, site_url, catalog, javascript):
    sold_out = [p for p in catalog["products"] if p["stock"] == "habis"]
    assert len(sold_out) == 1, "the sample has exactly one sold-out product"
    product = sold_out[0]
    page = phone_page(javascript=javascript)
    assert page.goto(site_url + product["url"]).status == 200
    assert page.locator("h1").inner_text().strip() == product["title"]
    text = visible_text(page)
    assert "Stok habis" in text
    assert format_rupiah(product["price"]) in text
    submits = page.locator(f"{ORDER_FORM} button[type='submit'], {ORDER_FORM} input[type='submit']")
    assert submits.count() == 0
    # Nothing anywhere on the page may post an order for it.
    assert page.locator(f"main button[type='submit']:visible").count() == 0
    assert_no_horizontal_scroll(page)
    screenshot(page, "sold-out")


@pytest.mark.parametrize("javascript", JS_MODES)
def test_pre_order_product_can_be_ordered(phone_page, site_url, catalog, javascript):
    pre_order = [p for p in catalog["products"] if p["stock"] == "po"]
    assert len(pre_order) == 1, "the sample has exactly one pre-order product"
    page = phone_page(javascript=javascript)
    assert page.goto(site_url + pre_order[0]["url"]).status == 200
    submit = page.locator(f"{ORDER_FORM} button[type='submit'], {ORDER_FORM} input[type='submit']")
    assert submit.count() >= 1
    assert "Stok habis" not in visible_text(page)
    assert_no_horizontal_scroll(page)


@pytest.mark.parametrize("javascript", JS_MODES)
def test_every_shop_page_fits_the_phone(phone_page, site_url, catalog, javascript):
    page = phone_page(javascript=javascript)
    for shop in catalog["shops"].values():
        assert page.goto(site_url + shop["url"]).status == 200
        assert shop["title"] in page.locator("h1").inner_text()
        assert_no_horizontal_scroll(page)


def catalog_url(catalog, category):
    return next(p["category_url"] for p in catalog["products"] if p["category"] == category)


def test_sideways_phone_photo_shows_upright_without_metadata(phone_page, screenshot, site_url, catalog, built_site):
    """The sample's 12 MP photo is stored sideways with EXIF Orientation=6 and GPS:
    the buyer sees it upright (portrait), and the published files carry no EXIF."""
    from PIL import Image

    product = next(p for p in catalog["products"] if p["id"] == "gerabah-plered/guci-keramik-hias")
    page = phone_page(javascript=False)
    assert page.goto(site_url + product["url"]).status == 200
    photo = page.locator("main img").first
    assert_images_loaded(page)
    width, height = photo.evaluate("img => [img.naturalWidth, img.naturalHeight]")
    assert height > width, (width, height)
    box = photo.bounding_box()
    assert box["width"] <= PHONE_WIDTH and box["height"] > box["width"]
    screenshot(page, "upright")
    published = sorted((built_site.output / "gambar" / "gerabah-plered").glob("guci-keramik-hias-*.jpg"))
    assert published
    for path in published:
        with Image.open(path) as image:
            assert not image.getexif(), path
            assert "exif" not in image.info, path


def test_cart_keeps_a_product_with_javascript(phone_page, screenshot, site_url, catalog):
    """With JavaScript the product page can add to the cart; the cart page then
    lists the product at its catalog price and offers the checkout form."""
    product = next(p for p in catalog["products"]
                   if p["stock"] == "tersedia" and not p["variants"] and p["category"] == CATEGORY)
    page = phone_page(javascript=True)
    assert page.goto(site_url + product["url"]).status == 200
    add = page.get_by_role("button", name=re.compile("keranjang", re.I))
    add.first.scroll_into_view_if_needed()
    add.first.click()
    page.goto(site_url + "/keranjang/")
    lines = page.locator("[data-lines]")
    lines.get_by_text(product["title"]).first.wait_for()
    assert format_rupiah(product["price"]) in lines.inner_text()
    checkout = page.locator(ORDER_FORM)
    assert checkout.is_visible()
    assert checkout.locator("button[type='submit'], input[type='submit']").first.is_visible()
    assert_no_horizontal_scroll(page)
    screenshot(page, "cart")
