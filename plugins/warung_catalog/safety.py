"""Sellers' files are untrusted, and a pull request can add any file, link or
folder. Only regular files whose real path lies inside their own shop folder
are ever opened: a symlink (``environ.md -> /proc/self/environ``,
``curian -> ../kopi-wanayasa/images``), a FIFO or a device is refused
without being read, so nothing outside the folder reaches a page or a log.
"""

import os
import stat
from pathlib import Path
from typing import NamedTuple

from warung import rules

PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")
MAX_LISTED = 2000  # files looked at when suggesting a photo name
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)  # opening a link's name fails


class Refused(Exception):
    """A file that is not read: ``kind`` names the text in ``[periksa]``."""

    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


def kind_of(path: Path) -> str | None:
    """Why the entry ``path`` is refused (a text key), or None for a regular
    file or folder. Never follows a link."""
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return None  # gone: the caller reports it as missing
    if stat.S_ISLNK(mode):
        return "file_symlink"
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        return "file_not_regular"
    return None


def is_within(path: Path, folder: Path) -> bool:
    """True when ``path`` resolves to exactly itself under ``folder``'s real
    path: nothing climbs out and no component below ``folder`` is a link.
    Callers name files below their folder (``folder / ...``): that is one
    ``lstat`` per component below it, not a ``realpath`` of each file (10,000
    products made that a second of every cold build). A component that does
    not exist ends the walk: nothing below it can link anywhere."""
    path, folder = os.fspath(path), os.fspath(folder).rstrip(os.sep) or os.sep
    if not path.startswith(os.path.join(folder, "")):  # the folder and a separator
        return _resolves_within(path, folder)
    below = [part for part in path[len(folder):].split(os.sep) if part not in ("", os.curdir)]
    if not below or os.pardir in below:
        return False  # resolved after any link before it: never taken as written
    current = folder
    for part in below:
        current = os.path.join(current, part)
        try:
            if stat.S_ISLNK(os.lstat(current).st_mode):
                return False
        except OSError:
            return True
    return True


def _resolves_within(path: Path, folder: Path) -> bool:
    """``is_within`` for a path not written below ``folder``: by real paths."""
    relative = os.path.relpath(os.path.abspath(path), os.path.abspath(folder))
    if relative in (os.curdir, os.pardir) or relative.startswith(os.pardir + os.sep):
        return False
    return os.path.realpath(path) == os.path.join(os.path.realpath(folder), relative)


class Contents(NamedTuple):
    data: bytes
    modified: float  # st_mtime, of the file that was read


def read_file(path: Path, folder: Path) -> Contents:
    """The bytes of ``path``, a regular file inside ``folder``, and when it
    was modified; raises ``Refused`` for anything else before reading a
    byte. The file's own name is never followed when opened
    (``O_NOFOLLOW``), so a file named directly in ``folder`` (a shop's
    Markdown files) needs no ``lstat`` first."""
    direct = _NOFOLLOW and _directly_in(os.fspath(path), os.fspath(folder))
    if not direct and not is_within(path, folder):
        raise Refused("file_symlink" if kind_of(path) == "file_symlink" else "file_outside")
    flags = os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0)
    try:
        handle = os.open(path, flags)
    except OSError as err:
        if kind_of(path):
            raise Refused(kind_of(path)) from None
        raise err
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode):
            raise Refused("file_not_regular")
        chunks = [os.read(handle, info.st_size + 1)]  # one read, unless it grew
        while chunks[-1]:
            chunks.append(os.read(handle, 1 << 16))
        return Contents(b"".join(chunks), info.st_mtime)
    finally:
        os.close(handle)


def _directly_in(path: str, folder: str) -> bool:
    """``path`` names an entry of ``folder`` itself, as written."""
    parent, name = os.path.split(path)
    return parent == folder and name not in ("", os.curdir, os.pardir)


def photo_files(folder: Path) -> list[str]:
    """Regular photo files under ``folder`` (paths relative to it, ``/``
    separated), never following links; for naming a file that is there."""
    found = []
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = Path(root) / name
            if name.lower().endswith(PHOTO_SUFFIXES) and kind_of(path) is None:
                found.append(path.relative_to(folder).as_posix())
            if len(found) >= MAX_LISTED:
                return found
    return found


def locate_photo(shop_folder: Path, written: str) -> tuple[Path, str | None, str | None]:
    """``(path, how, found)`` for the photo a seller named. ``how`` is None
    (a regular file inside the folder), ``image_outside`` (a link, or a path
    leaving the folder), ``case`` (only upper/lower case differs: ``path`` is
    the file there, used with a warning), ``image_missing_close`` (``found``
    names a close file) or ``image_missing``."""
    photo = shop_folder / os.path.normpath(written)
    if not is_within(photo, shop_folder):
        return photo, "image_outside", None
    try:
        mode = os.lstat(photo).st_mode
    except OSError:
        mode = 0
    if stat.S_ISLNK(mode):
        return photo, "image_outside", None
    if stat.S_ISREG(mode):
        return photo, None, None
    found, how = rules.match_photo(written, photo_files(shop_folder))
    if how == "case":
        return shop_folder / found, "case", found
    return photo, ("image_missing_close" if how == "close" else "image_missing"), found


class ShopPhotos:
    """The photos sellers name in one shop folder, found through the
    folders' listings (one ``scandir`` per folder, read from its entries'
    own types): a regular file reached through real folders costs one
    ``lstat``, its own, instead of one per component and two more for the
    file. Any other name (missing, another case, a link, ``..``) is
    ``locate_photo``'s."""

    def __init__(self, shop_folder: Path):
        self.folder = shop_folder
        self._listings: dict[str, dict[str, os.DirEntry] | None] = {}

    def _listing(self, relative: str) -> dict[str, os.DirEntry] | None:
        if relative not in self._listings:
            try:
                with os.scandir(os.path.join(self.folder, relative)) as entries:
                    self._listings[relative] = {entry.name: entry for entry in entries}
            except OSError:
                self._listings[relative] = None
        return self._listings[relative]

    def locate(self, written: str) -> tuple[Path, str | None, str | None, os.stat_result | None]:
        """``locate_photo``'s answer, and the photo's stat when it is used
        (``how`` None or ``case``)."""
        parts = written.split("/")
        if os.pardir not in parts and os.curdir not in parts and "" not in parts:
            listing = self._listing("")
            for depth, part in enumerate(parts[:-1], 1):
                entry = listing.get(part) if listing else None
                if entry is None or not entry.is_dir(follow_symlinks=False):
                    break
                listing = self._listing("/".join(parts[:depth]))
            else:
                entry = listing.get(parts[-1]) if listing else None
                if entry is not None and entry.is_file(follow_symlinks=False):
                    return self.folder / written, None, None, entry.stat(follow_symlinks=False)
        photo, how, found = locate_photo(self.folder, written)
        return photo, how, found, os.stat(photo) if how in (None, "case") else None


def markdown_files(folder: Path) -> tuple[list[Path], list[tuple[Path, str]]]:
    """The folder's regular ``.md`` files, and the refused ones with why
    (from the listing's own file types: no ``stat`` per file)."""
    with os.scandir(folder) as listing:
        entries = sorted((entry for entry in listing if not entry.name.startswith(".")
                          and entry.name.lower().endswith(".md")), key=lambda e: e.name)
    files, refused = [], []
    for entry in entries:
        path = folder / entry.name
        if entry.is_symlink():
            refused.append((path, "file_symlink"))
        elif entry.is_file(follow_symlinks=False):
            files.append(path)
        elif not entry.is_dir(follow_symlinks=False):
            refused.append((path, "file_not_regular"))
    return files, refused
