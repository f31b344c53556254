"""A shop of the private catalog as the seller form's values (``/ubah/``),
and the difference between what the seller sent and those values.

The form shows each value as text; a field the seller did not touch comes
back as the same text, so the difference is exactly what they changed.
"""

from backend import catalog
from warung import phone

SHOP_TEXT = ("title", "whatsapp", "email", "kecamatan", "address", "delivery_fee",
             "nib", "pirt", "halal")
PRODUCT_TEXT = ("title", "price", "category", "unit", "stock", "variants")
QUICK = {"price", "stock"}


def _fee(fee) -> str:
    if not fee:
        return ""
    parts = [f"{name}={amount}" for name, amount in (fee.get("kecamatan") or {}).items()]
    if fee.get("default") is not None:
        parts.append(f"lainnya={fee['default']}" if parts else str(fee["default"]))
    return "; ".join(parts)


def shop_values(shop_id: str) -> dict:
    """{"shop": {...}, "products": [...]} of a catalog shop, as form text."""
    cat = catalog.load()
    shop = cat.shop(shop_id) or {}
    permits = shop.get("permits") or {}
    try:
        whatsapp = phone.display_mobile(shop.get("whatsapp", ""))
    except (ValueError, AttributeError):
        whatsapp = str(shop.get("whatsapp", ""))
    values = {"title": shop.get("title", ""), "whatsapp": whatsapp,
              "email": shop.get("email", ""), "kecamatan": shop.get("kecamatan", ""),
              "address": shop.get("address", ""), "delivery_fee": _fee(shop.get("delivery_fee")),
              "nib": permits.get("nib", ""), "pirt": permits.get("pirt", ""),
              "halal": permits.get("halal", ""), "about": "", "logo": "",
              "payment": list(shop.get("payment") or []),
              "delivery": list(shop.get("delivery") or [])}
    products = []
    mine = [p for p in cat.products.values() if p.get("shop") == shop_id]
    for n, product in enumerate(mine[:10], 1):
        variants = "; ".join(f"{v['name']}={v['price']}" for v in product.get("variants") or [])
        products.append({"n": n, "id": product["id"].split("/", 1)[1],
                         "title": product.get("title", ""), "price": str(product.get("price", "")),
                         "category": product.get("category", ""), "unit": product.get("unit", ""),
                         "stock": product.get("stock", "tersedia"), "variants": variants,
                         "about": "", "photos": [], "remove": ""})
    return {"shop": values, "products": products}


def _changed(sent: dict, before: dict, names) -> dict:
    return {name: sent.get(name, "") for name in names
            if str(sent.get(name, "")).strip() != str(before.get(name, "")).strip()}


def difference(sent_shop: dict, sent_products: list, before: dict) -> dict:
    """What changed: ``shop`` (field -> new text), ``about``, ``products``
    (each ``{"id", "action": ubah|baru|hapus, "changes", "about", "photos"}``)
    and ``quick`` (only prices and stock)."""
    shop = _changed(sent_shop, before["shop"], SHOP_TEXT)
    for name in ("payment", "delivery"):
        if sorted(sent_shop.get(name) or []) != sorted(before["shop"].get(name) or []):
            shop[name] = sent_shop.get(name) or []
    if sent_shop.get("logo"):
        shop["logo"] = sent_shop["logo"]
    known = {p["id"]: p for p in before["products"]}
    products = []
    for product in sent_products:
        old = known.get(product.get("id") or "")
        if old is None:
            products.append({**product, "id": "", "action": "baru"})
        elif product.get("remove"):
            products.append({"id": old["id"], "title": old["title"], "action": "hapus"})
        else:
            changes = _changed(product, old, PRODUCT_TEXT)
            if changes or product.get("about") or product.get("photos"):
                products.append({"id": old["id"], "title": old["title"], "action": "ubah",
                                 "changes": changes, "about": product.get("about") or "",
                                 "photos": product.get("photos") or []})
    quick = (not shop and not sent_shop.get("about") and bool(products)
             and all(p["action"] == "ubah" and not p["about"] and not p["photos"]
                     and set(p["changes"]) <= QUICK for p in products))
    return {"shop": shop, "about": sent_shop.get("about") or "", "products": products,
            "quick": quick}
