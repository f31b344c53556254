"""One extra real build of a copied shop whose texts hold markup, with two
products per category page: sellers' text is escaped everywhere (HTML,
attributes, JSON-LD, the cart data) and categories paginate."""

import json
import re
import shutil
from urllib.parse import parse_qs, urlparse

import pytest

from tests.fixtures.site import ROOT, build_site
from warung.text import texts

from .helpers import parse, words

T = texts()
SHOP_TITLE = 'Kopi <i>Wanayasa</i> & "Co"'
PRODUCT_TITLE = "Kopi <script>alert(1)</script> & Teh"
VARIANT = "250 g <b>"


@pytest.fixture(scope="module")
def tricky_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("tricky")
    shop = root / "content" / "shops" / "kopi-wanayasa"
    shutil.copytree(ROOT / "content" / "shops" / "kopi-wanayasa", shop)
    (root / "content" / "pages").mkdir()
    profile = (shop / "shop.md").read_text(encoding="utf-8")
    (shop / "shop.md").write_text(re.sub(r"(?m)^Title: .*$", f"Title: {SHOP_TITLE}", profile, count=1),
                                  encoding="utf-8")
    product = (shop / "kopi-arabika-wanayasa.md").read_text(encoding="utf-8")
    product = re.sub(r"(?m)^Title: .*$", f"Title: {PRODUCT_TITLE}", product, count=1)
    product = re.sub(r"(?m)^Variants: .*$", f"Variants: {VARIANT}=45000; 500 g=85000", product, count=1)
    (shop / "kopi-arabika-wanayasa.md").write_text(product, encoding="utf-8")
    result = build_site(root / "content", root, PER_PAGE=2)
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "output"


def test_seller_text_is_escaped(tricky_site):
    html = (tricky_site / "toko" / "kopi-wanayasa" / "kopi-arabika-wanayasa" / "index.html").read_text()
    assert "<script>alert" not in html and "<i>Wanayasa" not in html and "250 g <b>" not in html
    doc = parse(html)
    assert words(doc.find("h1").text) == PRODUCT_TITLE
    og = [m.get("content") for m in doc.find_all("meta") if m.get("property") == "og:title"]
    assert og == [PRODUCT_TITLE]
    data = json.loads(doc.find("script", type="application/ld+json").text)
    assert data["name"] == PRODUCT_TITLE and data["brand"]["name"] == SHOP_TITLE
    cart = json.loads(doc.find("script", id="produk").text)
    assert cart["title"] == PRODUCT_TITLE and cart["shop"]["title"] == SHOP_TITLE
    options = doc.find("select", name="item").find_all("option")
    assert options[0].get("value") == f"kopi-wanayasa/kopi-arabika-wanayasa:{VARIANT}"
    message = parse_qs(urlparse(doc.find("a", id="wa-order").get("href")).query)["text"][0]
    assert f"*{PRODUCT_TITLE}* ({VARIANT})" in message and SHOP_TITLE in message
    shop_html = (tricky_site / "toko" / "kopi-wanayasa" / "index.html").read_text()
    assert "<i>Wanayasa" not in shop_html and "<script>alert" not in shop_html


def test_category_pages_link_to_each_other(tricky_site):
    folder = tricky_site / "kategori" / "minuman"
    first = parse((folder / "index.html").read_text())
    nav = first.find("nav", class_="pages")
    assert nav is not None
    numbers = re.search(r"Halaman 1 dari (\d+)", words(nav.text))
    assert numbers, words(nav.text)
    total = int(numbers.group(1))
    assert total >= 2
    assert [a.get("href") for a in nav.find_all("a")] == ["/kategori/minuman/2/"]
    last = parse((folder / str(total) / "index.html").read_text())
    nav = last.find("nav", class_="pages")
    assert f"Halaman {total} dari {total}" in words(nav.text)
    previous = "/kategori/minuman/" if total == 2 else f"/kategori/minuman/{total - 1}/"
    assert [a.get("href") for a in nav.find_all("a")] == [previous]
    assert [a.get("rel") for a in nav.find_all("a")] == ["prev"]
    assert len(first.find("ul", class_="grid").find_all("li")) == 2
