"""A small JSON file cache that survives between builds.

Entries not used during a build are dropped when it is saved, so the file
never grows beyond the current content; ``keep`` marks entries as used
without reading them (a shop folder restored whole from its snapshot). The
file is read only when an entry is first looked up, and writes are atomic,
so builds running side by side never read a half-written file.
"""

import json
from pathlib import Path

from .files import write_atomic


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
            self._loaded = {}
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
                if data.get("version") == self.version:
                    self._loaded = data.get("entries", {})
            except (OSError, ValueError):
                pass
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
