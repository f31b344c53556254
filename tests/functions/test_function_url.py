"""backend.function_url alone: reading Function URL events and writing
responses, the Origin rules, the origin secret and the client's address."""

import base64
import json

import pytest

from backend import function_url as fu

SITE = "https://warung.example"


def event(method="POST", path="/api/order", headers=None, body=None, b64=False, query="",
          source_ip="203.0.113.7"):
    return {"rawPath": path, "rawQueryString": query, "headers": headers or {},
            "body": body, "isBase64Encoded": b64,
            "requestContext": {"http": {"method": method, "path": path, "sourceIp": source_ip}}}


@pytest.fixture(autouse=True)
def origins(monkeypatch):
    monkeypatch.setenv("ALLOWED_ORIGINS", f"{SITE}, http://127.0.0.1:8000")
    monkeypatch.delenv("SITE_URL", raising=False)
    monkeypatch.delenv("ORIGIN_SECRET", raising=False)


def test_headers_are_read_case_insensitively():
    assert fu.header(event(headers={"Content-Type": "text/plain"}), "content-type") == "text/plain"
    assert fu.header(event(), "origin") == ""


def test_query_keeps_the_first_of_repeats():
    assert fu.query(event(query="t=a&t=b&format=json"), "t") == "a"
    assert fu.query(event(), "t") is None


def test_body_size_is_checked_before_decoding():
    assert fu.body_text(event(body="abc")) == "abc"
    assert fu.body_text(event(body=base64.b64encode(b"hi").decode(), b64=True)) == "hi"
    with pytest.raises(fu.BodyTooLarge):
        fu.body_text(event(body="x" * 11), limit=10)
    with pytest.raises(fu.BodyTooLarge):
        fu.body_text(event(body=base64.b64encode(b"x" * 40).decode(), b64=True), limit=10)
    with pytest.raises(fu.BadBody):
        fu.body_text(event(body=base64.b64encode(b"\xff\xfe").decode(), b64=True))


@pytest.mark.parametrize("headers, wanted", [
    ({"content-type": "application/json"}, True),
    ({"accept": "application/json"}, True),
    ({"accept": "text/html,application/json"}, False),
    ({}, False),
])
def test_wants_json(headers, wanted):
    assert fu.wants_json(event(headers=headers)) is wanted
    assert fu.wants_json(event(query="format=json")) is True


@pytest.mark.parametrize("headers, allowed", [
    ({"origin": SITE}, True),
    ({"origin": SITE + "/"}, True),
    ({"origin": "HTTP://127.0.0.1:8000"}, True),
    ({"origin": "https://evil.example"}, False),
    ({"origin": "https://evil.example", "sec-fetch-site": "same-origin"}, False),
    ({"origin": "null", "sec-fetch-site": "same-origin"}, True),
    ({"origin": "null", "sec-fetch-site": "cross-site"}, False),
    ({"origin": "null"}, False),
    ({}, True),                                   # Opera Mini, old browsers
    ({"sec-fetch-site": "same-origin"}, True),
    ({"sec-fetch-site": "cross-site"}, False),
])
def test_same_origin_posts_pass_cross_site_never(headers, allowed):
    assert fu.origin_allowed(event(headers=headers)) is allowed


def test_the_origin_secret_decides_whose_address_counts(monkeypatch):
    through = event(headers={"x-warung-origin": "s3cret", "cloudfront-viewer-address": "[2001:db8::1]:443"})
    assert fu.client_ip(through) == "203.0.113.7"  # no secret: a header is just a header
    monkeypatch.setenv("ORIGIN_SECRET", "s3cret")
    assert fu.origin_verified(through) and not fu.origin_verified(event())
    assert fu.client_ip(through) == "2001:db8::1"


@pytest.mark.parametrize("ip, key", [
    ("203.0.113.7", "203.0.113.7"), ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
    ("::ffff:203.0.113.7", "203.0.113.7"), ("not-an-ip", "not-an-ip"),
])
def test_rate_key_counts_ipv6_per_64(ip, key):
    assert fu.rate_key(ip) == key


def test_responses_carry_safe_headers():
    page = fu.html_response(400, "<p>x</p>", {"retry-after": "30"})
    assert page["headers"]["referrer-policy"] == "same-origin"
    assert "form-action 'self'" in page["headers"]["content-security-policy"]
    assert page["headers"]["retry-after"] == "30"
    data = fu.json_response(201, {"a": "é"})
    assert json.loads(data["body"]) == {"a": "é"} and data["headers"]["cache-control"] == "no-store"
    moved = fu.redirect("/api/order/WO-1?t=x")
    assert (moved["statusCode"], moved["headers"]["location"]) == (303, "/api/order/WO-1?t=x")
