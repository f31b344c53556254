"""Warung Online's Pelican plugin: the whole catalog build.

Reads ``content/shops/``, validates it (every problem at once, in
Indonesian), processes sellers' photos, renders the catalog pages and writes
``katalog.json``, the private catalog, the search index, the sitemap and
robots.txt. See docs/ARCHITECTURE.md for the settings and template context.
"""

import functools

# Pelican and the build are imported only when Pelican registers the plugin,
# so `python -m warung_catalog.build` can skip an unchanged build without
# paying for them.


def configure(pelican) -> None:
    """Merge WARUNG over the defaults once, before any generator exists."""
    from .settings import merge
    pelican.settings["WARUNG"] = merge(pelican.settings.get("WARUNG"))


def template_helpers() -> list:
    """The modules behind the filters and globals templates call: their
    source is part of every page's inputs (generator.py), so a change in
    them re-renders the pages, as a template edit does."""
    from warung import phone, rupiah

    from . import fragments, page_data, template_runtime
    return [phone, rupiah, fragments, page_data, template_runtime]


@functools.cache
def template_helper_sources() -> tuple[str, ...]:
    """Their source as this process runs it: read once, when the first build
    has just imported them, so that a long-lived builder (devbuild.py) never
    writes pages made by its old code under the hash of an edited file (the
    dev server's watcher starts a new builder for such an edit)."""
    from pathlib import Path
    return tuple(Path(module.__file__).read_text(encoding="utf-8")
                 for module in template_helpers())


def extend_jinja(generator) -> None:
    """Every template (the catalog's and Pelican's pages) gets the same helpers."""
    from warung import phone, rupiah, wilayah
    from warung.text import texts

    from .fragments import Once, with_keys
    from .page_data import product_jsonld, product_script_data
    from .template_runtime import CatalogContext, CatalogTemplate, escape_filter
    generator.env.template_class = CatalogTemplate
    generator.env.context_class = CatalogContext
    generator.env.filters["e"] = generator.env.filters["escape"] = escape_filter
    generator.env.filters["rupiah"] = rupiah.format_rupiah
    generator.env.bytecode_cache = _bytecode_cache(generator.settings)
    generator.env.globals.update(
        T=with_keys(texts()),
        WARUNG=generator.settings["WARUNG"],
        whatsapp_link=phone.whatsapp_link,
        kecamatan_names=wilayah.kecamatan_names(),
        once=Once(),
        product_jsonld=product_jsonld,
        product_script_data=product_script_data,
    )
    generator.env.make_globals = _flat_globals(generator.env)


def _flat_globals(env):
    """Each template's globals as a plain dict (the environment's, then its
    own) instead of Jinja's ChainMap over them: every page that imports the
    macros had Jinja compare the two key by key in Python (a twentieth of
    rendering a product page). The environment's globals are complete by
    now (Pelican and this plugin set them when a generator is made, before
    any template loads); a global added later would not reach a template
    already loaded."""
    def make_globals(own=None) -> dict:
        return {**env.globals, **(own or {})}

    return make_globals


def _bytecode_cache(settings: dict):
    """Compiled templates kept between builds (checked against their source),
    per set of Jinja options (which the cache's keys do not include)."""
    import hashlib

    from jinja2 import FileSystemBytecodeCache

    from .settings import cache_dir
    options = hashlib.sha256(repr(sorted(settings.get("JINJA_ENVIRONMENT", {}).items()))
                             .encode()).hexdigest()[:12]
    folder = cache_dir(settings["WARUNG"]) / "jinja" / options
    folder.mkdir(parents=True, exist_ok=True)
    return FileSystemBytecodeCache(str(folder))


def add_generator(pelican):
    from .generator import CatalogGenerator
    return CatalogGenerator


def minify(pelican) -> None:
    from .scripts import minify_scripts
    minify_scripts(pelican)


def register() -> None:
    from pelican import signals
    signals.initialized.connect(configure)
    signals.generator_init.connect(extend_jinja)
    signals.get_generators.connect(add_generator)
    signals.finalized.connect(minify)
