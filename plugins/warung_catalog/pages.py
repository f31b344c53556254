"""The catalog's pages: URLs, pagination, the sitemap, and rendering many
pages on every core."""

import multiprocessing
import os
from dataclasses import dataclass
from math import ceil
from pathlib import Path
from xml.sax.saxutils import escape

from .render import write_text


def output_file(url: str) -> str:
    """/toko/x/ -> toko/x/index.html; /404.html stays 404.html."""
    return url.lstrip("/") + "index.html" if url.endswith("/") else url.lstrip("/")


def category_page_url(category, number: int) -> str:
    return category.url if number == 1 else f"{category.url}{number}/"


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


def sitemap_xml(base: str, urls: list[str]) -> str:
    entries = "".join(f"<url><loc>{escape(base + url)}</loc></url>\n" for url in urls)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{entries}</urlset>\n")


@dataclass
class Job:
    """One page to write: rendered, or (``old_build`` set) only its build id swapped."""

    template: str
    url: str
    context: dict
    inputs: str  # hash of the page's inputs, for the manifest
    build: str  # the build id the page may print ("" when its templates never do)
    old_build: str = ""

    @property
    def relative(self) -> str:
        return output_file(self.url)


# Rendering 10,000 pages is CPU-bound Jinja work: split it over forked
# processes, which inherit the catalog and templates instead of pickling them.
PARALLEL_FROM = 400
_FORKED: tuple = ()


def _run_slice(bounds) -> list[str]:
    """Write jobs[start:stop]; returns the urls whose page shows the build id."""
    generator, jobs = _FORKED
    output = Path(generator.output_path)
    showing_build = []
    for job in jobs[bounds[0]:bounds[1]]:
        target = output / job.relative
        if job.old_build:
            html = target.read_text(encoding="utf-8").replace(job.old_build, job.build)
        else:
            html = generator.render_page(job.template, job.url, job.context)
        write_text(target, html)
        if job.build and job.build in html:
            showing_build.append(job.url)
    return showing_build


def run_jobs(generator, jobs: list[Job]) -> set[str]:
    """Write every job's page, on every core when there are many; returns the
    urls of the pages that show the build id."""
    global _FORKED
    workers = min(os.cpu_count() or 1, 4)
    _FORKED = (generator, jobs)
    try:
        if len(jobs) < PARALLEL_FROM or workers == 1:
            return set(_run_slice((0, len(jobs))))
        step = ceil(len(jobs) / (workers * 4))
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            slices = pool.map(_run_slice, [(i, i + step) for i in range(0, len(jobs), step)])
        return {url for urls in slices for url in urls}
    finally:
        _FORKED = ()
