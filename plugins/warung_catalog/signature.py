"""Stat signatures of file trees, as git's index does: (path, size,
mtime_ns, inode, mode) of every entry but ``__pycache__``. An edited, new,
removed or renamed file changes the signature, and no file is read. A
folder's signature is the sha256 of its entries, each subfolder's entry
carrying the subfolder's signature, as git's trees carry their subtrees'
ids: no entry is copied into its parents' lists and the whole tree is never
encoded at once (a third of signing 10,000 products' content).

Within ``signed_once()`` every folder is listed once: `make html` signs the
whole content tree before the build starts (build.py), and the build's
content loader then takes each shop folder's signature from that walk
instead of listing 10,000 files again. An edit made meanwhile is seen by the
next build, as the signatures are older than what the build read.
"""

import hashlib
import os
import stat as stat_module
from contextlib import contextmanager
from pathlib import Path

# Folder (absolute path) -> its signature, inside signed_once() only.
_SIGNED: dict[str, str] | None = None


@contextmanager
def signed_once():
    global _SIGNED
    outer, _SIGNED = _SIGNED, ({} if _SIGNED is None else _SIGNED)
    try:
        yield
    finally:
        _SIGNED = outer


def tree_signature(root: Path) -> str:
    """The signature of everything under ``root`` (symlinks not followed);
    ``""`` when ``root`` does not exist; a file's signs its own entry."""
    try:
        info = os.stat(root, follow_symlinks=False)
    except OSError:
        return ""
    if not stat_module.S_ISDIR(info.st_mode):
        return _digest([_entry("", info)])
    return _folder_signature(os.path.abspath(root))


def _entry(name: str, info: os.stat_result, subtree: str = "") -> str:
    # A name holds no "/" and no NUL: the fields and the entries cannot run together.
    return f"{name}/{info.st_size}/{info.st_mtime_ns}/{info.st_ino}/{info.st_mode}/{subtree}"


def _digest(entries: list[str]) -> str:
    entries.sort()
    return hashlib.sha256("\0".join(entries).encode("utf-8", "surrogateescape")).hexdigest()


def _folder_signature(folder: str) -> str:
    if _SIGNED is not None and folder in _SIGNED:
        return _SIGNED[folder]
    entries = []
    with os.scandir(folder) as listing:
        for entry in listing:
            if entry.name == "__pycache__":
                continue  # written by Python itself while the build runs
            info = entry.stat(follow_symlinks=False)
            subtree = (_folder_signature(entry.path) if stat_module.S_ISDIR(info.st_mode)
                       else "")
            entries.append(_entry(entry.name, info, subtree))
    signature = _digest(entries)
    if _SIGNED is not None:
        _SIGNED[folder] = signature
    return signature
