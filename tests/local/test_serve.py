"""The local run over real HTTP: ``python -m local.serve`` on the built
sample catalog (``live_server``), static files, the order flow through the
real handlers, and the mailer thread delivering into the outbox."""

import http.client
import json
import re
import socket
import struct
import time
import uuid
from email.message import Message
from urllib.parse import urlsplit

import pytest

from local.serve import BadRequest, body_length, local_origins, make_server
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


def test_local_origins_add_the_lan_only_when_not_on_loopback():
    loopback = ["http://127.0.0.1:8000", "http://localhost:8000"]
    assert local_origins("127.0.0.1", 8000, lan=["192.168.1.20"]) == loopback
    assert local_origins("localhost", 8000, lan=["192.168.1.20"]) == loopback
    assert local_origins("0.0.0.0", 8000, lan=["192.168.1.20", "10.0.0.5"]) == [
        *loopback, "http://192.168.1.20:8000", "http://10.0.0.5:8000"]
    assert local_origins("192.168.1.20", 8080, lan=["192.168.1.20"]) == [
        "http://127.0.0.1:8080", "http://localhost:8080", "http://192.168.1.20:8080"]
    assert "http://[fd00::5]:8000" in local_origins("::", 8000, lan=["fd00::5"])


def _headers(*pairs) -> Message:
    message = Message()
    for name, value in pairs:
        message[name] = value
    return message


@pytest.mark.parametrize("pairs, length", [
    ((), 0), ((("Content-Length", "12"),), 12), ((("Content-Length", " 7 "),), 7),
    ((("Content-Length", "5"), ("Content-Length", "5")), 5),
])
def test_body_length_reads_a_single_decimal_content_length(pairs, length):
    assert body_length(_headers(*pairs)) == length


@pytest.mark.parametrize("pairs, status", [
    ((("Content-Length", "abc"),), 400), ((("Content-Length", "-1"),), 400),
    ((("Content-Length", "1e3"),), 400), ((("Content-Length", "\u0661"),), 400),
    ((("Content-Length", "5"), ("Content-Length", "6")), 400),
    ((("Content-Length", "5, 6"),), 400),
    ((("Transfer-Encoding", "chunked"),), 411),
    ((("Transfer-Encoding", "chunked"), ("Content-Length", "3")), 411),
    ((("Transfer-Encoding", "gzip"),), 411),
])
def test_body_length_refuses_what_it_cannot_frame(pairs, status):
    with pytest.raises(BadRequest) as refused:
        body_length(_headers(*pairs))
    assert refused.value.status == status


def _exchange(live_server, raw: bytes) -> bytes:
    """Send ``raw`` on one connection; everything the server answers until it closes."""
    parts = urlsplit(live_server.url)
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as conn:
        conn.sendall(raw)
        received = b""
        while chunk := conn.recv(65536):
            received += chunk
    return received


def test_a_malformed_content_length_is_400_and_closes(live_server):
    answer = _exchange(live_server, b"POST /api/order HTTP/1.1\r\nHost: x\r\n"
                                    b"Content-Length: abc\r\n\r\n"
                                    b"GET /_dev/outbox.json HTTP/1.1\r\nHost: x\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 400 "), answer[:200]
    assert b"Connection: close" in answer
    assert answer.count(b"HTTP/1.1 ") == 1  # nothing after it was read as a request
    assert "Traceback" not in live_server.log()


def test_a_chunked_body_cannot_smuggle_a_second_request(live_server):
    smuggled = b"GET /_dev/outbox.json HTTP/1.1\r\nHost: x\r\n\r\n"
    body = f"{len(smuggled):x}\r\n".encode() + smuggled + b"\r\n0\r\n\r\n"
    answer = _exchange(live_server, b"POST /api/order HTTP/1.1\r\nHost: x\r\n"
                                    b"Content-Type: application/json\r\n"
                                    b"Transfer-Encoding: chunked\r\n\r\n" + body)
    assert answer.startswith(b"HTTP/1.1 411 "), answer[:200]
    assert answer.count(b"HTTP/1.1 ") == 1 and b"application/json; charset" not in answer


def test_a_get_body_is_read_not_taken_for_the_next_request(live_server):
    smuggled = b"GET /_dev/queue.json HTTP/1.1\r\nHost: x\r\n\r\n"
    answer = _exchange(live_server, b"GET /robots.txt HTTP/1.1\r\nHost: x\r\n"
                                    + f"Content-Length: {len(smuggled)}\r\n\r\n".encode()
                                    + smuggled
                                    + b"GET /robots.txt HTTP/1.1\r\nHost: x\r\n"
                                      b"Connection: close\r\n\r\n")
    assert answer.count(b"HTTP/1.1 200 ") == 2 and b"in_flight" not in answer


def _accept_queue(server) -> tuple[int, int]:
    """(connections waiting to be accepted, the listen backlog) of a
    listening socket: Linux reports them in TCP_INFO (tcpi_unacked, tcpi_sacked)."""
    info = server.socket.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 104)
    return struct.unpack_from("II", info, 24)


def test_a_burst_of_new_connections_waits_in_the_backlog(tmp_path):
    """25 clients connect at once while no connection is accepted yet (as
    when every thread is busy): all of them wait in the queue, none is dropped."""
    server = make_server(tmp_path, port=0, quiet=True)
    clients = []
    try:
        for _ in range(25):
            client = socket.socket()
            client.setblocking(False)
            client.connect_ex(("127.0.0.1", server.server_port))
            clients.append(client)
        waiting, backlog = _accept_queue(server)
        for _ in range(200):  # bounded: handshakes on loopback complete at once
            if waiting >= 25:
                break
            time.sleep(0.01)
            waiting, backlog = _accept_queue(server)
        assert backlog >= 25 and waiting == 25
    finally:
        for client in clients:
            client.close()
        server.server_close()
