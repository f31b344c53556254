"""A small JSON file cache that survives between builds.

Entries not used during a build are dropped when it is saved, so the file
never grows beyond the current content. Writes are atomic, so builds running
side by side never read a half-written file.
"""

import json
from pathlib import Path

from .files import write_atomic


class JsonCache:
    def __init__(self, path: Path, version: int):
        self.path = Path(path)
        self.version = version
        self._old: dict = {}
        self._new: dict = {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("version") == version:
                self._old = data.get("entries", {})
        except (OSError, ValueError):
            pass

    def get(self, key: str):
        if key in self._new:
            return self._new[key]
        value = self._old.get(key)
        if value is not None:
            self._new[key] = value
        return value

    def set(self, key: str, value) -> None:
        self._new[key] = value

    def unused(self) -> list[str]:
        """Keys known from the last build that this build has not used."""
        return [key for key in self._old if key not in self._new]

    def save(self) -> None:
        if self._new == self._old:
            return
        write_atomic(self.path, json.dumps({"version": self.version, "entries": self._new},
                                           ensure_ascii=False, separators=(",", ":")))
        self._old = dict(self._new)
