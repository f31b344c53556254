"""Stat signatures of file trees, as git's index does: (path, size,
mtime_ns, inode, mode) of every entry but ``__pycache__``. An edited, new, removed or renamed
file changes the signature, and no file is read."""

import os
import stat as stat_module
from pathlib import Path


def tree_signature(root: Path) -> list:
    """The signature of everything under ``root`` (symlinks not followed);
    ``[]`` when ``root`` does not exist, the file's own entry for a file."""
    try:
        info = os.stat(root, follow_symlinks=False)
    except OSError:
        return []
    if not stat_module.S_ISDIR(info.st_mode):
        return [("", info.st_size, info.st_mtime_ns, info.st_ino, info.st_mode)]
    entries, todo = [], [(str(root), "")]
    while todo:
        current, prefix = todo.pop()
        with os.scandir(current) as listing:
            for entry in listing:
                if entry.name == "__pycache__":
                    continue  # written by Python itself while the build runs
                info = entry.stat(follow_symlinks=False)
                name = prefix + entry.name
                entries.append((name, info.st_size, info.st_mtime_ns, info.st_ino, info.st_mode))
                if stat_module.S_ISDIR(info.st_mode):
                    todo.append((entry.path, name + "/"))
    return sorted(entries)
