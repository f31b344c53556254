"""Lambda handler of the search function (Function URL, payload 2.0).

``GET /api/search?q=<words>``: an HTML results page in the theme's look by
default; JSON when the request says ``Accept: application/json`` (and not
HTML) or ``format=json``. An empty ``q`` answers the search form. The work
is in ``search.engine`` (pure); this module reads the event, loads the
catalog (``backend.catalog``: the private catalog in S3, kept warm) and
renders. Jinja2 and boto3 load on the first request, not at import.
"""

import json
import logging
import threading
from pathlib import Path
from urllib.parse import parse_qs

from warung.text import texts

from search import engine

log = logging.getLogger(__name__)

SEARCH_PATH = "/api/search"
TEMPLATES = Path(__file__).with_name("templates")

_COMMON = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
    "vary": "accept",
}
_HTML = {
    **_COMMON,
    "content-type": "text/html; charset=utf-8",
    "content-security-policy": ("default-src 'none'; style-src 'self'; img-src 'self' data:; "
                                "script-src 'self'; connect-src 'self'; form-action 'self'; "
                                "base-uri 'none'; frame-ancestors 'none'"),
}
CACHE_OK = "public, max-age=60"  # results follow the catalog, which changes on publish

_lock = threading.Lock()
_state: dict = {"env": None, "catalog": None, "index": None}


# --- the event ----------------------------------------------------------
def _header(event: dict, name: str) -> str:
    headers = event.get("headers") or {}
    value = headers.get(name)
    if value is None:
        value = next((v for k, v in headers.items() if k.lower() == name), None)
    return value or ""


def _param(event: dict, name: str) -> str | None:
    """The first value of a query parameter (rawQueryString keeps repeats apart)."""
    raw = event.get("rawQueryString")
    if raw is not None:
        values = parse_qs(raw, keep_blank_values=True).get(name)
        return values[0] if values else None
    return (event.get("queryStringParameters") or {}).get(name)


def wants_json(event: dict) -> bool:
    if (_param(event, "format") or "").lower() == "json":
        return True
    accept = _header(event, "accept").lower()
    return "application/json" in accept and "text/html" not in accept


# --- rendering ----------------------------------------------------------
def _environment():
    if _state["env"] is None:
        import jinja2

        from warung.rupiah import format_rupiah

        env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)),
                                 autoescape=True, trim_blocks=True, lstrip_blocks=True)
        env.filters["rupiah"] = format_rupiah
        _state["env"] = env
    return _state["env"]


def render(name: str, **context) -> str:
    t = texts()
    return _environment().get_template(name).render(T=t, C=t["cari"], **context)


def _html(status: int, body: str, cache: str = "no-store", headers: dict | None = None) -> dict:
    return {"statusCode": status, "headers": {**_HTML, "cache-control": cache, **(headers or {})},
            "body": body}


def _json(status: int, data, cache: str = "no-store", headers: dict | None = None) -> dict:
    return {"statusCode": status,
            "headers": {**_COMMON, "content-type": "application/json; charset=utf-8",
                        "cache-control": cache, **(headers or {})},
            "body": json.dumps(data, ensure_ascii=False, separators=(",", ":"))}


def _problem(event: dict, status: int, title: str, text: str, headers: dict | None = None) -> dict:
    if wants_json(event):
        return _json(status, {"errors": {"_": text}}, headers=headers)
    return _html(status, render("message.html", title=title, text=text), headers=headers)


# --- the catalog index --------------------------------------------------
def current_index() -> engine.Index:
    """The index of the current catalog, rebuilt when the catalog changes."""
    from backend import catalog as catalogs

    catalog = catalogs.load()
    with _lock:
        if _state["catalog"] is not catalog:
            _state["index"] = engine.Index.from_catalog(catalog)
            _state["catalog"] = catalog
        return _state["index"]


def results_json(results: engine.Results) -> dict:
    return {"query": results.query, "total": results.total, "results": results.hits,
            "suggestions": results.suggestions}


def search(event: dict) -> dict:
    raw = _param(event, "q") or ""
    index = current_index()
    results = index.search(raw)
    if wants_json(event):
        return _json(200, results_json(results), CACHE_OK)
    page = render("results.html", query=results.query, words=results.words,
                  total=results.total, hits=results.hits, suggestions=results.suggestions,
                  categories=index.categories, max_query=engine.MAX_QUERY,
                  cut=len(" ".join(raw.split())) > engine.MAX_QUERY)
    return _html(200, page, CACHE_OK)


def handler(event, context=None) -> dict:
    c = texts()["cari"]
    http = (event.get("requestContext") or {}).get("http") or {}
    method = (http.get("method") or "GET").upper()
    path = (event.get("rawPath") or http.get("path") or "/").rstrip("/")
    try:
        if path != SEARCH_PATH:
            return _problem(event, 404, c["tidak_ditemukan"], c["tidak_ditemukan"] + ".")
        if method not in ("GET", "HEAD"):
            return _problem(event, 405, c["judul"], c["metode"], {"allow": "GET, HEAD"})
        response = search(event)
        return {**response, "body": ""} if method == "HEAD" else response
    except Exception:  # the catalog unreachable, a bug: never a stack trace to the buyer
        log.exception("search failed")
        return _problem(event, 503, c["gagal_judul"], c["gagal"], {"retry-after": "30"})


def reset_caches() -> None:
    """Forget the warm catalog index (tests, a rebuild in the local run)."""
    from backend import catalog

    with _lock:
        _state.update(catalog=None, index=None)
    catalog.reset()
