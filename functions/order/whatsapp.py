"""The message a buyer sends each seller on WhatsApp, prefilled in a wa.me link.

``*bold*`` order code and total, one line per product, then who, where,
how. Kept under ``MAX_CHARS`` characters: lines that do not fit become
"…dan N barang lain", and an over-long note or address is shortened last.
"""

from warung.phone import whatsapp_link
from warung.rupiah import format_rupiah
from warung.text import texts

MAX_CHARS = 1499  # "under 1,500 characters"


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: max(0, limit - 1)].rstrip() + "…"


def message(order: dict, buyer: dict, site_name: str | None = None) -> str:
    """The text for ``order`` (an ORDER# record or priced order with ``code``)."""
    t = texts()
    wa = t["pesanan_wa"]
    site_name = site_name or t["site_name"]
    head = [wa["greeting"].format(shop=order["shop_title"], site=site_name),
            wa["code"].format(code=order["code"]), ""]
    lines = [
        wa["line"].format(
            n=n, product=line["title"],
            variant=wa["variant"].format(variant=line["variant"]) if line.get("variant") else "",
            qty=line["qty"], subtotal=format_rupiah(line["subtotal"]))
        for n, line in enumerate(order["lines"], start=1)
    ]
    totals = [""]
    fee = order.get("delivery_fee")
    if order.get("delivery") == "antar":
        totals.append(wa["subtotal"].format(amount=format_rupiah(order["subtotal"])))
        totals.append(wa["delivery_fee"].format(amount=format_rupiah(fee)) if fee is not None
                      else wa["delivery_fee_confirm"])
    if order.get("delivery") == "antar" and fee is None:
        totals.append(wa["total_confirm"].format(amount=format_rupiah(order["total"])))
    else:
        totals.append(wa["total"].format(amount=format_rupiah(order["total"])))
    area = (wa["area"] if buyer.get("desa") else wa["area_no_desa"]).format(
        desa=buyer.get("desa"), kecamatan=buyer.get("kecamatan"))
    address = f"{buyer.get('address', '')}, {area}".replace("\n", ", ")
    note = (buyer.get("note") or "").replace("\n", " ")

    def tail(address_text: str, note_text: str) -> list[str]:
        parts = ["", wa["name"].format(value=buyer.get("name", "")),
                 wa["address"].format(value=address_text),
                 wa["delivery"].format(value=t["delivery"].get(order["delivery"], order["delivery"])),
                 wa["payment"].format(value=t["payment"].get(order["payment"], order["payment"]))]
        if note_text:
            parts.append(wa["note"].format(value=note_text))
        return parts + ["", wa["thanks"]]

    def render(shown: int, address_text: str, note_text: str) -> str:
        body = lines[:shown]
        if shown < len(lines):
            body = body + [wa["more"].format(n=len(lines) - shown)]
        return "\n".join(head + body + totals + tail(address_text, note_text))

    # Shorten the free texts only if even a one-line list would not fit.
    for note_limit, address_limit in ((len(note), len(address)), (200, len(address)), (0, 200)):
        note_text, address_text = _shorten(note, note_limit) if note_limit else "", \
            _shorten(address, address_limit)
        if len(render(min(1, len(lines)), address_text, note_text)) <= MAX_CHARS:
            break
    shown = len(lines)
    while shown > 1 and len(render(shown, address_text, note_text)) > MAX_CHARS:
        shown -= 1
    return render(shown, address_text, note_text)[:MAX_CHARS]


def link(order: dict, buyer: dict, site_name: str | None = None) -> str:
    """The wa.me link to the seller with the message prefilled."""
    return whatsapp_link(order["seller_whatsapp"], message(order, buyer, site_name))


def with_links(orders: list[dict], buyer: dict) -> list[dict]:
    """The orders, each with its prefilled ``whatsapp_url`` to the seller."""
    return [{**order, "whatsapp_url": link(order, buyer)} for order in orders]
