"""After the order: the seller's page, the status lifecycle and the buyer's notices.

Everything runs against moto's server over HTTP: orders are placed through
the real order handler, the mailer sends the seller emails (with their
private links) through moto's SES, the seller page handler changes states.
"""

import email
import email.policy
import json
import re
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from backend import clients
from mailer.handler import handler as mailer
from sellerpage.handler import handler as seller_page

LINK = re.compile(r"https://warung\.example(/api/penjual/(WO-[0-9A-Z]{6}-\d+)\?t=([A-Za-z0-9_-]+))")


def sent_messages():
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    backend = ses_backends[DEFAULT_ACCOUNT_ID][clients.region()]
    return [email.message_from_string(m.raw_data, policy=email.policy.default)
            for m in backend.sent_messages]


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def run_mailer(aws, rounds=10):
    """Deliver every visible mail job with the real mailer handler."""
    url = aws.env["MAIL_QUEUE_URL"]
    for _ in range(rounds):
        got = clients.sqs().receive_message(QueueUrl=url, MaxNumberOfMessages=10,
                                            WaitTimeSeconds=0, AttributeNames=["All"])
        messages = got.get("Messages", [])
        if not messages:
            return
        result = mailer({"Records": [{
            "messageId": m["MessageId"], "receiptHandle": m["ReceiptHandle"], "body": m["Body"],
            "attributes": {"ApproximateReceiveCount": m["Attributes"]["ApproximateReceiveCount"]},
        } for m in messages]}, None)
        assert result == {"batchItemFailures": []}
        for m in messages:
            clients.sqs().delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])


def seller_links() -> dict:
    """order code -> (path, token) from the seller emails sent so far."""
    found = {}
    for message in sent_messages():
        for match in LINK.finditer(text_of(message)):
            found[match.group(2)] = (match.group(1), match.group(3))
    return found


def get(events, path, **headers):
    parts = urlsplit(path)
    return seller_page(events.get(parts.path, dict(parse_qs(parts.query, keep_blank_values=True))
                                  and {k: v[0] for k, v in parse_qs(parts.query).items()},
                                  headers=headers), None)


def post(events, path, fields, **kwargs):
    parts = urlsplit(path)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    return seller_page(events.form({**query, **fields}, path=parts.path, **kwargs), None)


@pytest.fixture
def placed(aws, place_order):
    """A two-shop order with a buyer email, its seller emails sent."""
    response, body = place_order(email="siti@contoh.id")
    assert response["statusCode"] == 201
    run_mailer(aws)
    links = seller_links()
    assert sorted(links) == [o["code"] for o in body["orders"]]
    return body, links


def status_jobs(aws):
    return [job for job in aws.jobs() if job.get("kind") == "status"]


def test_seller_email_carries_a_private_link_and_only_its_hash_is_stored(aws, placed):
    body, links = placed
    for code, (path, token) in links.items():
        record = aws.item(f"ORDER#{code}")
        assert record["status"] == "menunggu"
        assert [e["status"] for e in record["history"]] == ["menunggu"]
        assert token not in json.dumps(aws.items())
        assert len(record["seller_token_hashes"]) == 1
    # The WhatsApp message the buyer sends carries no seller link.
    for order in body["orders"]:
        message = unquote(order["whatsapp_url"])
        assert "/api/penjual" not in message and "?t=" not in message


def test_get_on_every_seller_link_changes_nothing(aws, events, placed):
    _, links = placed
    before = aws.items()
    for code, (path, token) in links.items():
        for variant in (path, path + "&aksi=terima", path + "&aksi=tolak&alasan=stok_habis"):
            response = get(events, variant)
            assert response["statusCode"] == 200
            assert 'method="post"' in response["body"]
        head = seller_page(events.raw("HEAD", path.split("?")[0], query={"t": token}), None)
        assert head["statusCode"] == 200 and head["body"] == ""
    assert aws.items() == before
    assert aws.queue_counts()["visible"] == 0


def test_wrong_or_missing_token_is_410(aws, events, placed):
    _, links = placed
    code, (path, token) = next(iter(links.items()))
    other_code, (_, other_token) = list(links.items())[1]
    for query in ({"t": "x" * 22}, {}, {"t": other_token}, {"t": token + "a"}):
        response = seller_page(events.get(f"/api/penjual/{code}", query), None)
        assert response["statusCode"] == 410  # not 404: CloudFront keeps the message
        assert "Tautan ini tidak berlaku" in response["body"]
        assert "Siti" not in response["body"]
    response = post(events, f"/api/penjual/{code}?t={other_token}", {"aksi": "terima"})
    assert response["statusCode"] == 410
    assert aws.item(f"ORDER#{code}")["status"] == "menunggu"


def test_accept_decline_send_done_with_history_and_buyer_emails(aws, events, placed):
    _, links = placed
    (first, (path1, _)), (second, (path2, _)) = sorted(links.items())
    response = post(events, path1, {"aksi": "terima"})
    assert response["statusCode"] == 303
    assert response["headers"]["location"].endswith("&ok=1")
    page = get(events, response["headers"]["location"])["body"]
    assert "Diterima penjual" in page and "Status pesanan sudah diperbarui" in page
    assert post(events, path2, {"aksi": "tolak", "alasan": "stok_habis"})["statusCode"] == 303
    assert post(events, path1, {"aksi": "kirim"})["statusCode"] == 303
    assert post(events, path1, {"aksi": "selesai"})["statusCode"] == 303

    one, two = aws.item(f"ORDER#{first}"), aws.item(f"ORDER#{second}")
    assert [e["status"] for e in one["history"]] == ["menunggu", "diterima", "dikirim", "selesai"]
    assert two["status"] == "ditolak" and two["history"][-1]["reason"] == "stok_habis"
    assert one["answered_at"] and two["answered_at"]
    run_mailer(aws)
    to_buyer = [m for m in sent_messages() if m["To"] == "siti@contoh.id"
                and "Pesanan WO-" in m["Subject"] and ":" in m["Subject"]]
    subjects = sorted(m["Subject"] for m in to_buyer)
    assert subjects == sorted([f"Pesanan {first}: Diterima penjual",
                               f"Pesanan {first}: Sedang diantar",
                               f"Pesanan {second}: Ditolak penjual: stok habis"])
    declined = next(m for m in to_buyer if second in m["Subject"])
    assert "tidak perlu membayar" in text_of(declined)
    # Nothing is left behind in an outbox.
    assert aws.items("OUTBOX#") == []


def test_refused_and_invalid_actions_change_nothing(aws, events, placed):
    _, links = placed
    code, (path, _) = sorted(links.items())[0]
    before = aws.item(f"ORDER#{code}")
    assert post(events, path, {"aksi": "kirim"})["statusCode"] == 409
    assert post(events, path, {"aksi": "selesai"})["statusCode"] == 409
    assert post(events, path, {"aksi": "hapus"})["statusCode"] == 400
    response = post(events, path, {"aksi": "tolak", "alasan": "lain", "alasan_lain": "  "})
    assert response["statusCode"] == 400 and "alasan" in response["body"].lower()
    assert post(events, path, {"aksi": "terima"}, origin="https://jahat.example")["statusCode"] == 403
    assert aws.item(f"ORDER#{code}") == before
    assert status_jobs(aws) == []
    # A free-text reason is kept, cleaned and short.
    assert post(events, path, {"aksi": "tolak", "alasan": "lain",
                               "alasan_lain": "Toko\u202e tutup minggu ini"})["statusCode"] == 303
    assert aws.item(f"ORDER#{code}")["decline_reason"] == "Toko tutup minggu ini"


def test_a_tap_that_lost_the_race_changes_nothing(aws, events, placed, monkeypatch):
    """Two devices read "menunggu" at once; the second one's conditional
    write fails and it answers like a repeat: one change, one notice.
    (Twenty real concurrent taps: tests/browser/test_lifecycle_e2e.py, against
    the local run, whose moto serializes requests as DynamoDB is atomic;
    moto's threaded server is not.)"""
    from backend import store
    from lifecycle import records

    _, links = placed
    code, (path, _) = sorted(links.items())[0]
    stale = store.get_order(code)
    assert post(events, path, {"aksi": "terima"})["statusCode"] == 303
    reads = iter([stale])
    real = store.get_order
    monkeypatch.setattr(store, "get_order", lambda c: next(reads, None) or real(c))
    outcome = records.apply(code, "terima")
    assert not outcome.changed and outcome.order["status"] == "diterima"
    record = aws.item(f"ORDER#{code}")
    assert [e["status"] for e in record["history"]] == ["menunggu", "diterima"]
    before = len(sent_messages())
    run_mailer(aws)
    notices = [m for m in sent_messages()[before:] if m["To"] == "siti@contoh.id"]
    assert [m["Subject"] for m in notices] == [f"Pesanan {code}: Diterima penjual"]
    # A stale "tolak" after the accept is refused, not applied.
    monkeypatch.setattr(store, "get_order", lambda c, it=iter([stale]): next(it, None) or real(c))
    with pytest.raises(Exception) as refused:
        records.apply(code, "tolak", "stok_habis")
    assert type(refused.value).__name__ == "Refused"
    # The same notice queued again (sweeper, redrive) is not mailed twice.
    clients.sqs().send_message(QueueUrl=aws.env["MAIL_QUEUE_URL"], MessageBody=json.dumps(
        {"kind": "status", "notice": f"{code}:diterima"}))
    run_mailer(aws)
    assert len([m for m in sent_messages() if m["To"] == "siti@contoh.id"
                and code in m["Subject"]]) == 1


def test_no_buyer_email_no_notice(aws, events, place_order):
    response, body = place_order(email="")
    run_mailer(aws)
    code, (path, _) = sorted(seller_links().items())[0]
    assert post(events, path, {"aksi": "terima"})["statusCode"] == 303
    assert aws.items("OUTBOX#") == [] and status_jobs(aws) == []


def test_confirmation_page_and_json_show_each_status(aws, events, placed):
    from order.handler import handler as order_handler

    body, links = placed
    (first, (path1, _)), (second, (path2, _)) = sorted(links.items())
    post(events, path1, {"aksi": "terima"})
    post(events, path2, {"aksi": "tolak", "alasan": "di_luar_jangkauan"})
    url = urlsplit(body["confirmation_url"])
    query = {"t": parse_qs(url.query)["t"][0]}
    page = order_handler(events.get(url.path, query), None)["body"]
    assert "Diterima penjual" in page
    assert "Ditolak penjual: di luar jangkauan antar" in page
    assert "tidak perlu membayar" in page
    answer = order_handler(events.get(url.path, query, headers={"accept": "application/json"}),
                           None)
    data = json.loads(answer["body"])
    states = {o["code"]: o for o in data["orders"]}
    assert states[first]["status"] == "diterima"
    assert [h["status"] for h in states[first]["history"]] == ["menunggu", "diterima"]
    assert states[second]["history"][-1] == {
        "status": "ditolak", "at": states[second]["history"][-1]["at"],
        "reason": "di_luar_jangkauan"}


def test_cloudfront_and_the_local_run_route_the_seller_page():
    from pathlib import Path

    import yaml

    from local.routes import route_for

    assert route_for("/api/penjual/WO-7K3M9Q-1").name == "sellerpage"
    assert route_for("/api/order/WO-7K3M9Q").name == "order"
    text = (Path(__file__).parents[2] / "functions" / "template.yaml").read_text()
    loader = type("Loader", (yaml.SafeLoader,), {})
    loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    resources = yaml.load(text, Loader=loader)["Resources"]
    config = resources["SiteDistribution"]["Properties"]["DistributionConfig"]
    behaviours = {b["PathPattern"]: b for b in config["CacheBehaviors"]}
    patterns = list(behaviours)
    assert patterns.index("/api/penjual/*") < patterns.index("/api/*")
    assert behaviours["/api/penjual/*"]["TargetOriginId"] == "sellerpage"
    assert "POST" in behaviours["/api/penjual/*"]["AllowedMethods"]
    assert resources["SellerPageFunction"]["Properties"]["Handler"] == "sellerpage.handler.handler"


def test_a_null_origin_needs_same_origin_fetch_metadata(aws, events, placed):
    _, links = placed
    code, (path, _) = sorted(links.items())[0]
    cross = post(events, path, {"aksi": "terima"}, origin="null",
                 headers={"sec-fetch-site": "cross-site"})
    assert cross["statusCode"] == 403
    assert aws.item(f"ORDER#{code}")["status"] == "menunggu"
    same = post(events, path, {"aksi": "terima"}, origin="null",
                headers={"sec-fetch-site": "same-origin"})
    assert same["statusCode"] == 303


def test_confirmation_page_with_states_stays_within_14_kb_gzip(aws, events, placed):
    import gzip

    from order.handler import handler as order_handler

    body, links = placed
    (_, (path1, _)), (_, (path2, _)) = sorted(links.items())
    for action in ("terima", "kirim", "selesai"):
        post(events, path1, {"aksi": action})
    post(events, path2, {"aksi": "tolak", "alasan": "stok_habis"})
    url = urlsplit(body["confirmation_url"])
    page = order_handler(events.get(url.path, {"t": parse_qs(url.query)["t"][0]}), None)["body"]
    assert "Selesai" in page
    assert len(gzip.compress(page.encode("utf-8"), 9)) <= 14 * 1024
