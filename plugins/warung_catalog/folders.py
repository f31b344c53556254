"""Shop folders remembered between builds: a rebuild reads, parses and
validates only the folders whose files changed.

A shop folder is self-contained (its ``shop.md``, its products, and its
photos, which may not point outside it), so what loading it produced (the
``Shop`` with its products, the problems, the photo plans) depends only on
its files and on the code and settings that read them. Each folder's result
is pickled under the cache with the folder's stat signature
(signature.tree_signature) and a key of that code and settings; a folder
whose signature and key are unchanged is restored without reading a file.
Fingerprints are computed before pickling, so they are restored too.
"""

import hashlib
import os
import pickle
from dataclasses import dataclass
from pathlib import Path

from . import images
from .catalog import digest
from .files import write_atomic

FORMAT = 4  # 4: the photos' inspection is kept, the parsed files no longer
# Results kept in this process between builds (the dev server's long-lived
# builder turns it on, devbuild.py): snapshot file -> (key, signature, result).
_MEMORY: dict[str, tuple] | None = None


def keep_in_memory() -> None:
    """Keep every folder's result in this process: a later build in it reuses
    an unchanged folder's result without unpickling it."""
    global _MEMORY
    if _MEMORY is None:
        _MEMORY = {}
_PACKAGE = Path(__file__).resolve().parent
# Code whose change can change what loading a folder produces.
_CODE = (_PACKAGE, _PACKAGE.parents[1] / "functions" / "warung",
         _PACKAGE.parents[1] / "functions" / "warung" / "teks" / "id")


def code_key(warung: dict, content_path: Path) -> str:
    """Settings, paths as shown to sellers, and the reading code (by stat)."""
    stamps = []
    for folder in _CODE:
        for entry in sorted(os.scandir(folder), key=lambda e: e.name):
            if entry.name.endswith((".py", ".toml", ".json")):
                info = entry.stat()
                stamps.append([entry.path, info.st_size, info.st_mtime_ns])
    return digest([FORMAT, warung, os.path.abspath(content_path), os.getcwd(), stamps])


@dataclass
class FolderResult:
    shop: object  # catalog.Shop | None
    product_count: int
    problems: list  # report.Problem
    plans: list  # images.Plan


class FolderSnapshots:
    def __init__(self, cache_folder: Path, key: str):
        self.folder = Path(cache_folder) / "folders"
        self.key = key
        self._seen: set[str] = set()

    def _file(self, folder: Path) -> Path:
        name = hashlib.sha256(os.path.abspath(folder).encode()).hexdigest()[:24]
        self._seen.add(name)
        return self.folder / name

    def get(self, folder: Path, signature: str) -> tuple[FolderResult | None, dict]:
        """(the folder's result when nothing changed, else None; its photos'
        inspection at its last load, by stamp, reusable for the photos that
        did not change). Each part is its own pickle, unpickled only when
        needed."""
        path = self._file(folder)
        kept = _MEMORY.get(str(path)) if _MEMORY is not None else None
        if kept is not None and kept[0] == self.key and kept[1] == signature:
            return kept[2], {}
        try:
            with open(path, "rb") as handle:
                key, version, known, result, photos = pickle.load(handle)
            if key == self.key and known == signature:
                return self._remember(path, signature, pickle.loads(result)), {}
            if version != ("photos", FORMAT, images.PIPELINE_VERSION):
                return None, {}
            photos = pickle.loads(photos)
            return None, photos if isinstance(photos, dict) else {}
        except (OSError, EOFError, pickle.UnpicklingError, ValueError, AttributeError,
                ImportError, TypeError):
            return None, {}

    def put(self, folder: Path, signature: str, result: FolderResult, photos: dict) -> None:
        """Save a folder's result, and its photos' inspection (infos by stamp;
        hashing a photo costs far more than parsing a file, which is not
        kept), for ``get`` (in this process, remembered, or the one that
        forked it)."""
        if result.shop is not None:
            result.shop.fingerprint  # noqa: B018 - computed now, restored with the pickle
            for product in result.shop.products:
                product.fingerprint  # noqa: B018 - includes public_dict(), kept too
                product.public_json  # noqa: B018 - katalog.json's part, kept too
        pickled = pickle.dumps(result, pickle.HIGHEST_PROTOCOL)
        parts = (self.key, ("photos", FORMAT, images.PIPELINE_VERSION), signature, pickled,
                 pickle.dumps(photos, pickle.HIGHEST_PROTOCOL))
        write_atomic(self._file(folder), pickle.dumps(parts, pickle.HIGHEST_PROTOCOL))
        self._remember(self._file(folder), signature, result)

    def _remember(self, path: Path, signature: str, result: FolderResult) -> FolderResult:
        if _MEMORY is not None:
            _MEMORY[str(path)] = (self.key, signature, result)
        return result

    def prune(self) -> None:
        """Forget folders that no longer exist."""
        if self.folder.is_dir():
            for entry in os.scandir(self.folder):
                if entry.name not in self._seen and not entry.name.startswith("."):
                    os.unlink(entry.path)
