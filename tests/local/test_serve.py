"""The local run over real HTTP: ``python -m local.serve`` on the built
sample catalog (``live_server``), static files, the order flow through the
real handlers, and the mailer thread delivering into the outbox."""

import http.client
import json
import re
import uuid
from urllib.parse import urlsplit

import pytest

from tests.fixtures.server import order_fields, pick_products


def _raw_get(live_server, path: str) -> tuple[int, bytes]:
    """GET ``path`` exactly as written (no client-side normalization)."""
    parts = urlsplit(live_server.url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        body = response.read()
        return response.status, body
    finally:
        conn.close()


def test_static_pages_and_types(live_server, built_site):
    home = live_server.get("/")
    assert home.status == 200
    assert home.headers["content-type"] == "text/html; charset=utf-8"
    assert home.body == (built_site.output / "index.html").read_bytes()

    catalog = live_server.get("/katalog.json")
    assert catalog.headers["content-type"] == "application/json; charset=utf-8"
    assert catalog.json()["build"] == built_site.catalog["build"]

    css = live_server.get("/theme/css/site.css")
    assert css.status == 200 and css.headers["content-type"].startswith("text/css")
    sitemap = live_server.get("/sitemap.xml")
    assert sitemap.status == 200 and sitemap.headers["content-type"].startswith("application/xml")

    webp = next(built_site.output.glob("gambar/**/*.webp"))
    image = live_server.get("/" + webp.relative_to(built_site.output).as_posix())
    assert image.status == 200 and image.headers["content-type"] == "image/webp"
    assert image.body == webp.read_bytes()


def test_directories_serve_their_index(live_server, built_site):
    product = built_site.catalog["products"][0]
    page = live_server.get(product["url"])
    assert page.status == 200 and product["title"].split()[0] in page.text
    moved = live_server.get(product["url"].rstrip("/"))
    assert moved.status == 301 and moved.headers["location"] == product["url"]


def test_unknown_paths_get_the_404_page(live_server, built_site):
    missing = live_server.get("/toko/tidak-ada-toko-ini/")
    assert missing.status == 404
    assert missing.body == (built_site.output / "404.html").read_bytes()
    # Folders without an index are not listed.
    listing = live_server.get("/gambar/")
    assert listing.status == 404 and b"Directory listing" not in listing.body


@pytest.mark.parametrize("path", ["/../private/katalog.json", "/%2e%2e/private/katalog.json",
                                  "/theme/../../private/katalog.json",
                                  "/..%2f..%2fprivate%2fkatalog.json"])
def test_path_traversal_is_blocked(live_server, built_site, path):
    status, body = _raw_get(live_server, path)
    assert status == 404
    assert body == (built_site.output / "404.html").read_bytes()


def test_other_methods_on_static_paths(live_server):
    response = live_server.post_form("/index.html", {"a": "b"})
    assert response.status == 405 and "GET" in response.headers["allow"]


def test_form_order_redirects_to_confirmation_and_mails_the_seller(live_server, built_site):
    catalog = built_site.catalog
    private_shops = json.loads(built_site.private_catalog.read_text())["shops"]
    [product] = pick_products(catalog, 1)
    fields = order_fields([product], qty=3, phone="0812-3456-7101",
                          build=catalog["build"], key=str(uuid.uuid4()),
                          email="pembeli@contoh.example")
    response = live_server.post_form("/api/order", fields)
    assert response.status == 303, response.text
    location = response.headers["location"]
    assert re.fullmatch(r"/api/order/WO-[0-9A-Z]+\?t=\S+", location), location
    code = location.split("/")[3].split("?")[0]

    page = live_server.get(location)
    assert page.status == 200
    assert code in page.text and "wa.me/" in page.text

    # The same idempotency key again: the same order, no second email.
    again = live_server.post_form("/api/order", fields)
    assert again.status == 303 and again.headers["location"].split("?")[0] == location.split("?")[0]

    seller = private_shops[product["shop"]]["email"]
    mails = live_server.wait_for_mail(
        lambda m: code in (m["subject"] or "") and seller in " ".join(m["to"]))
    assert len(mails) == 1, live_server.log()[-3000:]
    mail = mails[0]
    assert set(mail) == {"from", "to", "reply_to", "subject", "text", "html"}
    assert mail["to"] == [seller]
    assert mail["reply_to"] == ["pembeli@contoh.example"]
    assert "pesanan@" in mail["from"] and mail["from"].endswith(">")  # Name <address>
    total = f"Rp{product['price'] * 3:,}".replace(",", ".")
    assert total in mail["text"] and total in mail["html"]
    assert mail["html"].lstrip().lower().startswith(("<!doctype", "<html"))
    # The buyer gave an email: a confirmation goes to them too.
    buyer = live_server.wait_for_mail(lambda m: m["to"] == ["pembeli@contoh.example"]
                                      and code in (m["subject"] or ""))
    assert len(buyer) == 1


def test_json_order_through_the_handler(live_server, built_site):
    products = pick_products(built_site.catalog, 2)
    data = order_fields(products, qty=1, phone="0812-3456-7102", key=str(uuid.uuid4()))
    data["qty"] = [1, 1]
    response = live_server.post_json("/api/order", data)
    assert response.status == 201, response.text
    body = response.json()
    assert len(body["orders"]) == 2
    assert live_server.get(body["confirmation_url"]).status == 200
    # A foreign origin is refused by the order function itself.
    assert live_server.post_json("/api/order", data, origin="https://jahat.example").status == 403


def test_pending_mail_is_counted(live_server):
    counts = live_server.pending()
    assert set(counts) == {"visible", "in_flight", "delayed", "outbox"}
    assert all(isinstance(n, int) and n >= 0 for n in counts.values())
    assert live_server.wait_until_mailed()


def test_outbox_page_is_indonesian_html(live_server):
    page = live_server.get("/_dev/outbox")
    assert page.status == 200 and page.headers["content-type"].startswith("text/html")
    assert 'lang="id"' in page.text and "/_dev/outbox.json" in page.text


def test_oversized_order_is_413_from_the_handler(live_server):
    response = live_server.post_json("/api/order", {"note": "x" * 200_000})
    assert response.status == 413
    assert "_" in response.json()["errors"]


def test_api_routes(live_server):
    found = live_server.get("/api/search?q=kopi&format=json")
    assert found.status == 200 and found.json()["total"] > 0
    # Any other /api/ path is the order function's (CloudFront's /api/*), not a static 404.
    other = live_server.get("/api/tidak-ada", headers={"Accept": "application/json"})
    assert other.status == 404 and "errors" in other.json()
