"""The sample catalog built once with the real theme (``built_site``): every
URL, prices, katalog.json against the Markdown files (read independently
here), photos without metadata, emails only in the private catalog."""

import hashlib
import json
import re
from pathlib import Path
from xml.etree import ElementTree

import pytest
from PIL import Image
from slugify import slugify

from warung.phone import normalize_mobile
from warung.rupiah import format_rupiah, parse_rupiah
from warung_catalog.reader import parse
from warung_catalog.settings import DEFAULTS

from .helpers import ROOT

SHOPS = ROOT / "content" / "shops"


def front_matter(path: Path) -> dict:
    """The metadata as the build reads it: keys lower-cased, raw values."""
    return parse(path.read_bytes()).values()


def sample():
    shops, products = {}, {}
    for folder in sorted(p for p in SHOPS.iterdir() if p.is_dir()):
        shops[slugify(folder.name)] = front_matter(folder / "shop.md")
        for path in folder.glob("*.md"):
            if path.name != "shop.md":
                products[f"{slugify(folder.name)}/{slugify(path.stem)}"] = front_matter(path)
    return shops, products


SAMPLE_SHOPS, SAMPLE_PRODUCTS = sample()


def page(built_site, url: str) -> str:
    path = built_site.output / (url.lstrip("/") + ("index.html" if url.endswith("/") else ""))
    assert path.is_file(), url
    return path.read_text(encoding="utf-8")


def test_sample_is_big_enough_to_mean_something():
    assert len(SAMPLE_SHOPS) >= 8 and len(SAMPLE_PRODUCTS) >= 40


def test_every_url_exists(built_site):
    urls = ["/", "/keranjang/", "/cari/", "/cari/indeks.json", "/katalog.json", "/sitemap.xml",
            "/robots.txt", "/404.html", "/daftar/", "/cara-pesan/", "/tentang/"]
    urls += [f"/toko/{shop}/" for shop in SAMPLE_SHOPS]
    urls += [f"/toko/{pid}/" for pid in SAMPLE_PRODUCTS]
    urls += [f"/kategori/{slugify(meta['category'])}/" for meta in SAMPLE_PRODUCTS.values()]
    for url in urls:
        page(built_site, url)


def test_product_pages_show_rupiah_prices(built_site):
    for pid, meta in SAMPLE_PRODUCTS.items():
        html = page(built_site, f"/toko/{pid}/")
        assert format_rupiah(parse_rupiah(meta["price"])) in html, pid
        assert re.search(r"Rp\d{1,3}(\.\d{3})*\b", html)
        assert html.count("Rp") > 0 and "Rp " not in html


def test_katalog_json_matches_the_markdown_files(built_site):
    catalog = built_site.catalog
    products = {p["id"]: p for p in catalog["products"]}
    assert set(products) == set(SAMPLE_PRODUCTS)
    for pid, meta in SAMPLE_PRODUCTS.items():
        item = products[pid]
        assert item["title"] == " ".join(meta["title"].split())
        assert item["price"] == parse_rupiah(meta["price"])
        assert item["category"].casefold() == meta["category"].casefold()
        assert item["category_url"] == f"/kategori/{slugify(meta['category'])}/"
        assert item["url"] == f"/toko/{pid}/"
        assert item["shop"] == pid.split("/")[0]
        assert item["stock"] == meta.get("stock", "tersedia").lower()
        assert (built_site.output / item["image"].lstrip("/")).is_file()
        assert [v["name"] for v in item["variants"]] == [
            part.split("=")[0].strip() for part in meta.get("variants", "").split(";") if part.strip()]
    assert set(catalog["shops"]) == set(SAMPLE_SHOPS)
    for sid, meta in SAMPLE_SHOPS.items():
        shop = catalog["shops"][sid]
        assert shop["title"] == meta["title"]
        assert shop["whatsapp"] == normalize_mobile(meta["whatsapp"])
        assert shop["url"] == f"/toko/{sid}/"
        assert shop["payment"] == [p.strip() for p in meta.get("payment", "cod").split(",")]
        assert "email" not in shop


def test_build_id_is_the_hash_of_the_catalog_data(built_site):
    data = {k: v for k, v in built_site.catalog.items() if k != "build"}
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert built_site.catalog["build"] == hashlib.sha256(text.encode()).hexdigest()[:12]
    private = json.loads(built_site.private_catalog.read_text(encoding="utf-8"))
    assert private["build"] == built_site.catalog["build"]


def test_emails_only_in_the_private_catalog(built_site):
    private = json.loads(built_site.private_catalog.read_text(encoding="utf-8"))
    emails = {sid: shop["email"] for sid, shop in private["shops"].items()}
    assert emails == {sid: meta["email"] for sid, meta in SAMPLE_SHOPS.items()}
    assert not built_site.private_catalog.is_relative_to(built_site.output)
    for path in built_site.output.rglob("*"):
        if path.suffix in {".html", ".json", ".xml", ".txt", ".js", ".css"}:
            text = path.read_text(encoding="utf-8")
            leaked = [e for e in emails.values() if e in text]
            assert not leaked, f"{path}: {leaked}"


def test_search_index_is_compact_and_complete(built_site):
    index = json.loads((built_site.output / "cari" / "indeks.json").read_text(encoding="utf-8"))
    assert {row[0] for row in index} == set(SAMPLE_PRODUCTS)
    pid, title, url, price, shop_title, category, thumbnail = index[0]
    assert url == f"/toko/{pid}/" and isinstance(price, int) and thumbnail.endswith("-320.jpg")


def test_sitemap_lists_every_product_and_robots_points_at_it(built_site):
    tree = ElementTree.parse(built_site.output / "sitemap.xml")
    locs = {e.text for e in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    base = built_site.catalog["site"]["url"]
    assert {f"{base}/toko/{pid}/" for pid in SAMPLE_PRODUCTS} <= locs
    assert {f"{base}/", f"{base}/daftar/"} <= locs
    robots = (built_site.output / "robots.txt").read_text()
    assert "Disallow: /api/" in robots and f"Sitemap: {base}/sitemap.xml" in robots


@pytest.fixture(scope="module")
def output_images(built_site):
    return sorted((built_site.output / "gambar").rglob("*.*"))


def test_photos_are_published_as_webp_and_jpeg_at_the_widths(built_site, output_images):
    by_stem = {}
    for path in output_images:
        stem, width = path.stem.rsplit("-", 1)
        by_stem.setdefault(stem, set()).add((int(width), path.suffix))
    for stem, variants in by_stem.items():
        widths = {w for w, _ in variants}
        assert variants == {(w, s) for w in widths for s in (".jpg", ".webp")}, stem
        configured = set(DEFAULTS["IMAGE_WIDTHS"])
        # The configured widths, or (a smaller photo) those below it plus its own.
        assert widths - {max(widths)} <= configured and (
            max(widths) in configured or max(widths) < max(configured)), stem
    # No seller's raw photo is copied into the site.
    assert not list(built_site.output.rglob("images/*"))


def test_no_metadata_in_any_published_photo(output_images):
    assert output_images
    for path in output_images:
        with Image.open(path) as image:
            assert not image.getexif(), path
            assert not {"exif", "icc_profile", "comment", "xmp"} & set(image.info), path
            width = int(path.stem.rsplit("-", 1)[1])
            assert image.width == width


def test_only_the_cart_carries_the_build_id(built_site):
    """The cart sends the catalog build it priced with; product pages leave it
    out so that editing one product re-renders only that product's pages."""
    build = built_site.catalog["build"]
    cart = page(built_site, "/keranjang/")
    assert re.findall(r'name="build" value="([^"]*)"', cart) == [build]
    for pid in SAMPLE_PRODUCTS:
        assert build not in page(built_site, f"/toko/{pid}/"), pid


def test_pelican_pages_get_the_texts_too(built_site):
    from warung.text import texts
    html = page(built_site, "/daftar/")
    assert texts()["site_name"] in html
