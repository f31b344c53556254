"""The Jinja2 environment of the functions' HTML pages (order, search).

Each function has its own ``templates/`` folder; every page extends the one
shared layout, ``backend/templates/base.html`` (the theme's header, search
form and footer from ``warung/templates``, shared with the theme, and the
site's stylesheet), found after the function's own folder. Autoescaping is on, undefined names are errors, ``rupiah`` formats
amounts. Jinja2 is imported on the first render, not at cold start; one
environment per function folder, kept warm.
"""

import threading
from pathlib import Path

SHARED = Path(__file__).with_name("templates")
# The header and footer partials the theme includes too (one page chrome).
CHROME = Path(__file__).parents[1] / "warung" / "templates"

_lock = threading.Lock()
_envs: dict = {}


def environment(templates: Path):
    """The environment for a function whose own templates are in ``templates``."""
    key = str(templates)
    found = _envs.get(key)
    if found is None:
        with _lock:
            found = _envs.get(key)
            if found is None:
                import jinja2

                from warung.rupiah import format_rupiah

                found = jinja2.Environment(
                    loader=jinja2.FileSystemLoader([key, str(SHARED), str(CHROME)]),
                    autoescape=True, trim_blocks=True, lstrip_blocks=True,
                    undefined=jinja2.StrictUndefined,
                )
                found.filters["rupiah"] = format_rupiah
                _envs[key] = found
    return found
