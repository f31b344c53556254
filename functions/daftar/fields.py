"""Reading the seller form (docs/PENJUAL.md, "Seller form contract").

``parse(body, content_type)`` turns an urlencoded or multipart body into a
``Submission``: the shop fields, the products n = 1..10 that have any text,
the honeypot and, for updates, the sign-in session. Every text is folded to
one line (or, for the free texts ``about``, kept multi-line but stripped of
control characters), so nothing a seller types can become a second
metadata line in a content file. File parts are refused: photos go to S3
by presigned POST and the form carries only their keys.
"""

import re
from dataclasses import dataclass, field
from io import BytesIO
from urllib.parse import parse_qsl

MAX_PRODUCTS = 10
MAX_PHOTOS = 3
SHOP_TEXT = ("title", "whatsapp", "email", "kecamatan", "address", "delivery_fee",
             "nib", "pirt", "halal", "logo")
SHOP_LISTS = ("payment", "delivery")
PRODUCT_TEXT = ("title", "price", "category", "unit", "stock", "variants", "remove")
LONG_TEXT = 2000  # about, per shop or product
SHORT_TEXT = 300
_PRODUCT_FIELD = re.compile(r"^product-([1-9]|10)-([a-z]+)$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029\u0085]")


class ParseError(ValueError):
    pass


class UnsupportedMediaType(ParseError):
    pass


class FileNotAllowed(ParseError):
    pass


@dataclass
class Submission:
    shop: dict = field(default_factory=dict)       # field -> str (lists for payment/delivery)
    products: list = field(default_factory=list)   # dicts with "n", fields, "photos"
    website: str = ""
    session: str = ""                              # /ubah/ sign-in session token
    js: bool = False                               # the page's script ran (photos uploaded by it)

    def values(self) -> dict:
        """Everything as the form shows it again."""
        return {"shop": self.shop, "products": self.products}


def fold(text) -> str:
    """One line: every run of whitespace (newlines included) becomes one space."""
    return " ".join(_CONTROL.sub(" ", str(text or "")).split())[:SHORT_TEXT]


def clean_long(text) -> str:
    """A free text: line breaks kept (it is the Markdown body), other controls gone."""
    lines = _CONTROL.sub(" ", str(text or "").replace("\r\n", "\n").replace("\r", "\n"))
    return "\n".join(line.rstrip() for line in lines.split("\n")).strip()[:LONG_TEXT]


def _pairs(body: str, content_type: str) -> list[tuple[str, str]]:
    kind = content_type.split(";")[0].strip().lower()
    if kind == "application/x-www-form-urlencoded" or not kind:
        return parse_qsl(body, keep_blank_values=True, max_num_fields=400)
    if kind == "multipart/form-data":
        return _multipart(body, content_type)
    raise UnsupportedMediaType(kind)


def _multipart(body: str, content_type: str) -> list[tuple[str, str]]:
    import multipart

    _, options = multipart.parse_options_header(content_type)
    boundary = options.get("boundary")
    if not boundary:
        raise ParseError("multipart without a boundary")
    data = body.encode("utf-8")
    pairs = []
    try:
        parser = multipart.MultipartParser(BytesIO(data), boundary, len(data), part_limit=400)
        for part in parser:
            if part.filename:
                raise FileNotAllowed(part.name)
            pairs.append((part.name, part.value))
    except multipart.MultipartError as err:
        raise ParseError(str(err)) from None
    return pairs


def _product(n: int, found: dict) -> dict:
    item = {"n": n}
    for name in PRODUCT_TEXT:
        item[name] = fold((found.get(name) or [""])[0])
    item["about"] = clean_long((found.get("about") or [""])[0])
    photos = [fold(p) for p in found.get("photo", []) if fold(p)]
    item["photos"] = list(dict.fromkeys(photos))[:MAX_PHOTOS]
    item["id"] = fold((found.get("id") or [""])[0])  # the product's file slug (updates)
    return item


def from_pairs(pairs) -> Submission:
    shop_lists: dict = {name: [] for name in SHOP_LISTS}
    single: dict = {}
    products: dict = {}
    for name, value in pairs:
        match = _PRODUCT_FIELD.match(name)
        if match:
            products.setdefault(int(match[1]), {}).setdefault(match[2], []).append(value)
        elif name in SHOP_LISTS:
            shop_lists[name].append(fold(value).casefold())
        else:
            single.setdefault(name, value)
    shop = {name: fold(single.get(name, "")) for name in SHOP_TEXT}
    shop["about"] = clean_long(single.get("about", ""))
    for name in SHOP_LISTS:
        shop[name] = [v for v in dict.fromkeys(shop_lists[name]) if v]
    items = [_product(n, products[n]) for n in sorted(products)]
    items = [p for p in items if any(p[k] for k in ("title", "price", "photos", "id", "about"))]
    return Submission(shop=shop, products=items, website=str(single.get("website", "")),
                      session=fold(single.get("sesi", "")), js=single.get("js") == "1")


def parse(body: str, content_type: str) -> Submission:
    return from_pairs(_pairs(body, content_type))
