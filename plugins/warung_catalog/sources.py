"""Reading sellers' files: every file access of the content tree.

``SourceFiles.read(path)`` returns the parsed ``reader.Document`` of a seller
file and when the file was modified. Files are parsed again whenever their
folder is read: a folder is read only when one of its files changed
(folders.py), and parsing a file costs less than keeping its document.
A cold build reads the shop folders on every core (content.py). Every
file is opened through ``safety.read_file``: only regular files whose real
path lies inside the shops folder are read (links, FIFOs and devices are
refused unread); a shop's own file is checked against its shop folder,
which was checked when listed (content.py); ``safety`` also lists a
folder's files and finds the photos sellers name.
"""

import os
from pathlib import Path

from warung.text import texts

from . import reader, safety


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


class SourceFiles:
    """Seller files read and parsed, nothing outside ``root`` (the shops folder)."""

    def __init__(self, root: Path):
        self.root = root

    def read(self, path: Path) -> tuple[reader.Document, float]:
        """(the file's document, when the file was modified; 0.0 unread)."""
        folder = path.parent
        if folder.parent != self.root or folder.name in ("", os.curdir, os.pardir):
            folder = self.root  # not a shop's own file: every component checked
        try:
            raw, modified = safety.read_file(path, folder)
        except safety.Refused as refused:
            message = texts()["periksa"][refused.kind].format(name=path.name)
            return reader.Document(issues=[reader.Issue(message)]), 0.0
        except OSError as err:
            message = texts()["periksa"]["file_unreadable"].format(
                reason=err.strerror or str(err))
            return reader.Document(issues=[reader.Issue(message)]), 0.0
        return reader.parse(raw), modified
