"""The Pelican generator that builds the catalog.

``generate_context`` reads and validates every shop and product, stops the
build with the full list of problems when there are errors, processes new
photos and publishes ``build_id``, ``shops`` and ``categories`` to the shared
context. ``generate_output`` renders the catalog pages (only those whose
inputs changed), and writes ``katalog.json``, the private catalog, the search
index, the sitemap and robots.txt.
"""

import json
import logging
import os
from math import ceil
from pathlib import Path
from xml.sax.saxutils import escape

from pelican.generators import Generator
from pelican.log import console

from warung import wilayah
from warung.text import texts

from . import images
from .catalog import Catalog, canonical_json
from .content import display_path, load
from .render import IncrementalWriter, TemplateDeps, digest, write_text
from .settings import cache_dir, site_url

logger = logging.getLogger(__name__)


class ContentInvalid(SystemExit):
    """Stops the build cleanly (exit 1, no traceback) after the problems were shown.

    A SystemExit, so Pelican's CLI does not log it with a traceback; code
    that runs Pelican in-process can catch it by name.
    """

    def __init__(self, report):
        super().__init__(1)
        self.report = report


def show(lines: list[str]) -> None:
    """Print whole lines through Pelican's console, never wrapped or styled."""
    for line in lines:
        console.print(line, soft_wrap=True, markup=False, highlight=False, emoji=False)


class Paginated:
    """One page of a category: what ``category.html`` calls ``products_page``."""

    def __init__(self, category, number: int, per_page: int):
        self.number = number
        self.num_pages = max(1, ceil(len(category.products) / per_page))
        self.object_list = category.products[(number - 1) * per_page: number * per_page]
        self.previous_url = category_page_url(category, number - 1) if number > 1 else None
        self.next_url = (category_page_url(category, number + 1)
                         if number < self.num_pages else None)
        self.url = category_page_url(category, number)

    def has_previous(self) -> bool:
        return self.previous_url is not None

    def has_next(self) -> bool:
        return self.next_url is not None


def category_page_url(category, number: int) -> str:
    return category.url if number == 1 else f"{category.url}{number}/"


def output_file(url: str) -> str:
    """/toko/x/ -> toko/x/index.html"""
    return url.lstrip("/") + "index.html" if url.endswith("/") else url.lstrip("/")


class CatalogGenerator(Generator):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.warung = self.settings["WARUNG"]
        self.catalog: Catalog | None = None
        self.plans = []
        self.stats = {"images_processed": 0, "images_cached": 0,
                      "pages_written": 0, "pages_skipped": 0}

    # -- reading -----------------------------------------------------------

    def generate_context(self):
        self._private_catalog_path()  # a misconfiguration stops the build before any work
        loaded = load(Path(self.path), self.warung)
        report = loaded.report
        if not report.errors:
            failures = self._process_images(loaded.plans)
            for plan in loaded.plans:
                if plan.source in failures:
                    report.add(self._where(plan.source), texts()["periksa"]["image_broken"].format(
                        name=plan.source.name, reason=failures[plan.source]))
        if report.problems:
            show(report.lines())
        if report.errors:
            show([report.summary(loaded.shop_count, loaded.product_count)])
            raise ContentInvalid(report)
        self.catalog, self.plans = loaded.catalog, loaded.plans
        self.site = {"name": self.settings["SITENAME"], "url": site_url(self.settings)}
        self.public = self.catalog.public_data(self.site)
        self.context["build_id"] = self.public["build"]
        self.context["shops"] = self.catalog.shops
        self.context["categories"] = self.catalog.categories
        self.context["catalog"] = self.catalog

    def _where(self, path: Path) -> str:
        return display_path(path, Path(self.path))

    def _process_images(self, plans) -> dict:
        cache_root = Path(self.warung["IMAGE_CACHE"])
        unique = {p.cache_folder: p for p in plans}
        cached = sum(1 for p in unique.values() if images.is_cached(p, cache_root))
        failures = images.process_all(plans, cache_root, self.warung["MAX_IMAGE_PIXELS"])
        self.stats["images_processed"] = len(unique) - cached
        self.stats["images_cached"] = cached
        show([texts()["periksa"]["images_done"].format(
            processed=len(unique) - cached, cached=cached)])
        return failures

    # -- writing -----------------------------------------------------------

    def generate_output(self, writer=None):
        output = Path(self.output_path)
        self.writer = IncrementalWriter(output, cache_dir(self.warung))
        self.deps = TemplateDeps(self.env)
        self._fingerprints = self._global_fingerprints()
        self._site_hash = digest(self._site_inputs())

        self._publish_images(output)
        self._render_pages()
        self._write_data(output)
        self.writer.remove_stale()
        self.writer.save()
        self.stats["pages_written"] = len(self.writer.written)
        self.stats["pages_skipped"] = self.writer.skipped
        show([texts()["periksa"]["pages_done"].format(
            written=len(self.writer.written), skipped=self.writer.skipped)])

    def _publish_images(self, output: Path) -> None:
        cache_root = Path(self.warung["IMAGE_CACHE"])
        for plan in self.plans:
            images.publish(plan, cache_root, output)
            for item in plan.outputs:
                self.writer.keep(item.url.lstrip("/"))

    def _site_inputs(self) -> dict:
        settings = {}
        for key, value in self.settings.items():
            if key.isupper():
                try:
                    settings[key] = json.loads(canonical_json(value))
                except (TypeError, ValueError):
                    continue
        return {"settings": settings, "texts": texts(), "kecamatan": wilayah.kecamatan_names()}

    def _global_fingerprints(self) -> dict:
        catalog = self.catalog
        return {
            "build_id": self.public["build"],
            "categories": [c.summary_dict() for c in catalog.categories],
            "shops": [{**s.page_dict(), "count": len(s.products)} for s in catalog.shops],
            "newest": [p.page_dict() for p in catalog.newest],
            "pages": [[p.title, p.url] for p in self.context.get("pages", [])],
            "catalog": self.public["build"],
        }

    def _render(self, template_name: str, url: str, data, **extra) -> None:
        """Render ``template_name`` to the file for ``url`` if its inputs changed."""
        sources, names, attributes = self.deps.closure(template_name)
        used = {name: self._fingerprints[name] for name in sorted(names)
                if name in self._fingerprints}
        if ("shop", "products") in attributes and "shop" in extra and "product" in extra:
            used["shop.products"] = [p.page_dict() for p in extra["shop"].products]
        inputs = digest([self._site_hash, sources, data, used])
        relative = output_file(url)

        def render():
            template = self.get_template(template_name.removesuffix(".html"))
            return template.render({**self.context, "output_file": relative,
                                    "page_url": url, **extra})

        self.writer.write(relative, inputs, render)

    def _render_pages(self) -> None:
        catalog = self.catalog
        self._render("home.html", "/", {"home": True},
                     categories=catalog.categories, shops=catalog.shops,
                     newest=catalog.newest)
        for shop in catalog.shops:
            shop_data = shop.page_dict()
            self._render("shop.html", shop.url,
                         [shop_data, [p.page_dict() for p in shop.products]], shop=shop)
            for product in shop.products:
                self._render("product.html", product.url, [product.page_dict(), shop_data],
                             product=product, shop=shop)
        per_page = self.warung["PER_PAGE"]
        for category in catalog.categories:
            pages = max(1, ceil(category.count / per_page))
            for number in range(1, pages + 1):
                page = Paginated(category, number, per_page)
                self._render("category.html", page.url,
                             [category.summary_dict(), number,
                              [p.page_dict() for p in page.object_list]],
                             category=category, products_page=page)
        self._render("cart.html", "/keranjang/", "cart")
        self._render("search.html", "/cari/", "search")
        self._render("404.html", "/404.html", "404")

    def _write_data(self, output: Path) -> None:
        write_if_changed(output / "katalog.json", canonical_json(self.public))
        self.writer.keep("katalog.json")
        write_if_changed(output / "cari" / "indeks.json",
                         canonical_json(self.catalog.search_index()))
        self.writer.keep("cari/indeks.json")
        write_if_changed(output / "sitemap.xml", self._sitemap())
        self.writer.keep("sitemap.xml")
        write_if_changed(output / "robots.txt",
                         f"User-agent: *\nAllow: /\nDisallow: /api/\n"
                         f"Sitemap: {self.site['url']}/sitemap.xml\n")
        self.writer.keep("robots.txt")
        write_if_changed(self._private_catalog_path(),
                         canonical_json(self.catalog.private_data(self.site)))

    def _private_catalog_path(self) -> Path:
        private = Path(os.path.abspath(self.warung["PRIVATE_CATALOG"]))
        if private.is_relative_to(Path(os.path.abspath(self.output_path))):
            logger.critical("WARUNG['PRIVATE_CATALOG'] (%s) must be outside the output folder: "
                            "it holds the sellers' email addresses.", private)
            raise SystemExit(1)
        return private

    def _sitemap(self) -> str:
        urls = ["/"]
        urls += [shop.url for shop in self.catalog.shops]
        urls += [product.url for product in self.catalog.products]
        for category in self.catalog.categories:
            pages = max(1, ceil(category.count / self.warung["PER_PAGE"]))
            urls += [category_page_url(category, n) for n in range(1, pages + 1)]
        urls += ["/" + page.url.lstrip("/") for page in self.context.get("pages", [])]
        base = self.site["url"]
        entries = "".join(f"<url><loc>{escape(base + url)}</loc></url>\n" for url in urls)
        return ('<?xml version="1.0" encoding="UTF-8"?>\n'
                '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
                f"{entries}</urlset>\n")


def write_if_changed(target: Path, text: str) -> None:
    try:
        if target.read_text(encoding="utf-8") == text:
            return
    except OSError:
        pass
    write_text(target, text)
