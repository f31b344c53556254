"""Reading sellers' files: every file access of the content tree, and the
parse cache.

``SourceFiles.read(path)`` returns the parsed ``reader.Document`` of a seller
file, from the cache when its bytes were parsed before (keyed by sha256 of
the bytes). ``preparse`` parses every new file up front, on every core when
there are many: a cold 10,000-product build spends most of its reading time
in Markdown. ``locate_photo`` resolves a photo name a seller wrote, refusing
anything outside the shop folder.
"""

import hashlib
import os
import stat as stat_module
from pathlib import Path

from warung.text import texts

from . import reader
from .cache import JsonCache
from .parallel import fork_map

PARALLEL_PARSE_FROM = 200


def display_path(path: Path, content_path: Path) -> str:
    """The path as sellers see it, e.g. ``content/shops/kopi/arabika.md``:
    relative to the content folder's parent (the project)."""
    path = Path(os.path.abspath(path))
    for base in (Path(os.path.abspath(content_path)).parent, Path.cwd()):
        try:
            return path.relative_to(base).as_posix()
        except ValueError:
            continue
    return path.as_posix()


def _sha256(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


class SourceFiles:
    def __init__(self, cache_path: Path):
        self.cache = JsonCache(cache_path, reader.VERSION)
        self.used: list[str] = []  # parse cache keys, in reading order

    def preparse(self, paths) -> None:
        """Parse every file not in the cache, in parallel when there are many."""
        new = {}
        for path in paths:
            try:
                raw = path.read_bytes()
            except OSError:
                continue  # reported by read()
            key = _sha256(raw)
            if self.cache.get(key) is None:
                new[key] = raw
        if len(new) < PARALLEL_PARSE_FROM:
            return
        documents = fork_map(reader.parse, new.values(), min_items=PARALLEL_PARSE_FROM)
        for key, document in zip(new, documents):
            self.cache.set(key, document.to_json())

    def read(self, path: Path) -> reader.Document:
        try:
            raw = path.read_bytes()
        except OSError as err:
            message = texts()["periksa"]["file_unreadable"].format(
                reason=err.strerror or str(err))
            return reader.Document(issues=[reader.Issue(message)])
        key = _sha256(raw)
        self.used.append(key)
        cached = self.cache.get(key)
        if cached is not None:
            return reader.Document.from_json(cached)
        document = reader.parse(raw)
        self.cache.set(key, document.to_json())
        return document

    def save(self) -> None:
        self.cache.save()


def markdown_files(folder: Path) -> list[Path]:
    """A shop folder's seller files (``*.md``, no hidden files), sorted."""
    return sorted(p for p in folder.iterdir()
                  if p.is_file() and p.suffix.lower() == ".md" and not p.name.startswith("."))


def folder_signature(folder: Path) -> list:
    """(relative path, size, mtime_ns, inode, mode) of everything under
    ``folder``, as git's index does: any edit, new, removed or renamed file
    changes it, and no file is read."""
    entries, todo = [], [(folder, "")]
    while todo:
        current, prefix = todo.pop()
        with os.scandir(current) as listing:
            for entry in listing:
                info = entry.stat(follow_symlinks=False)
                name = prefix + entry.name
                entries.append((name, info.st_size, info.st_mtime_ns, info.st_ino, info.st_mode))
                if stat_module.S_ISDIR(info.st_mode):
                    todo.append((entry.path, name + "/"))
    return sorted(entries)


def locate_photo(shop_folder: Path, written: str) -> tuple[Path, os.stat_result | None, str | None]:
    """(path, lstat, problem text key) of a photo name as a seller wrote it.

    The problem is ``image_outside`` for a way out of the shop folder (``..``,
    an absolute path, a symlink) and ``image_missing`` for no regular file."""
    relative = os.path.normpath(written)
    photo = shop_folder / relative
    try:
        stat = os.lstat(photo)
    except OSError:
        stat = None
    if relative.startswith(("..", "/")) or (stat and stat_module.S_ISLNK(stat.st_mode)):
        return photo, stat, "image_outside"
    if stat is None or not stat_module.S_ISREG(stat.st_mode):
        return photo, stat, "image_missing"
    return photo, stat, None
