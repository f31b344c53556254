"""cart.js and search.js in headless Chromium on the built sample catalog,
served as static files; /api/order is answered by the test (page.route), so
the script's side of docs/ORDERS.md is checked exactly."""

import json
import re
from urllib.parse import parse_qs, urlparse

import pytest

from tests.fixtures.server import pick_products
from warung.rules import delivery_fee_for
from warung.rupiah import format_rupiah
from warung.text import texts

pytestmark = pytest.mark.browser

T = texts()
JS = T["js"]


def two_shops(catalog):
    """A product with variants and a product of another shop, both orderable,
    from shops that share a delivery and a payment option with 'antar'."""
    products = [p for p in catalog["products"] if p["stock"] != "habis"]
    for first in (p for p in products if p["variants"]):
        for second in products:
            a, b = catalog["shops"][first["shop"]], catalog["shops"][second["shop"]]
            if (second["shop"] != first["shop"] and "antar" in a["delivery"]
                    and "antar" in b["delivery"] and set(a["payment"]) & set(b["payment"])):
                return first, second
    raise AssertionError("the sample has no two such shops")


def add_to_cart(page, site_url, product, variant_index=None, qty=1):
    page.goto(site_url + product["url"])
    if variant_index is not None:
        page.select_option("select[name=item]", index=variant_index)
    page.fill("input[name=qty]", str(qty))
    page.get_by_role("button", name=JS["add"]).click()
    status = page.locator("[data-cart-actions] [role=status]")
    assert JS["added"].split("{")[0].strip() in status.inner_text()


def fill_checkout(page, kecamatan="Purwakarta"):
    page.fill("#f-name", "Siti Aminah")
    page.fill("#f-phone", "0812-3456-7001")
    page.select_option("#f-kecamatan", kecamatan)
    page.fill("#f-desa", "Nagri Kidul")
    page.fill("#f-address", "Jl. Veteran No. 10")
    page.check("input[name=delivery][value=antar]")


def test_whatsapp_link_follows_variant_and_quantity(phone_page, site_url, built_site):
    product = next(p for p in built_site.catalog["products"] if len(p["variants"]) >= 2)
    page = phone_page()
    page.goto(site_url + product["url"])
    page.select_option("select[name=item]", index=1)
    page.fill("input[name=qty]", "3")
    href = page.get_attribute("#wa-order", "href")
    message = parse_qs(urlparse(href).query)["text"][0]
    variant = product["variants"][1]
    assert f"*{product['title']}* ({variant['name']}) x3 = {format_rupiah(variant['price'] * 3)}" in message


def test_cart_checkout_posts_json_and_handles_answers(phone_page, site_url, built_site):
    catalog = built_site.catalog
    first, second = two_shops(catalog)
    page = phone_page()
    add_to_cart(page, site_url, first, variant_index=1, qty=2)
    add_to_cart(page, site_url, second)
    add_to_cart(page, site_url, second)  # the same line again: quantity 2
    assert page.locator("[data-cart-count]").inner_text().startswith("4")

    page.goto(site_url + "/keranjang/")
    assert page.locator("[data-nojs]").is_hidden()
    lines = page.locator("[data-lines]")
    for product in (first, second):
        assert catalog["shops"][product["shop"]]["title"] in lines.inner_text()
    variant = first["variants"][1]
    fill_checkout(page)
    text = lines.inner_text()
    subtotal_first = variant["price"] * 2
    assert format_rupiah(subtotal_first) in text and format_rupiah(second["price"] * 2) in text
    fees = [delivery_fee_for(catalog["shops"][p["shop"]]["delivery_fee"], "Purwakarta") for p in (first, second)]
    for fee in fees:
        assert (format_rupiah(fee) if fee is not None else JS["fee_confirm"]) in text
    grand = subtotal_first + second["price"] * 2 + sum(f or 0 for f in fees)
    assert f"{JS['total']}: {format_rupiah(grand)}" in text

    posted = []

    def answer(status, body):
        def handle(route):
            posted.append(route.request)
            route.fulfill(status=status, content_type="application/json", body=json.dumps(body))
        page.unroute("**/api/order")
        page.route("**/api/order", handle)

    submit = page.locator("[data-checkout] button[type=submit]")
    answer(400, {"errors": {"phone": "Nomor WhatsApp tidak valid.", "item": "Produk tidak ada."}})
    submit.click()
    page.wait_for_selector("#err-phone")
    assert page.locator("#err-phone").inner_text() == "Nomor WhatsApp tidak valid."
    assert page.get_attribute("#f-phone", "aria-invalid") == "true"
    summary = page.locator("[data-summary]").inner_text()
    assert JS["errors"] in summary and "Produk tidak ada." in summary

    request = posted[-1]
    assert request.headers["content-type"] == "application/json"
    body = json.loads(request.post_data)
    assert body["item"] == [f"{first['id']}:{variant['name']}", second["id"]]
    assert body["qty"] == [2, 2]
    assert body["build"] == catalog["build"] and body["key"] and body["website"] == ""
    assert (body["name"], body["kecamatan"], body["delivery"]) == ("Siti Aminah", "Purwakarta", "antar")
    assert body["payment"] in catalog["shops"][first["shop"]]["payment"]

    answer(503, {"errors": {"_": "x"}})
    submit.click()
    page.wait_for_function("document.querySelector('[data-summary]').innerText.includes(%s)"
                           % json.dumps(JS["error_other"]))
    assert json.loads(posted[-1].post_data)["key"] == body["key"], "a retry keeps its key"
    assert page.evaluate("JSON.parse(localStorage.getItem('warung-keranjang')).lines.length") == 2

    answer(201, {"code": "WO-7K3M9Q", "confirmation_url": "/cara-pesan/?kode=WO-7K3M9Q", "orders": []})
    submit.click()
    page.wait_for_url("**/cara-pesan/?kode=WO-7K3M9Q")
    assert page.evaluate("JSON.parse(localStorage.getItem('warung-keranjang')).lines.length") == 0
    assert page.locator("[data-cart-count]").is_hidden()


def test_cart_offers_only_common_options(phone_page, site_url, built_site):
    catalog = built_site.catalog
    shops = catalog["shops"]
    pairs = [(a, b) for a in catalog["products"] for b in catalog["products"]
             if a["stock"] != "habis" and b["stock"] != "habis" and a["shop"] != b["shop"]
             and set(shops[a["shop"]]["payment"]) != set(shops[b["shop"]]["payment"])]
    assert pairs
    first, second = pairs[0]
    common = set(shops[first["shop"]]["payment"]) & set(shops[second["shop"]]["payment"])
    page = phone_page()
    add_to_cart(page, site_url, first)
    add_to_cart(page, site_url, second)
    page.goto(site_url + "/keranjang/")
    enabled = page.eval_on_selector_all("input[name=payment]", "els => els.filter(e => !e.disabled).map(e => e.value)")
    assert set(enabled) == common
    submit = page.locator("[data-checkout] button[type=submit]")
    assert submit.is_enabled() == bool(common)


def test_cart_without_javascript_says_so(phone_page, site_url):
    page = phone_page(javascript=False)
    page.goto(site_url + "/keranjang/")
    assert T["cart_page"]["no_js"] in page.locator("main").inner_text()
    assert page.locator("[data-checkout]").is_hidden()


def test_instant_search(phone_page, site_url, built_site):
    catalog = built_site.catalog
    product = catalog["products"][0]
    word = product["title"].split()[0]
    page = phone_page()
    requests = []
    page.on("request", lambda r: requests.append(urlparse(r.url).path))
    page.goto(site_url + "/cari/")
    assert "/cari/indeks.json" not in requests, "the index loads only when the buyer searches"
    page.fill("#q", word.upper())
    page.wait_for_selector("#hasil li")
    expected = [p for p in catalog["products"]
                if word.lower() in " ".join([p["title"], catalog["shops"][p["shop"]]["title"], p["category"]]).lower()]
    assert page.locator("#hasil li").count() == len(expected)
    assert page.locator("#cari-status").inner_text() == JS["search_count"].format(n=len(expected))
    assert product["title"] in page.locator("#hasil").inner_text()
    assert format_rupiah(product["price"]) in page.locator("#hasil").inner_text()
    page.fill("#q", "zzzz tidak ada")
    page.wait_for_function("document.getElementById('hasil').children.length === 0")
    page.wait_for_function("document.getElementById('cari-status').innerText.includes('zzzz')")


def test_cart_orders_through_the_real_order_function(phone_page, live_server, built_site):
    """cart.js against the real handler (local run): JSON in, 201, confirmation page."""
    products = pick_products(built_site.catalog, shops=2)
    page = phone_page()
    base = live_server.url.rstrip("/")
    for product in products:
        add_to_cart(page, base, product)
    page.goto(base + "/keranjang/")
    page.fill("#f-name", "Siti Aminah")
    page.fill("#f-phone", "0812-3456-7002")
    page.select_option("#f-kecamatan", "Purwakarta")
    page.fill("#f-address", "Jl. Veteran No. 10")
    page.check("input[name=delivery][value=ambil]")
    page.check("input[name=payment][value=cod]")
    page.locator("[data-checkout] button[type=submit]").click()
    page.wait_for_url("**/api/order/WO-*")
    heading = page.locator("h1").inner_text()
    assert re.search(r"WO-[0-9A-Z]{6}", heading), heading
    text = page.locator("main").inner_text()
    for product in products:
        assert product["title"] in text
        assert built_site.catalog["shops"][product["shop"]]["title"] in text
    assert page.evaluate("JSON.parse(localStorage.getItem('warung-keranjang')).lines.length") == 0
