"""Which catalog pages exist, what each depends on, and rendering the ones
that changed on every core.

``CatalogPages`` lists every page (template, URL, the data that identifies
its content, its template context) and hashes each page's inputs: its data,
its template closure (template_deps.py), the site-wide settings and texts,
the code behind the templates' filters and globals, and the site-wide values
its templates actually read. ``Rendering`` renders
(or only refreshes the build id of) the pages the incremental writer asks
for, while the generator writes the rest of the site.
"""

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from .catalog import Catalog, digest
from .files import write_text
from .paging import output_file, paginate
from .parallel import Forked
from .template_deps import TemplateDeps

PARALLEL_FROM = 400


@dataclass
class Job:
    """One page to write: rendered, or (``old_build`` set) only its build id swapped."""

    template: str
    url: str
    context: dict
    inputs: str  # hash of the page's inputs, for the manifest
    build: str  # the build id the page may print ("" when its templates never do)
    old_build: str = ""
    new: bool = False  # no earlier build wrote it

    @property
    def relative(self) -> str:
        return output_file(self.url)


class CatalogPages:
    def __init__(self, catalog: Catalog, per_page: int, deps: TemplateDeps,
                 site_hash: str, build: str, pages: list):
        self.catalog = catalog
        self.per_page = per_page
        self.deps = deps
        self.site_hash = site_hash
        self.build = build
        self._shop_hashes: dict[str, str] = {}
        self._templates: dict[str, tuple] = {}  # template -> (shared hash, ...)
        # Site-wide values a template may read, each hashed once per build
        # (not once per page that reads it).
        self.fingerprints = {name: digest(value) for name, value in {
            "categories": [c.summary_dict() for c in catalog.categories],
            "shops": [[s.fingerprint, len(s.products)] for s in catalog.shops],
            "newest": [p.fingerprint for p in catalog.newest],
            "pages": [[p.title, p.url] for p in pages],
        }.items()}

    def __iter__(self):
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
        for category in catalog.categories:
            for page in paginate(category.products, category.url, self.per_page):
                data = [category.summary_dict(), page.number,
                        [p.fingerprint for p in page.object_list]]
                yield "category.html", page.url, data, {
                    "category": category, "products_page": page}
        yield "cart.html", "/keranjang/", "cart", {}
        yield "search.html", "/cari/", "search", {}
        yield "404.html", "/404.html", "404", {}

    def inputs_hash(self, template_name: str, data, extra: dict) -> tuple[str, str]:
        """Hash of everything the rendered page depends on but the build id,
        and the build id when the page's templates use it."""
        if template_name not in self._templates:
            sources, names, attributes = self.deps.closure(template_name)
            used = {name: self.fingerprints[name] for name in sorted(names)
                    if name in self.fingerprints}
            # What every page of the template shares, hashed once per build.
            shared = hashlib.sha256(repr((self.site_hash, sources, used)).encode("utf-8"))
            self._templates[template_name] = (shared, ("shop", "products") in attributes,
                                              self.build if "build_id" in names else "")
        shared, reads_shop_products, build = self._templates[template_name]
        shop_products = (self._shop_products(extra["shop"])
                         if reads_shop_products and "product" in extra else "")
        page = shared.copy()
        # repr, not canonical JSON: every part is strings, numbers, lists and
        # dicts built in a fixed order, and repr is several times faster.
        page.update(repr((data, shop_products)).encode("utf-8"))
        return page.hexdigest(), build

    def _shop_products(self, shop) -> str:
        """Hash of a shop's products' fingerprints, once per shop."""
        if shop.id not in self._shop_hashes:
            self._shop_hashes[shop.id] = digest([p.fingerprint for p in shop.products])
        return self._shop_hashes[shop.id]

    def jobs(self, writer) -> list[Job]:
        """The pages ``writer`` (an IncrementalWriter) needs written."""
        jobs = []
        for template_name, url, data, extra in self:
            inputs, build = self.inputs_hash(template_name, data, extra)
            relative = output_file(url)
            old_build = writer.needs(relative, inputs, build)
            if old_build is not None:
                jobs.append(Job(template_name, url, extra, inputs, build, old_build,
                                writer.is_new(relative)))
        return jobs


class Rendering(Forked):
    """Every job's page written (``render(template, url, context)`` -> html),
    on every core when there are many, while the caller goes on: ``wait()``
    returns the urls of the pages that show the build id. Left early (a
    ``with`` block), it waits for the workers: no page is cut short."""

    def __init__(self, jobs: list[Job], output: Path, render):
        root = str(output)

        def write(job: Job) -> bool:
            target = os.path.join(root, job.relative)  # (a Path costs more, 10,000 times)
            if job.old_build:
                with open(target, encoding="utf-8") as page:
                    html = page.read().replace(job.old_build, job.build)
            else:
                html = render(job.template, job.url, job.context)
            write_text(target, html, job.new)
            return bool(job.build) and job.build in html

        super().__init__(write, jobs, min_items=PARALLEL_FROM)

    def wait(self) -> set[str]:
        return {job.url for job, shown in zip(self.items, self.results()) if shown}
