"""``/pesanan/`` ("Pesanan saya"), written at build time: the lookup form by
order code + WhatsApp number (``GET /api/pesanan``, works without
JavaScript), in the site's layout."""

from pathlib import Path

from warung.text import texts

from .posters import render, write_if_changed


def write_page(output: Path, theme: Path) -> None:
    words = texts()["cari_pesanan"]
    html = render(theme, "pesanan.html", W=words, title=words["judul"],
                  code_text="", phone_text="")
    write_if_changed(Path(output) / "pesanan" / "index.html", html)
