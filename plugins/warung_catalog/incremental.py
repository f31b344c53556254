"""The incremental writer: write only the pages whose inputs changed.

Each page's inputs hash (rendering.py) is kept in a manifest in the cache:
output path -> [inputs hash, build id the page prints]. A page whose hash is
unchanged and whose file still exists is neither rendered nor written.

The build id is the one input that changes with every catalog edit. It is
left out of the hash; a page that printed an older build id gets the new one
swapped in (a string replace, no rendering), so editing one product does not
re-render 10,000 pages. Files an earlier build wrote and this build does not
(a deleted product) are removed.
"""

import hashlib
import os
from pathlib import Path

from .cache import JsonCache

MANIFEST_VERSION = 3
# Photos are not listed (generator.py removes stale ones itself); a manifest
# from before that still names them, and they are left to the generator.
UNLISTED = ("gambar/",)


class IncrementalWriter:
    """The manifest of one output folder."""

    def __init__(self, output_path: Path, cache_folder: Path):
        self.output_path = Path(output_path)
        self._root = str(self.output_path)
        key = hashlib.sha256(str(self.output_path.resolve()).encode()).hexdigest()[:16]
        self.manifest = JsonCache(Path(cache_folder) / f"render-{key}.json", MANIFEST_VERSION)
        self.written: list[str] = []
        self.refreshed = 0
        self.skipped = 0

    def needs(self, relative: str, inputs_hash: str, build: str) -> str | None:
        """None when the page is unchanged; "" when it must be rendered; the old
        build id when only that changed in it (swap it, no rendering)."""
        known = self.manifest.get(relative)
        if not known or known[0] != inputs_hash or not os.path.exists(
                os.path.join(self._root, relative)):
            return ""
        if known[1] and known[1] != build:  # the page prints an older build id
            return known[1]
        self.skipped += 1
        return None

    def is_new(self, relative: str) -> bool:
        """No earlier build (that this manifest remembers) wrote ``relative``."""
        return self.manifest.get(relative) is None

    def record(self, relative: str, inputs_hash: str, build: str, refreshed=False) -> None:
        """Remember that ``relative`` was just written from ``inputs_hash``
        (``build``: the build id the page prints, or "")."""
        self.manifest.set(relative, [inputs_hash, build])
        if refreshed:
            self.refreshed += 1
        else:
            self.written.append(relative)

    def keep(self, relative: str) -> None:
        """Record a file written elsewhere (a photo, a data file), so it is not
        removed as stale."""
        self.manifest.set(relative, ["", ""])

    def remove_stale(self) -> list[str]:
        """Delete files an earlier build wrote that this build no longer makes
        (a removed product must not stay online)."""
        removed = []
        for relative in self.manifest.unused():
            if relative.startswith(UNLISTED):
                continue
            target = self.output_path / relative
            if target.is_file():
                target.unlink()
                removed.append(relative)
        return removed

    def save(self) -> None:
        self.manifest.save()
