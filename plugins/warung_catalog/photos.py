"""The catalog's photos: each inspected once, planned, and processed into
the image cache; problems come back in the photos' own ``Report``.

Inspecting (hash + header, images.inspect) is remembered by path, mtime,
size and pixel limit (``known``, which the shop folders' snapshots carry
between builds), and within one build by inode, so a photo linked from
several products is read once. Processing
(decode, resize, encode: images.process) runs only for photos whose output
folder is not in the image cache yet, on every core, while the caller goes
on (``start_processing``, then ``Processing.finish``).
"""

import os
from dataclasses import dataclass
from pathlib import Path

from warung.text import texts

from . import images
from .parallel import Forked
from .report import Report


@dataclass
class Processed:
    report: Report  # photos that could not be decoded
    processed: int
    cached: int


class Photos:
    def __init__(self, max_pixels: int, widths: list[int], max_full_decode: int | None = None):
        self.known: dict[str, images.SourceInfo] = {}
        self.used: dict[str, images.SourceInfo] = {}  # what this build inspected or reused
        self.max_pixels = max_pixels
        self.max_full_decode = max_full_decode
        self.widths = widths
        self._seen: dict[Path, images.SourceInfo | images.ImageProblem] = {}
        self._inodes: dict[tuple, images.SourceInfo] = {}
        self.plans: dict[str, images.Plan] = {}

    def info(self, path: Path, stat: os.stat_result) -> images.SourceInfo:
        """Hash and upright size of a photo; raises ``images.ImageProblem``."""
        known = self._seen.get(path)
        if isinstance(known, images.ImageProblem):
            raise known
        if known is not None:
            return known
        stamp = f"{path}:{stat.st_mtime_ns}:{stat.st_size}:{self.max_pixels}:{self.max_full_decode}"
        same_file = (stat.st_dev, stat.st_ino, stat.st_mtime_ns, stat.st_size)
        if stamp in self.known:
            info = self.known[stamp]
        elif same_file in self._inodes:  # a hard link to a photo seen in this build
            info = self._inodes[same_file]
        else:
            try:
                info = images.inspect(path, self.max_pixels, self.max_full_decode)
            except images.ImageProblem as problem:
                self._seen[path] = problem
                raise
        self.known[stamp] = self.used[stamp] = info
        self._seen[path] = self._inodes[same_file] = info
        return info

    def add(self, path: Path, stat: os.stat_result, shop_id: str, name: str) -> images.Plan:
        """The plan (output files and URLs) of a photo the catalog uses."""
        plan = images.plan(path, self.info(path, stat), shop_id, name, self.widths)
        self.plans[plan.outputs[0].url] = plan
        return plan

    def start_processing(self, cache_root: Path) -> "Processing":
        """Start decoding and resizing every photo not in the image cache
        yet, on every core: the caller goes on with other work until
        ``Processing.finish``."""
        plans = list(self.plans.values())
        unique = {p.cache_folder: p for p in plans}.values()
        todo = [p for p in unique if not images.is_cached(p, cache_root)]

        def run(plan: images.Plan) -> str | None:
            images.set_pixel_limit(self.max_pixels)
            return images.process(plan, cache_root)

        return Processing(plans, todo, len(unique) - len(todo),
                          Forked(run, todo, min_items=4))


@dataclass
class Processing:
    """Photos being processed (``Photos.start_processing``): ``finish`` waits
    for them, ``stop`` ends the workers of a build that failed meanwhile."""

    plans: list  # every photo the catalog uses
    todo: list  # the plans being processed
    cached: int
    workers: Forked

    def finish(self, where) -> Processed:
        """Wait for the photos; ``where(path)`` is how a photo's path is shown
        in the report."""
        failures = {p.source: reason
                    for p, reason in zip(self.todo, self.workers.results()) if reason}
        report = Report()
        for plan in self.plans if failures else ():
            if plan.source in failures:
                report.add(where(plan.source), texts()["periksa"]["image_broken"].format(
                    name=plan.source.name, reason=failures[plan.source]))
        return Processed(report, processed=len(self.todo), cached=self.cached)

    def stop(self) -> None:
        self.workers.stop()
