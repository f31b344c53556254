"""The report's summaries (pure): rows + catalog + now -> tables.

Each ``Table`` is one CSV file and one chart: ``name`` (file name without
``.csv``), ``title`` (Indonesian), ``columns``, ``rows``, and which column
labels the bars and which one they measure (``chart``: (label, value) or
None for a table shown without a chart).
"""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median

from warung.text import texts

from report.rows import Row

UNANSWERED_AFTER = timedelta(hours=24)
TOP_PRODUCTS = 20


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    columns: list
    rows: list
    chart: tuple | None = None


def _title(name: str) -> str:
    return texts()["laporan"]["judul"][name]


def _sum_by(rows: list[Row], key) -> list:
    count, value = Counter(), Counter()
    for row in rows:
        count[key(row)] += 1
        value[key(row)] += row.total
    return [[k, count[k], value[k]] for k in sorted(count, key=lambda k: (-value[k], k))]


def per_month(rows: list[Row]) -> Table:
    found = sorted(_sum_by(rows, lambda r: r.created.strftime("%Y-%m")))
    return Table("per_bulan", _title("per_bulan"), ["bulan", "pesanan", "nilai"],
                 found, (0, 2))


def per_kecamatan(rows: list[Row], side: str) -> Table:
    if side == "toko":
        found = _sum_by(rows, lambda r: r.shop_kecamatan or "-")
    else:
        found = _sum_by(rows, lambda r: r.buyer_kecamatan or "-")
    return Table(f"per_kecamatan_{side}", _title(f"per_kecamatan_{side}"),
                 ["kecamatan", "pesanan", "nilai"], found, (0, 2))


def per_category(rows: list[Row]) -> Table:
    items, value = Counter(), Counter()
    for row in rows:
        for line in row.lines:
            items[line.category] += line.qty
            value[line.category] += line.subtotal
    found = [[k, items[k], value[k]] for k in sorted(value, key=lambda k: (-value[k], k))]
    return Table("per_kategori", _title("per_kategori"), ["kategori", "jumlah_barang", "nilai"],
                 found, (0, 2))


def per_shop(rows: list[Row], shops: dict) -> Table:
    found = [[shop, (shops.get(shop) or {}).get("title", shop), count, value]
             for shop, count, value in _sum_by(rows, lambda r: r.shop)]
    return Table("per_toko", _title("per_toko"), ["toko", "nama_toko", "pesanan", "nilai"],
                 found, (1, 3))


def shops_and_products(rows: list[Row], catalog: dict) -> tuple[Table, Table]:
    shops = catalog.get("shops") or {}
    products = catalog.get("products") or []
    ordered_shops = {row.shop for row in rows}
    ordered_products = {line.product for row in rows for line in row.lines}
    summary = [
        ["toko_terdaftar", len(shops)],
        ["toko_dengan_pesanan", len(ordered_shops & set(shops))],
        ["toko_tanpa_pesanan", len(set(shops) - ordered_shops)],
        ["produk_aktif", sum(1 for p in products if p.get("stock") != "habis")],
        ["produk_dipesan", len(ordered_products)],
    ]
    never = [[shop_id, shop.get("title", ""), shop.get("kecamatan", ""), shop.get("whatsapp", "")]
             for shop_id, shop in sorted(shops.items()) if shop_id not in ordered_shops]
    return (Table("toko_produk", _title("toko_produk"), ["ukuran", "jumlah"], summary, (0, 1)),
            Table("toko_tanpa_pesanan", _title("toko_tanpa_pesanan"),
                  ["toko", "nama_toko", "kecamatan", "whatsapp"], never))


def answers(rows: list[Row], shops: dict) -> Table:
    by_shop = defaultdict(list)
    for row in rows:
        by_shop[row.shop].append(row)
    found = []
    for shop, orders in sorted(by_shop.items()):
        answered = [r for r in orders if r.status != "menunggu"]
        accepted = [r for r in answered if r.status != "ditolak"]
        hours = [(r.answered - r.created).total_seconds() / 3600 for r in answered if r.answered]
        rate = round(100 * len(accepted) / len(answered)) if answered else 0
        found.append([shop, (shops.get(shop) or {}).get("title", shop), len(orders), len(answered),
                      len(accepted), len(answered) - len(accepted), rate,
                      round(median(hours), 1) if hours else ""])
    return Table("jawaban_toko", _title("jawaban_toko"),
                 ["toko", "nama_toko", "pesanan", "dijawab", "diterima", "ditolak",
                  "tingkat_terima_persen", "median_jam_jawab"], found, (1, 6))


def unanswered(rows: list[Row], shops: dict, now: datetime) -> Table:
    late = sorted((r for r in rows if r.status == "menunggu"
                   and now - r.created > UNANSWERED_AFTER), key=lambda r: r.created)
    found = [[r.code, r.created.strftime("%Y-%m-%d %H:%M"), r.shop,
              (shops.get(r.shop) or {}).get("title", r.shop),
              (shops.get(r.shop) or {}).get("whatsapp", ""),
              int((now - r.created).total_seconds() // 3600)] for r in late]
    return Table("belum_dijawab", _title("belum_dijawab"),
                 ["kode", "tanggal", "toko", "nama_toko", "whatsapp_penjual", "jam_menunggu"], found)


def top_products(rows: list[Row], shops: dict) -> Table:
    qty, value, names = Counter(), Counter(), {}
    for row in rows:
        for line in row.lines:
            qty[line.product] += line.qty
            value[line.product] += line.subtotal
            names[line.product] = line.title
    best = sorted(qty, key=lambda p: (-qty[p], -value[p], p))[:TOP_PRODUCTS]
    found = [[p, names[p], (shops.get(p.split("/")[0]) or {}).get("title", ""), qty[p], value[p]]
             for p in best]
    return Table("produk_teratas", _title("produk_teratas"),
                 ["produk", "nama", "toko", "jumlah", "nilai"], found, (1, 3))


def all_tables(rows: list[Row], catalog: dict, now: datetime) -> list[Table]:
    shops = catalog.get("shops") or {}
    active, never = shops_and_products(rows, catalog)
    return [per_month(rows), per_kecamatan(rows, "toko"), per_kecamatan(rows, "pembeli"),
            per_category(rows), per_shop(rows, shops), active, never, answers(rows, shops),
            unanswered(rows, shops, now), top_products(rows, shops)]
