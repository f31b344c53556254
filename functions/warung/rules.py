"""The seller content rules: which keys a shop or product file has and what
each value may be. Pure functions over raw strings, shared by the catalog
build, `make check` and the seller form, so all say the same thing the same
way, in the sellers' language (words in ``teks/id/aturan.toml``).

``validate_shop`` and ``validate_product`` take the metadata as a dict of
key as written (any case, Indonesian aliases too) -> raw string and return
``(clean, problems)``: the parsed values under canonical keys and a list of
``Problem`` (canonical key, message, severity, the key as written). Image
paths are only checked for shape here; whether the file exists and is a
photo is the build's job (``match_photo`` helps it name a close file).
"""

import re
from dataclasses import dataclass

from . import keys, phone, rupiah, wilayah
from .cleantext import clean_text
from .emails import valid_email
from .keys import PRODUCT_KEYS, SHOP_KEYS  # noqa: F401  (part of this module's API)
from .suggest import closest
from .text import texts

PAYMENT_METHODS = ("cod", "transfer", "qris")
DELIVERY_METHODS = ("ambil", "antar")
STOCK_STATES = ("tersedia", "habis", "po")
# Other ways sellers write the same choice.
PAYMENT_ALIASES = {"bayar di tempat": "cod", "tunai": "cod", "transfer bank": "transfer", "tf": "transfer"}
DELIVERY_ALIASES = {"ambil sendiri": "ambil", "diambil": "ambil", "diantar": "antar"}
STOCK_ALIASES = {"ada": "tersedia", "kosong": "habis", "pre-order": "po", "preorder": "po",
                 "pre order": "po"}

DEFAULT_CATEGORIES = ("Makanan", "Minuman", "Kerajinan", "Fashion", "Pertanian", "Jasa")
DEFAULT_MAX_PRICE = 100_000_000

# Pelican adds these itself; they are never the seller's mistake.
PELICAN_KEYS = {"date", "modified", "slug", "lang", "summary", "status", "template", "save_as", "url"}

PERMIT_PATTERNS = {
    # NIB (OSS): 13 digits. P-IRT: 15 digits. Halal (BPJPH): ID + 14-20 digits.
    "nib": re.compile(r"^\d{13}$"),
    "pirt": re.compile(r"^\d{15}$"),
    "halal": re.compile(r"^ID\d{14,20}$"),
}

MAX_TITLE = 120
QUOTE_LIMIT = 40  # messages quote at most this much of what a seller wrote
_IMAGE_PATH = re.compile(r"^[^/\\][^\\]*\.(jpe?g|png|webp)$", re.IGNORECASE)
_LETTER_OR_DIGIT = re.compile(r"[^\W_]")


class ContentError(ValueError):
    """A value a seller wrote that breaks a rule; the message says the fix."""


@dataclass(frozen=True)
class Problem:
    key: str  # canonical, e.g. "price"
    message: str
    severity: str = "error"  # or "warning"
    written: str | None = None  # the key as it appears in the input, when it does


@dataclass(frozen=True)
class Limits:
    """What the settings decide: the regency's categories and the price cap."""

    categories: tuple[str, ...] = DEFAULT_CATEGORIES
    max_price: int = DEFAULT_MAX_PRICE


DEFAULT_LIMITS = Limits()


def say(text_key: str, /, **values) -> str:
    return texts()["aturan"][text_key].format(**values)


def shown(text) -> str:
    """What a message may quote of seller input: a short, printable prefix."""
    return clean_text(text, limit=QUOTE_LIMIT)


def _maybe(suggestion) -> str:
    return say("maybe", suggestion=suggestion) if suggestion else ""


def parse_price(text, example="Price: 45000", max_price=DEFAULT_MAX_PRICE, fix=None,
                allow_zero=False) -> int:
    """Whole rupiah from 1 (0 with ``allow_zero``) up to ``max_price``. ``fix``
    formats the corrected line from an amount, e.g. ``"Price: {amount}"``."""
    fix = fix or example.split(":", 1)[0] + ": {amount}"
    try:
        amount = rupiah.parse_rupiah(text)
    except rupiah.RupiahError as err:
        raise ContentError(_price_message(err, example, fix)) from None
    if amount == 0 and not allow_zero:
        raise ContentError(say("price_zero", example=example))
    if amount > max_price:
        raise ContentError(say("price_too_high", text=shown(text), limit=rupiah.format_rupiah(max_price),
                               amount=rupiah.format_rupiah(amount)))
    return amount


def _price_message(err: rupiah.RupiahError, example: str, fix: str) -> str:
    values = {"text": shown(err.text), "example": example}
    if err.guess is not None and err.kind in ("not_whole", "ambiguous"):
        amount = rupiah.format_rupiah(err.guess)
        return say(f"price_{err.kind}", amount=amount, fix=fix.format(amount=amount), **values)
    kind = {"ambiguous": "unclear", "negative": "negative"}.get(err.kind, "not_number")
    return say(f"price_{kind}", **values)


def parse_choices(text, allowed, key_name, example, aliases=None) -> list[str]:
    """A comma list of choices from ``allowed`` (or their ``aliases``), case-insensitive."""
    aliases = aliases or {}
    items = [" ".join(part.split()).casefold() for part in str(text).split(",") if part.strip()]
    items = [aliases.get(item, item) for item in items]
    unknown = [item for item in items if item not in allowed]
    if unknown or not items:
        suggestion = closest(unknown[0], allowed) if unknown else None
        raise ContentError(say("choice_unknown", key=key_name,
                               text=shown(", ".join(unknown) if unknown else text),
                               maybe=_maybe(suggestion), choices=", ".join(allowed),
                               example=example))
    return list(dict.fromkeys(items))


def parse_stock(text) -> str:
    return parse_choices(text, STOCK_STATES, "Stock", "Stock: tersedia", STOCK_ALIASES)[-1]


def parse_whatsapp(text) -> str:
    try:
        return phone.normalize_mobile(text)
    except ValueError:
        raise ContentError(say("whatsapp_invalid", text=shown(text))) from None


def parse_email(text) -> str:
    value = valid_email(str(text).strip())
    if value is None:
        raise ContentError(say("email_invalid", text=shown(text)))
    return value


def parse_kecamatan(text, key="Kecamatan") -> str:
    """The official name; ``kec. bungursari`` is Bungursari, ``Purwakata`` gets a suggestion."""
    found = wilayah.find_kecamatan(text)
    if found:
        return found
    kabupaten = wilayah.regency()["kabupaten"]
    suggestion = closest(wilayah.strip_prefix(text), wilayah.kecamatan_names(), cutoff=0.75)
    if suggestion:
        raise ContentError(say("kecamatan_close", text=shown(text), kabupaten=kabupaten,
                               suggestion=suggestion, key=key))
    raise ContentError(say("kecamatan_unknown", text=shown(text), kabupaten=kabupaten,
                           choices=", ".join(wilayah.kecamatan_names())))


def parse_category(text, categories=DEFAULT_CATEGORIES) -> str:
    """One of the settings' categories, in its spelling there."""
    value = " ".join(str(text).split())
    if not _LETTER_OR_DIGIT.search(value):
        raise ContentError(say("category_invalid", name=shown(value)))
    known = {name.casefold(): name for name in categories}
    if value.casefold() in known:
        return known[value.casefold()]
    suggestion = closest(value, categories)
    raise ContentError(say("category_unknown", text=shown(value), maybe=_maybe(suggestion),
                           choices=", ".join(categories),
                           example=suggestion or categories[0]))


def parse_variants(text, max_price=DEFAULT_MAX_PRICE) -> list[dict]:
    example = "Variants: 250 g=45000; 500 g=85000"
    variants, seen = [], set()
    for part in [p.strip() for p in str(text).split(";") if p.strip()]:
        name, sep, price = part.partition("=")
        name = " ".join(name.split())
        if not sep or not name:
            raise ContentError(say("variant_shape", text=shown(part), example=example))
        if ":" in name or len(name) > 60:
            raise ContentError(say("variant_name", text=shown(name), example=example))
        if name.casefold() in seen:
            raise ContentError(say("variant_twice", text=shown(name), example=example))
        seen.add(name.casefold())
        fix = f"Variants: {name}={{amount}}"
        variants.append({"name": name, "price": parse_price(price.strip(), example, max_price, fix)})
    if not variants:
        raise ContentError(say("variant_empty", example=example))
    return variants


def parse_delivery_fee(text, max_price=DEFAULT_MAX_PRICE) -> dict:
    """``10000`` (flat) or ``Purwakarta=10000; Wanayasa=5000`` (per kecamatan;
    an entry ``lainnya=15000`` sets the fee for every other kecamatan).
    A fee may be 0 (free delivery), never above ``max_price``."""
    example = "DeliveryFee: Purwakarta=10000; Wanayasa=5000"
    text = str(text).strip()
    if "=" not in text:
        return {"default": parse_price(text, "DeliveryFee: 10000", max_price, allow_zero=True),
                "kecamatan": {}}
    fee = {"default": None, "kecamatan": {}}
    for part in [p.strip() for p in text.split(";") if p.strip()]:
        name, sep, price = part.partition("=")
        if not sep:
            raise ContentError(say("fee_shape", text=shown(part), example=example))
        fix = f"DeliveryFee: {' '.join(name.split())}={{amount}}"
        amount = parse_price(price.strip(), example, max_price, fix, allow_zero=True)
        if name.strip().casefold() == "lainnya":
            fee["default"] = amount
        else:
            fee["kecamatan"][parse_kecamatan(name.strip(), "DeliveryFee")] = amount
    return fee


def parse_permit(kind, text) -> str:
    value = re.sub(r"[\s.\-/]", "", str(text)).upper()
    if not PERMIT_PATTERNS[kind].match(value):
        raise ContentError(say("permit_invalid", kind=kind.upper(), text=shown(text),
                               shape=say(f"permit_{kind}"), example=SHOP_KEYS[kind][1]))
    return value


def parse_image_path(text, key_name="Image") -> str:
    value = str(text).strip()
    if not _IMAGE_PATH.match(value) or ".." in value.split("/"):
        raise ContentError(say("image_path", key=key_name, text=shown(text)))
    return value


def parse_list(text) -> list[str]:
    return list(dict.fromkeys(p.strip() for p in str(text).split(",") if p.strip()))


def parse_title(text) -> str:
    value = " ".join(str(text).split())
    if not value or len(value) > MAX_TITLE:
        raise ContentError(say("title_invalid", limit=MAX_TITLE))
    return value


def match_photo(written: str, available) -> tuple[str | None, str | None]:
    """Find the photo a seller named among the files there (paths relative to
    the shop folder). Returns ``(path, how)``: how is "exact", "case" (only
    upper/lower case differs: use it, with a warning), "close" (a suggestion
    only) or None when nothing is near."""
    available = list(available)
    if written in available:
        return written, "exact"
    same_case = [path for path in available if path.casefold() == written.casefold()]
    if same_case:
        return sorted(same_case)[0], "case"
    suggestion = closest(written, available)
    return (suggestion, "close") if suggestion else (None, None)


def _shop_parsers(limits: Limits) -> dict:
    return {
        "title": parse_title,
        "whatsapp": parse_whatsapp,
        "email": parse_email,
        "kecamatan": parse_kecamatan,
        "address": lambda t: " ".join(str(t).split()),
        "payment": lambda t: parse_choices(t, PAYMENT_METHODS, "Payment", "Payment: cod, transfer",
                                           PAYMENT_ALIASES),
        "delivery": lambda t: parse_choices(t, DELIVERY_METHODS, "Delivery",
                                            "Delivery: ambil, antar", DELIVERY_ALIASES),
        "deliveryfee": lambda t: parse_delivery_fee(t, limits.max_price),
        "nib": lambda t: parse_permit("nib", t),
        "pirt": lambda t: parse_permit("pirt", t),
        "halal": lambda t: parse_permit("halal", t),
        "logo": lambda t: parse_image_path(t, "Logo"),
    }


def _product_parsers(limits: Limits) -> dict:
    return {
        "title": parse_title,
        "price": lambda t: parse_price(t, max_price=limits.max_price),
        "category": lambda t: parse_category(t, limits.categories),
        "image": parse_image_path,
        "images": lambda t: [parse_image_path(p, "Images") for p in parse_list(t)],
        "unit": lambda t: " ".join(str(t).split()),
        "stock": parse_stock,
        "variants": lambda t: parse_variants(t, limits.max_price),
        "tags": parse_list,
    }


_DEFAULTS = {
    "shop": {"payment": ["cod"], "delivery": ["ambil"], "deliveryfee": None},
    "product": {"stock": "tersedia", "images": [], "variants": [], "tags": [], "unit": ""},
}


def _unknown_key(written: str, kind: str) -> Problem:
    suggestion = closest(written, keys.written_names(kind), cutoff=0.8)
    return Problem(keys.fold(written), say("key_unknown", key=shown(written.lower()),
                                           known=", ".join(keys.KEYS[kind]),
                                           maybe=_maybe(suggestion)), "warning", written)


def _validate(meta: dict, kind: str, parsers: dict) -> tuple[dict, list[Problem]]:
    clean, problems, seen = dict(_DEFAULTS[kind]), [], {}
    for written, raw in meta.items():
        if written.lower() in PELICAN_KEYS:
            continue
        key = keys.canonical(written, kind)
        if key is None:
            problems.append(_unknown_key(written, kind))
            continue
        if key in seen:
            problems.append(Problem(key, say("key_same", key=written, other=seen[key]),
                                    "warning", written))
        seen[key] = written
        try:
            clean[key] = parsers[key](raw)
        except ContentError as err:
            problems.append(Problem(key, str(err), "error", written))
    for key, (required, example) in keys.KEYS[kind].items():
        if required and key not in seen:
            problems.append(Problem(key, say("key_required", key=keys.key_name(key),
                                             example=example)))
    return clean, problems


def validate_shop(meta: dict, limits: Limits = DEFAULT_LIMITS) -> tuple[dict, list[Problem]]:
    """Check a shop profile's metadata (key as written -> raw string value)."""
    clean, problems = _validate(meta, "shop", _shop_parsers(limits))
    if "antar" not in clean.get("delivery", []) and clean.get("deliveryfee"):
        problems.append(Problem("deliveryfee", say("fee_without_delivery"), "warning",
                                next((k for k in meta if keys.canonical(k, "shop") == "deliveryfee"),
                                     None)))
    return clean, problems


def validate_product(meta: dict, limits: Limits = DEFAULT_LIMITS) -> tuple[dict, list[Problem]]:
    """Check a product's metadata (key as written -> raw string value)."""
    return _validate(meta, "product", _product_parsers(limits))


def delivery_fee_for(fee: dict | None, kecamatan: str) -> int | None:
    """The shop's fee to deliver to ``kecamatan``; None means the seller confirms it."""
    if not fee:
        return None
    return fee["kecamatan"].get(kecamatan, fee["default"])
