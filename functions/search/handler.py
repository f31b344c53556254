"""Lambda handler of the search function (Function URL, payload 2.0).

``GET /api/search?q=<words>``: an HTML results page in the theme's look by
default; JSON when the request says ``Accept: application/json`` (and not
HTML) or ``format=json``. An empty ``q`` answers the search form. The work
is in ``search.engine`` (pure); this module reads the event, loads the
catalog (``backend.catalog``: the private catalog in S3, kept warm) and
renders. Jinja2 and boto3 load on the first request, not at import.
"""

import logging
import threading
from pathlib import Path

from backend import http as web
from warung.text import texts

from search import engine

log = logging.getLogger(__name__)

SEARCH_PATH = "/api/search"
TEMPLATES = Path(__file__).with_name("templates")
CACHE_OK = "public, max-age=60"  # results follow the catalog, which changes on publish
# Results differ by Accept (HTML or JSON); pages are linked from the site's own.
_HEADERS = {"vary": "accept", "referrer-policy": "strict-origin-when-cross-origin"}

_lock = threading.Lock()
_state: dict = {"catalog": None, "index": None}


def render(name: str, **context) -> str:
    from backend.pages import environment

    t = texts()
    return environment(TEMPLATES).get_template(name).render(T=t, C=t["cari"], **context)


def _html(status: int, body: str, cache: str = "no-store", headers: dict | None = None) -> dict:
    return web.html_response(status, body, {**_HEADERS, "x-robots-tag": "noindex, follow",
                                            "cache-control": cache, **(headers or {})})


def _json(status: int, data, cache: str = "no-store", headers: dict | None = None) -> dict:
    return web.json_response(status, data, {**_HEADERS, "cache-control": cache, **(headers or {})})


def _problem(event: dict, status: int, title: str, text: str, headers: dict | None = None) -> dict:
    if web.wants_json(event):
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
    raw = web.query(event, "q") or ""
    index = current_index()
    results = index.search(raw)
    if web.wants_json(event):
        return _json(200, results_json(results), CACHE_OK)
    page = render("results.html", query=results.query, words=results.words,
                  total=results.total, hits=results.hits, suggestions=results.suggestions,
                  categories=index.categories, max_query=engine.MAX_QUERY,
                  cut=len(" ".join(raw.split())) > engine.MAX_QUERY)
    return _html(200, page, CACHE_OK)


def handler(event, context=None) -> dict:
    c = texts()["cari"]
    method, path = web.method(event), web.path(event).rstrip("/")
    try:
        if not web.origin_verified(event):
            return _problem(event, 403, c["judul"], texts()["akses"]["langsung"].format(
                site=texts()["site_name"]))
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
