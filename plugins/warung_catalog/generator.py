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

from pelican.generators import Generator
from pelican.log import console

from warung import wilayah
from warung.text import texts

from . import images
from .catalog import Catalog, canonical_json, digest
from .content import display_path, load
from .pages import Job, Paginated, category_page_url, output_file, run_jobs, sitemap_xml
from .render import IncrementalWriter, TemplateDeps, write_atomic
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
        self.stats["pages_refreshed"] = self.writer.refreshed
        show([texts()["periksa"]["pages_done"].format(
            written=len(self.writer.written), refreshed=self.writer.refreshed,
            skipped=self.writer.skipped)])

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
            "categories": [c.summary_dict() for c in catalog.categories],
            "shops": [[s.fingerprint, len(s.products)] for s in catalog.shops],
            "newest": [p.fingerprint for p in catalog.newest],
            "pages": [[p.title, p.url] for p in self.context.get("pages", [])],
        }

    def _pages(self):
        """Every catalog page: (template, url, data that identifies its content, context)."""
        catalog = self.catalog
        yield "home.html", "/", "home", {
            "categories": catalog.categories, "shops": catalog.shops, "newest": catalog.newest}
        for shop in catalog.shops:
            yield "shop.html", shop.url, [shop.fingerprint, [p.fingerprint for p in shop.products]], {
                "shop": shop}
            for product in shop.products:
                yield "product.html", product.url, [product.fingerprint, shop.fingerprint], {
                    "product": product, "shop": shop}
        per_page = self.warung["PER_PAGE"]
        for category in catalog.categories:
            for number in range(1, max(1, ceil(category.count / per_page)) + 1):
                page = Paginated(category, number, per_page)
                data = [category.summary_dict(), number, [p.fingerprint for p in page.object_list]]
                yield "category.html", page.url, data, {
                    "category": category, "products_page": page}
        yield "cart.html", "/keranjang/", "cart", {}
        yield "search.html", "/cari/", "search", {}
        yield "404.html", "/404.html", "404", {}

    def _inputs_hash(self, template_name: str, data, extra: dict) -> tuple[str, str]:
        """Hash of everything the rendered page depends on (see render.py) but
        the build id, and the build id when the page shows it."""
        sources, names, attributes = self.deps.closure(template_name)
        used = {name: self._fingerprints[name] for name in sorted(names)
                if name in self._fingerprints}
        if ("shop", "products") in attributes and "product" in extra:
            used["shop.products"] = [p.fingerprint for p in extra["shop"].products]
        build = self.public["build"] if "build_id" in names else ""
        return digest([self._site_hash, sources, data, used]), build

    def render_page(self, template_name: str, url: str, extra: dict) -> str:
        template = self.get_template(template_name.removesuffix(".html"))
        return template.render({**self.context, "output_file": output_file(url),
                                "page_url": url, **extra})

    def _render_pages(self) -> None:
        jobs = []
        for template_name, url, data, extra in self._pages():
            inputs, build = self._inputs_hash(template_name, data, extra)
            old_build = self.writer.needs(output_file(url), inputs, build)
            if old_build is not None:
                jobs.append(Job(template_name, url, extra, inputs, build, old_build))
        showing_build = run_jobs(self, jobs)
        for job in jobs:
            # A page that does not print the build id needs no refresh later.
            self.writer.record(job.relative, job.inputs,
                               job.build if job.url in showing_build else "",
                               refreshed=bool(job.old_build))

    def _write_data(self, output: Path) -> None:
        write_if_changed(output / "katalog.json", canonical_json(self.public))
        self.writer.keep("katalog.json")
        write_if_changed(output / "cari" / "indeks.json",
                         canonical_json(self.catalog.search_index()))
        self.writer.keep("cari/indeks.json")
        write_if_changed(output / "sitemap.xml", sitemap_xml(self.site["url"], self._urls()))
        self.writer.keep("sitemap.xml")
        write_if_changed(output / "robots.txt",
                         f"User-agent: *\nAllow: /\nDisallow: /api/\n"
                         f"Sitemap: {self.site['url']}/sitemap.xml\n")
        self.writer.keep("robots.txt")
        write_if_changed(self._private_catalog_path(),
                         canonical_json(self.catalog.private_data(self.site)))

    def _urls(self) -> list[str]:
        """What the sitemap lists: every public page but the cart and search."""
        catalog, per_page = self.catalog, self.warung["PER_PAGE"]
        urls = ["/"] + [shop.url for shop in catalog.shops] + [p.url for p in catalog.products]
        for category in catalog.categories:
            pages = max(1, ceil(category.count / per_page))
            urls += [category_page_url(category, n) for n in range(1, pages + 1)]
        return urls + ["/" + page.url.lstrip("/") for page in self.context.get("pages", [])]

    def _private_catalog_path(self) -> Path:
        private = Path(os.path.abspath(self.warung["PRIVATE_CATALOG"]))
        if private.is_relative_to(Path(os.path.abspath(self.output_path))):
            logger.critical("WARUNG['PRIVATE_CATALOG'] (%s) must be outside the output folder: "
                            "it holds the sellers' email addresses.", private)
            raise SystemExit(1)
        return private


def write_if_changed(target: Path, text: str) -> None:
    try:
        if target.read_text(encoding="utf-8") == text:
            return
    except OSError:
        pass
    write_atomic(target, text)
