"""Prices from the catalog only: one order per shop, with lines and totals.

``split(order)`` takes a validated ``Order`` (whose line prices were read
from the catalog by ``validate``) and returns one dict per shop, in cart
order, without codes yet. Whatever price or total the client sent is never
read. Delivery: ``ambil`` costs 0; ``antar`` costs the shop's fee for the
buyer's kecamatan (``warung.rules.delivery_fee_for``), and when that is
unknown (None: "ongkir dikonfirmasi penjual") the total is the subtotal.
"""

from warung.rules import delivery_fee_for

# The largest amount (unit price, line, total) an order may carry: far more
# than 50 lines of 999 at the content rules' price cap (Rp100.000.000 by
# default), below JavaScript's exact integers (2**53) and far below the
# 38 digits a DynamoDB number holds, so whatever is priced can be stored.
MAX_AMOUNT = 10 ** 15 - 1


class Unstorable(ValueError):
    """A price or total the order could not hold; ``labels`` name the lines."""

    def __init__(self, labels: list[str]):
        super().__init__(labels)
        self.labels = labels


def _storable(amount) -> bool:
    return isinstance(amount, int) and not isinstance(amount, bool) and 0 < amount <= MAX_AMOUNT


def line_record(line) -> dict:
    return {
        "id": line.product["id"],
        "title": line.product["title"],
        "variant": line.variant,
        "qty": line.qty,
        "price": line.price,
        "subtotal": line.price * line.qty,
    }


def delivery_fee(shop: dict, delivery: str, kecamatan: str) -> int | None:
    if delivery != "antar":
        return 0
    fee = delivery_fee_for(shop.get("delivery_fee"), kecamatan)
    return None if fee is None else int(fee)


def split(order) -> list[dict]:
    """One priced order per shop (in the order shops first appear in the cart)."""
    by_shop: dict[str, list] = {}
    for line in order.lines:
        by_shop.setdefault(line.shop["id"], []).append(line)
    priced, unstorable = [], []
    for shop_id, lines in by_shop.items():
        shop = lines[0].shop
        records = [line_record(line) for line in lines]
        unstorable += [f"{r['title']} ({r['variant']})" if r["variant"] else r["title"]
                       for r in records if not (_storable(r["price"]) and _storable(r["subtotal"]))]
        subtotal = sum(record["subtotal"] for record in records)
        fee = delivery_fee(shop, order.delivery, order.buyer["kecamatan"])
        if not unstorable and not _storable(subtotal + (fee or 0)):
            unstorable += [r["title"] for r in records]
        priced.append({
            "shop": shop_id,
            "shop_title": shop["title"],
            "seller_email": shop.get("email"),
            "seller_whatsapp": shop.get("whatsapp"),
            "lines": records,
            "subtotal": subtotal,
            "delivery": order.delivery,
            "delivery_fee": fee,
            "payment": order.payment,
            "total": subtotal + (fee or 0),
        })
    if unstorable:
        raise Unstorable(list(dict.fromkeys(unstorable)))
    return priced
