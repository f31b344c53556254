"""Layout on the smallest phones: 320 px wide with text enlarged to 130 %,
no sideways scrolling and tap targets at least 44 px tall."""

import shutil

import pytest

from warung.text import texts

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 640}
MIN_TAP = 44

# Controls and links that are not part of running text; links inside
# paragraphs and lists of text are exempt (WCAG 2.5.8 "inline").
SMALL_TARGETS = """() => Array.from(document.querySelectorAll('a, button, input, select, textarea, label.opt'))
  .filter(e => {
    const box = e.getBoundingClientRect();
    if (!box.width || e.closest('.hp, .vh, .skip') || e.type === 'radio' || e.type === 'hidden') return false;
    if (e.tagName === 'A' && getComputedStyle(e).display === 'inline') return false;
    return box.height < %d;
  })
  .map(e => e.outerHTML.slice(0, 80))""" % MIN_TAP


@pytest.fixture(scope="module")
def site_url(built_site, static_server, tmp_path_factory):
    """The built site with the buyer's "large text" setting (130 %) added to
    the site's own stylesheet, so it applies with JavaScript off too."""
    large = tmp_path_factory.mktemp("large-text") / "output"
    shutil.copytree(built_site.output, large)
    css = large / "theme" / "css" / "site.css"
    css.write_text(css.read_text(encoding="utf-8") + "\nhtml{font-size:130%}", encoding="utf-8")
    return static_server(large)


def pages(catalog):
    product_with_variants = next(p for p in catalog["products"] if p["variants"])
    sold_out = next(p for p in catalog["products"] if p["stock"] == "habis")
    shop = next(iter(catalog["shops"].values()))
    return ["/", product_with_variants["category_url"], shop["url"], product_with_variants["url"],
            sold_out["url"], "/keranjang/", "/cari/", "/daftar/", "/cara-pesan/", "/404.html"]


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_narrow_phone_with_large_text(phone_page, site_url, built_site, javascript):
    page = phone_page(javascript=javascript)
    page.set_viewport_size(NARROW)
    if javascript:  # a filled cart, so the cart page shows its lines and form
        product = next(p for p in built_site.catalog["products"] if p["stock"] != "habis")
        page.goto(site_url + product["url"])
        page.get_by_role("button", name=texts()["js"]["add"]).click()
    for url in pages(built_site.catalog):
        page.goto(site_url + url)
        assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "20.8px"
        width = page.evaluate("document.scrollingElement.scrollWidth")
        assert width <= NARROW["width"], f"{url} scrolls sideways at 130 % text: {width}px"
        assert page.evaluate(SMALL_TARGETS) == [], url
