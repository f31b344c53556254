"""The Pelican generator that builds the catalog, in Pelican's two phases.

``generate_context`` reads and validates every shop and product (content.py),
stops the build with the full list of problems when there are errors,
starts processing new photos on every core (photos.py) and publishes
``build_id``, ``shops`` and ``categories`` to the shared context.
``generate_output`` lists the catalog pages whose inputs changed
(rendering.py, incremental.py), waits for the photos (one that cannot be
decoded stops the build before any catalog page is written; Pelican's own
pages, written by the generators before this one, may already be), renders
the pages and writes the data files (site_files.py).
"""

import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from pelican.generators import Generator
from pelican.log import console

from warung import wilayah
from warung.text import texts

from . import images, page_data, template_helper_sources
from .catalog import Catalog, canonical_json, digest
from .content import load
from .files import files_under, write_if_changed
from .incremental import IncrementalWriter
from .paging import output_file
from .rendering import PARALLEL_FROM, CatalogPages, Rendering
from .report import Report
from .settings import cache_dir, site_url
from .site_files import data_files, sitemap_urls, write_data_files
from .sources import display_path
from .template_deps import TemplateDeps

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


@dataclass
class Built:
    """What ``generate_context`` read, for ``generate_output``."""

    catalog: Catalog
    plans: list
    site: dict
    build: str  # the build id
    public: str  # katalog.json's text


class CatalogGenerator(Generator):
    # The photos being processed (photos.Processing), from generate_context
    # to generate_output; one a build of this process started and never
    # waited for (it failed in between) is stopped by the next build (the
    # dev server's builder runs many).
    _processing = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.warung = self.settings["WARUNG"]
        self.built: Built | None = None  # (compiled templates: extend_jinja's cache)
        self._report = None  # the content's problems, the photos' added when processed
        self._counts = (0, 0)  # shops and products read
        self._page_contexts: dict = {}

    def generate_context(self):
        self._private_catalog_path()  # a misconfiguration stops the build before any work
        loaded = load(Path(self.path), self.warung)
        self._counts = (loaded.shop_count, loaded.product_count)
        self._report = Report()
        if CatalogGenerator._processing is not None:
            CatalogGenerator._processing.stop()
        self._stop_if_invalid(loaded.report)
        # Decoded and resized on every core while the build goes on to its
        # pages' list; generate_output waits for them before writing a page.
        CatalogGenerator._processing = loaded.photos.start_processing(
            Path(self.warung["IMAGE_CACHE"]))
        site = {"name": self.settings["SITENAME"], "url": site_url(self.settings)}
        self.built = Built(loaded.catalog, loaded.plans, site,
                           *loaded.catalog.public_json(site))
        self.context["build_id"] = self.built.build
        self.context["shops"] = loaded.catalog.shops
        self.context["categories"] = loaded.catalog.categories

    def generate_output(self, writer=None):
        built, output = self.built, Path(self.output_path)
        self.env.globals["once"].clear()  # fragments of an earlier build (fragments.py)
        page_data.forget_shops()  # its shops' JSON parts
        self._page_contexts = {}  # template -> its globals and Pelican's context
        incremental = IncrementalWriter(output, cache_dir(self.warung))
        try:
            deps = TemplateDeps(self.env, cache_dir(self.warung))
            pages = CatalogPages(built.catalog, self.warung["PER_PAGE"], deps,
                                 digest(self._site_inputs()), built.build,
                                 self.context.get("pages", []))
            jobs = pages.jobs(incremental)
            deps.save()
            if len(jobs) >= PARALLEL_FROM:  # compiled once here, not again in every worker
                self._compile_templates(jobs, deps)
            private_path = self._private_catalog_path()
            self._finish_photos()
        finally:
            CatalogGenerator._processing.stop()  # finished: none left; failed: not wanted
            CatalogGenerator._processing = None
        with Rendering(jobs, output, self.render_page) as rendering:
            # The pages render on every core while this process links the
            # photos they show (only adding files: a failed rendering leaves
            # the site as the last build left it, plus unused photos) and
            # makes the data files' texts (written once the pages are).
            stale_photos = self._publish_photos(output)
            files = data_files(built.catalog, built.public, built.site,
                               sitemap_urls(built.catalog, self.warung["PER_PAGE"],
                                            self.context.get("pages", [])))
            private = built.catalog.private_json(built.site, built.build)
            showing_build = rendering.wait()
        for job in jobs:
            # A page that does not print the build id needs no refresh later.
            incremental.record(job.relative, job.inputs,
                               job.build if job.url in showing_build else "",
                               refreshed=bool(job.old_build))
        write_data_files(output, files)  # once the pages they list are
        write_if_changed(private_path, private)
        for relative in files:
            incremental.keep(relative)
        incremental.remove_stale()
        for relative in stale_photos:
            (output / relative).unlink(missing_ok=True)
        incremental.save()
        show([texts()["periksa"]["pages_done"].format(
            written=len(incremental.written), refreshed=incremental.refreshed,
            skipped=incremental.skipped)])

    def _stop_if_invalid(self, found) -> None:
        """Show the problems ``found`` (a Report), added to the build's; stop
        the build when the build's have an error, counting them all."""
        if found.problems:
            show(found.lines())
        self._report.problems += found.problems
        if self._report.errors:
            show([self._report.summary(*self._counts)])
            raise ContentInvalid(self._report)

    def _finish_photos(self) -> None:
        """Wait for the photos: one that cannot be decoded stops the build."""
        processed = CatalogGenerator._processing.finish(
            lambda p: display_path(p, Path(self.path)))
        show([texts()["periksa"]["images_done"].format(
            processed=processed.processed, cached=processed.cached)])
        self._stop_if_invalid(processed.report)

    def _compile_templates(self, jobs: list, deps: TemplateDeps) -> None:
        """Load every template the pages to render are made of."""
        rendered = {job.template for job in jobs if not job.old_build}
        for name in sorted({member for template in rendered for member in deps.members(template)}):
            self.env.get_template(name)

    def _publish_photos(self, output: Path) -> set[str]:
        """Link every photo the catalog uses into ``gambar/``; returns the
        stale ones, to remove once the pages no longer show them. Photos are
        not in the render manifest (80,000 entries at 10,000 products):
        gambar/ is this build's alone, so what it holds and this build did not
        publish is stale."""
        present = files_under(output / "gambar")
        return present - images.publish(self.built.plans, Path(self.warung["IMAGE_CACHE"]),
                                        output, present)

    def shops_data(self) -> dict:
        """The site and the shops as ``katalog.json`` holds them, without
        parsing it again (the posters plugin reads them)."""
        return {"site": self.built.site,
                "shops": {shop.id: shop.public_dict() for shop in self.built.catalog.shops}}

    def render_page(self, template_name: str, url: str, extra: dict) -> str:
        """``template.render`` of Pelican's context with the page's own, made
        from a copy of the two merged once per template and build: Jinja's
        render merges them into new dicts on every call (three copies of 150
        keys, a twentieth of rendering a product page)."""
        template = self.get_template(template_name.removesuffix(".html"))
        if template not in self._page_contexts:
            self._page_contexts[template] = dict(template.globals, **self.context)
        context = self._page_contexts[template].copy()
        context.update(output_file=output_file(url), page_url=url)
        context.update(extra)
        try:
            return template.environment.concat(  # as Template.render
                template.root_render_func(template.new_context(context, shared=True)))
        except Exception:
            template.environment.handle_exception()

    def _site_inputs(self) -> dict:
        settings = {}
        for key, value in self.settings.items():
            if key.isupper():
                try:
                    settings[key] = json.loads(canonical_json(value))
                except (TypeError, ValueError):
                    continue
        return {"settings": settings, "texts": texts(), "kecamatan": wilayah.kecamatan_names(),
                "helpers": list(template_helper_sources())}

    def _private_catalog_path(self) -> Path:
        private = Path(os.path.abspath(self.warung["PRIVATE_CATALOG"]))
        if private.is_relative_to(Path(os.path.abspath(self.output_path))):
            logger.critical("WARUNG['PRIVATE_CATALOG'] (%s) must be outside the output folder: "
                            "it holds the sellers' email addresses.", private)
            raise SystemExit(1)
        return private
