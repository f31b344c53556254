"""Printable A5 QR posters, one per shop, at ``/toko/<shop>/poster/``.

Started once the catalog is read (``all_generators_finalized``: from 50 due
posters on, they are rendered, new QR codes and all, on every core while the
pages render) and written at the end of the build (``finalized``), from the
shops of the same build's catalog generator (``katalog.json`` when there is
none): the shop's name, a QR code (SVG, segno) to the shop page, its WhatsApp
number, its payment methods and the programme's name. Also ``/pesanan/``
("Pesanan saya": the order lookup form, ``pesanan.py``). ``make poster``
(``python -m warung_poster``) writes one HTML file with every shop's poster,
one per printed page.
"""

from pathlib import Path

from pelican import signals

from .pesanan import write_page
from .posters import ShopPosters


# The posters of the build running, by output folder, started from the same
# build's catalog generator (its shops, without parsing all of katalog.json
# again) as soon as the catalog is read: they are rendered while the pages
# render.
_STARTED: dict = {}


def _qr_cache(settings: dict) -> Path | None:
    warung = settings.get("WARUNG") or {}
    return Path(warung["IMAGE_CACHE"]).parent / "qr.json" if warung.get("IMAGE_CACHE") else None


def stop_unwritten_posters(generator) -> None:
    """A build starts: posters that an earlier build in this process (the dev
    server's builder) started and, failing, never wrote stop their workers."""
    started = _STARTED.pop(str(Path(generator.output_path).resolve()), None)
    if started is not None:
        started.stop()


def start_posters(generators) -> None:
    for generator in generators:
        if callable(getattr(generator, "shops_data", None)):
            output = str(Path(generator.output_path).resolve())
            _STARTED[output] = ShopPosters(generator.shops_data(), Path(output),
                                           Path(generator.settings["THEME"]),
                                           _qr_cache(generator.settings))


def build_posters(pelican) -> None:
    output = Path(pelican.output_path)
    write_page(output, Path(pelican.settings["THEME"]))
    posters = _STARTED.pop(str(output.resolve()), None)
    if posters is None and (output / "katalog.json").is_file():
        posters = ShopPosters(output / "katalog.json", output, Path(pelican.settings["THEME"]),
                              _qr_cache(pelican.settings))
    if posters is not None:
        posters.write()


def register() -> None:
    signals.generator_init.connect(stop_unwritten_posters)
    signals.all_generators_finalized.connect(start_posters)
    signals.finalized.connect(build_posters)
