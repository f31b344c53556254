"""The order path as buyers meet it: the real handler, AWS = moto's server over HTTP."""

import json
import os
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from order.handler import handler

pytestmark = pytest.mark.usefixtures("aws")


def _json_order(fields):
    data = dict(fields)
    data["qty"] = [int(q) for q in data["qty"]]
    return data


def test_json_two_shops_stores_splits_and_queues(aws, events, valid_order):
    valid_order["email"] = "siti@contoh.id"
    response = handler(events.json(_json_order(valid_order)), None)
    assert response["statusCode"] == 201, response["body"]
    body = json.loads(response["body"])
    code = body["code"]
    assert code.startswith("WO-") and len(code) == 9
    assert body["confirmation_url"].startswith(f"/api/order/{code}?t=")
    first, second = body["orders"]
    assert first["code"] == f"{code}-1" and first["shop"] == "kopi-wanayasa"
    assert first["lines"] == [{"id": "kopi-wanayasa/arabika", "title": "Kopi Arabika",
                               "variant": "500 g", "qty": 2, "price": 85000, "subtotal": 170000}]
    assert (first["subtotal"], first["delivery_fee"], first["total"]) == (170000, 5000, 175000)
    assert second["shop"] == "batik-plered" and second["delivery_fee"] is None
    assert second["total"] == second["subtotal"] == 250000
    assert first["whatsapp_url"].startswith("https://wa.me/6281234567890?text=")

    checkout = aws.item(f"CHECKOUT#{code}")
    assert checkout["orders"] == [f"{code}-1", f"{code}-2"]
    assert checkout["buyer"]["phone"] == "6281311112222"
    assert checkout["spam"] is False
    token = parse_qs(urlsplit(body["confirmation_url"]).query)["t"][0]
    assert token not in json.dumps(aws.items())  # only the hash is stored
    order = aws.item(f"ORDER#{code}-1")
    assert order["seller_email"] == "kopi@wanayasa.example"
    assert order["email_status"] == "queued"
    jobs = aws.jobs()
    assert sorted(jobs, key=json.dumps) == sorted([
        {"kind": "seller", "order": f"{code}-1"},
        {"kind": "seller", "order": f"{code}-2"},
        {"kind": "buyer", "checkout": code},
    ], key=json.dumps)


def test_a_new_order_makes_few_aws_round_trips(aws, events, valid_order):
    """Each AWS call is a round trip the buyer waits for: the key's pre-check,
    the two rate limits, one transaction, the email limits (two sellers, one
    buyer), one queue batch, and the outbox gone in one conditional delete
    (what the transaction put in it is known, not read back)."""
    from collections import Counter

    from backend import clients

    calls = Counter()

    def count(model, **_):
        calls[model.name] += 1

    valid_order["email"] = "siti@contoh.id"
    handler(events.json(_json_order(valid_order)), None)  # the catalog is loaded once
    valid_order["phone"] = "0813 1111 3333"
    for client in (clients.dynamodb(), clients.sqs()):
        client.meta.events.register("before-call", count)
    response = handler(events.json(_json_order(valid_order)), None)
    assert response["statusCode"] == 201, response["body"]
    assert calls == {"GetItem": 1, "UpdateItem": 5, "TransactWriteItems": 1,
                     "SendMessageBatch": 1, "DeleteItem": 1}
    assert aws.item(f"OUTBOX#{json.loads(response['body'])['code']}") is None
    assert len(aws.jobs()) == 6  # both orders' emails queued, none left behind


def _token(location: str) -> str:
    return parse_qs(urlsplit(location).query)["t"][0]


def _confirmation(events, location: str):
    parts = urlsplit(location)
    return handler(events.get(parts.path, {"t": parse_qs(parts.query)["t"][0]}), None)


def test_form_one_shop_redirects_to_confirmation_page(aws, events, valid_order):
    valid_order.update(item=["kopi-wanayasa/robusta"], qty=["3"], payment="transfer",
                       name="Siti <b>Aminah</b>", note="Jangan <script>alert(1)</script>")
    response = handler(events.form(valid_order), None)
    assert response["statusCode"] == 303
    location = response["headers"]["location"]
    code = location.split("/")[3].split("?")[0]
    assert location == f"/api/order/{code}?t={_token(location)}"
    assert response["body"] == ""

    page = _confirmation(events, location)
    assert page["statusCode"] == 200
    assert page["headers"]["content-type"].startswith("text/html")
    # The token never leaves the site: no Referer to other origins (wa.me).
    assert page["headers"]["referrer-policy"] == "same-origin"
    html = page["body"]
    assert code in html and f"{code}-1" in html
    assert "Kopi Wanayasa" in html
    assert "Rp90.000" in html and "Rp5.000" in html and "Rp95.000" in html
    assert "Kirim ke WhatsApp penjual" in html
    assert "https://wa.me/6281234567890?text=" in html
    assert "nomor rekening lewat WhatsApp" in html  # transfer: the seller sends the account
    assert "Penjual juga menerima pesanan ini lewat email" in html
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert "<b>Aminah" not in html and "Siti &lt;b&gt;Aminah&lt;/b&gt;" in html
    assert 'href="/theme/css/site.css"' in html
    assert len(aws.jobs()) == 1


def test_confirmation_needs_the_right_token(aws, events, valid_order):
    location = handler(events.form(valid_order), None)["headers"]["location"]
    path = urlsplit(location).path
    code = path.rsplit("/", 1)[1]
    good = _token(location)
    assert handler(events.get(path, {"t": good}), None)["statusCode"] == 200
    assert handler(events.get(path.lower(), {"t": good}), None)["statusCode"] == 200
    for query in ({"t": good[:-1] + ("A" if good[-1] != "A" else "B")}, {"t": ""}, {}):
        response = handler(events.get(path, query), None)
        assert response["statusCode"] == 404
        assert "Pesanan tidak ditemukan" in response["body"]
        assert code not in response["body"]
    assert handler(events.get("/api/order/WO-ZZZZZZ", {"t": good}), None)["statusCode"] == 404
    assert handler(events.get("/api/order/nonsense", {"t": good}), None)["statusCode"] == 404


def test_pickup_and_qris_show_no_fee_and_the_qris_instruction(aws, events, valid_order):
    valid_order.update(item=["batik-plered/pot-gerabah:Besar"], qty=["2"], delivery="ambil",
                       payment="qris")
    location = handler(events.form(valid_order), None)["headers"]["location"]
    html = _confirmation(events, location)["body"]
    assert "Tanpa ongkir (ambil sendiri)" in html
    assert "kode QRIS lewat WhatsApp" in html
    assert "Rp240.000" in html
    order = aws.items("ORDER#")[0]
    assert (order["delivery_fee"], order["total"]) == (0, 240000)


def test_unknown_fee_is_confirmed_by_the_seller(aws, events, valid_order):
    valid_order.update(item=["batik-plered/kain-batik"], qty=["1"])
    location = handler(events.form(valid_order), None)["headers"]["location"]
    html = _confirmation(events, location)["body"]
    assert "Ongkir dikonfirmasi penjual" in html
    assert "Bayar tunai saat barang diterima" in html
    order = aws.items("ORDER#")[0]
    assert order["delivery_fee"] is None and order["total"] == 250000


def test_fee_for_other_kecamatan_uses_the_default(aws, events, valid_order):
    valid_order.update(item=["kopi-wanayasa/robusta"], qty=["1"], kecamatan="purwakarta",
                       desa="nagri kidul")
    body = json.loads(handler(events.json(_json_order(valid_order)), None)["body"])
    assert body["orders"][0]["delivery_fee"] == 15000 and body["orders"][0]["total"] == 45000
    buyer = aws.items("CHECKOUT#")[0]["buyer"]
    assert (buyer["kecamatan"], buyer["desa"]) == ("Purwakarta", "Nagri Kidul")


def test_whatsapp_message_is_short_and_bold(aws, events, valid_order):
    valid_order.update(note="x" * 500, address="Jl. " + "y" * 290,
                       item=["kopi-wanayasa/arabika:250 g", "kopi-wanayasa/robusta"] * 20,
                       qty=["1", "2"] * 20)
    body = json.loads(handler(events.json(_json_order(valid_order)), None)["body"])
    url = body["orders"][0]["whatsapp_url"]
    text = unquote(url.split("?text=", 1)[1])
    assert len(text) < 1500
    assert f"*Pesanan {body['code']}-1*" in text
    assert "*Total: Rp" in text
    assert "Kopi Arabika (250 g) x20 = Rp900.000" in text  # duplicates were added up


def test_price_tampering_is_ignored(aws, events, valid_order):
    data = _json_order(valid_order)
    data.update(price=[1, 1], prices=[1, 1], total=2, subtotal=1, delivery_fee=0,
                lines=[{"id": "kopi-wanayasa/arabika", "price": 1, "qty": 2}])
    body = json.loads(handler(events.json(data), None)["body"])
    assert [o["total"] for o in body["orders"]] == [175000, 250000]
    stored = {o["code"]: o for o in aws.items("ORDER#")}
    assert [stored[o["code"]]["total"] for o in body["orders"]] == [175000, 250000]

    form = dict(valid_order, name="Siti A.", price=["1", "1"], total="2")
    response = handler(events.form(form), None)
    assert response["statusCode"] == 303
    assert sorted(o["total"] for o in aws.items("ORDER#")) == [175000, 175000, 250000, 250000]


def test_base64_body_is_decoded(aws, events, valid_order):
    event = events.form(valid_order, base64_body=True)
    assert event["isBase64Encoded"] is True
    assert handler(event, None)["statusCode"] == 303
    assert len(aws.items("CHECKOUT#")) == 1


def test_repeated_key_answers_the_same_checkout_once(aws, events, valid_order):
    valid_order["key"] = "3f1c2a9e-7b4d-4e0f-9a51-2c6b8d7e0f13"
    first = handler(events.json(_json_order(valid_order)), None)
    second = handler(events.json(_json_order(valid_order)), None)
    assert first["statusCode"] == second["statusCode"] == 201
    assert json.loads(first["body"]) == json.loads(second["body"])
    third = handler(events.form(valid_order), None)
    assert third["statusCode"] == 303
    assert third["headers"]["location"] == json.loads(first["body"])["confirmation_url"]
    assert _confirmation(events, third["headers"]["location"])["statusCode"] == 200

    assert len(aws.items("CHECKOUT#")) == 1 and len(aws.items("ORDER#")) == 2
    assert aws.item(f"KEY#{valid_order['key']}")["checkout"] == json.loads(first["body"])["code"]
    jobs = aws.jobs()
    assert sorted(job["kind"] for job in jobs) == ["seller", "seller"]


def test_a_key_reused_for_a_different_order_does_not_leak_the_first(aws, events, valid_order):
    valid_order["key"] = "fixed-key-from-a-buggy-page-000"
    first = json.loads(handler(events.json(_json_order(valid_order)), None)["body"])
    other = dict(valid_order, name="Orang Lain", phone="0857-1234-5678")
    second = json.loads(handler(events.json(_json_order(other)), None)["body"])
    assert second["code"] != first["code"]
    assert len(aws.items("CHECKOUT#")) == 2
    assert aws.item(f"KEY#{valid_order['key']}")["checkout"] == first["code"]


def test_weak_or_reserved_keys_are_ignored(aws, events, valid_order):
    from order.claim import valid_key

    assert valid_key("1") is None and valid_key("fp-" + "a" * 64) is None
    assert valid_key("3f1c2a9e-7b4d-4e0f") == "3f1c2a9e-7b4d-4e0f"
    valid_order["key"] = "1"
    first = json.loads(handler(events.json(_json_order(valid_order)), None)["body"])
    other = json.loads(handler(events.json(_json_order(dict(valid_order, qty=["3", "1"]))),
                               None)["body"])
    assert first["code"] != other["code"]
    assert [k["pk"][:7] for k in aws.items("KEY#")] == ["KEY#fp-", "KEY#fp-"]


def test_double_tap_without_a_key_answers_the_same_confirmation(aws, events, valid_order):
    first = handler(events.form(valid_order), None)
    second = handler(events.form(valid_order), None)
    assert first["statusCode"] == second["statusCode"] == 303
    assert second["headers"]["location"] == first["headers"]["location"]
    assert _confirmation(events, second["headers"]["location"])["statusCode"] == 200
    assert len(aws.items("CHECKOUT#")) == 1 and len(aws.items("ORDER#")) == 2
    assert sorted(job["kind"] for job in aws.jobs()) == ["seller", "seller"]
    [key] = aws.items("KEY#fp-")
    from datetime import datetime
    created = datetime.fromisoformat(key["created_at"].replace("Z", "+00:00")).timestamp()
    assert key["expires_at"] - created == 600  # remembered for 10 minutes
    # The JSON cart without a key is recognised the same way.
    again = json.loads(handler(events.json(_json_order(valid_order)), None)["body"])
    assert again["confirmation_url"] == first["headers"]["location"]


def test_the_same_order_after_ten_minutes_is_a_new_one(aws, events, valid_order):
    first = handler(events.form(valid_order), None)["headers"]["location"]
    [key] = aws.items("KEY#fp-")
    # Expired, but not yet deleted by DynamoDB's TTL (which can take days).
    from backend import clients
    clients.dynamodb().update_item(
        TableName=aws.env["ORDERS_TABLE"], Key={"pk": {"S": key["pk"]}},
        UpdateExpression="SET expires_at = :e",
        ExpressionAttributeValues={":e": {"N": str(key["expires_at"] - 601)}})
    second = handler(events.form(valid_order), None)["headers"]["location"]
    assert second != first
    assert len(aws.items("CHECKOUT#")) == 2
    assert aws.item(key["pk"])["checkout"] == second.split("/")[3].split("?")[0]


def test_honeypot_answers_like_success_and_sends_nothing(aws, events, valid_order):
    valid_order["website"] = "http://spam.example"
    valid_order["email"] = "bot@spam.example"
    response = handler(events.json(_json_order(valid_order)), None)
    assert response["statusCode"] == 201
    body = json.loads(response["body"])
    assert body["code"].startswith("WO-") and len(body["orders"]) == 2
    checkout = aws.item(f"CHECKOUT#{body['code']}")
    assert checkout["spam"] is True
    assert {o["email_status"] for o in aws.items("ORDER#")} == {"spam"}
    form = handler(events.form(valid_order), None)
    assert form["statusCode"] == 303
    assert aws.jobs() == [] and aws.queue_counts()["delayed"] == 0


def test_foreign_origin_is_refused_and_nothing_stored(aws, events, valid_order):
    for origin in ("https://evil.example", "null", "https://warung.example.evil.example"):
        response = handler(events.form(valid_order, origin=origin), None)
        assert response["statusCode"] == 403
        assert "hanya bisa dikirim dari situs" in response["body"]
    response = handler(events.json(_json_order(valid_order), origin="https://evil.example"), None)
    assert response["statusCode"] == 403
    assert set(json.loads(response["body"])["errors"]) == {"_"}
    cross = handler(events.form(valid_order, origin=None, headers={"sec-fetch-site": "cross-site"}),
                    None)
    assert cross["statusCode"] == 403
    assert aws.items() == [] and aws.jobs() == []


def test_missing_origin_is_allowed_for_old_browsers(aws, events, valid_order):
    assert handler(events.form(valid_order, origin=None), None)["statusCode"] == 303
    local = handler(events.form(valid_order, origin="http://127.0.0.1:8000"), None)
    assert local["statusCode"] == 303


@pytest.mark.parametrize("base64_body", [False, True])
def test_oversized_body_is_413_and_nothing_stored(aws, events, valid_order, base64_body):
    valid_order["note"] = "x" * (64 * 1024)
    response = handler(events.form(valid_order, base64_body=base64_body), None)
    assert response["statusCode"] == 413
    assert "terlalu besar" in response["body"]
    big = handler(events.json("{" + " " * 70000 + "}", base64_body=base64_body), None)
    assert big["statusCode"] == 413
    assert json.loads(big["body"])["errors"]["_"]
    assert aws.items() == []


def test_unreadable_bodies(aws, events, valid_order):
    bad_json = handler(events.json("{not json"), None)
    assert bad_json["statusCode"] == 400 and "_" in json.loads(bad_json["body"])["errors"]
    assert handler(events.json([1, 2]), None)["statusCode"] == 400
    assert handler(events.json({"name": {"x": 1}}), None)["statusCode"] == 400
    other = events.raw("POST", "/api/order", body="a", headers={
        "content-type": "text/plain", "origin": "https://warung.example"})
    assert handler(other, None)["statusCode"] == 415
    assert handler(events.get("/api/order"), None)["statusCode"] == 405
    assert aws.items() == []


def test_rate_limit_per_phone_answers_429_with_retry_after(aws, events, valid_order, monkeypatch):
    monkeypatch.setenv("ORDER_RATE_PER_PHONE", "2/3600")
    for qty in ("3", "4"):  # two other orders (the same one would be answered again)
        order = _json_order(dict(valid_order, qty=[qty, "1"]))
        assert handler(events.json(order), None)["statusCode"] == 201
    limited = handler(events.json(_json_order(valid_order)), None)
    assert limited["statusCode"] == 429
    assert 1 <= int(limited["headers"]["retry-after"]) <= 3600
    assert "Terlalu banyak pesanan" in json.loads(limited["body"])["errors"]["_"]
    form = handler(events.form(valid_order), None)
    assert form["statusCode"] == 429 and "retry-after" in form["headers"]
    assert 'value="Siti Aminah"' in form["body"]  # the form comes back filled in
    assert len(aws.items("CHECKOUT#")) == 2
    # Another buyer from the same address still gets through.
    other = dict(valid_order, phone="0857-1234-5678")
    assert handler(events.json(_json_order(other)), None)["statusCode"] == 201


def test_rate_limit_per_ip(aws, events, valid_order, monkeypatch):
    monkeypatch.setenv("ORDER_RATE_PER_IP", "1/600")
    assert handler(events.form(valid_order), None)["statusCode"] == 303
    other = dict(valid_order, qty=["5", "1"])
    limited = handler(events.form(other), None)
    assert limited["statusCode"] == 429
    assert 1 <= int(limited["headers"]["retry-after"]) <= 600
    assert handler(events.form(other, source_ip="198.51.100.9"), None)["statusCode"] == 303
    # Without the origin secret (the local run) a CloudFront header is just a header.
    spoofed = handler(events.form(dict(valid_order, qty=["6", "1"]), source_ip="198.51.100.77",
                                  headers={"cloudfront-viewer-address": "203.0.113.7:4431"}), None)
    assert spoofed["statusCode"] == 303


def test_invalid_posts_do_not_use_up_the_ip_limit(aws, events, valid_order, monkeypatch):
    monkeypatch.setenv("ORDER_RATE_PER_IP", "1/600")
    for _ in range(3):
        assert handler(events.form(dict(valid_order, name="")), None)["statusCode"] == 400
    assert aws.items("RATE#") == []
    assert handler(events.form(valid_order), None)["statusCode"] == 303


def test_ipv6_clients_are_limited_per_64(aws, events, valid_order, monkeypatch):
    monkeypatch.setenv("ORDER_RATE_PER_IP", "1/600")
    post = lambda qty, ip: handler(events.form(dict(valid_order, qty=[qty, "1"]), source_ip=ip),
                                   None)["statusCode"]
    assert post("1", "2001:db8:1:2::1") == 303
    assert post("2", "2001:db8:1:2:ffff:ffff:ffff:9") == 429  # same /64, another address
    assert post("3", "2001:db8:1:3::1") == 303
    assert [i["pk"].split("#")[2] for i in aws.items("RATE#ip#")] == [
        "2001:db8:1:2::/64", "2001:db8:1:3::/64"]


SECRET = "s3cret-origin-value-0123456789abcdef"


def test_origin_secret_refuses_direct_calls(aws, events, valid_order, monkeypatch):
    from search.handler import handler as search

    monkeypatch.setenv("ORIGIN_SECRET", SECRET)
    for headers in ({}, {"x-warung-origin": "wrong"}, {"x-warung-origin": SECRET[:-1]}):
        response = handler(events.form(valid_order, headers=headers), None)
        assert response["statusCode"] == 403
        assert "hanya bisa dibuka lewat situs" in response["body"]
        found = search(events.get("/api/search", {"q": "kopi", "format": "json"}, headers=headers),
                       None)
        assert found["statusCode"] == 403 and "_" in json.loads(found["body"])["errors"]
        assert handler(events.get("/api/order/WO-AAAAAA", {"t": "x"}, headers=headers),
                       None)["statusCode"] == 403
    assert aws.items() == []
    good = {"x-warung-origin": SECRET}
    assert handler(events.form(valid_order, headers=good), None)["statusCode"] == 303
    assert search(events.get("/api/search", {"q": "kopi"}, headers=good), None)["statusCode"] == 200


def test_viewer_address_is_trusted_only_through_cloudfront(aws, events, valid_order, monkeypatch):
    monkeypatch.setenv("ORIGIN_SECRET", SECRET)
    monkeypatch.setenv("ORDER_RATE_PER_IP", "1/600")
    through = {"x-warung-origin": SECRET, "cloudfront-viewer-address": "203.0.113.50:4431"}
    post = lambda qty, ip: handler(events.form(dict(valid_order, qty=[qty, "1"]), headers=through,
                                               source_ip=ip), None)["statusCode"]
    assert post("1", "130.176.0.1") == 303  # CloudFront's edge addresses differ...
    assert post("2", "130.176.0.2") == 429  # ...the buyer's address is what counts
    assert [i["pk"].split("#")[2] for i in aws.items("RATE#ip#")] == ["203.0.113.50"]


def test_rate_keys():
    from backend.function_url import rate_key

    assert rate_key("203.0.113.7") == "203.0.113.7"
    assert rate_key("2001:DB8:1:2:3:4:5:6") == "2001:db8:1:2::/64"
    assert rate_key("::ffff:203.0.113.7") == "203.0.113.7"
    assert rate_key("unknown") == "unknown"


def test_buyer_confirmations_are_limited_per_address(aws, events, valid_order):
    codes = []
    for n, address in enumerate(["siti@contoh.id", "SITI@contoh.id", "siti@Contoh.id",
                                 "Siti@Contoh.ID"]):
        order = dict(valid_order, email=address, qty=[str(n + 1), "1"])
        response = handler(events.form(order), None)
        assert response["statusCode"] == 303
        codes.append(response["headers"]["location"])
    statuses = [aws.item(f"CHECKOUT#{loc.split('/')[3].split('?')[0]}")["email_status"]
                for loc in codes]
    assert statuses == ["queued", "queued", "queued", "limited"]
    jobs = aws.jobs()
    assert sum(job["kind"] == "buyer" for job in jobs) == 3
    assert sum(job["kind"] == "seller" for job in jobs) == 8  # sellers are not limited
    promised = _confirmation(events, codes[0])["body"]
    assert "Bukti pesanan juga dikirim ke email siti@contoh.id" in promised
    limited = _confirmation(events, codes[3])["body"]
    assert "Bukti pesanan juga dikirim" not in limited
    assert "tidak dikirim ke email Siti@Contoh.ID" in limited


def test_seller_email_quota_is_counted_only_for_stored_orders(aws, events, valid_order,
                                                              monkeypatch):
    from backend import clients

    def fail(*args, **kwargs):
        from botocore.exceptions import ClientError
        raise ClientError({"Error": {"Code": "InternalServerError", "Message": "x"}},
                          "TransactWriteItems")

    monkeypatch.setattr(clients.dynamodb(), "transact_write_items", fail)
    assert handler(events.json(_json_order(valid_order)), None)["statusCode"] == 503
    assert aws.items("RATE#seller#") == [] and aws.items("RATE#email#") == []


def test_other_methods_and_routes(aws, events, valid_order):
    location = handler(events.form(valid_order), None)["headers"]["location"]
    parts = urlsplit(location)
    head = handler(events.raw("HEAD", parts.path, query={"t": _token(location)}), None)
    assert head["statusCode"] == 200 and head["body"] == ""
    post = handler(events.raw("POST", parts.path, headers={"origin": "https://warung.example"}), None)
    assert post["statusCode"] == 405 and post["headers"]["allow"] == "GET, HEAD"
    assert handler(events.get("/api/order/WO-AAAAAA/x"), None)["statusCode"] == 404
    assert handler(events.get("/api/lain"), None)["statusCode"] == 404


def test_form_page_keeps_the_cart_lines(aws, events, valid_order):
    valid_order.update(name="", item=["kopi-wanayasa/arabika:500 g", "batik-plered/kain-batik"],
                       qty=["2", "1"])
    html = handler(events.form(valid_order), None)["body"]
    assert '<input type="hidden" name="item" value="kopi-wanayasa/arabika:500 g">' in html
    assert "Kopi Arabika (500 g)</label>" in html and 'name="qty"' in html and 'value="2"' in html
    assert '<option selected>Wanayasa</option>' in html
    assert 'value="antar" checked' in html and 'value="cod" checked' in html
    assert 'name="website"' in html and 'class="hp"' in html


def test_concurrent_invocations_log_their_own_codes():
    """The local run serves requests on threads: each line carries its own
    request's code, never another thread's."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    script = (
        "import threading\n"
        "from backend import logs\n"
        "log = logs.logger('order')\n"
        "go = threading.Barrier(2)\n"
        "def run(code):\n"
        "    logs.correlate('order', code)\n"
        "    go.wait()\n"
        "    for _ in range(50):\n"
        "        log.info('order placed', extra={'mine': code})\n"
        "threads = [threading.Thread(target=run, args=(c,)) for c in ('WO-AAAAAA', 'WO-BBBBBB')]\n"
        "[t.start() for t in threads]\n"
        "[t.join() for t in threads]\n")
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=60, cwd=root,
                         env={**os.environ, "PYTHONPATH": f"{root / 'functions'}{os.pathsep}{root}"})
    lines = [json.loads(line) for line in run.stdout.splitlines()]
    assert len(lines) == 100, run.stderr
    assert [line for line in lines if line["correlation_id"] != line["mine"]] == []


def test_logs_are_json_lines_with_the_checkout_code(aws, events, valid_order):
    """In a fresh interpreter, as a cold Lambda (the test process's logging is
    pytest's): every log line is JSON, tagged with the checkout code."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    script = (
        "import json, logging, sys\n"
        "from order.handler import handler\n"
        "response = handler(json.load(sys.stdin), None)\n"
        "logging.getLogger('backend.mailqueue').warning('a module speaks')\n"
        "print('BODY', response['body'])\n")
    run = subprocess.run(
        [sys.executable, "-c", script], input=json.dumps(events.json(_json_order(valid_order))),
        capture_output=True, text=True, timeout=60, cwd=root,
        env={**os.environ, "PYTHONPATH": f"{root / 'functions'}{os.pathsep}{root}"})
    out = run.stdout.splitlines()
    code = json.loads(out[-1].removeprefix("BODY "))["code"]
    lines = [json.loads(line) for line in out[:-1]]
    placed = [line for line in lines if line.get("message") == "order placed"]
    assert placed and placed[0]["correlation_id"] == code, run.stdout + run.stderr
    assert placed[0]["service"] == "order" and placed[0]["level"] == "INFO"
    # The modules' own loggers write the same JSON lines, with the same id.
    assert (lines[-1]["message"], lines[-1]["correlation_id"]) == ("a module speaks", code)
