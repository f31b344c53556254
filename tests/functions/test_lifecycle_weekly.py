"""The staff's weekly digest through the outbox, the mail queue and the mailer."""

import json
import time

from tests.functions.test_lifecycle_flow import run_mailer, sent_messages, text_of


def test_weekly_digest_once_per_week_with_the_figures(aws, place_order, monkeypatch):
    from backend import clients
    from lifecycle import weekly
    from weekly.handler import handler

    place_order()
    place_order(item=["sayur-maniis/pisang"], qty=["1"], delivery="ambil", kecamatan="Maniis",
                desa="", phone="0813-1111-3333")
    run_mailer(aws)
    monkeypatch.delenv("STAFF_EMAIL", raising=False)
    assert handler({}, None) == {"queued": False}  # no STAFF_EMAIL: nothing
    monkeypatch.setenv("STAFF_EMAIL", "dinas@purwakarta.example")
    later = time.time() + 30 * 3600
    assert weekly.run(later) is True
    assert weekly.run(later) is False  # the same week: once
    assert aws.items("OUTBOX#") == []
    run_mailer(aws)
    [mail] = [m for m in sent_messages() if m["To"] == "dinas@purwakarta.example"]
    assert mail["Subject"].startswith("Ringkasan mingguan Warung Online ")
    text = text_of(mail)
    item = aws.items("WEEKLY#")[0]
    assert item["summary"]["count"] == 3 and item["email_status"] == "sent"
    assert "Pesanan toko: 3" in text
    assert "Menunggu penjual: 3" in text
    codes = [o["code"] for o in aws.items("ORDER#")]
    assert all(code in text for code in codes)  # all unanswered for 30 hours
    assert "WA 6281234567890" in text
    assert "Siti" not in text and "Babakan" not in text
    # Queued again (sweeper, redrive): still one email.
    clients.sqs().send_message(QueueUrl=aws.env["MAIL_QUEUE_URL"], MessageBody=json.dumps(
        {"kind": "weekly", "week": item["week"]}))
    run_mailer(aws)
    assert len([m for m in sent_messages() if m["To"] == "dinas@purwakarta.example"]) == 1
