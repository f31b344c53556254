"""Jinja's runtime with less Python per page: output escaping and calls.

**Output.** With autoescape on, Jinja compiles every ``{{ value }}`` to
``escape(value)``, markupsafe's: a Python call that makes a ``Markup``
through its Python ``__new__`` (twice, for a value that is already Markup),
only for the page to join it into one string. A product page writes about 90 of them; they
were a fifth of rendering one. ``CatalogTemplate`` (the environment's
``template_class``) gives each compiled template ``escape_output`` under
that name instead: the same text, as a string. The compiled code uses
the name ``escape`` only for output (Jinja's ``CodeGenerator``), so no value
a template computes changes type; filters such as ``|tojson`` keep
markupsafe's. ``|e`` (``escape_filter``) gives markupsafe's ``Markup``
without a Python ``__new__`` for text.

**Calls.** Every call in a template (a macro, ``whatsapp_link``,
``"...".format``) goes through ``Context.call``, which first asks the
callable and its ``__call__`` whether it takes the context (three
``hasattr`` and two Python calls). ``CatalogContext`` (the environment's
``context_class``) knows the answer for the common kinds: a macro takes the
evaluation context (its ``__call__`` is ``pass_eval_context``), a built-in
(``"...".format``), a plain function with nothing set on it
(``pass_context`` sets a marker) and ``once`` (fragments.Once, six calls
on every product page) take nothing; anything else goes Jinja's way.

Tests render templates both ways and compare.
"""

from types import BuiltinFunctionType, FunctionType

import jinja2
from jinja2.runtime import Context, Macro
from jinja2.utils import internalcode
from markupsafe import Markup, escape
from markupsafe import _escape_inner  # markupsafe.escape's own C escaping

from .fragments import Once


def escape_output(value) -> str:
    """``str(markupsafe.escape(value))``."""
    if type(value) is str:
        return _escape_inner(value)
    if type(value) is Markup:
        return value
    html = getattr(value, "__html__", None)
    if html is not None:
        text = html()
        return text if isinstance(text, str) else str(text)
    return _escape_inner(str(value))


def escape_filter(value) -> Markup:
    """``markupsafe.escape`` (the ``|e`` filter): the same ``Markup``, made
    without ``Markup.__new__``'s Python code for text (a product page
    escapes a dozen seller values this way)."""
    if type(value) is str:
        return str.__new__(Markup, _escape_inner(value))
    if type(value) is Markup:
        return value
    return escape(value)


class CatalogTemplate(jinja2.Template):
    """A Jinja template whose output is escaped by ``escape_output``."""

    @classmethod
    def from_code(cls, environment, code, globals, uptodate=None):
        template = super().from_code(environment, code, globals, uptodate)
        # The module namespace every function of the template looks names up in.
        template.root_render_func.__globals__["escape"] = escape_output
        return template


class CatalogContext(Context):
    """A Jinja context that calls macros, built-ins, plain functions and
    ``once`` as ``Context.call`` does, without asking them first."""

    @internalcode
    def call(__self, __obj, *args, **kwargs):  # noqa: N805 - Context.call's own names
        kind = type(__obj)
        if kind is Macro:
            args = (__self.eval_ctx, *args)  # as pass_eval_context asks
        elif kind is FunctionType:
            if __obj.__dict__:  # pass_context's marker, or anything else set on it
                return super().call(__obj, *args, **kwargs)
        elif kind is not BuiltinFunctionType and kind is not Once:
            return super().call(__obj, *args, **kwargs)
        kwargs.pop("_block_vars", None)
        kwargs.pop("_loop_vars", None)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:  # as Context.call
            return __self.environment.undefined(
                "value was undefined because a callable raised a StopIteration exception")
