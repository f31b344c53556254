"""After the order, end to end through the local run (``live_server``).

A buyer orders from two shops in Chromium (cart, JavaScript on, with an
email); each seller's link comes from ``/_dev/outbox.json``; one seller
accepts and the other declines as out of stock, on the seller page in the
browser; the buyer's confirmation page shows both states and the buyer's
emails arrive. Twenty concurrent "terima" POSTs over HTTP make one change
and one buyer email.
"""

import re
import threading
from urllib.parse import urlsplit

import pytest

from tests.fixtures.server import order_fields, pick_products

pytestmark = pytest.mark.browser

SELLER_LINK = re.compile(r"https?://[^\s/]+(/api/penjual/(WO-[0-9A-Z]{6}-\d+)\?t=[A-Za-z0-9_-]+)")
CONFIRMATION = re.compile(r".*/api/order/(WO-[0-9A-Z]+)\?t=.+")


def seller_links(live_server, code: str, count: int) -> dict:
    """order code -> seller page path, from the seller emails of checkout ``code``."""
    mails = live_server.wait_for_mail(
        lambda m: code in (m["subject"] or "") and SELLER_LINK.search(m["text"] or ""),
        count=count)
    found = {}
    for mail in mails:
        for match in SELLER_LINK.finditer(mail["text"]):
            found[match.group(2)] = match.group(1)
    return found


def test_two_shops_accept_one_decline_one(live_server, phone_page, screenshot, built_site):
    products = pick_products(built_site.catalog, 2)
    page = phone_page(javascript=True)
    for product in products:
        page.goto(live_server.url + product["url"].lstrip("/"))
        page.click("form[data-product] button:has-text('Tambah ke keranjang')")
        page.wait_for_selector("form[data-product] [role=status]:not(:empty)")
    page.goto(live_server.url + "keranjang/")
    form = "form[data-checkout]"
    page.wait_for_selector(form, state="visible")
    page.fill(f"{form} [name=name]", "Rina Status")
    page.fill(f"{form} [name=phone]", "0812-3456-7301")
    page.select_option(f"{form} [name=kecamatan]", "Purwakarta")
    page.fill(f"{form} [name=address]", "Jl. Veteran No. 12, RT 01/02")
    page.fill(f"{form} [name=email]", "rina@contoh.id")
    page.check(f"{form} [name=delivery][value=ambil]")
    page.check(f"{form} [name=payment][value=cod]")
    with page.expect_navigation(url=CONFIRMATION):
        page.click(f"{form} button[type=submit]")
    confirmation = page.url
    code = CONFIRMATION.fullmatch(confirmation).group(1)
    assert page.locator("text=Menunggu penjual").count() == 2

    links = seller_links(live_server, code, 2)
    assert sorted(links) == [f"{code}-1", f"{code}-2"]
    seller = phone_page(javascript=False)
    seller.goto(live_server.url + links[f"{code}-1"].lstrip("/"))
    with seller.expect_navigation():
        seller.click("button:has-text('Terima pesanan')")
    assert "Diterima penjual" in seller.inner_text("main")
    screenshot(seller, "seller-accepted")
    seller.goto(live_server.url + links[f"{code}-2"].lstrip("/"))
    seller.check("input[name=alasan][value=stok_habis]")
    with seller.expect_navigation():
        seller.click("button:has-text('Tolak pesanan')")
    assert "Ditolak penjual: stok habis" in seller.inner_text("main")

    page.goto(confirmation)
    text = page.inner_text("main")
    assert "Diterima penjual" in text and "Ditolak penjual: stok habis" in text
    assert "tidak perlu membayar" in text
    screenshot(page, "buyer-states")

    def notice(mail):
        return mail["to"] == ["rina@contoh.id"] and code in (mail["subject"] or "") \
            and "penjual" in (mail["subject"] or "")
    mails = live_server.wait_for_mail(notice, count=2)
    assert sorted(m["subject"] for m in mails) == [
        f"Pesanan {code}-1: Diterima penjual", f"Pesanan {code}-2: Ditolak penjual: stok habis"]
    assert all("/api/penjual" not in (m["text"] + (m["html"] or "")) for m in mails)

    # "Pesanan saya" on the buyer's phone lists the order with its latest states.
    page.goto(live_server.url + "pesanan/")
    item = page.locator("[data-pesanan] li", has_text=code)
    item.locator("p", has_text="Ditolak penjual").wait_for()
    assert "Diterima penjual" in item.inner_text()
    assert item.locator("a").get_attribute("href") == confirmation.replace(
        live_server.url.rstrip("/"), "")
    screenshot(page, "pesanan-saya")


def test_twenty_concurrent_accepts_one_change_one_email(live_server, built_site):
    [product] = pick_products(built_site.catalog, 1)
    fields = order_fields([product], phone="0812-3456-7302", email="dua.puluh@contoh.id")
    placed = live_server.post_form("/api/order", fields)
    assert placed.status == 303
    code = CONFIRMATION.fullmatch(placed.headers["location"]).group(1)
    [path] = seller_links(live_server, code, 1).values()
    url = urlsplit(path)
    barrier = threading.Barrier(20)
    statuses = []

    def tap():
        barrier.wait()
        for _ in range(3):  # the local server's listen backlog (5) may reset a connection
            try:
                statuses.append(live_server.post_form(
                    url.path, {"t": url.query[2:], "aksi": "terima"}).status)
                return
            except ConnectionError:
                continue

    threads = [threading.Thread(target=tap) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert statuses == [303] * 20
    page = live_server.get(path).text
    assert page.count("Diterima penjual") == 2  # the status and one history entry
    mails = live_server.wait_for_mail(
        lambda m: m["to"] == ["dua.puluh@contoh.id"] and "Diterima penjual" in (m["subject"] or ""))
    assert len(mails) == 1, live_server.log()[-2000:]
