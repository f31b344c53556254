"""A small JSON file cache that survives between builds.

Entries not used during a build are dropped when it is saved, so the file
never grows beyond the current content; ``keep`` marks entries as used
without reading them (a shop folder restored whole from its snapshot). The
file is read only when an entry is first looked up, and writes are atomic,
so builds running side by side never read a half-written file.
"""

import json
import os
from pathlib import Path

from .files import write_atomic

# Entries kept in this process between builds (the dev server's long-lived
# builder turns it on, devbuild.py): path -> (the file's stat, entries).
_MEMORY: dict[str, tuple] | None = None


def keep_in_memory() -> None:
    """A later build in this process reuses a file's entries while the file's
    stat is unchanged, instead of reading and decoding it again."""
    global _MEMORY
    if _MEMORY is None:
        _MEMORY = {}


def _stat(path: Path) -> tuple | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_ino, info.st_size, info.st_mtime_ns


class JsonCache:
    def __init__(self, path: Path, version: int):
        self.path = Path(path)
        self.version = version
        self._loaded: dict | None = None  # the file's entries, once read
        self._new: dict = {}
        self._kept: list[str] = []

    @property
    def _old(self) -> dict:
        if self._loaded is None:
            stat = _stat(self.path) if _MEMORY is not None else None
            kept = _MEMORY.get(str(self.path)) if _MEMORY is not None else None
            if kept is not None and kept[0] == stat:
                self._loaded = kept[1]
                return self._loaded
            self._loaded = {}
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
                if data.get("version") == self.version:
                    self._loaded = data.get("entries", {})
            except (OSError, ValueError):
                pass
            if _MEMORY is not None and stat is not None:
                _MEMORY[str(self.path)] = (stat, self._loaded)
        return self._loaded

    def get(self, key: str):
        if key in self._new:
            return self._new[key]
        value = self._old.get(key)
        if value is not None:
            self._new[key] = value
        return value

    def set(self, key: str, value) -> None:
        self._new[key] = value

    def keep(self, keys) -> None:
        """Keep these entries from the last build as used by this one."""
        self._kept.extend(keys)

    def unused(self) -> list[str]:
        """Keys known from the last build that this build has not used."""
        return [key for key in self._old if key not in self._new and key not in self._kept]

    def save(self) -> None:
        if self._loaded is None and not self._new:
            return  # nothing looked up, nothing added: the file stays as it is
        for key in self._kept:
            if key not in self._new and key in self._old:
                self._new[key] = self._old[key]
        if self._new == self._old:
            return
        write_atomic(self.path, json.dumps({"version": self.version, "entries": self._new},
                                           ensure_ascii=False, separators=(",", ":")))
        self._loaded = dict(self._new)
        if _MEMORY is not None:
            _MEMORY[str(self.path)] = (_stat(self.path), self._loaded)
