"""Product-page weight with a real-ish 12 MP phone photo, on a 360 px DPR-2 phone.

    python bench/photo_weight.py [--keep DIR]

Synthesises a 4000x3000 phone photo with texture, blur and sensor grain
(not flat colours, which flatter every encoder), builds the sample catalog
with one product using it (the real theme, as `make html` does), and adds up
what a 360 px wide phone at DPR 2 downloads for that product page: the HTML,
the stylesheet and scripts it links (gzip sizes, as the CDN serves them), and
for each eager image the srcset candidate the browser picks for its
``sizes`` slot (the WebP source). Goal (issue 11): at most 60 KB in total.
"""

import argparse
import gzip
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parents[1]
VIEWPORT, DPR, EM = 360, 2, 16
GOAL_KB = 60


def phone_photo(path: Path, seed: int = 7) -> None:
    """A 12 MP JPEG with the detail a phone photo has: about 2.7 MB, and 110 KB
    as a 1024 px WebP at quality 72 (a real one measured 126 KB)."""
    rng, (width, height) = random.Random(seed), (4000, 3000)
    ramp = Image.linear_gradient("L").resize((width, height))
    image = Image.merge("RGB", [ramp.point(lambda v: 90 + v // 3), ramp.point(lambda v: 70 + v // 4),
                                ramp.point(lambda v: 50 + v // 5)])
    draw = ImageDraw.Draw(image)
    for _ in range(60):
        x, y, r = rng.randrange(width), rng.randrange(height), rng.randrange(80, 700)
        draw.ellipse([x - r, y - r, x + r, y + r],
                     fill=(rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    image = image.filter(ImageFilter.GaussianBlur(4))
    texture = Image.effect_noise((width // 3, height // 3), 40).resize((width, height), Image.BICUBIC)
    image = Image.blend(image, texture.convert("RGB"), 0.35)
    image = Image.blend(image, Image.effect_noise((width, height), 18).convert("RGB"), 0.12)
    image.save(path, "JPEG", quality=90)


def slot_px(sizes: str) -> float:
    """The CSS px width ``sizes`` gives at the phone's viewport."""
    for part in (p.strip() for p in sizes.split(",")):
        match = re.match(r"\(min-width:\s*([\d.]+)(em|px)\)\s*(.+)", part)
        if match:
            if float(match[1]) * (EM if match[2] == "em" else 1) > VIEWPORT:
                continue
            part = match[3]
        value = re.match(r"([\d.]+)(vw|px|em)", part)
        number = float(value[1])
        return {"vw": number * VIEWPORT / 100, "px": number, "em": number * EM}[value[2]]
    return VIEWPORT


def picked(srcset: str, sizes: str) -> tuple[str, int]:
    """The candidate a DPR-2 phone picks: the smallest at least slot x DPR wide."""
    candidates = sorted((int(w), url) for url, w in re.findall(r"(\S+) (\d+)w", srcset))
    needed = slot_px(sizes) * DPR
    return next(((url, w) for w, url in candidates if w >= needed), candidates[-1][::-1])


def page_weight(output: Path, page: str) -> dict:
    html = (output / page).read_bytes()
    text = html.decode("utf-8")
    parts = {"html": len(gzip.compress(html, 9))}
    for link in re.findall(r'<(?:link rel="stylesheet" href|script src)="(/[^"]+)"', text):
        parts[link] = len(gzip.compress((output / link.lstrip("/")).read_bytes(), 9))
    for picture in re.findall(r"<picture>.*?</picture>", text, re.S):
        if 'loading="lazy"' in picture:
            continue
        source = re.search(r'<source type="image/webp" srcset="([^"]+)" sizes="([^"]+)"', picture)
        url, width = picked(source[1], source[2])
        parts[f"{url} ({width}w)"] = (output / url.lstrip("/")).stat().st_size
    return parts


def build(work: Path) -> Path:
    content = work / "content"
    shutil.copytree(ROOT / "content", content)
    product = next(p for p in sorted((content / "shops").glob("*/*.md")) if p.name != "shop.md")
    photo = product.parent / "images" / "foto-hp-12mp.jpg"
    phone_photo(photo)
    text = re.sub(r"(?mi)^image:.*$", "Image: images/foto-hp-12mp.jpg", product.read_text("utf-8"), 1)
    text = re.sub(r"(?mi)^images:.*\n", "", text)
    product.write_text(text, encoding="utf-8")
    warung = {"PRIVATE_CATALOG": str(work / "private.json"), "IMAGE_CACHE": str(work / "cache" / "images")}
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        str(p) for p in (ROOT / "functions", ROOT / "plugins", ROOT))}
    subprocess.run([sys.executable, "-m", "warung_catalog.build", str(content), "-o", str(work / "output"),
                    "-s", str(ROOT / "pelicanconf.py"), "-e", f"WARUNG={json.dumps(warung)}"],
                   cwd=ROOT, env=env, check=True, capture_output=True)
    return Path("toko") / product.parent.name / product.stem / "index.html"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", type=Path, help="build here and keep it")
    args = parser.parse_args(argv)
    work = args.keep or Path(tempfile.mkdtemp(prefix="warung-photo-"))
    try:
        page = build(work)
        parts = page_weight(work / "output", str(page))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    total = sum(parts.values())
    print(f"Product page with a 12 MP phone photo, {VIEWPORT} px phone at DPR {DPR}: /{page.parent}/")
    for name, size in parts.items():
        print(f"  {name:70} {size / 1024:6.1f} KB")
    print(f"  {'total':70} {total / 1024:6.1f} KB  (goal <= {GOAL_KB} KB: "
          f"{'OK' if total <= GOAL_KB * 1024 else 'OVER'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
