"""Lambda handler of the search function (Function URL, payload 2.0).

``GET /api/search?q=<words>``: an HTML results page in the theme's look by
default; JSON when the request says ``Accept: application/json`` (and not
HTML) or ``format=json``. An empty ``q`` answers the search form. The work
is in ``search.engine`` (pure); this module reads the event, loads the
catalog (``backend.catalog``: the private catalog in S3, kept warm) and
renders. Jinja2 and boto3 load on the first request, not at import.
"""

import logging
from pathlib import Path

from backend import function_url as web
from backend import routing, warm
from backend.pages import problem
from warung.text import texts

from search import engine

log = logging.getLogger(__name__)

SEARCH_PATH = "/api/search"
TEMPLATES = Path(__file__).with_name("templates")
CACHE_OK = "public, max-age=60"  # results follow the catalog, which changes on publish
# Results differ by Accept (HTML or JSON); pages are linked from the site's own.
_HEADERS = {"vary": "accept", "referrer-policy": "strict-origin-when-cross-origin"}
WARM = "search-index"


def render(name: str, **context) -> str:
    from backend import pages

    return pages.render(TEMPLATES, name, C=texts()["cari"], **context)


def _html(status: int, body: str, cache: str = "no-store", headers: dict | None = None) -> dict:
    return web.html_response(status, body, {**_HEADERS, "x-robots-tag": "noindex, follow",
                                            "cache-control": cache, **(headers or {})})


def _json(status: int, data, cache: str = "no-store", headers: dict | None = None) -> dict:
    return web.json_response(status, data, {**_HEADERS, "cache-control": cache, **(headers or {})})


def _problem(event: dict, status: int, title: str, text: str, headers: dict | None = None) -> dict:
    return problem(event, status, text, title=title, headers={**_HEADERS, **(headers or {})})


# --- the catalog index --------------------------------------------------
def current_index() -> engine.Index:
    """The index of the current catalog, rebuilt when the catalog changes."""
    import threading

    from backend import catalog as catalogs

    catalog = catalogs.load()
    state = warm.slot(WARM, lambda: {"catalog": None, "index": None, "lock": threading.Lock()})
    with state["lock"]:
        if state["catalog"] is not catalog:
            state["index"] = engine.Index.from_catalog(catalog)
            state["catalog"] = catalog
        return state["index"]


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


ROUTES = [(SEARCH_PATH, ("GET", "HEAD"), search)]


def _not_found(event: dict) -> dict:
    c = texts()["cari"]
    return _problem(event, 404, c["tidak_ditemukan"], c["tidak_ditemukan"] + ".")


def _not_allowed(event: dict, allowed: list) -> dict:
    c = texts()["cari"]
    return _problem(event, 405, c["judul"], c["metode"], {"allow": ", ".join(allowed)})


def _failed(event: dict) -> dict:
    """The catalog unreachable, a bug: never a stack trace to the buyer."""
    log.exception("search failed")
    c = texts()["cari"]
    return _problem(event, 503, c["gagal_judul"], c["gagal"], {"retry-after": "30"})


def handler(event, context=None) -> dict:
    """The Lambda entry point (JSON logs through ``backend.logs``)."""
    from backend import logs

    logs.logger("search")
    if not web.origin_verified(event):
        return _problem(event, 403, texts()["cari"]["judul"], texts()["akses"]["langsung"].format(
            site=texts()["site_name"]))
    return routing.resolve("search", ROUTES, event, context, not_found=_not_found,
                           not_allowed=_not_allowed, failed=_failed)
