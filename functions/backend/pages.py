"""The functions' Jinja2 environments and their one message page.

``environment(folder)``: the one factory of Jinja2 environments for the
functions. A page folder (order, search) is searched first, then the shared
layout ``backend/templates/base.html`` (the theme's header, search form and
footer partials from ``warung/templates``, shared with the theme, and the
site's stylesheet). Autoescaping is on (``html_only``: only for ``.html``
files, for folders that hold text templates too), undefined names are
errors, ``rupiah`` formats amounts. Jinja2 is imported on the first render,
not at cold start; each environment is kept warm (``backend.warm``).

``problem(event, status, title, text)``: a whole-request error of the order
and search functions, as JSON ``{"errors": {"_": text}}`` or the shared
``message.html`` page.
"""

from pathlib import Path

from backend import function_url, warm
from warung.text import texts

SHARED = Path(__file__).with_name("templates")
# The header and footer partials the theme includes too (one page chrome).
CHROME = Path(__file__).parents[1] / "warung" / "templates"


def environment(templates: Path, *, layout: bool = True, html_only: bool = False,
                filters: dict | None = None):
    """The environment for templates in ``templates`` (with the shared layout
    unless ``layout=False``); ``filters`` are added to ``rupiah``."""
    folders = [str(templates)] + ([str(SHARED), str(CHROME)] if layout else [])

    def make():
        import jinja2

        from warung.rupiah import format_rupiah

        autoescape = jinja2.select_autoescape(enabled_extensions=("html",), default=False,
                                              default_for_string=False) if html_only else True
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(folders), autoescape=autoescape,
            trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=html_only,
            undefined=jinja2.StrictUndefined,
        )
        env.filters.update({"rupiah": format_rupiah, **(filters or {})})
        return env

    return warm.slot(f"jinja:{'|'.join(folders)}:{html_only}", make)


def render(templates: Path, name: str, **context) -> str:
    """``name`` from ``templates`` with the site's texts as ``T``."""
    return environment(templates).get_template(name).render(T=texts(), **context)


def message(title: str, text: str) -> str:
    """The small page of a whole-request error (403, 404, 405, 413, 429, 503)."""
    return render(SHARED, "message.html", title=title, text=text)


def problem(event: dict, status: int, text: str, *, title: str | None = None,
            headers: dict | None = None) -> dict:
    """A whole-request error answered as the request prefers (JSON or a page)."""
    if function_url.wants_json(event):
        return function_url.json_response(status, {"errors": {"_": text}}, headers)
    title = title or texts()["pesanan_halaman"]["error_title"]
    return function_url.html_response(status, message(title, text), headers)
