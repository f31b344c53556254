"""``/pesanan/`` ("Pesanan saya"), written at build time, in the site's
layout: the orders remembered on this phone (the theme's ``js/pesanan.js``,
which the confirmation page loads to remember its link) and the lookup form
by order code + WhatsApp number (``GET /api/pesanan``, no JavaScript)."""

from pathlib import Path

from lifecycle import states
from warung.text import texts
from warung_catalog.files import write_if_changed

from .posters import render


def write_page(output: Path, theme: Path) -> None:
    words = texts()["cari_pesanan"]
    status = {**texts()["status_pesanan"], "dikirim": words["dikirim"]}
    html = render(theme, "pesanan.html", W=words, title=words["judul"], code_text="",
                  phone_text="", status_words={k: status[k] for k in states.STATUSES})
    write_if_changed(Path(output) / "pesanan" / "index.html", html)
