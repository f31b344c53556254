"""Shop order records -> report rows, with nothing that identifies a buyer.

``to_row(order, catalog)`` keeps only what the report shows: the code, the
date, the shop and its kecamatan, the buyer's kecamatan (a coarse area, not
an address), the categories, the item count, the total, the status and the
times of the first answer. Spam orders are left out.
"""

from dataclasses import dataclass, field
from datetime import datetime, timezone

COLUMNS = ["kode", "tanggal", "toko", "kecamatan_toko", "kecamatan_pembeli", "kategori",
           "jumlah_barang", "total", "status"]
STATUSES = ("menunggu", "diterima", "ditolak", "dikirim", "selesai")


@dataclass(frozen=True)
class Line:
    product: str
    title: str
    category: str
    qty: int
    subtotal: int


@dataclass(frozen=True)
class Row:
    code: str
    created: datetime
    shop: str
    shop_kecamatan: str
    buyer_kecamatan: str
    categories: tuple
    items: int
    total: int
    status: str
    answered: datetime | None = None
    lines: tuple = field(default=())

    def csv(self) -> list:
        return [self.code, self.created.strftime("%Y-%m-%d %H:%M"), self.shop,
                self.shop_kecamatan, self.buyer_kecamatan, "; ".join(self.categories),
                self.items, self.total, self.status]


def parse_time(value) -> datetime | None:
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _lines(order: dict, products: dict) -> tuple:
    found = []
    for line in order.get("lines") or []:
        product = products.get(line.get("id")) or {}
        found.append(Line(str(line.get("id") or ""), str(product.get("title") or line.get("title") or ""),
                          str(product.get("category") or "Lainnya"),
                          int(line.get("qty") or 0), int(line.get("subtotal") or 0)))
    return tuple(found)


def to_row(order: dict, catalog: dict) -> Row | None:
    """One report row, or None for spam and unreadable records."""
    created = parse_time(order.get("created_at"))
    if order.get("spam") or created is None or not order.get("code"):
        return None
    products = {p["id"]: p for p in catalog.get("products") or []}
    shop = (catalog.get("shops") or {}).get(order.get("shop")) or {}
    lines = _lines(order, products)
    status = order.get("status") if order.get("status") in STATUSES else "menunggu"
    return Row(
        code=str(order["code"]), created=created, shop=str(order.get("shop") or ""),
        shop_kecamatan=str(shop.get("kecamatan") or ""),
        buyer_kecamatan=str((order.get("buyer") or {}).get("kecamatan") or ""),
        categories=tuple(sorted({line.category for line in lines})),
        items=sum(line.qty for line in lines), total=int(order.get("total") or 0),
        status=status, answered=parse_time(order.get("answered_at")), lines=lines,
    )
