"""Prices from the catalog only: one order per shop, with lines and totals.

``split(order)`` takes a validated ``Order`` (lines of product, variant and
quantity) and returns one dict per shop, in cart order, without codes yet.
This is the only place prices are set: a line costs its variant's price, or
the product's base price without one. Whatever price or total the client
sent is never read; an amount that could not be stored raises ``Unstorable``. Delivery: ``ambil`` costs 0; ``antar`` costs the shop's fee for the
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


def unit_price(line):
    """The catalog's price of one unit of ``line`` (as the catalog has it)."""
    return (line.variant or line.product)["price"]


def line_record(line) -> dict:
    price = unit_price(line)
    return {
        "id": line.product["id"],
        "title": line.product["title"],
        "variant": line.variant["name"] if line.variant else None,
        "qty": line.qty,
        "price": price,
        "subtotal": price * line.qty if _storable(price) else None,
    }


def delivery_fee(shop: dict, delivery: str, kecamatan: str) -> int | None:
    if delivery != "antar":
        return 0
    fee = delivery_fee_for(shop.get("delivery_fee"), kecamatan)
    return None if fee is None else int(fee)


def _label(record: dict) -> str:
    return f"{record['title']} ({record['variant']})" if record["variant"] else record["title"]


def shop_order(shop: dict, lines: list, order) -> dict:
    """One shop's part of ``order``, priced; ``Unstorable`` naming its lines
    whose price or subtotal, or whose shop total, could not be stored."""
    records = [line_record(line) for line in lines]
    bad = [_label(r) for r in records if not _storable(r["subtotal"])]
    if bad:
        raise Unstorable(bad)
    subtotal = sum(record["subtotal"] for record in records)
    fee = delivery_fee(shop, order.delivery, order.buyer["kecamatan"])
    if not _storable(subtotal + (fee or 0)):
        raise Unstorable([_label(r) for r in records])
    return {
        "shop": shop["id"],
        "shop_title": shop["title"],
        "seller_email": shop.get("email"),
        "seller_whatsapp": shop.get("whatsapp"),
        "lines": records,
        "subtotal": subtotal,
        "delivery": order.delivery,
        "delivery_fee": fee,
        "payment": order.payment,
        "total": subtotal + (fee or 0),
    }


def split(order) -> list[dict]:
    """One priced order per shop (in the order shops first appear in the cart)."""
    by_shop: dict[str, list] = {}
    for line in order.lines:
        by_shop.setdefault(line.shop["id"], []).append(line)
    priced, unstorable = [], []
    for lines in by_shop.values():
        try:
            priced.append(shop_order(lines[0].shop, lines, order))
        except Unstorable as err:
            unstorable += err.labels
    if unstorable:
        raise Unstorable(unstorable)
    return priced
