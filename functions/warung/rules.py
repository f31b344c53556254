"""The seller content rules: which keys a shop or product file has and what
each value may be. Pure functions over raw strings, shared by the catalog
build and (later) the seller form, so both say the same thing the same way.

``validate_shop`` and ``validate_product`` take the metadata as a dict of
lower-cased key -> raw string and return ``(clean, problems)``: the parsed
values and a list of ``Problem`` (key, message in Indonesian, severity).
Image paths are only checked for shape here; whether the file exists and is
a photo is the build's job.
"""

import re
from dataclasses import dataclass

from . import phone, rupiah, wilayah
from .emails import valid_email

PAYMENT_METHODS = ("cod", "transfer", "qris")
DELIVERY_METHODS = ("ambil", "antar")
STOCK_STATES = ("tersedia", "habis", "po")

SHOP_KEYS = {
    # key: (required, example line shown in the fix)
    "title": (True, "Title: Kopi Wanayasa"),
    "whatsapp": (True, "WhatsApp: 0812-3456-7890"),
    "email": (True, "Email: pesanan@contoh.id"),
    "kecamatan": (True, "Kecamatan: Wanayasa"),
    "address": (False, "Address: Jl. Raya Wanayasa No. 5"),
    "payment": (False, "Payment: cod, transfer, qris"),
    "delivery": (False, "Delivery: ambil, antar"),
    "deliveryfee": (False, "DeliveryFee: Purwakarta=10000; Wanayasa=5000"),
    "nib": (False, "NIB: 1234567890123"),
    "pirt": (False, "PIRT: 206321401012325"),
    "halal": (False, "Halal: ID32110000123450822"),
    "logo": (False, "Logo: images/logo.jpg"),
}

PRODUCT_KEYS = {
    "title": (True, "Title: Kopi Arabika Wanayasa"),
    "price": (True, "Price: 45000"),
    "category": (True, "Category: Minuman"),
    "image": (True, "Image: images/arabika.jpg"),
    "images": (False, "Images: images/arabika-2.jpg, images/arabika-3.jpg"),
    "unit": (False, "Unit: bungkus 250 g"),
    "stock": (False, "Stock: tersedia"),
    "variants": (False, "Variants: 250 g=45000; 500 g=85000"),
    "tags": (False, "Tags: kopi, arabika"),
}

# Pelican adds these itself; they are never the seller's mistake.
PELICAN_KEYS = {"date", "modified", "slug", "lang", "summary", "status", "template", "save_as", "url"}

PERMIT_PATTERNS = {
    # NIB (OSS): 13 digits. P-IRT: 15 digits. Halal (BPJPH): ID + 14-20 digits.
    "nib": (re.compile(r"^\d{13}$"), "13 angka"),
    "pirt": (re.compile(r"^\d{15}$"), "15 angka"),
    "halal": (re.compile(r"^ID\d{14,20}$"), "'ID' diikuti 14-20 angka"),
}

MAX_TITLE = 120
_IMAGE_PATH = re.compile(r"^[^/\\][^\\]*\.(jpe?g|png|webp)$", re.IGNORECASE)


class ContentError(ValueError):
    """A value a seller wrote that breaks a rule; the message says the fix."""


@dataclass(frozen=True)
class Problem:
    key: str
    message: str
    severity: str = "error"  # or "warning"


def _example(keys, key):
    return keys[key][1]


def parse_price(text, example="Price: 45000") -> int:
    try:
        return rupiah.parse_rupiah(text)
    except ValueError:
        raise ContentError(
            f"Harga '{text}' bukan angka rupiah bulat. Tulis misalnya: {example}"
        ) from None


def parse_choices(text, allowed, key_name, example) -> list[str]:
    items = [part.strip().casefold() for part in str(text).split(",") if part.strip()]
    unknown = [item for item in items if item not in allowed]
    if unknown or not items:
        shown = ", ".join(unknown) if unknown else str(text)
        raise ContentError(
            f"{key_name} '{shown}' tidak dikenal. Pilihan: {', '.join(allowed)}. "
            f"Tulis misalnya: {example}"
        )
    return list(dict.fromkeys(items))


def parse_stock(text) -> str:
    value = str(text).strip().casefold()
    if value not in STOCK_STATES:
        raise ContentError(
            f"Stock '{text}' tidak dikenal. Pilihan: {', '.join(STOCK_STATES)}. "
            "Tulis misalnya: Stock: tersedia"
        )
    return value


def parse_whatsapp(text) -> str:
    try:
        return phone.normalize_mobile(text)
    except ValueError:
        raise ContentError(
            f"Nomor WhatsApp '{text}' bukan nomor HP Indonesia yang valid. "
            "Tulis misalnya: WhatsApp: 0812-3456-7890"
        ) from None


def parse_email(text) -> str:
    value = valid_email(str(text).strip())
    if value is None:
        raise ContentError(
            f"Email '{text}' tidak valid. Tulis misalnya: Email: pesanan@contoh.id"
        )
    return value


def parse_kecamatan(text) -> str:
    found = wilayah.find_kecamatan(text)
    if not found:
        raise ContentError(
            f"Kecamatan '{text}' tidak ada di {wilayah.regency()['kabupaten']}. "
            f"Pilihan: {', '.join(wilayah.kecamatan_names())}. "
            "Tulis misalnya: Kecamatan: Wanayasa"
        )
    return found


def parse_variants(text) -> list[dict]:
    example = "Variants: 250 g=45000; 500 g=85000"
    variants, seen = [], set()
    for part in [p.strip() for p in str(text).split(";") if p.strip()]:
        name, sep, price = part.partition("=")
        name = " ".join(name.split())
        if not sep or not name:
            raise ContentError(
                f"Varian '{part}' harus berbentuk Nama=harga. Tulis misalnya: {example}"
            )
        if ":" in name or len(name) > 60:
            raise ContentError(
                f"Nama varian '{name}' tidak boleh memuat ':' atau lebih dari 60 huruf. "
                f"Tulis misalnya: {example}"
            )
        if name.casefold() in seen:
            raise ContentError(f"Varian '{name}' ditulis dua kali. Tulis misalnya: {example}")
        seen.add(name.casefold())
        variants.append({"name": name, "price": parse_price(price.strip(), example)})
    if not variants:
        raise ContentError(f"Varian kosong. Tulis misalnya: {example}")
    return variants


def parse_delivery_fee(text) -> dict:
    """``10000`` (flat) or ``Purwakarta=10000; Wanayasa=5000`` (per kecamatan;
    an entry ``lainnya=15000`` sets the fee for every other kecamatan)."""
    example = "DeliveryFee: Purwakarta=10000; Wanayasa=5000"
    text = str(text).strip()
    if "=" not in text:
        return {"default": parse_price(text, "DeliveryFee: 10000"), "kecamatan": {}}
    fee = {"default": None, "kecamatan": {}}
    for part in [p.strip() for p in text.split(";") if p.strip()]:
        name, sep, price = part.partition("=")
        if not sep:
            raise ContentError(
                f"Ongkir '{part}' harus berbentuk Kecamatan=harga. Tulis misalnya: {example}"
            )
        amount = parse_price(price.strip(), example)
        if name.strip().casefold() == "lainnya":
            fee["default"] = amount
        else:
            fee["kecamatan"][parse_kecamatan(name.strip())] = amount
    return fee


def parse_permit(kind, text) -> str:
    pattern, shape = PERMIT_PATTERNS[kind]
    value = re.sub(r"[\s.\-/]", "", str(text)).upper()
    if not pattern.match(value):
        raise ContentError(
            f"Nomor {kind.upper()} '{text}' tidak valid: harus {shape}. "
            f"Tulis misalnya: {_example(SHOP_KEYS, kind)}"
        )
    return value


def parse_image_path(text, key_name="Image") -> str:
    value = str(text).strip()
    if not _IMAGE_PATH.match(value) or ".." in value.split("/"):
        raise ContentError(
            f"{key_name} '{text}' harus berupa nama file foto di folder toko "
            "(jpg, png atau webp). Tulis misalnya: Image: images/produk.jpg"
        )
    return value


def parse_list(text) -> list[str]:
    return list(dict.fromkeys(p.strip() for p in str(text).split(",") if p.strip()))


def parse_title(text) -> str:
    value = " ".join(str(text).split())
    if not value or len(value) > MAX_TITLE:
        raise ContentError(
            f"Judul harus diisi dan paling panjang {MAX_TITLE} huruf. "
            "Tulis misalnya: Title: Keripik Singkong Pedas"
        )
    return value


_SHOP_PARSERS = {
    "title": parse_title,
    "whatsapp": parse_whatsapp,
    "email": parse_email,
    "kecamatan": parse_kecamatan,
    "address": lambda t: " ".join(str(t).split()),
    "payment": lambda t: parse_choices(t, PAYMENT_METHODS, "Payment", "Payment: cod, transfer"),
    "delivery": lambda t: parse_choices(t, DELIVERY_METHODS, "Delivery", "Delivery: ambil, antar"),
    "deliveryfee": parse_delivery_fee,
    "nib": lambda t: parse_permit("nib", t),
    "pirt": lambda t: parse_permit("pirt", t),
    "halal": lambda t: parse_permit("halal", t),
    "logo": lambda t: parse_image_path(t, "Logo"),
}

_PRODUCT_PARSERS = {
    "title": parse_title,
    "price": parse_price,
    "category": lambda t: " ".join(str(t).split()).title(),
    "image": parse_image_path,
    "images": lambda t: [parse_image_path(p, "Images") for p in parse_list(t)],
    "unit": lambda t: " ".join(str(t).split()),
    "stock": parse_stock,
    "variants": parse_variants,
    "tags": parse_list,
}

_SHOP_DEFAULTS = {"payment": ["cod"], "delivery": ["ambil"], "deliveryfee": None}
_PRODUCT_DEFAULTS = {"stock": "tersedia", "images": [], "variants": [], "tags": [], "unit": ""}


def _validate(meta, keys, parsers, defaults):
    clean, problems = dict(defaults), []
    for key, raw in meta.items():
        if key in PELICAN_KEYS:
            continue
        if key not in keys:
            problems.append(Problem(key, f"Kunci '{key}' tidak dikenal dan diabaikan. "
                                         f"Kunci yang dikenal: {', '.join(keys)}.", "warning"))
            continue
        try:
            clean[key] = parsers[key](raw)
        except ContentError as err:
            problems.append(Problem(key, str(err)))
    for key, (required, example) in keys.items():
        if required and key not in meta:
            name = example.split(":", 1)[0]  # the key as sellers write it: WhatsApp, DeliveryFee
            problems.append(Problem(key, f"Kunci '{name}' wajib diisi. Tulis misalnya: {example}"))
    return clean, problems


def validate_shop(meta: dict) -> tuple[dict, list[Problem]]:
    """Check a shop profile's metadata (lower-cased keys, raw string values)."""
    clean, problems = _validate(meta, SHOP_KEYS, _SHOP_PARSERS, _SHOP_DEFAULTS)
    if "antar" not in clean.get("delivery", []) and clean.get("deliveryfee"):
        problems.append(Problem("deliveryfee", "DeliveryFee diisi tetapi Delivery tidak memuat "
                                               "'antar'. Tulis misalnya: Delivery: ambil, antar",
                                "warning"))
    return clean, problems


def validate_product(meta: dict) -> tuple[dict, list[Problem]]:
    """Check a product's metadata (lower-cased keys, raw string values)."""
    return _validate(meta, PRODUCT_KEYS, _PRODUCT_PARSERS, _PRODUCT_DEFAULTS)


def delivery_fee_for(fee: dict | None, kecamatan: str) -> int | None:
    """The shop's fee to deliver to ``kecamatan``; None means the seller confirms it."""
    if not fee:
        return None
    return fee["kecamatan"].get(kecamatan, fee["default"])
