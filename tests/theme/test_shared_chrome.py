"""One home each for the page skeleton, the site's scripts and the JS helpers:
the theme's pages and the functions' pages share warung/templates/_layout.html,
and cart.js and search.js share warung.js."""

import re
from pathlib import Path

from warung.text import texts

from .helpers import css_rules, parse

ROOT = Path(__file__).resolve().parents[2]
JS = ROOT / "theme" / "static" / "js"
# Web page templates. The mailer's emails are not web pages: mail clients
# need their own inline-styled skeleton.
PAGE_TEMPLATES = [p for p in [*(ROOT / "theme" / "templates").rglob("*.html"),
                              *(ROOT / "functions").rglob("templates/*.html")]
                  if "mailer" not in p.parts]
SKELETON_LINES = ["<!doctype html>", '<meta charset="utf-8">', '<meta name="viewport"',
                  '<link rel="stylesheet" href="/theme/css/site.css">', "<body>", "</html>"]


def test_the_page_skeleton_is_written_once():
    for line in SKELETON_LINES:
        homes = [p.relative_to(ROOT).as_posix() for p in PAGE_TEMPLATES
                 if line.lower() in p.read_text(encoding="utf-8").lower()]
        assert homes == ["functions/warung/templates/_layout.html"], (line, homes)


def render_function_page(tmp_path, body):
    """A functions' page (order, search) through the functions' own environment."""
    from backend.pages import environment

    (tmp_path / "page.html").write_text(
        '{% extends "base.html" %}{% block title %}Judul{% endblock %}'
        "{% block main %}" + body + "{% endblock %}", encoding="utf-8")
    return environment(tmp_path).get_template("page.html").render(T=texts())


def test_function_pages_use_the_shared_skeleton(tmp_path, built_site):
    html = render_function_page(tmp_path, "<p id=isi-halaman>Isi</p>")
    doc, theme = parse(html), parse((built_site.output / "index.html").read_text(encoding="utf-8"))
    head = doc.find("head")
    # The referrer policy is the functions' first own tag in <head>.
    metas = [m for m in head.find_all("meta") if m.get("name")]
    assert metas[1].get("name") == "referrer", metas
    assert head.find("title").text == f"Judul · {texts()['site_name']}"
    assert [m.get("content") for m in metas if m.get("name") == "robots"] == ["noindex,nofollow"]
    # No script unless a page asks; the same chrome as the theme's pages.
    assert not doc.find_all("script")
    for selector in ({"class": "top"}, {"class": "foot"}):
        assert doc.find(**selector) is not None and theme.find(**selector) is not None
    assert doc.find("main").find("p", id="isi-halaman") is not None
    assert [link.get("href") for link in head.find_all("link") if link.get("rel") == "stylesheet"] \
        == ["/theme/css/site.css"]


def test_pages_load_the_shared_helpers_before_the_scripts_using_them(built_site):
    pages = sorted(built_site.output.rglob("*.html"))
    assert pages
    for path in pages:
        sources = [s.get("src") for s in parse(path.read_text(encoding="utf-8")).find_all("script")
                   if s.get("src")]
        if sources:
            assert sources[:2] == ["/theme/js/warung.js", "/theme/js/cart.js"], (path, sources)
    results = (ROOT / "functions" / "search" / "templates" / "results.html").read_text(encoding="utf-8")
    assert '{% include "_site_scripts.html" %}' in results


def functions_of(source: str) -> dict[str, str]:
    """name -> whitespace-normalised text of each named function (braces counted)."""
    found = {}
    for match in re.finditer(r"\bfunction\s+([A-Za-z_$][\w$]*)\s*\(", source):
        depth, end = 0, source.index("{", match.end())
        for end in range(end, len(source)):
            depth += {"{": 1, "}": -1}.get(source[end], 0)
            if depth == 0:
                break
        found[match.group(1)] = " ".join(source[match.start():end + 1].split())
    return found


def test_functions_of_reads_whole_bodies():
    found = functions_of("function a(x) { if (x) { return {y: 1}; } }\nfunction b() {}")
    assert found == {"a": "function a(x) { if (x) { return {y: 1}; } }", "b": "function b() {}"}


def test_every_javascript_function_is_written_once():
    homes = {}
    for path in sorted(JS.glob("*.js")):
        for name, text in functions_of(path.read_text(encoding="utf-8")).items():
            homes.setdefault(name, {})[path.name] = text
    for helper in ("fill", "rupiah", "readJson", "make"):
        assert list(homes[helper]) == ["warung.js"], (helper, list(homes[helper]))
    # Same name in two scripts is fine (search.js's render is not cart.js's); the same code is not.
    copies = {name: list(files) for name, files in homes.items()
              if len(set(files.values())) < len(files)}
    assert not copies, copies


def test_a_disabled_button_looks_disabled():
    rules = css_rules((ROOT / "theme" / "static" / "css" / "site.css").read_text(encoding="utf-8"))
    assert "button:disabled" in rules and "button.alt:disabled" in rules

    def background(selector):
        return re.search(r"background:([^;]+)", rules[selector]).group(1)

    assert background("button:disabled") != background("button")
    assert background("button.alt:disabled") != background("button.alt")
    assert "not-allowed" in rules["button:disabled"]
