"""The seller form checked with the content rules (``warung.rules``), the
same rules and messages as ``make check``; each problem keyed by the form
field it belongs to (``title``, ``product-2-price``, ...).

``to_shop_meta``/``to_product_meta`` are also what ``make terima`` writes,
so what was checked is what lands in the content files.
"""

import re

from warung import rules
from warung.text import texts

from daftar.fields import MAX_PRODUCTS, Submission

# form field -> rules key
SHOP_FIELDS = {"title": "title", "whatsapp": "whatsapp", "email": "email",
               "kecamatan": "kecamatan", "address": "address", "payment": "payment",
               "delivery": "delivery", "delivery_fee": "deliveryfee", "nib": "nib",
               "pirt": "pirt", "halal": "halal", "logo": "logo"}
PRODUCT_FIELDS = {"title": "title", "price": "price", "category": "category", "unit": "unit",
                  "stock": "stock", "variants": "variants"}
REQUIRED_SHOP = ("title", "whatsapp", "email", "kecamatan")
REQUIRED_PRODUCT = ("title", "price", "category")
# An upload's key, as the presign step hands it out (daftar.photos), or, once
# stored, its copy in the submission's folder.
PHOTO_KEY = re.compile(
    r"^(unggah/[A-Za-z0-9_-]{8,40}|inbox/PJ-[0-9A-Z]{8})/[0-9a-f]{32}\.(jpg|png|webp)$")


def photo_name(key: str, index: int, prefix: str) -> str:
    """The file name a photo gets under the shop's ``images/``."""
    return f"images/{prefix}-{index}.{key.rsplit('.', 1)[-1]}"


def to_shop_meta(shop: dict) -> dict:
    meta = {}
    for name, key in SHOP_FIELDS.items():
        value = shop.get(name)
        if isinstance(value, list):
            value = ", ".join(value)
        if name == "logo" and value:
            value = photo_name(value, 1, "logo")
        if value or name in REQUIRED_SHOP:
            meta[key] = value or ""
    return meta


def to_product_meta(product: dict, slug: str = "produk") -> dict:
    meta = {key: product.get(name) or "" for name, key in PRODUCT_FIELDS.items()
            if product.get(name) or name in REQUIRED_PRODUCT}
    photos = [photo_name(key, i, slug) for i, key in enumerate(product.get("photos") or [], 1)]
    if photos:
        meta["image"] = photos[0]
    if photos[1:]:
        meta["images"] = ", ".join(photos[1:])
    return meta


def _required(errors: dict, prefix: str, values: dict, names) -> None:
    m = texts()["daftar_galat"]
    for name in names:
        if not values.get(name):
            errors[prefix + name] = m["wajib"].format(label=texts()["daftar_label"][name])


def _problems(errors: dict, prefix: str, problems, fields: dict) -> None:
    by_key = {key: name for name, key in fields.items()}
    for problem in problems:
        if problem.severity != "error":
            continue
        name = by_key.get(problem.key, "_")
        errors.setdefault(name if name == "_" else prefix + name, problem.message)


def check_shop(shop: dict) -> dict:
    errors: dict = {}
    _required(errors, "", shop, REQUIRED_SHOP)
    _, problems = rules.validate_shop(to_shop_meta(shop))
    _problems(errors, "", problems, SHOP_FIELDS)
    if shop.get("logo") and not PHOTO_KEY.match(shop["logo"]):
        errors["logo"] = texts()["daftar_galat"]["foto_rusak"]
    return errors


def check_product(product: dict) -> dict:
    prefix, m = f"product-{product['n']}-", texts()["daftar_galat"]
    errors: dict = {}
    _required(errors, prefix, product, REQUIRED_PRODUCT)
    _, problems = rules.validate_product(to_product_meta(product))
    _problems(errors, prefix, problems, {**PRODUCT_FIELDS, "photo": "image"})
    if not product.get("photos"):
        errors[prefix + "photo"] = m["foto_wajib"]
    elif not all(PHOTO_KEY.match(key) for key in product["photos"]):
        errors[prefix + "photo"] = m["foto_rusak"]
    return errors


def check(submission: Submission, *, need_products: bool = True) -> dict:
    """Every problem of a join submission, keyed by form field (empty: valid)."""
    errors = check_shop(submission.shop)
    if need_products and not submission.products:
        errors["product-1-title"] = texts()["daftar_galat"]["produk_kosong"]
    if len(submission.products) > MAX_PRODUCTS:
        errors["_"] = texts()["daftar_galat"]["produk_banyak"].format(max=MAX_PRODUCTS)
    for product in submission.products:
        if product.get("remove"):
            continue
        errors.update(check_product(product))
    return errors
