"""Judge a raw submission against the catalog: clean values or field errors.

``validate(submission, catalog)`` returns an ``Order`` whose lines are
``(product, shop, variant, qty)``: no prices, ``order.pricing`` alone sets
those. Anything unacceptable raises ``Invalid``: ``errors`` is
``{field: Indonesian message}`` (item problems under ``item``) and ``form``
the ``FormView`` the form page needs to offer a second chance.

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



@dataclass(frozen=True)
class Line:
    product: dict
    shop: dict
    variant: dict | None  # the chosen variant of the product, as in the catalog
    qty: int


@dataclass(frozen=True)
class Order:
    lines: list[Line]
    buyer: dict  # name, phone (62...), kecamatan, desa, address, email (or None), note
    delivery: str
    payment: str
    key: str  # the client's idempotency key as sent (``order.claim`` judges it)
    build: str
    spam: bool


class Invalid(ValueError):
    """Field errors, with the form page's view of the submission."""

    def __init__(self, errors: dict, form: "FormView"):
        super().__init__(errors)
        self.errors = errors
        self.form = form


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
        chosen = None
        if variant:
            options = {v["name"].casefold(): v for v in product.get("variants") or []}
            found = options.get(variant.casefold())
            if found is None:
                choices = ", ".join(v["name"] for v in product.get("variants") or []) or "-"
                problems.append(msg["item_variant_unknown"].format(
                    variant=variant, product=title, choices=choices))
                continue
            chosen = found
        if product.get("stock") == "habis":
            problems.append(msg["item_sold_out"].format(product=title))
            continue
        qty = _parse_qty(raw_qty)
        label = f"{title} ({chosen['name']})" if chosen else title
        if qty is None:
            problems.append(msg["qty_invalid"].format(product=label, max=MAX_QTY))
            continue
        entry = merged.setdefault((product_id, chosen and chosen["name"]), {
            "product": product, "shop": shop, "variant": chosen, "qty": 0, "label": label})
        entry["qty"] += qty
    lines = []
    for entry in merged.values():
        if entry["qty"] > MAX_QTY:
            problems.append(msg["qty_total_too_big"].format(product=entry["label"], max=MAX_QTY))
            continue
        lines.append(Line(entry["product"], entry["shop"], entry["variant"], entry["qty"]))
    return lines, list(dict.fromkeys(problems))


def _check_method(value, allowed, group, msg, shops) -> tuple[str, str | None]:
    prefix = group
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


def validate(submission: dict, catalog) -> Order:
    """The order ``submission`` stands for; ``Invalid`` when it is not acceptable."""
    msg = texts()["pesanan_galat"]
    errors: dict[str, str] = {}
    lines, item_problems = _check_lines(submission, catalog, msg)
    if item_problems:
        errors["item"] = " ".join(item_problems)
    shops = list({line.shop["id"]: line.shop for line in lines}.values())
    buyer = _buyer(submission, msg, errors)
    methods = {}
    for group, allowed in (("delivery", DELIVERY_METHODS), ("payment", PAYMENT_METHODS)):
        methods[group], problem = _check_method(submission[group], allowed, group, msg, shops)
        if problem:
            errors[group] = problem
    if errors:
        raise Invalid(errors, form_view(submission, catalog))
    return Order(
        lines=lines, buyer=buyer, delivery=methods["delivery"], payment=methods["payment"],
        key=clean_text(submission["key"])[:200], build=clean_text(submission["build"])[:40],
        spam=bool(str(submission.get("website") or "").strip()),
    )


def _text(submission, field, limit, msg, errors, *, required=False, multiline=False) -> str:
    value = clean_text(submission[field], multiline=multiline)
    if required and not value:
        errors[field] = msg[f"{field}_required"]
    elif len(value) > limit:
        errors[field] = msg[f"{field}_long"].format(max=limit)
    return value


def _phone(submission, msg, errors) -> str:
    raw = clean_text(submission["phone"])
    if not raw:
        errors["phone"] = msg["phone_required"]
        return ""
    try:
        return phones.normalize_mobile(raw)
    except ValueError:
        errors["phone"] = msg["phone_invalid"].format(value=raw[:40])
        return ""


def _place(submission, msg, errors) -> tuple[str | None, str]:
    """(kecamatan, desa) as the regency names them."""
    raw = clean_text(submission["kecamatan"])
    kecamatan = wilayah.find_kecamatan(raw) if raw else None
    if not raw:
        errors["kecamatan"] = msg["kecamatan_required"]
    elif kecamatan is None:
        errors["kecamatan"] = msg["kecamatan_unknown"].format(
            value=raw[:60], regency=wilayah.regency()["kabupaten"])
    raw_desa = _text(submission, "desa", MAX_DESA, msg, errors)
    if not raw_desa or not kecamatan or "desa" in errors:
        return kecamatan, ""
    desa = wilayah.find_desa(kecamatan, raw_desa) or ""
    if not desa:
        examples = ", ".join(wilayah.desa_names(kecamatan)[:5])
        errors["desa"] = msg["desa_unknown"].format(
            value=raw_desa, kecamatan=kecamatan, examples=examples)
    return kecamatan, desa


def _buyer(submission, msg, errors) -> dict:
    name = _text(submission, "name", MAX_NAME, msg, errors, required=True)
    number = _phone(submission, msg, errors)
    kecamatan, desa = _place(submission, msg, errors)
    address = _text(submission, "address", MAX_ADDRESS, msg, errors, required=True,
                    multiline=True)
    note = _text(submission, "note", MAX_NOTE, msg, errors, multiline=True)
    email = _text(submission, "email", MAX_EMAIL, msg, errors)
    if email and "email" not in errors and valid_email(email) is None:
        errors["email"] = msg["email_invalid"].format(value=email)
    return {"name": name, "phone": number, "kecamatan": kecamatan, "desa": desa,
            "address": address, "email": email or None, "note": note}
