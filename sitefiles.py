"""The built site's files: content types, path resolution, responses.

One module (stdlib only, outside ``local/`` and ``functions/``) shared by the
local server, ``scripts/publish.py`` (which sets the same Content-Type on S3
objects, so local and production serve a file with the same type), the
browser test fixtures and ``bench/lighthouse.py``; importing it pulls in
neither moto nor the dev server.

- ``resolve`` and ``content_type``: pure path and type rules.
- ``static_response``: the full answer for a GET, like S3 + CloudFront
  (index.html for folders, a redirect for a folder without its slash,
  ``404.html`` with status 404, gzip for text when accepted).
- ``serve_directory``: a quiet HTTP server for a folder, in a thread.
"""

import gzip
import mimetypes
import threading
from dataclasses import dataclass
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote

# Python's built-in table (``MimeTypes()`` reads no /etc/mime.types, so every
# machine agrees), plus what it lacks or names differently from the web.
OVERRIDES = {
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".xml": "application/xml",
    ".md": "text/markdown",
    ".webp": "image/webp",
    ".woff2": "font/woff2",
    ".ico": "image/x-icon",
}
_types = mimetypes.MimeTypes()
for _suffix, _kind in OVERRIDES.items():
    _types.add_type(_kind, _suffix)
_UTF8 = ("text/", "application/json", "application/manifest+json", "application/xml",
         "image/svg+xml")


def content_type(name: str) -> str:
    """The Content-Type for a file name, with ``charset=utf-8`` for text."""
    kind = _types.guess_type(name.lower())[0] or "application/octet-stream"
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


NOT_FOUND = b"<!doctype html><html><meta charset=\"utf-8\"><title>404</title><p>Not found</p></html>"


def _accepts_gzip(accept_encoding: str) -> bool:
    return "gzip" in (item.split(";")[0].strip() for item in accept_encoding.lower().split(","))


def static_response(root: Path, url_path: str, accept_encoding: str = "", *,
                    cache_control: str = "no-cache", if_none_match: str | None = None,
                    not_found: bytes = NOT_FOUND) -> tuple[int, list[tuple[str, str]], bytes]:
    """``(status, headers, body)`` for a GET of ``url_path`` under ``root``.

    A file is a 200 with its Content-Type, ``cache_control``, an ETag and
    Last-Modified (a 304 when ``if_none_match`` is that ETag); text is gzipped
    when ``accept_encoding`` allows it. A folder without its slash is a 301
    (query kept). Anything else is a 404 with ``root/404.html`` (or
    ``not_found`` when the site has none). Content-Length is left to the caller.
    """
    found = resolve(root, url_path)
    if found.redirect:
        query = url_path[len(url_path.split("?", 1)[0]):]
        return 301, [("Location", found.redirect + query)], b""
    status, file = 200, found.file
    if file is None:
        status, file = 404, Path(root) / "404.html"
        if not file.is_file():
            return 404, [("Content-Type", "text/html; charset=utf-8"),
                         ("Cache-Control", cache_control)], not_found
    kind = content_type(file.name)
    compress = kind.startswith(_UTF8) and _accepts_gzip(accept_encoding)
    stat = file.stat()
    etag = f'"{stat.st_mtime_ns:x}-{stat.st_size:x}{"-gzip" if compress else ""}"'
    headers = [("Content-Type", kind), ("Cache-Control", cache_control)]
    if kind.startswith(_UTF8):
        headers.append(("Vary", "Accept-Encoding"))
    if status == 200:
        headers += [("ETag", etag), ("Last-Modified", formatdate(stat.st_mtime, usegmt=True))]
        if if_none_match == etag:
            return 304, headers, b""
    body = file.read_bytes()
    if compress:
        body = gzip.compress(body, 9, mtime=0)
        headers.append(("Content-Encoding", "gzip"))
    return status, headers, body


class StaticHandler(BaseHTTPRequestHandler):
    """GET and HEAD of static files under ``root`` (``static_response``), no logs."""

    root: Path  # set on the subclass made by serve_directory
    cache_control = "no-cache"

    def do_GET(self):
        status, headers, body = static_response(
            self.root, self.path, self.headers.get("Accept-Encoding", ""),
            cache_control=self.cache_control, if_none_match=self.headers.get("If-None-Match"))
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD" and status != 304:
            self.wfile.write(body)

    do_HEAD = do_GET

    def log_message(self, format, *args):  # noqa: A002 (BaseHTTPRequestHandler's name)
        pass


def serve_directory(directory: Path, cache_control: str = "no-cache"):
    """Serve ``directory`` on a free 127.0.0.1 port in a daemon thread.

    Returns ``(server, base_url)``; call ``server.shutdown()`` to stop it.
    """
    handler = type("Handler", (StaticHandler,), {"root": Path(directory).resolve(),
                                                 "cache_control": cache_control})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name=f"static:{directory}", daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"
