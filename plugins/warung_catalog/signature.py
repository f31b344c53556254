"""Stat signatures of file trees, as git's index does: (path, size,
mtime_ns, inode, mode) of every entry but ``__pycache__``. An edited, new,
removed or renamed file changes the signature, and no file is read.

Within ``signed_once()`` every folder is listed once: `make html` signs the
whole content tree before the build starts (build.py), and the build's
content loader then takes each shop folder's signature from that walk
instead of listing 10,000 files again. An edit made meanwhile is seen by the
next build, as the signatures are older than what the build read.
"""

import os
import stat as stat_module
from contextlib import contextmanager
from pathlib import Path

# Folder (absolute path) -> its signature, inside signed_once() only.
_SIGNED: dict[str, list] | None = None


@contextmanager
def signed_once():
    global _SIGNED
    outer, _SIGNED = _SIGNED, ({} if _SIGNED is None else _SIGNED)
    try:
        yield
    finally:
        _SIGNED = outer


def tree_signature(root: Path) -> list:
    """The signature of everything under ``root`` (symlinks not followed);
    ``[]`` when ``root`` does not exist, the file's own entry for a file."""
    try:
        info = os.stat(root, follow_symlinks=False)
    except OSError:
        return []
    if not stat_module.S_ISDIR(info.st_mode):
        return [("", info.st_size, info.st_mtime_ns, info.st_ino, info.st_mode)]
    return _folder_signature(os.path.abspath(root))


def _folder_signature(folder: str) -> list:
    if _SIGNED is not None and folder in _SIGNED:
        return _SIGNED[folder]
    entries = []
    with os.scandir(folder) as listing:
        for entry in listing:
            if entry.name == "__pycache__":
                continue  # written by Python itself while the build runs
            info = entry.stat(follow_symlinks=False)
            entries.append((entry.name, info.st_size, info.st_mtime_ns, info.st_ino,
                            info.st_mode))
            if stat_module.S_ISDIR(info.st_mode):
                prefix = entry.name + "/"
                entries += [(prefix + name, size, mtime, inode, mode)
                            for name, size, mtime, inode, mode in _folder_signature(entry.path)]
    entries.sort()
    if _SIGNED is not None:
        _SIGNED[folder] = entries
    return entries
