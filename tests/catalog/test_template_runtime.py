"""template_runtime: templates write exactly what markupsafe's escape wrote,
wherever Jinja compiles an output, with hostile and non-text values."""

from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2 import DictLoader, Environment, StrictUndefined, pass_context, pass_environment
from markupsafe import Markup, escape

from warung_catalog.fragments import Once
from warung_catalog.template_runtime import (CatalogContext, CatalogTemplate, escape_filter,
                                              escape_output)


class Html:
    def __init__(self, text):
        self.text = text

    def __html__(self):
        return self.text


class Plain:
    def __str__(self):
        return "<plain & 'str'>"


values = (st.text(st.characters(codec="utf-8"), max_size=40)
          | st.sampled_from(["</script><script>alert(1)</script>", "a & b", "'\"", "&amp;"])
          | st.builds(Markup, st.text(max_size=20)) | st.integers() | st.floats(allow_nan=False)
          | st.none() | st.booleans() | st.builds(Html, st.text(max_size=20)) | st.just(Plain()))


@given(values)
def test_escape_output_is_markupsafes_escape_as_text(value):
    written = escape_output(value)
    assert isinstance(written, str)
    assert written == str(escape(value))


@given(values)
def test_the_escape_filter_is_markupsafes_escape(value):
    escaped = escape_filter(value)
    assert type(escaped) is Markup
    assert escaped == escape(value)


# Every place Jinja compiles an output: blocks and inheritance, loops,
# {% set %} blocks, macros with and without caller, imports, includes,
# filter blocks, autoescape blocks (volatile) and a variable that is Markup.
TEMPLATES = {
    "base.html": "<title>{% block title %}{{ v }}{% endblock %}</title>{% block body %}{% endblock %}",
    "macros.html": ("{% macro card(x, label) %}<b>{{ x }}</b>{{ label|e }}"
                    "{% if caller %}{{ caller() }}{% endif %}{% endmacro %}"),
    "part.html": "<i>{{ v }}</i>",
    "page.html": """{% extends "base.html" %}{% import "macros.html" as m %}
{% set joined %}{{ v }}|{{ items|join(",") }}{% endset %}
{% block title %}{{ super() }} {{ v ~ "!" }}{% endblock %}
{% block body %}
{% for x in items %}{{ loop.index }}{{ x }}{{ m.card(x, v) }}{% endfor %}
{% call m.card(v, "c") %}{{ v }}{% endcall %}
{{ joined }} {{ joined|length }} {{ markup }} {{ v|e }} {{ v|string|tojson }} {{ missing }}
{% filter upper %}{{ v }}{% endfilter %}
{% autoescape false %}{{ "<raw>" }}{{ m.card(v, "<i>") + "<&>" }}{% endautoescape %}
{% autoescape true %}{{ v }}{% endautoescape %}
{% include "part.html" %}{{ number }}{{ none_value }}
{{ plain(v) }} {{ with_context(v) }} {{ with_environment() }} {{ instance(v) }}
{{ "[{}]".format(v) }} {{ stops() }} {% for x in items %}{{ with_context(x) }}{% endfor %}
{{ wrapped(v) }} {{ once("k", m.card, v, "o") }}{{ once("k2", plain, v) }}{{ once("k", plain, v) }}
{% endblock %}""",
}


@pass_context
def with_context(context, value):
    return f"{context.name}:{value}"


@pass_environment
def with_environment(environment):
    return type(environment).__name__


class Instance:
    @pass_context
    def __call__(self, context, value):
        return f"instance {context.name} {value}"


def stops():
    raise StopIteration


def wrapped(value):
    return f"plain {value}"


wrapped.__call__ = with_context  # taken by Jinja before the function itself

CALLABLES = {"plain": lambda value: f"<{value}>", "with_context": with_context, "wrapped": wrapped,
             "with_environment": with_environment, "instance": Instance(), "stops": stops}


def environment(**options) -> Environment:
    return Environment(loader=DictLoader(TEMPLATES), autoescape=True, trim_blocks=True,
                       lstrip_blocks=True, **options)


@settings(max_examples=150)
@given(values, st.lists(values, max_size=4))
def test_pages_are_the_same_as_with_markupsafes_escape(v, items):
    context = {"v": v, "items": items, "markup": Markup("<em>ok</em>"), "number": 12500,
               "none_value": None, **CALLABLES}
    plain, fast = environment(), environment()
    fast.template_class, fast.context_class = CatalogTemplate, CatalogContext
    fast.filters["e"] = fast.filters["escape"] = escape_filter
    assert fast.get_template("page.html").render(context, once=Once()) == \
        plain.get_template("page.html").render(context, once=Once())


def test_the_fast_escape_is_what_the_compiled_templates_call():
    env = environment()
    env.template_class = CatalogTemplate
    for name in TEMPLATES:
        template = env.get_template(name)
        assert isinstance(template, CatalogTemplate)
        assert template.root_render_func.__globals__["escape"] is escape_output


def test_undefined_values_fail_as_before():
    fast = Environment(loader=DictLoader({"t": "{{ nothing }}"}), autoescape=True,
                       undefined=StrictUndefined)
    fast.template_class = CatalogTemplate
    try:
        fast.get_template("t").render()
    except Exception as err:
        assert type(err).__name__ == "UndefinedError"
    else:
        raise AssertionError("an undefined value rendered")


def test_the_plugin_gives_every_generator_s_environment_the_fast_template(tmp_path):
    from types import SimpleNamespace

    from warung_catalog import extend_jinja

    env = Environment(loader=DictLoader(TEMPLATES), autoescape=True)
    extend_jinja(SimpleNamespace(env=env, settings={
        "WARUNG": {"IMAGE_CACHE": str(tmp_path / "images")}, "JINJA_ENVIRONMENT": {}}))
    assert (env.template_class, env.context_class) == (CatalogTemplate, CatalogContext)
    assert env.get_template("page.html").root_render_func.__globals__["escape"] is escape_output
