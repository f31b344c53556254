"""The sample catalog in content/shops/ meets what the project promises to show:
enough shops, kecamatan, products and categories, every seller rule passing,
and photos that really exercise the build (a sideways 12 MP phone photo with
GPS, another with camera make/model and GPS)."""

import re
from collections import Counter
from pathlib import Path

import pytest
from PIL import Image, ImageOps

from warung import rules, wilayah

ROOT = Path(__file__).resolve().parents[2]
SHOPS = ROOT / "content" / "shops"

TAG_MAKE, TAG_MODEL, TAG_ORIENTATION, TAG_GPS_IFD = 0x010F, 0x0110, 0x0112, 0x8825
BIG_PHOTO = SHOPS / "gerabah-plered" / "images" / "guci-keramik-hias.jpg"
CAMERA_PHOTO = SHOPS / "kopi-wanayasa" / "images" / "manggis-wanayasa.jpg"
PHONE_PHOTOS = {BIG_PHOTO, CAMERA_PHOTO}
# Common Indonesian function words: a cheap check that texts are not English.
INDONESIAN = r"\b(dan|dengan|yang|untuk|dari|di|ke|atau|tidak|tanpa|agar|sejak|kami|sekitar)\b"


def read(path: Path) -> tuple[dict, str]:
    """Pelican-style metadata (lower-cased keys, raw values) and the Markdown body."""
    text = path.read_text(encoding="utf-8")
    head, sep, body = text.partition("\n\n")
    assert sep, f"{path}: metadata must be followed by a blank line"
    meta = {}
    for number, line in enumerate(head.splitlines(), 1):
        key, colon, value = line.partition(":")
        assert colon and key.strip() and " " not in key.strip(), f"{path}:{number}: not a 'Key: value' line"
        meta[key.strip().lower()] = value.strip()
    return meta, body.strip()


def shop_dirs():
    return sorted(p for p in SHOPS.iterdir() if p.is_dir())


def product_files():
    return sorted(p for p in SHOPS.glob("*/*.md") if p.name != "shop.md")


@pytest.fixture(scope="module")
def shops():
    return {d.name: read(d / "shop.md") for d in shop_dirs()}


@pytest.fixture(scope="module")
def products():
    return {f"{f.parent.name}/{f.stem}": read(f) for f in product_files()}


def sentences(text: str) -> int:
    return len([s for s in re.split(r"[.!?](?:\s|$)", text) if s.strip()])


def test_every_shop_folder_has_a_profile_and_a_slug_name():
    for folder in shop_dirs():
        assert (folder / "shop.md").is_file(), folder
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)+", folder.name), folder.name


def test_enough_shops_kecamatan_products_and_categories(shops, products):
    assert len(shops) >= 8
    kecamatan = {meta["kecamatan"] for meta, _ in shops.values()}
    assert all(wilayah.find_kecamatan(k) == k for k in kecamatan), "official spelling"
    assert len(kecamatan) >= 5
    assert len(products) >= 40
    categories = Counter(meta["category"] for meta, _ in products.values())
    assert {"Makanan", "Minuman", "Kerajinan", "Fashion", "Pertanian"} <= set(categories)
    assert all(count >= 3 for count in categories.values()), categories
    assert all(any(pid.startswith(shop + "/") for pid in products) for shop in shops), "no empty shop"


def test_every_file_passes_the_seller_rules_without_warnings(shops, products):
    problems = []
    for slug, (meta, _) in shops.items():
        _, found = rules.validate_shop(meta)
        problems += [f"{slug}/shop.md: {p.key}: {p.message}" for p in found]
    for pid, (meta, _) in products.items():
        _, found = rules.validate_product(meta)
        problems += [f"{pid}.md: {p.key}: {p.message}" for p in found]
    assert problems == []


def test_shop_profiles_cover_the_contract_variations(shops):
    metas = [meta for meta, _ in shops.values()]
    # Every seller email is a reserved example address, never a real person's.
    assert all(meta["email"].endswith("@example.com") for meta in metas)
    # WhatsApp numbers in the forms people really write, all valid mobiles.
    forms = {meta["whatsapp"] for meta in metas}
    assert any(re.fullmatch(r"0\d{3}-\d{4}-\d{3,4}", f) for f in forms)
    assert any(f.startswith("+62 ") for f in forms)
    assert any(re.fullmatch(r"0\d{3} \d{4} \d{4}", f) for f in forms)
    assert any(re.fullmatch(r"62\d{9,12}", f) for f in forms)
    numbers = [rules.parse_whatsapp(f) for f in forms]
    assert len(set(numbers)) == len(metas), "one number per shop"
    # Delivery fees: flat, per kecamatan, and one shop leaving it to the seller.
    fees = [meta.get("deliveryfee") for meta in metas]
    assert sum(fee is None for fee in fees) == 1
    parsed = [rules.parse_delivery_fee(fee) for fee in fees if fee]
    assert any(not fee["kecamatan"] for fee in parsed)
    assert any(fee["kecamatan"] and fee["default"] is not None for fee in parsed)
    assert any(fee["kecamatan"] and fee["default"] is None for fee in parsed)
    # Permits, logos and payment methods on some shops, not all.
    for key in ("nib", "pirt", "halal", "logo"):
        assert 0 < sum(key in meta for meta in metas) < len(metas), key
    methods = {m for meta in metas for m in rules.parse_choices(
        meta.get("payment", "cod"), rules.PAYMENT_METHODS, "Payment", "")}
    assert methods == set(rules.PAYMENT_METHODS)


def test_shop_profiles_have_an_indonesian_text(shops):
    for slug, (_, body) in shops.items():
        assert sentences(body) >= 2, slug
        assert re.search(INDONESIAN, body), slug


def test_products_cover_prices_units_variants_and_stock(products):
    metas = [meta for meta, _ in products.values()]
    prices = [rules.parse_price(meta["price"]) for meta in metas]
    assert all(5_000 <= price <= 750_000 for price in prices), prices
    raw = [meta["price"] for meta in metas]
    assert any(re.fullmatch(r"\d+", p) for p in raw)
    assert any(re.fullmatch(r"\d{1,3}(\.\d{3})+", p) for p in raw)
    assert any(p.startswith("Rp") for p in raw)
    stock = Counter(meta.get("stock", "tersedia") for meta in metas)
    assert stock["habis"] == 1 and stock["po"] == 1
    with_variants = [rules.parse_variants(meta["variants"]) for meta in metas if "variants" in meta]
    assert len(with_variants) >= 5
    assert all(5_000 <= v["price"] <= 750_000 for variants in with_variants for v in variants)
    assert all(meta.get("unit") and meta.get("tags") for meta in metas)
    assert sum("images" in meta for meta in metas) >= 3


def test_product_descriptions_are_two_to_five_indonesian_sentences(products):
    for pid, (_, body) in products.items():
        assert 2 <= sentences(body) <= 5, (pid, body)
        assert re.search(INDONESIAN, body), pid


def referenced_photos():
    for folder in shop_dirs():
        shop_meta, _ = read(folder / "shop.md")
        if "logo" in shop_meta:
            yield folder / shop_meta["logo"]
        for product in folder.glob("*.md"):
            if product.name == "shop.md":
                continue
            meta, _ = read(product)
            yield folder / meta["image"]
            for extra in rules.parse_list(meta.get("images", "")):
                yield folder / extra


def test_every_referenced_photo_exists_and_small_ones_are_small():
    photos = sorted(set(referenced_photos()))
    assert len(photos) >= 45
    total = 0
    for path in photos:
        assert path.is_file(), path
        with Image.open(path) as image:
            assert image.format == "JPEG", path
            image.verify()
        size = path.stat().st_size
        if path not in PHONE_PHOTOS:
            assert size <= 80_000, (path, size)
            total += size
    assert total < 4_000_000
    every_jpeg = set(SHOPS.glob("*/images/*.jpg"))
    assert every_jpeg == set(photos), "no orphan photos in images/"


def gps_degrees(values, ref):
    degrees, minutes, seconds = (float(v) for v in values)
    value = degrees + minutes / 60 + seconds / 3600
    return -value if ref in ("S", "W") else value


def assert_gps_in_purwakarta(exif):
    gps = exif.get_ifd(TAG_GPS_IFD)
    assert gps, "GPS IFD present"
    lat, lon = gps_degrees(gps[2], gps[1]), gps_degrees(gps[4], gps[3])
    # Kabupaten Purwakarta's bounding box, roughly.
    assert -6.85 < lat < -6.35 and 107.2 < lon < 107.7, (lat, lon)


def test_big_phone_photo_is_sideways_with_gps():
    assert BIG_PHOTO.stat().st_size <= 1_500_000
    with Image.open(BIG_PHOTO) as image:
        exif = image.getexif()
        assert image.size == (4000, 3000), "stored as the sensor saw it"
        assert exif[TAG_ORIENTATION] == 6
        assert_gps_in_purwakarta(exif)
        upright = ImageOps.exif_transpose(image)
        assert upright.size == (3000, 4000)
        # Upright, the name band is at the bottom: darker than the top.
        small = upright.convert("L").resize((30, 40))
        top = sum(small.getpixel((x, 1)) for x in range(30))
        bottom = sum(small.getpixel((x, 38)) for x in range(30))
        assert bottom < top


def test_camera_photo_has_make_model_and_gps():
    with Image.open(CAMERA_PHOTO) as image:
        exif = image.getexif()
        assert exif.get(TAG_MAKE) and exif.get(TAG_MODEL)
        assert exif.get(TAG_ORIENTATION, 1) == 1
        assert_gps_in_purwakarta(exif)
        assert image.size[0] * image.size[1] >= 2_000_000
