"""Poster rendering (no Pelican needed): catalog -> HTML.

``qr_svg(url)``: the QR code as an inline ``<svg>`` (segno, error
correction M, no XML declaration). ``poster_view(shop, site)``: what one
poster shows. Templates (the plugin's, unless the theme has its own):
``poster.html``, a shop's page in the functions' page layout
(``backend/templates/base.html``: the site's header and footer partials,
needing no Pelican context; hidden in print by ``poster.css``, written to
``/theme/css/poster.css``); ``posters.html``, every shop one per printed
page with the same CSS inline; both show ``_poster.html``.
"""

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from warung.phone import display_mobile
from warung.text import texts
from warung_catalog.cache import JsonCache
from warung_catalog.files import write_if_changed
from warung_catalog.signature import tree_signature

ROOT = Path(__file__).resolve().parents[2]
CHROME = ROOT / "functions" / "warung" / "templates"
OWN = Path(__file__).with_name("templates")  # a theme may override them
LAYOUT = ROOT / "functions" / "backend" / "templates"  # "layout/base.html"


POSTERS_PARALLEL_FROM = 50  # posters to make before forking is worth it


def shop_url(site: dict, shop: dict) -> str:
    return str(site.get("url") or "").rstrip("/") + shop["url"]


@lru_cache(maxsize=None)  # a pure function of the url; segno takes ~2 ms a code
def qr_svg(url: str) -> str:
    import segno

    from warung_poster.segno_speedups import faster_segno, svg_inline

    with faster_segno():  # segno's code, made faster
        code = segno.make_qr(url, error="m")
    return svg_inline(code, title=url)


class QrCache:
    """QR codes made by earlier builds, by url, in a JSON file (``path``; None:
    this process only): a rebuild makes codes only for new shop urls."""

    def __init__(self, path: Path | None):
        import segno

        self.path, self.version, self.codes = path, segno.__version__, {}
        try:
            known = json.loads(path.read_text(encoding="utf-8")) if path else {}
            if known.get("segno") == self.version:
                self.codes = known["codes"]
        except (OSError, ValueError, KeyError, AttributeError):
            pass
        self.changed = False

    def __call__(self, url: str) -> str:
        if url not in self.codes:
            self.codes[url], self.changed = qr_svg(url), True
        return self.codes[url]

    def remember(self, url: str, code: str) -> None:
        """A code made elsewhere (a worker: ``ShopPosters``)."""
        if self.codes.get(url) != code:
            self.codes[url], self.changed = code, True

    def save(self, used: set[str]) -> None:
        if self.path and (self.changed or set(self.codes) != used):
            codes = {url: self.codes[url] for url in sorted(used)}
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_text(json.dumps({"segno": self.version, "codes": codes}),
                                 encoding="utf-8")


def poster_view(shop: dict, site: dict, qr=qr_svg) -> dict:
    words = texts()
    url = shop_url(site, shop)
    return {
        "id": shop["id"], "title": shop["title"], "url": url,
        "qr": qr(url), "kecamatan": shop.get("kecamatan", ""),
        "whatsapp": display_mobile(shop["whatsapp"]) if shop.get("whatsapp") else "",
        "payment": [words["payment"].get(p, p) for p in shop.get("payment") or ["cod"]],
    }


@lru_cache(maxsize=4)
def _env(theme: str):
    from jinja2 import (ChoiceLoader, Environment, FileSystemLoader, PrefixLoader,
                        StrictUndefined)

    loader = ChoiceLoader([
        PrefixLoader({"layout": FileSystemLoader(str(LAYOUT))}),
        FileSystemLoader([str(Path(theme) / "templates"), str(OWN), str(CHROME),
                          str(ROOT / "functions" / "sellerpage" / "templates")]),
    ])
    return Environment(loader=loader,
                       autoescape=True, undefined=StrictUndefined,
                       trim_blocks=True, lstrip_blocks=True)


def render(theme: Path, name: str, **context) -> str:
    words = texts()
    return _env(str(theme)).get_template(name).render(T=words, P=words["poster"], **context)


def _templates_stamp(theme: Path) -> str:
    """What every poster depends on besides its shop: the templates' files and
    the code that fills them (their stat: path, size, mtime, inode), the texts
    and segno's version."""
    import segno

    folders = [Path(theme) / "templates", OWN, CHROME, LAYOUT,
               ROOT / "functions" / "sellerpage" / "templates",
               Path(__file__).parent, ROOT / "functions" / "warung"]
    signed = [[str(f), tree_signature(f)] for f in folders]
    return hashlib.sha256(json.dumps([signed, texts(), segno.__version__], sort_keys=True,
                                     default=str).encode()).hexdigest()


def _poster_key(shop: dict, site: dict) -> str:
    return hashlib.sha256(json.dumps([shop, site], sort_keys=True).encode()).hexdigest()


class ShopPosters:
    """``output/toko/<shop>/poster/index.html`` for every shop of ``catalog``
    (``katalog.json``, or its ``site`` and ``shops`` as a dict). ``qr_cache``:
    a file keeping the QR codes between builds, and beside it
    ``posters.json``: the hash of each written poster's shop, so a rebuild
    renders only the posters whose shop changed (all of them when a template,
    the code or a text did: the cache's version is their stamp).

    Made as soon as the catalog is read: the posters that are due are then
    rendered (their new QR codes made, ~2 ms each) on every core while the
    build renders its pages, and ``write`` (once the pages are written)
    writes them. ``stop`` when the build failed."""

    def __init__(self, catalog: Path | dict, output: Path, theme: Path,
                 qr_cache: Path | None = None):
        from warung_catalog.parallel import Forked

        if not isinstance(catalog, dict):
            catalog = json.loads(Path(catalog).read_text(encoding="utf-8"))
        self.output, self.theme = Path(output), theme
        self.site = catalog.get("site") or {}
        self.shops = catalog.get("shops") or {}
        self.written = (JsonCache(qr_cache.with_name("posters.json"), _templates_stamp(theme))
                        if qr_cache else None)
        self.targets = {str(self.output / "toko" / shop["id"] / "poster" / "index.html"):
                        (shop, _poster_key(shop, self.site)) for shop in self.shops.values()}
        written = self.written
        self.todo = {target: shop for target, (shop, key) in self.targets.items()
                     if written is None or written.get(target) != key
                     or not Path(target).is_file()}
        # The QR codes are read only when a poster is due or a shop went.
        self.touched = bool(self.todo) or written is None or bool(written.unused())
        self.codes = QrCache(qr_cache if self.touched else None)
        self.rendering = Forked(self._render, list(self.todo.values()),
                                min_items=POSTERS_PARALLEL_FROM)

    def _render(self, shop: dict) -> tuple[str, str]:
        """(the shop's QR code, its poster's HTML)."""
        url = shop_url(self.site, shop)
        html = render(self.theme, "poster.html", poster=poster_view(shop, self.site, self.codes),
                      title=texts()["poster"]["judul"].format(shop=shop["title"]))
        return self.codes(url), html

    def stop(self) -> None:
        self.rendering.stop()

    def write(self) -> int:
        """Write the posters that are due; returns how many shops have one."""
        site, codes = self.site, self.codes
        for (target, shop), (code, html) in zip(self.todo.items(), self.rendering.results()):
            codes.remember(shop_url(site, shop), code)
            write_if_changed(Path(target), html)
        if self.touched:
            codes.save({shop_url(site, shop) for shop in self.shops.values()})
        if self.written is not None:
            for target, (_, key) in self.targets.items():
                self.written.set(target, key)
            self.written.save()
        css = (OWN / "poster.css").read_text(encoding="utf-8")
        write_if_changed(self.output / "theme" / "css" / "poster.css", css)
        return len(self.shops)


def write_shop_posters(catalog: Path | dict, output: Path, theme: Path,
                       qr_cache: Path | None = None) -> int:
    """Every shop's poster (``ShopPosters``), at once; returns how many."""
    return ShopPosters(catalog, output, theme, qr_cache).write()


def write_all(catalog_path: Path, out: Path, theme: Path) -> int:
    """One HTML file with every shop's poster, one per page."""
    catalog = json.loads(Path(catalog_path).read_text(encoding="utf-8"))
    site = catalog.get("site") or {}
    shops = sorted((catalog.get("shops") or {}).values(), key=lambda s: s["title"].lower())
    html = render(theme, "posters.html", posters=[poster_view(s, site) for s in shops],
                  title=texts()["poster"]["judul_semua"])
    write_if_changed(Path(out), html)
    return len(shops)
