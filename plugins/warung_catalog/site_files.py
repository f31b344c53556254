"""The build's data files beside the pages: ``katalog.json``, the search
index, the sitemap, robots.txt and the private catalog (outside output/).
Each is written atomically and only when its bytes changed."""

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


def write_site_files(output: Path, catalog: Catalog, public: str, site: dict,
                     sitemap: list[str]) -> list[str]:
    """Write the public data files (``public``: katalog.json's text); returns
    their paths relative to ``output``."""
    files = {
        "katalog.json": public,
        "cari/indeks.json": canonical_json(catalog.search_index()),
        "sitemap.xml": sitemap_xml(site["url"], sitemap),
        "robots.txt": (f"User-agent: *\nAllow: /\nDisallow: /api/\n"
                       f"Sitemap: {site['url']}/sitemap.xml\n"),
    }
    for relative, text in files.items():
        write_if_changed(output / relative, text)
    return list(files)


def write_private_catalog(path: Path, catalog: Catalog, site: dict, build: str) -> None:
    write_if_changed(path, catalog.private_json(site, build))
