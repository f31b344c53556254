"""Printable A5 QR posters, one per shop, at ``/toko/<shop>/poster/``.

Made at build time from the ``katalog.json`` the catalog plugin just wrote
(Pelican's ``finalized`` signal): the shop's name, a QR code (SVG, segno)
to the shop page, its WhatsApp number, its payment methods and the
programme's name. Also ``/pesanan/`` ("Pesanan saya": the order lookup
form, ``pesanan.py``). ``make poster`` (``python -m warung_poster``) writes one
HTML file with every shop's poster, one per printed page.
"""

from pathlib import Path

from pelican import signals

from .pesanan import write_page
from .posters import write_shop_posters


def build_posters(pelican) -> None:
    output = Path(pelican.output_path)
    write_page(output, Path(pelican.settings["THEME"]))
    catalog = output / "katalog.json"
    warung = pelican.settings.get("WARUNG") or {}
    cache = Path(warung["IMAGE_CACHE"]).parent / "qr.json" if warung.get("IMAGE_CACHE") else None
    if catalog.is_file():
        write_shop_posters(catalog, output, Path(pelican.settings["THEME"]), cache)


def register() -> None:
    signals.finalized.connect(build_posters)
