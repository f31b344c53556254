"""Generate the sample catalog's product photos and shop logos with Pillow.

Reads every ``content/shops/*/*.md`` file, collects the photo paths named by
``Image``, ``Images`` and ``Logo`` and draws a simple illustration for each:
a coloured background for the category, a motif (cup, plate, pot, batik
cloth, fruit, woven bamboo) and the product name. Output is deterministic:
each picture is seeded from its path, so re-running rewrites identical files.

Most photos are small (800x600, JPEG quality 80). Two behave like photos
straight from a phone, so the build's photo handling is really exercised:

- ``gerabah-plered/images/guci-keramik-hias.jpg``: 12 megapixels stored
  sideways (4000x3000 pixels with EXIF Orientation=6, i.e. shown as a
  3000x4000 portrait), with GPS coordinates of Plered;
- ``kopi-wanayasa/images/manggis-wanayasa.jpg``: 2000x1500 with camera
  make/model, capture date and GPS coordinates of Wanayasa.

Usage: python scripts/make_sample_photos.py [CONTENT_SHOPS_DIR]
"""

import random
import re
import sys
import zlib
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

ROOT = Path(__file__).resolve().parents[1]
SHOPS = ROOT / "content" / "shops"
sys.path[:0] = [str(ROOT / "functions"), str(ROOT / "plugins")]  # the build's own reader
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")

SIZE = (800, 600)
LOGO_SIZE = (400, 400)
QUALITY = 80

# EXIF tags (see the EXIF 2.32 spec / PIL.ExifTags).
TAG_MAKE, TAG_MODEL, TAG_ORIENTATION, TAG_DATETIME = 0x010F, 0x0110, 0x0112, 0x0132
TAG_GPS_IFD = 0x8825

# (displayed size, orientation, exif extras, (lat, lon)) for the phone-like photos.
PHONE_PHOTOS = {
    "gerabah-plered/images/guci-keramik-hias.jpg": {
        "display": (3000, 4000), "orientation": 6,
        "make": "samsung", "model": "SM-A057F", "date": "2026:10:14 09:21:37",
        "gps": (-6.6297, 107.3972),  # Anjun, Plered
    },
    "kopi-wanayasa/images/manggis-wanayasa.jpg": {
        "display": (2000, 1500), "orientation": 1,
        "make": "Xiaomi", "model": "Redmi 13C", "date": "2026:11:02 07:45:12",
        "gps": (-6.6856, 107.5611),  # Wanayasa
    },
}

PALETTES = {
    # category: (background top, background bottom, accent, accent 2, ink)
    "makanan": ((252, 211, 140), (236, 150, 76), (190, 84, 34), (255, 244, 214), (70, 34, 12)),
    "minuman": ((214, 182, 148), (140, 92, 60), (92, 52, 28), (245, 230, 205), (45, 25, 12)),
    "kerajinan": ((240, 200, 170), (196, 110, 72), (150, 70, 40), (70, 110, 160), (60, 28, 14)),
    "fashion": ((190, 200, 230), (60, 74, 140), (150, 90, 40), (245, 232, 200), (20, 24, 60)),
    "pertanian": ((210, 236, 180), (110, 170, 80), (90, 40, 90), (60, 120, 40), (24, 50, 16)),
    "logo": ((255, 250, 240), (240, 228, 205), (25, 110, 90), (230, 140, 40), (20, 50, 40)),
}


def font(size, bold=True):
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    try:
        return ImageFont.truetype(str(FONT_DIR / name), size)
    except OSError:
        return ImageFont.load_default(size)


def read_meta(path: Path) -> dict:
    """The file's metadata as the build reads it (lower-cased keys, raw values)."""
    from warung_catalog.reader import parse

    return parse(path.read_bytes()).values()


def wanted_photos(shops: Path) -> dict:
    """``{relative photo path: (title, category, shop title)}`` for every file referenced."""
    photos = {}
    for shop_dir in sorted(p for p in shops.iterdir() if p.is_dir()):
        shop_meta = read_meta(shop_dir / "shop.md") if (shop_dir / "shop.md").exists() else {}
        shop_title = shop_meta.get("title", shop_dir.name)
        if shop_meta.get("logo"):
            photos[f"{shop_dir.name}/{shop_meta['logo']}"] = (shop_title, "logo", shop_title)
        for product in sorted(shop_dir.glob("*.md")):
            if product.name == "shop.md":
                continue
            meta = read_meta(product)
            paths = [meta.get("image", "")] + re.split(r"\s*,\s*", meta.get("images", ""))
            category = meta.get("category", "makanan").casefold()
            for rel in filter(None, paths):
                photos[f"{shop_dir.name}/{rel}"] = (meta.get("title", product.stem), category, shop_title)
    return photos


def gradient(size, top, bottom):
    """A vertical two-colour gradient (drawn as a 1-pixel column, then stretched)."""
    column = Image.new("RGB", (1, 256))
    for y in range(256):
        t = y / 255
        column.putpixel((0, y), tuple(round(a + (b - a) * t) for a, b in zip(top, bottom)))
    return column.resize(size, Image.BICUBIC)


def mix(colour, other, t):
    return tuple(round(a + (b - a) * t) for a, b in zip(colour, other))


def draw_cup(draw, rng, box, pal):
    x0, y0, x1, y1 = box
    w = x1 - x0
    cx = (x0 + x1) // 2
    draw.ellipse((cx - w * 0.42, y1 - w * 0.14, cx + w * 0.42, y1 + w * 0.06), fill=pal[3])
    draw.rounded_rectangle((cx - w * 0.26, y0 + w * 0.22, cx + w * 0.26, y1 - w * 0.02), 28, fill=pal[2])
    draw.ellipse((cx + w * 0.16, y0 + w * 0.34, cx + w * 0.42, y0 + w * 0.6), outline=pal[2], width=max(8, int(w // 28)))
    draw.ellipse((cx - w * 0.26, y0 + w * 0.16, cx + w * 0.26, y0 + w * 0.28), fill=mix(pal[2], (0, 0, 0), 0.35))
    for i in range(3):
        sx = cx - w * 0.14 + i * w * 0.14
        points = [(sx + 12 * ((j % 2) * 2 - 1) * rng.uniform(0.6, 1.2), y0 + w * 0.12 - j * w * 0.05) for j in range(5)]
        draw.line(points, fill=pal[3], width=max(5, int(w // 50)), joint="curve")


def draw_plate(draw, rng, box, pal):
    x0, y0, x1, y1 = box
    cx, cy = (x0 + x1) // 2, (y0 + y1) // 2 + (y1 - y0) // 8
    rx, ry = (x1 - x0) * 0.46, (y1 - y0) * 0.3
    draw.ellipse((cx - rx, cy - ry + 12, cx + rx, cy + ry + 12), fill=mix(pal[2], (0, 0, 0), 0.3))
    draw.ellipse((cx - rx, cy - ry, cx + rx, cy + ry), fill=pal[3])
    draw.ellipse((cx - rx * 0.75, cy - ry * 0.75, cx + rx * 0.75, cy + ry * 0.75), outline=mix(pal[3], pal[2], 0.25), width=4)
    for _ in range(rng.randint(6, 10)):
        px = cx + rng.uniform(-0.5, 0.5) * rx
        py = cy + rng.uniform(-0.45, 0.35) * ry
        r = rng.uniform(0.12, 0.2) * rx
        shade = mix(pal[1], pal[2], rng.uniform(0, 0.8))
        draw.ellipse((px - r, py - r * 0.55, px + r, py + r * 0.55), fill=shade, outline=mix(shade, (0, 0, 0), 0.2), width=3)


def draw_pot(draw, rng, box, pal):
    x0, y0, x1, y1 = box
    cx = (x0 + x1) / 2
    w, h = x1 - x0, y1 - y0
    neck, belly, foot = w * rng.uniform(0.14, 0.2), w * rng.uniform(0.36, 0.44), w * 0.2
    outline = [
        (cx - neck * 1.3, y0), (cx + neck * 1.3, y0), (cx + neck, y0 + h * 0.12),
        (cx + belly, y0 + h * 0.5), (cx + foot, y1), (cx - foot, y1),
        (cx - belly, y0 + h * 0.5), (cx - neck, y0 + h * 0.12),
    ]
    draw.polygon(outline, fill=pal[2])
    for i in range(3):
        y = y0 + h * (0.38 + i * 0.1)
        half = belly * (0.92 - abs(0.5 - (0.38 + i * 0.1)) * 0.8)
        draw.line((cx - half, y, cx + half, y), fill=pal[3], width=max(6, int(w / 40)))
    for _ in range(5):
        px, py = cx + rng.uniform(-0.5, 0.5) * belly, y0 + h * rng.uniform(0.48, 0.7)
        r = w * 0.03
        draw.ellipse((px - r, py - r, px + r, py + r), fill=mix(pal[3], (255, 255, 255), 0.4))


def draw_weave(draw, rng, box, pal):
    x0, y0, x1, y1 = box
    step = max(24, int((x1 - x0) / 12))
    light, dark = mix(pal[3], (255, 230, 170), 0.6), mix(pal[2], (120, 80, 30), 0.5)
    draw.rounded_rectangle(box, 30, fill=dark)
    for row, y in enumerate(range(int(y0), int(y1) - step // 2, step)):
        for col, x in enumerate(range(int(x0), int(x1) - step // 2, step)):
            if (row + col) % 2 == 0:
                draw.rectangle((x + 3, y + step * 0.2, x + step - 3, y + step * 0.8), fill=light)
            else:
                draw.rectangle((x + step * 0.2, y + 3, x + step * 0.8, y + step - 3), fill=mix(light, dark, 0.25))


def draw_batik(draw, rng, box, pal):
    x0, y0, x1, y1 = box
    cloth, ink = pal[3], pal[2]
    draw.rounded_rectangle(box, 16, fill=cloth)
    step = int((x1 - x0) / rng.choice((5, 6, 7)))
    for row, y in enumerate(range(int(y0) + step // 2, int(y1), step)):
        for col, x in enumerate(range(int(x0) + step // 2, int(x1), step)):
            if (row + col) % 2:
                r = step * 0.32
                draw.ellipse((x - r, y - r, x + r, y + r), outline=ink, width=5)
                draw.ellipse((x - r * 0.35, y - r * 0.35, x + r * 0.35, y + r * 0.35), fill=pal[1])
            else:
                r = step * 0.28
                draw.polygon([(x, y - r), (x + r, y), (x, y + r), (x - r, y)], fill=ink)
                for dx, dy in ((-r, -r), (r, -r), (r, r), (-r, r)):
                    draw.ellipse((x + dx - 4, y + dy - 4, x + dx + 4, y + dy + 4), fill=ink)


def draw_fruit(draw, rng, box, pal):
    x0, y0, x1, y1 = box
    w = x1 - x0
    for _ in range(rng.randint(4, 7)):
        r = w * rng.uniform(0.1, 0.16)
        cx = rng.uniform(x0 + r, x1 - r)
        cy = rng.uniform(y0 + r + w * 0.08, y1 - r)
        body = mix(pal[2], (120, 30, 60), rng.uniform(0, 0.5))
        draw.ellipse((cx - r + 6, cy - r + 10, cx + r + 6, cy + r + 10), fill=mix(pal[1], (0, 0, 0), 0.3))
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=body)
        draw.ellipse((cx - r * 0.55, cy - r * 0.6, cx - r * 0.15, cy - r * 0.25), fill=mix(body, (255, 255, 255), 0.35))
        draw.pieslice((cx - r * 0.5, cy - r * 1.25, cx + r * 0.5, cy - r * 0.55), 180, 360, fill=pal[3])


def draw_logo(image, rng, title, pal):
    draw = ImageDraw.Draw(image)
    w, h = image.size
    draw.ellipse((w * 0.08, h * 0.08, w * 0.92, h * 0.92), fill=pal[2])
    draw.ellipse((w * 0.14, h * 0.14, w * 0.86, h * 0.86), outline=pal[3], width=10)
    initials = "".join(word[0] for word in title.split() if word[0].isalnum())[:2].upper()
    big = font(int(h * 0.34))
    draw.text((w / 2, h / 2), initials, font=big, fill=(255, 255, 255), anchor="mm")


MOTIFS = {
    "minuman": draw_cup,
    "makanan": draw_plate,
    "kerajinan": draw_pot,
    "fashion": draw_batik,
    "pertanian": draw_fruit,
}

# Produce colours by keyword in the product name (default: mangosteen purple).
PRODUCE_COLOURS = {
    "salak": (120, 66, 38), "pisang": (236, 200, 52), "alpukat": (74, 112, 42),
    "durian": (150, 146, 54), "beras merah": (150, 58, 44), "beras": (246, 242, 226),
    "ketan": (250, 250, 244), "kacang": (214, 172, 112),
}

WOVEN = ("bambu", "anyaman", "boboko", "nyiru", "besek", "aseupan", "tudung")


def wrap(draw, text, fnt, width):
    lines, line = [], ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if draw.textlength(trial, font=fnt) <= width or not line:
            line = trial
        else:
            lines.append(line)
            line = word
    return lines + [line] if line else lines


def illustrate(size, title, category, shop_title, seed) -> Image.Image:
    """The picture in upright (displayed) orientation."""
    rng = random.Random(seed)
    pal = PALETTES.get(category, PALETTES["makanan"])
    w, h = size
    image = gradient(size, pal[0], pal[1])
    if category == "logo":
        draw_logo(image, rng, title, pal)
        return image
    draw = ImageDraw.Draw(image)
    for _ in range(rng.randint(5, 9)):  # soft bokeh circles in the background
        r = rng.uniform(0.04, 0.12) * w
        cx, cy = rng.uniform(0, w), rng.uniform(0, h * 0.7)
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=mix(pal[0], (255, 255, 255), rng.uniform(0.15, 0.4)))
    text_band = int(h * 0.26)
    side = min(w * 0.62, (h - text_band) * 0.86)
    box = ((w - side) / 2, (h - text_band - side) / 2 + h * 0.02, (w + side) / 2, (h - text_band + side) / 2)
    if category == "pertanian":
        name = title.casefold()
        colour = next((c for word, c in PRODUCE_COLOURS.items() if word in name), pal[2])
        pal = (pal[0], pal[1], colour, pal[3], pal[4])
    motif = MOTIFS.get(category, draw_plate)
    if category == "kerajinan" and any(word in title.casefold() for word in WOVEN):
        motif = draw_weave
    motif(draw, rng, box, pal)
    # Soften the shapes a little so they look less like clip-art (and compress well).
    image = image.filter(ImageFilter.GaussianBlur(radius=max(1, w // 800)))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, h - text_band, w, h), fill=mix(pal[4], (0, 0, 0), 0.2))
    name_font = font(max(14, int(h * 0.075)))
    lines = wrap(draw, title, name_font, w * 0.9)[:2]
    line_h = int(h * 0.085)
    top = h - text_band + (text_band - line_h * len(lines) - int(h * 0.05)) // 2
    for i, line in enumerate(lines):
        draw.text((w / 2, top + i * line_h), line, font=name_font, fill=(255, 255, 255), anchor="ma")
    draw.text((w / 2, top + len(lines) * line_h + 4), shop_title, font=font(max(10, int(h * 0.04)), bold=False),
              fill=mix(pal[0], (255, 255, 255), 0.5), anchor="ma")
    return image


def gps_ifd(lat, lon):
    def dms(value):
        value = abs(value)
        degrees = int(value)
        minutes = int((value - degrees) * 60)
        seconds = round(((value - degrees) * 60 - minutes) * 60, 2)
        return (float(degrees), float(minutes), seconds)

    return {
        0: b"\x02\x03\x00\x00",            # GPSVersionID
        1: "S" if lat < 0 else "N", 2: dms(lat),
        3: "E" if lon >= 0 else "W", 4: dms(lon),
        5: b"\x00", 6: 84.0,               # altitude above sea level, metres
    }


def make_phone_photo(spec, title, category, shop_title, seed):
    """A big photo as a phone stores it: pixels as the sensor saw them plus EXIF."""
    display_w, display_h = spec["display"]
    # Draw at a quarter of the size and scale up: smooth, like a shallow-focus
    # photo, so 12 megapixels still compress to well under 1.5 MB.
    small = illustrate((display_w // 4, display_h // 4), title, category, shop_title, seed)
    image = small.resize((display_w, display_h), Image.BICUBIC)
    if spec["orientation"] == 6:
        # Orientation 6 means "rotate 90 degrees clockwise to display", so the
        # stored pixels are the displayed picture turned counter-clockwise.
        image = image.transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[TAG_MAKE] = spec["make"]
    exif[TAG_MODEL] = spec["model"]
    exif[TAG_DATETIME] = spec["date"]
    exif[TAG_ORIENTATION] = spec["orientation"]
    exif[TAG_GPS_IFD] = gps_ifd(*spec["gps"])
    return image, exif


def main(argv):
    shops = Path(argv[1]) if len(argv) > 1 else SHOPS
    photos = wanted_photos(shops)
    total = 0
    for rel, (title, category, shop_title) in sorted(photos.items()):
        seed = zlib.crc32(rel.encode("utf-8"))
        target = shops / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if rel in PHONE_PHOTOS:
            image, exif = make_phone_photo(PHONE_PHOTOS[rel], title, category, shop_title, seed)
            image.save(target, "JPEG", quality=QUALITY, exif=exif)
        else:
            size = LOGO_SIZE if category == "logo" else SIZE
            illustrate(size, title, category, shop_title, seed).save(
                target, "JPEG", quality=QUALITY, optimize=True)
        total += target.stat().st_size
        print(f"{target.stat().st_size // 1024:6d} KB  {rel}")
    print(f"{len(photos)} photos, {total / 1_000_000:.2f} MB in total")


if __name__ == "__main__":
    main(sys.argv)
