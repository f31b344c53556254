"""Static files of the built site: path resolution and content types.

Pure functions shared by the local server and ``scripts/publish.py`` (which
sets the same Content-Type on S3 objects), so local and production serve a
file with the same type.
"""

import mimetypes
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

# Explicit types for what the site publishes; mimetypes covers the rest.
CONTENT_TYPES = {
    ".html": "text/html",
    ".htm": "text/html",
    ".css": "text/css",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".json": "application/json",
    ".webmanifest": "application/manifest+json",
    ".xml": "application/xml",
    ".txt": "text/plain",
    ".md": "text/markdown",
    ".csv": "text/csv",
    ".svg": "image/svg+xml",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".pdf": "application/pdf",
}
_UTF8 = ("text/", "application/json", "application/manifest+json", "application/xml",
         "image/svg+xml")


def content_type(name: str) -> str:
    """The Content-Type for a file name, with ``charset=utf-8`` for text."""
    suffix = Path(name).suffix.lower()
    kind = CONTENT_TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"
    if kind.startswith(_UTF8):
        kind += "; charset=utf-8"
    return kind


@dataclass(frozen=True)
class Resolved:
    """What a URL path maps to: a file, a redirect (directory without its
    slash), or nothing (``file`` and ``redirect`` both None: a 404)."""

    file: Path | None = None
    redirect: str | None = None


def resolve(root: Path, url_path: str) -> Resolved:
    """Map ``url_path`` (the raw path, percent-encoded) to a file under ``root``.

    Directories serve their ``index.html`` (never a listing); a directory
    asked without its trailing slash redirects to it. ``..`` segments,
    backslashes, NUL bytes and anything resolving outside ``root`` (symlinks
    included) are a 404.
    """
    path = unquote(url_path.split("?", 1)[0])
    if not path.startswith("/") or "\\" in path or "\x00" in path:
        return Resolved()
    segments = [s for s in path.split("/") if s not in ("", ".")]
    if any(s == ".." for s in segments):
        return Resolved()
    base = root.resolve()
    candidate = base.joinpath(*segments)
    try:
        real = candidate.resolve()
    except (OSError, RuntimeError):
        return Resolved()
    if real != base and not real.is_relative_to(base):
        return Resolved()
    if real.is_dir():
        if not path.endswith("/"):
            raw = [s for s in url_path.split("?", 1)[0].split("/") if s not in ("", ".")]
            return Resolved(redirect="/" + "".join(s + "/" for s in raw))
        index = real / "index.html"
        return Resolved(file=index) if index.is_file() else Resolved()
    if real.is_file() and not path.endswith("/"):
        return Resolved(file=real)
    return Resolved()
