"""template_deps: the templates a page template is made of, loaded once in
the parent before the render workers fork."""

from jinja2 import DictLoader, Environment

from warung_catalog.template_deps import TemplateDeps

TEMPLATES = {
    "base.html": '{% block body %}{% endblock %}{% include "footer.html" %}',
    "footer.html": "<footer></footer>",
    "macros.html": "{% macro m() %}m{% endmacro %}",
    "page.html": ('{% extends "base.html" %}{% import "macros.html" as x %}'
                  '{% block body %}{{ x.m() }}{% include "maybe.html" ignore missing %}'
                  '{% endblock %}'),
    "other.html": "alone",
}


def test_members_are_the_template_and_what_it_uses_that_exists():
    deps = TemplateDeps(Environment(loader=DictLoader(TEMPLATES)))
    assert deps.members("page.html") == ["base.html", "footer.html", "macros.html", "page.html"]
    assert deps.members("other.html") == ["other.html"]


def test_a_build_compiles_each_page_template_once_before_the_workers_fork(monkeypatch, tmp_path):
    """Many pages: the generator loads every template the jobs use before
    rendering forks, so the workers inherit them compiled."""
    import runpy

    from pelican import Pelican
    from pelican.settings import read_settings

    from tests.catalog.helpers import ROOT, make_shop, product
    from warung_catalog import generator, rendering

    loaded_before_fork = []

    class Recording(rendering.Rendering):
        def __init__(self, jobs, output, render):
            loaded_before_fork.extend(name for _, name in render.__self__.env.cache)
            super().__init__(jobs, output, render)

    monkeypatch.setattr(generator, "Rendering", Recording)
    monkeypatch.setattr(generator, "PARALLEL_FROM", 1)
    make_shop(tmp_path / "content" / "shops", products={"a": product(), "b": product("Kopi B")})
    warung = {**runpy.run_path(str(ROOT / "pelicanconf.py"))["WARUNG"],
              "PRIVATE_CATALOG": str(tmp_path / "private.json"),
              "IMAGE_CACHE": str(tmp_path / "cache" / "images")}
    Pelican(read_settings(str(ROOT / "pelicanconf.py"), override={
        "PATH": str(tmp_path / "content"), "OUTPUT_PATH": str(tmp_path / "output"),
        "WARUNG": warung})).run()
    for name in ("product.html", "shop.html", "category.html", "base.html", "_macros.html"):
        assert name in loaded_before_fork
