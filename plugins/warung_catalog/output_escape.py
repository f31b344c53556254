"""What a template writes for ``{{ value }}``, without a Markup per value.

With autoescape on, Jinja compiles every ``{{ value }}`` to ``escape(value)``,
markupsafe's: a Python call that makes a ``Markup`` through its Python
``__new__`` (twice, for a value that is already Markup), only for the page
to join it into one string. A product page writes about 90 of them; they
were a fifth of rendering one. ``CatalogTemplate`` (the environment's
``template_class``) gives each compiled template ``escape_output`` under
that name instead: the same text, as a string. The compiled code uses
the name ``escape`` only for output (Jinja's ``CodeGenerator``), so no value
a template computes changes type; filters such as ``|e`` and ``|tojson``
keep markupsafe's. Tests render templates both ways and compare.
"""

import jinja2
from markupsafe import _escape_inner  # markupsafe.escape's own C escaping


def escape_output(value) -> str:
    """``str(markupsafe.escape(value))``."""
    if type(value) is str:
        return _escape_inner(value)
    html = getattr(value, "__html__", None)
    if html is not None:
        text = html()
        return text if isinstance(text, str) else str(text)
    return _escape_inner(str(value))


class CatalogTemplate(jinja2.Template):
    """A Jinja template whose output is escaped by ``escape_output``."""

    @classmethod
    def from_code(cls, environment, code, globals, uptodate=None):
        template = super().from_code(environment, code, globals, uptodate)
        # The module namespace every function of the template looks names up in.
        template.root_render_func.__globals__["escape"] = escape_output
        return template
