"""Printable A5 QR posters, one per shop, at ``/toko/<shop>/poster/``.

Made at build time (Pelican's ``finalized`` signal) from the shops of the
same build's catalog generator (``katalog.json`` when there is none): the
shop's name, a QR code (SVG, segno) to the shop page, its WhatsApp number,
its payment methods and the programme's name. Also ``/pesanan/`` ("Pesanan saya": the order lookup
form, ``pesanan.py``). ``make poster`` (``python -m warung_poster``) writes one
HTML file with every shop's poster, one per printed page.
"""

from pathlib import Path

from pelican import signals

from .pesanan import write_page
from .posters import write_shop_posters


# The catalog generator of the build running, by output folder: its shops,
# without parsing all of katalog.json again (0.2 s at 10,000 products).
_CATALOGS: dict = {}


def remember_catalog(generators) -> None:
    for generator in generators:
        if callable(getattr(generator, "shops_data", None)):
            _CATALOGS[str(Path(generator.output_path).resolve())] = generator


def build_posters(pelican) -> None:
    output = Path(pelican.output_path)
    write_page(output, Path(pelican.settings["THEME"]))
    generator = _CATALOGS.pop(str(output.resolve()), None)
    catalog = generator.shops_data() if generator is not None else output / "katalog.json"
    warung = pelican.settings.get("WARUNG") or {}
    cache = Path(warung["IMAGE_CACHE"]).parent / "qr.json" if warung.get("IMAGE_CACHE") else None
    if generator is not None or catalog.is_file():
        write_shop_posters(catalog, output, Path(pelican.settings["THEME"]), cache)


def register() -> None:
    signals.all_generators_finalized.connect(remember_catalog)
    signals.finalized.connect(build_posters)
