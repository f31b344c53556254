"""Judge a raw submission against the catalog: clean values or field errors.

``validate(submission, catalog)`` returns ``(order, errors)``: an ``Order``
when everything is acceptable (errors empty), else ``None`` and a dict
``{field: Indonesian message}`` (item problems under ``item``).

Rules: name, phone, kecamatan, address, delivery and payment are required;
the phone becomes ``62...``; texts are capped (name 80, desa 80, address
300, note 500, email 120); at most 50 lines with whole quantities 1-999
(the same product and variant twice are added up); every product exists
and is not sold out (``habis``; ``po`` is fine); a given variant exists. A
product that has variants but is ordered without one is priced at its base
``price`` (docs/ARCHITECTURE.md). Every shop in the cart must accept the
chosen delivery and payment. The desa is optional but, when given, must be
in the kecamatan.
"""

import re
from dataclasses import dataclass

from warung import phone as phones
from warung import wilayah
from warung.cleantext import clean_text
from warung.emails import valid_email
from warung.rules import DELIVERY_METHODS, PAYMENT_METHODS
from warung.text import texts

MAX_NAME = 80
MAX_DESA = 80
MAX_ADDRESS = 300
MAX_NOTE = 500
MAX_EMAIL = 120
MAX_LINES = 50
MAX_QTY = 999
MAX_ITEM_ID = 200

_KEY = re.compile(r"^[A-Za-z0-9_-]{16,128}$")
FINGERPRINT_PREFIX = "fp-"  # keys the order function derives itself (order.service)


@dataclass(frozen=True)
class Line:
    product: dict
    shop: dict
    variant: str | None
    price: int
    qty: int


@dataclass(frozen=True)
class Order:
    lines: list[Line]
    buyer: dict  # name, phone (62...), kecamatan, desa, address, email (or None), note
    delivery: str
    payment: str
    key: str | None
    build: str
    spam: bool


@dataclass(frozen=True)
class FormView:
    """What the form page needs to offer a second chance, read from the
    catalog here so the handler never does: the lines as sent, each labelled
    by its product's name, and only the methods every shop in them accepts."""

    lines: list[dict]  # {"item", "label", "qty"}: the values to post again
    delivery_methods: list[str]
    payment_methods: list[str]


def form_view(submission: dict, catalog=None) -> FormView:
    """The form page's view of ``submission`` (without a catalog: the ids
    as labels, every method)."""
    lines, shops = [], {}
    qtys = submission.get("qty") or []
    for n, raw in enumerate(submission.get("item") or []):
        item = clean_text(str(raw))[:MAX_ITEM_ID]
        product_id, _, variant = item.partition(":")
        product = catalog.product(product_id.strip()) if catalog is not None else None
        shop = catalog.shop(product["shop"]) if product else None
        if shop:
            shops[shop["id"]] = shop
        label = product["title"] if product else item
        if product and variant.strip():
            label = f"{label} ({variant.strip()})"
        lines.append({"item": item, "label": label,
                      "qty": str(qtys[n]) if n < len(qtys) else ""})

    def accepted(group: str, methods) -> list[str]:
        return [m for m in methods if all(m in (s.get(group) or []) for s in shops.values())]

    return FormView(lines, accepted("delivery", DELIVERY_METHODS),
                    accepted("payment", PAYMENT_METHODS))


def valid_key(value: str) -> str | None:
    """An idempotency key strong enough to stand for the buyer (else ignored;
    the ``fp-`` prefix is kept for the keys the function derives itself)."""
    value = str(value or "").strip()
    if not _KEY.match(value) or value.startswith(FINGERPRINT_PREFIX):
        return None
    return value


def _labels(group: str, methods) -> str:
    names = texts()[group]
    return ", ".join(names.get(m, m) for m in methods)


def _parse_qty(raw) -> int | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        value = raw
    else:
        text = str(raw).strip()
        # ASCII digits only: "①" and "²" are isdigit() but not int()-able.
        if not (text.isascii() and text.isdigit()) or len(text) > 4:
            return None
        value = int(text)
    return value if 1 <= value <= MAX_QTY else None


def _check_lines(submission, catalog, msg) -> tuple[list[Line], list[str]]:
    items, qtys = submission["item"], submission["qty"]
    if not items:
        return [], [msg["items_empty"]]
    if len(items) > MAX_LINES:
        return [], [msg["items_too_many"].format(max=MAX_LINES)]
    if len(items) != len(qtys):
        return [], [msg["items_mismatch"]]
    problems: list[str] = []
    merged: dict[tuple[str, str | None], dict] = {}
    for raw_item, raw_qty in zip(items, qtys):
        item = clean_text(raw_item)[:MAX_ITEM_ID]
        product_id, sep, variant = item.partition(":")
        product_id, variant = product_id.strip(), (variant.strip() if sep else "")
        product = catalog.product(product_id) if product_id else None
        shop = catalog.shop(product["shop"]) if product else None
        if product is None or shop is None:
            problems.append(msg["item_unknown"].format(value=item))
            continue
        title = product["title"]
        price = product["price"]
        chosen = None
        if variant:
            options = {v["name"].casefold(): v for v in product.get("variants") or []}
            found = options.get(variant.casefold())
            if found is None:
                choices = ", ".join(v["name"] for v in product.get("variants") or []) or "-"
                problems.append(msg["item_variant_unknown"].format(
                    variant=variant, product=title, choices=choices))
                continue
            chosen, price = found["name"], found["price"]
        if product.get("stock") == "habis":
            problems.append(msg["item_sold_out"].format(product=title))
            continue
        qty = _parse_qty(raw_qty)
        label = f"{title} ({chosen})" if chosen else title
        if qty is None:
            problems.append(msg["qty_invalid"].format(product=label, max=MAX_QTY))
            continue
        entry = merged.setdefault((product_id, chosen), {
            "product": product, "shop": shop, "variant": chosen, "price": int(price),
            "qty": 0, "label": label})
        entry["qty"] += qty
    lines = []
    for entry in merged.values():
        if entry["qty"] > MAX_QTY:
            problems.append(msg["qty_total_too_big"].format(product=entry["label"], max=MAX_QTY))
            continue
        lines.append(Line(entry["product"], entry["shop"], entry["variant"],
                          entry["price"], entry["qty"]))
    return lines, list(dict.fromkeys(problems))


def _check_method(value, allowed, group, msg, prefix, shops) -> tuple[str, str | None]:
    value = clean_text(value).casefold()
    if not value:
        return value, msg[f"{prefix}_required"]
    if value not in allowed:
        return value, msg[f"{prefix}_unknown"].format(choices=_labels(group, allowed))
    refusals = [
        msg[f"{prefix}_not_accepted"].format(
            shop=shop["title"], method=texts()[group].get(value, value),
            choices=_labels(group, shop.get(group) or []))
        for shop in shops if value not in (shop.get(group) or [])
    ]
    return value, " ".join(refusals) or None


def validate(submission: dict, catalog) -> tuple[Order | None, dict]:
    msg = texts()["pesanan_galat"]
    errors: dict[str, str] = {}

    lines, item_problems = _check_lines(submission, catalog, msg)
    if item_problems:
        errors["item"] = " ".join(item_problems)
    shops = list({line.shop["id"]: line.shop for line in lines}.values())

    name = clean_text(submission["name"])
    if not name:
        errors["name"] = msg["name_required"]
    elif len(name) > MAX_NAME:
        errors["name"] = msg["name_long"].format(max=MAX_NAME)

    raw_phone = clean_text(submission["phone"])
    number = ""
    if not raw_phone:
        errors["phone"] = msg["phone_required"]
    else:
        try:
            number = phones.normalize_mobile(raw_phone)
        except ValueError:
            errors["phone"] = msg["phone_invalid"].format(value=raw_phone[:40])

    raw_kecamatan = clean_text(submission["kecamatan"])
    kecamatan = wilayah.find_kecamatan(raw_kecamatan) if raw_kecamatan else None
    if not raw_kecamatan:
        errors["kecamatan"] = msg["kecamatan_required"]
    elif kecamatan is None:
        errors["kecamatan"] = msg["kecamatan_unknown"].format(
            value=raw_kecamatan[:60], regency=wilayah.regency()["kabupaten"])

    raw_desa = clean_text(submission["desa"])
    desa = ""
    if len(raw_desa) > MAX_DESA:
        errors["desa"] = msg["desa_long"].format(max=MAX_DESA)
    elif raw_desa and kecamatan:
        desa = wilayah.find_desa(kecamatan, raw_desa) or ""
        if not desa:
            examples = ", ".join(wilayah.desa_names(kecamatan)[:5])
            errors["desa"] = msg["desa_unknown"].format(
                value=raw_desa, kecamatan=kecamatan, examples=examples)

    address = clean_text(submission["address"], multiline=True)
    if not address:
        errors["address"] = msg["address_required"]
    elif len(address) > MAX_ADDRESS:
        errors["address"] = msg["address_long"].format(max=MAX_ADDRESS)

    note = clean_text(submission["note"], multiline=True)
    if len(note) > MAX_NOTE:
        errors["note"] = msg["note_long"].format(max=MAX_NOTE)

    email = clean_text(submission["email"])
    if len(email) > MAX_EMAIL:
        errors["email"] = msg["email_long"].format(max=MAX_EMAIL)
    elif email and valid_email(email) is None:
        errors["email"] = msg["email_invalid"].format(value=email)

    delivery, problem = _check_method(submission["delivery"], DELIVERY_METHODS, "delivery",
                                      msg, "delivery", shops)
    if problem:
        errors["delivery"] = problem
    payment, problem = _check_method(submission["payment"], PAYMENT_METHODS, "payment",
                                     msg, "payment", shops)
    if problem:
        errors["payment"] = problem

    if errors:
        return None, errors
    buyer = {"name": name, "phone": number, "kecamatan": kecamatan, "desa": desa,
             "address": address, "email": email or None, "note": note}
    return Order(
        lines=lines, buyer=buyer, delivery=delivery, payment=payment,
        key=valid_key(submission["key"]), build=clean_text(submission["build"])[:40],
        spam=bool(str(submission.get("website") or "").strip()),
    ), {}
