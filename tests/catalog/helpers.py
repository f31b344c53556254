"""Helpers for the catalog plugin's tests: small content trees in tmp_path,
phone-like photos (EXIF orientation, GPS, ICC, a comment) and a Pelican run
with a tiny theme of our own (``tests/catalog/theme``)."""

import json
import os
import subprocess
import sys
import zlib
from pathlib import Path

from PIL import ExifTags, Image, ImageCms

ROOT = Path(__file__).resolve().parents[2]
TINY_THEME = Path(__file__).with_name("theme")

SHOP = {
    "Title": "Kopi Wanayasa",
    "WhatsApp": "0812-3456-7890",
    "Email": "kopi@contoh.id",
    "Kecamatan": "Wanayasa",
    "Payment": "cod, transfer",
    "Delivery": "ambil, antar",
    "DeliveryFee": "Wanayasa=5000; lainnya=15000",
}


def product(title="Kopi Arabika", price="45000", category="Minuman",
            image="images/arabika.jpg", **more) -> dict:
    return {"Title": title, "Price": price, "Category": category, "Image": image, **more}


def write_md(path: Path, meta: dict, body: str = "Keterangan produk.") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [f"{key}: {value}" for key, value in meta.items()]
    path.write_text("\n".join(lines) + "\n\n" + body + "\n", encoding="utf-8")
    return path


def phone_photo(path: Path, size=(1200, 900), orientation=6, color=None) -> Path:
    """A JPEG as a phone writes it: rotated by EXIF, with GPS, ICC and a comment.
    Different file names give different pictures (and so different hashes)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if color is None:
        seed = zlib.crc32(path.name.encode())
        color = (seed % 256, seed // 256 % 256, seed // 65536 % 256)
    image = Image.new("RGB", size, color)
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "PhoneMaker"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[1], gps[2] = "S", (6.0, 33.0, 12.5)
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    image.save(path, "JPEG", exif=exif, icc_profile=icc, comment=b"lokasi rumah")
    return path


def make_shop(shops: Path, folder="kopi-wanayasa", products=None, shop=None) -> Path:
    """A valid shop folder with its products (file stem -> metadata) and photos."""
    base = shops / folder
    write_md(base / "shop.md", shop or SHOP, "Kopi dari lereng Burangrang.")
    for stem, meta in (products or {"arabika": product()}).items():
        write_md(base / f"{stem}.md", meta)
        for key in ("Image", "Images"):
            for name in filter(None, (n.strip() for n in meta.get(key, "").split(","))):
                if not (base / name).exists():
                    phone_photo(base / name)
    return base


def run_pelican(content: Path, destination: Path, theme: Path | None = TINY_THEME,
                module="pelican", **warung_settings) -> subprocess.CompletedProcess:
    """The real ``pelican`` CLI (or ``module``, e.g. ``warung_catalog.build``
    as `make html` runs it), by default with the tiny test theme."""
    settings = {"PRIVATE_CATALOG": str(destination / "private" / "katalog.json"),
                "IMAGE_CACHE": str(destination / "cache" / "images"), **warung_settings}
    # One -e with every pair: a second -e would replace the first.
    overrides = [f"WARUNG={json.dumps(settings)}"]
    if theme is not None:
        overrides.append(f"THEME={json.dumps(str(theme))}")
    command = [sys.executable, "-m", module, str(content), "-o", str(destination / "output"),
               "-s", str(ROOT / "pelicanconf.py"), "-e", *overrides]
    path = os.pathsep.join(str(p) for p in (ROOT / "functions", ROOT / "plugins", ROOT))
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": path})
