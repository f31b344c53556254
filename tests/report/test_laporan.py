"""``make laporan`` on ~30 scripted orders (moto's server over HTTP).

Orders go through the real order handler, statuses through the seller
page's own ``lifecycle.records.apply``; the report reads the table page by
page and writes ``laporan/``. Checked: CSV totals equal the orders'
totals, every summary adds up, no buyer's personal data anywhere, and
``index.html`` renders in Chromium (JavaScript off) with its charts.
"""

import csv
import json
from datetime import datetime, timedelta, timezone

import pytest

from tests.functions.conftest import TEST_CATALOG, as_json_order

KECAMATAN = ["Purwakarta", "Campaka", "Jatiluhur", "Plered", "Darangdan"]
CARTS = [  # (items, qty): shops and categories vary
    (["kopi-wanayasa/robusta"], [2]),                              # Minuman
    (["batik-plered/kain-batik"], [1]),                            # Fashion
    (["sayur-maniis/pisang"], [3]),                                # Pertanian
    (["kopi-wanayasa/robusta", "sayur-maniis/pisang"], [1, 2]),    # two shops
    (["batik-plered/pot-gerabah:Besar", "batik-plered/kain-batik"], [1, 1]),  # Kerajinan
]
ACTIONS = [[], ["terima"], ["tolak"], ["terima", "kirim"], ["terima", "kirim", "selesai"]]


def buyer(n: int) -> dict:
    return {"name": f"Pembeli Rahasia {n:02d}", "phone": f"0813-7000-{n:04d}",
            "email": f"rahasia{n:02d}@contoh.id", "address": f"Gang Mawar Nomor {n} RT 0{n % 9 + 1}",
            "note": "Catatan pribadi pembeli"}


@pytest.fixture
def scripted(aws, events, monkeypatch):
    """30 checkouts (36 shop orders) across 5 buyer kecamatan, 4 categories
    and every status; returns the buyers."""
    from lifecycle import records
    from order.handler import handler

    monkeypatch.setenv("ORDER_RATE_PER_IP", "100000/60")
    monkeypatch.setenv("ORDER_RATE_PER_PHONE", "100000/60")
    buyers = []
    for n in range(30):
        items, qty = CARTS[n % len(CARTS)]
        fields = {**buyer(n), "item": items, "qty": qty, "kecamatan": KECAMATAN[n % 5],
                  "desa": "", "delivery": "ambil", "payment": "cod", "key": "",
                  "build": TEST_CATALOG["build"], "website": ""}
        response = handler(events.json(as_json_order(fields)), None)
        assert response["statusCode"] == 201, response["body"]
        for order in json.loads(response["body"])["orders"]:
            for action in ACTIONS[(n + int(order["code"][-1])) % len(ACTIONS)]:
                records.apply(order["code"], action, "stok_habis" if action == "tolak" else None)
        buyers.append(buyer(n))
    return buyers


def read_csv(path):
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def run_report(aws, out, page_size=7):
    from backend import clients
    from report.main import build

    pages = []
    now = datetime.now(timezone.utc) + timedelta(days=2)
    written = build(clients.dynamodb(), aws.env["ORDERS_TABLE"], TEST_CATALOG, out, now,
                    "test", page_size=page_size, pages=pages)
    return written, pages


def test_csv_totals_equal_the_orders(aws, scripted, tmp_path):
    out = tmp_path / "laporan"
    written, pages = run_report(aws, out)
    assert len(pages) > 3  # read page by page
    orders = aws.items("ORDER#")
    total = sum(o["total"] for o in orders)
    rows = read_csv(out / "pesanan.csv")
    assert list(rows[0]) == ["kode", "tanggal", "toko", "kecamatan_toko", "kecamatan_pembeli",
                             "kategori", "jumlah_barang", "total", "status"]
    assert len(rows) == len(orders) == 36
    assert sum(int(r["total"]) for r in rows) == total
    assert {r["kode"]: r["status"] for r in rows} == {o["code"]: o["status"] for o in orders}
    assert {r["status"] for r in rows} == {"menunggu", "diterima", "ditolak", "dikirim", "selesai"}
    assert {r["kecamatan_pembeli"] for r in rows} == set(KECAMATAN)
    assert len({c for r in rows for c in r["kategori"].split("; ")}) >= 3
    for name in ("per_bulan", "per_kecamatan_toko", "per_kecamatan_pembeli", "per_toko"):
        summary = read_csv(out / f"{name}.csv")
        assert sum(int(r["nilai"]) for r in summary) == total, name
        assert sum(int(r["pesanan"]) for r in summary) == 36, name
    lines = sum(line["subtotal"] for o in orders for line in o["lines"])
    assert sum(int(r["nilai"]) for r in read_csv(out / "per_kategori.csv")) == lines
    late = read_csv(out / "belum_dijawab.csv")
    waiting = [o for o in orders if o["status"] == "menunggu"]
    assert sorted(r["kode"] for r in late) == sorted(o["code"] for o in waiting)
    assert all(r["whatsapp_penjual"].startswith("62") for r in late)
    answers = {r["toko"]: r for r in read_csv(out / "jawaban_toko.csv")}
    assert set(answers) == {"kopi-wanayasa", "batik-plered", "sayur-maniis"}
    assert all(0 <= int(r["tingkat_terima_persen"]) <= 100 for r in answers.values())
    assert read_csv(out / "produk_teratas.csv")[0]["jumlah"]
    # The same figures with one big page.
    again, pages = run_report(aws, tmp_path / "again", page_size=1000)
    assert len(pages) == 1
    assert (tmp_path / "again" / "pesanan.csv").read_text() == (out / "pesanan.csv").read_text()


def test_no_buyer_personal_data_anywhere(aws, scripted, tmp_path):
    from warung.phone import display_mobile, normalize_mobile

    out = tmp_path / "laporan"
    run_report(aws, out)
    text = "\n".join(path.read_text(encoding="utf-8") for path in out.iterdir())
    assert "Pembeli Rahasia" not in text and "Catatan pribadi" not in text
    for person in scripted:
        phone = normalize_mobile(person["phone"])
        for secret in (person["name"], person["email"], person["address"], person["phone"],
                       phone, display_mobile(phone), phone[2:]):
            assert secret not in text, secret


@pytest.mark.browser
def test_index_renders_offline_in_chromium_with_its_charts(aws, scripted, tmp_path, browser):
    out = tmp_path / "laporan"
    run_report(aws, out)
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "<script" not in html and "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    context = browser.new_context(java_script_enabled=False, offline=True)
    page = context.new_page()
    try:
        page.goto((out / "index.html").as_uri())
        assert page.locator("svg.chart").count() >= 8
        assert page.locator("svg.chart rect").count() > 20
        box = page.locator("#per_kecamatan_pembeli svg").bounding_box()
        assert box and box["width"] > 200 and box["height"] > 100
        assert "Pesanan belum dijawab" in page.inner_text("body")
        page.screenshot(path=str(tmp_path / "laporan.png"), full_page=True)
    finally:
        context.close()
