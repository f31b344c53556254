"""The local run's pure parts: static paths and types, Lambda event shapes,
the outbox parser."""

import base64
import json
from email.message import EmailMessage

import pytest

from local import outbox
from local.lambda_events import function_url_event, http_response, sqs_event
from local.static import content_type, resolve


@pytest.fixture
def site(tmp_path):
    root = tmp_path / "output"
    (root / "toko" / "kopi").mkdir(parents=True)
    (root / "kosong").mkdir()
    (root / "index.html").write_text("home")
    (root / "toko" / "kopi" / "index.html").write_text("kopi")
    (root / "a b.txt").write_text("spasi")
    (tmp_path / "rahasia.json").write_text("{}")
    (root / "tautan").symlink_to(tmp_path / "rahasia.json")
    return root


def test_resolve_files_directories_and_redirects(site):
    assert resolve(site, "/").file == site / "index.html"
    assert resolve(site, "/toko/kopi/").file == site / "toko" / "kopi" / "index.html"
    assert resolve(site, "/toko/kopi").redirect == "/toko/kopi/"
    assert resolve(site, "/a%20b.txt").file == site / "a b.txt"
    assert resolve(site, "/kosong/").file is None  # no listing
    assert resolve(site, "/tidak-ada").file is None
    assert resolve(site, "/index.html/").file is None


@pytest.mark.parametrize("path", [
    "/../rahasia.json", "/toko/../../rahasia.json", "/%2e%2e/rahasia.json",
    "/toko/%2E%2E/%2E%2E/rahasia.json", "/..%2frahasia.json", "/..\\rahasia.json",
    "/tautan", "/index.html%00", "relative",
])
def test_resolve_blocks_escapes(site, path):
    found = resolve(site, path)
    assert found.file is None and found.redirect is None


def test_redirect_is_never_protocol_relative(site):
    assert resolve(site, "//toko/kopi").redirect == "/toko/kopi/"


@pytest.mark.parametrize("name, expected", [
    ("index.html", "text/html; charset=utf-8"),
    ("site.css", "text/css; charset=utf-8"),
    ("cart.js", "text/javascript; charset=utf-8"),
    ("katalog.json", "application/json; charset=utf-8"),
    ("sitemap.xml", "application/xml; charset=utf-8"),
    ("robots.txt", "text/plain; charset=utf-8"),
    ("kopi-320.webp", "image/webp"),
    ("kopi-320.JPG", "image/jpeg"),
    ("logo.svg", "image/svg+xml; charset=utf-8"),
    ("x.unknownext", "application/octet-stream"),
])
def test_content_types(name, expected):
    assert content_type(name) == expected


def test_form_post_event_is_base64_like_a_function_url():
    body = b"item=kopi-wanayasa%2Farabika&qty=2&name=Siti"
    event = function_url_event(
        "post", "/api/order?x=1&x=2&empty=", [
            ("Content-Type", "application/x-www-form-urlencoded"), ("Origin", "http://a"),
            ("Accept", "text/html"), ("Accept", "*/*"), ("Cookie", "a=1; b=2")],
        body, "127.0.0.1", port=8000)
    assert event["version"] == "2.0"
    assert event["rawPath"] == "/api/order"
    assert event["rawQueryString"] == "x=1&x=2&empty="
    assert event["queryStringParameters"] == {"x": "1,2", "empty": ""}
    assert event["headers"]["content-type"] == "application/x-www-form-urlencoded"
    assert event["headers"]["accept"] == "text/html,*/*"
    assert event["headers"]["x-forwarded-for"] == "127.0.0.1"
    assert "cookie" not in event["headers"] and event["cookies"] == ["a=1", "b=2"]
    assert event["isBase64Encoded"] is True
    assert base64.b64decode(event["body"]) == body
    http = event["requestContext"]["http"]
    assert http["method"] == "POST" and http["sourceIp"] == "127.0.0.1"
    assert http["path"] == "/api/order"


def test_json_event_is_text_and_get_has_no_body():
    data = json.dumps({"name": "Siti Ñ"}).encode()
    event = function_url_event("POST", "/api/order", [("content-type", "application/json")],
                               data, "10.0.0.1")
    assert event["isBase64Encoded"] is False and json.loads(event["body"]) == {"name": "Siti Ñ"}
    get = function_url_event("GET", "/api/search", [], b"", "10.0.0.1")
    assert "body" not in get and get["queryStringParameters"] is None
    assert get["rawQueryString"] == ""


def test_http_response_decodes_base64_and_cookies():
    status, headers, body = http_response({
        "statusCode": 303, "headers": {"location": "/api/order/WO-1?t=x"},
        "body": base64.b64encode(b"\x00\x01").decode(), "isBase64Encoded": True,
        "cookies": ["a=1; Path=/"]})
    assert status == 303 and body == b"\x00\x01"
    assert ("location", "/api/order/WO-1?t=x") in headers
    assert ("Set-Cookie", "a=1; Path=/") in headers
    assert ("Content-Type", "application/json") in headers
    status, headers, body = http_response({"ok": True})  # not a response: JSON body
    assert status == 200 and json.loads(body) == {"ok": True}


def test_sqs_event_shape():
    event = sqs_event([{"MessageId": "m1", "ReceiptHandle": "r1", "Body": "{}",
                        "Attributes": {"ApproximateReceiveCount": "3"}}],
                      "arn:aws:sqs:ap-southeast-3:123456789012:warung-mail", "ap-southeast-3")
    record = event["Records"][0]
    assert record["messageId"] == "m1" and record["receiptHandle"] == "r1"
    assert record["body"] == "{}" and record["attributes"]["ApproximateReceiveCount"] == "3"
    assert record["eventSource"] == "aws:sqs"


def _mime(html: str | None = "<p>Halo &amp; selamat</p>", reply_to: str | None = "b@x.example"):
    message = EmailMessage()
    message["From"] = "Warung Online <pesanan@warung.example>"
    message["To"] = "kopi@wanayasa.example"
    if reply_to:
        message["Reply-To"] = reply_to
    message["Subject"] = "Pesanan baru WO-7K3M9Q-1 — Rp175.000"
    message.set_content("Halo,\nada pesanan baru.\n")
    if html is not None:
        message.add_alternative(html, subtype="html")
    return message.as_string()


def test_outbox_parses_the_raw_mime_handed_to_ses():
    entry = outbox.parse_raw(_mime())
    assert entry == {
        "from": "Warung Online <pesanan@warung.example>",
        "to": ["kopi@wanayasa.example"],
        "reply_to": ["b@x.example"],
        "subject": "Pesanan baru WO-7K3M9Q-1 — Rp175.000",
        "text": "Halo,\nada pesanan baru.\n",
        "html": "<p>Halo &amp; selamat</p>\n",
    }
    plain = outbox.parse_raw(_mime(html=None, reply_to=None))
    assert plain["html"] is None and plain["reply_to"] == []


def test_outbox_undoes_the_wire_line_endings():
    from email.policy import SMTP

    message = EmailMessage(policy=SMTP)
    message["From"], message["To"], message["Subject"] = "a@b.example", "c@d.example", "S"
    message.set_content("Baris 1\nBaris 2\n", cte="quoted-printable")
    message.add_alternative("<p>Halo</p>\n", subtype="html", cte="quoted-printable")
    raw = message.as_bytes(policy=SMTP)
    assert b"\r\n" in raw
    entry = outbox.parse_raw(raw)
    assert entry["text"] == "Baris 1\nBaris 2\n" and entry["html"] == "<p>Halo</p>\n"


def test_outbox_page_escapes_everything():
    entry = outbox.parse_raw(_mime(html="<script>alert(1)</script>"))
    entry["subject"] = "<b>Subjek</b>"
    page = outbox.render_html([entry])
    assert "<b>Subjek</b>" not in page and "&lt;b&gt;Subjek&lt;/b&gt;" in page
    assert "<script>alert(1)</script>" not in page
    assert 'lang="id"' in page and "Kotak keluar" in page
    assert "Belum ada email" in outbox.render_html([])


@pytest.mark.parametrize("path, expected", [
    ("/api/order", "order.handler"), ("/api/order/WO-ABC123", "order.handler"),
    ("/api/search", "search.handler"), ("/api/search/", "search.handler"),
    ("/api/lain", "order.handler"),  # CloudFront's /api/* goes to the order function
    ("/api", None), ("/", None), ("/toko/api/order", None),
])
def test_routes_mirror_the_cloudfront_behaviours(path, expected):
    from local.serve import route_for

    found = route_for(path)
    assert (found[0] if found else None) == expected


def test_local_origins_add_the_lan_only_when_not_on_loopback():
    from local.serve import local_origins

    loopback = ["http://127.0.0.1:8000", "http://localhost:8000"]
    assert local_origins("127.0.0.1", 8000, lan=["192.168.1.20"]) == loopback
    assert local_origins("localhost", 8000, lan=["192.168.1.20"]) == loopback
    assert local_origins("0.0.0.0", 8000, lan=["192.168.1.20", "10.0.0.5"]) == [
        *loopback, "http://192.168.1.20:8000", "http://10.0.0.5:8000"]
    assert local_origins("192.168.1.20", 8080, lan=["192.168.1.20"]) == [
        "http://127.0.0.1:8080", "http://localhost:8080", "http://192.168.1.20:8080"]
    assert "http://[fd00::5]:8000" in local_origins("::", 8000, lan=["fd00::5"])


def test_wait_for_mail_sees_a_late_duplicate():
    """``wait_for_mail`` does not stop at the first match: it waits until no
    mail job is pending, so a duplicate still on its way is counted."""
    from tests.fixtures.server import LiveServer

    class Fake:
        pending_calls = 0

        def pending(self):
            self.pending_calls += 1
            busy = self.pending_calls < 3  # the duplicate's job is still in flight
            return {"visible": 0, "in_flight": int(busy), "delayed": 0, "outbox": 0}

        def outbox(self):
            mail = {"subject": "Pesanan baru WO-7K3M9Q-1"}
            return [mail, mail] if self.pending_calls >= 3 else [mail]

        wait_until_mailed = LiveServer.wait_until_mailed

    fake = Fake()
    found = LiveServer.wait_for_mail(fake, lambda m: "WO-7K3M9Q" in m["subject"], timeout=10)
    assert len(found) == 2 and fake.pending_calls == 3
