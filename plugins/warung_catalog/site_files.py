"""The build's public data files beside the pages: ``katalog.json``, the
search index, the sitemap and robots.txt. Their texts are made while the
pages render (``data_files``); each is written once the pages are,
atomically and only when its bytes changed, as is the private catalog
(``Catalog.private_json``, outside output/; generator.py)."""

from pathlib import Path
from xml.sax.saxutils import escape

from .catalog import Catalog, canonical_json
from .files import write_if_changed
from .paging import paginate


def sitemap_xml(base: str, urls: list[str]) -> str:
    entries = "".join(f"<url><loc>{escape(base + url)}</loc></url>\n" for url in urls)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{entries}</urlset>\n")


def sitemap_urls(catalog: Catalog, per_page: int, pages: list) -> list[str]:
    """What the sitemap lists: every public page but the cart and search."""
    urls = ["/"] + [shop.url for shop in catalog.shops] + [p.url for p in catalog.products]
    for category in catalog.categories:
        urls += [page.url for page in paginate(category.products, category.url, per_page)]
    return urls + ["/" + page.url.lstrip("/") for page in pages]


def data_files(catalog: Catalog, public: str, site: dict, sitemap: list[str]) -> dict[str, str]:
    """The public data files' texts (``public``: katalog.json's), by their
    paths relative to the output folder."""
    return {
        "katalog.json": public,
        "cari/indeks.json": canonical_json(catalog.search_index()),
        "sitemap.xml": sitemap_xml(site["url"], sitemap),
        "robots.txt": (f"User-agent: *\nAllow: /\nDisallow: /api/\n"
                       f"Sitemap: {site['url']}/sitemap.xml\n"),
    }


def write_data_files(output: Path, files: dict[str, str]) -> None:
    for relative, text in files.items():
        write_if_changed(output / relative, text)
