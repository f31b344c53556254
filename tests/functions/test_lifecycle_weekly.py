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


def test_the_digest_is_named_after_the_week_it_covers(aws, monkeypatch):
    from datetime import datetime, timezone

    from lifecycle import weekly

    monkeypatch.setenv("STAFF_EMAIL", "dinas@purwakarta.example")
    # WeeklyFunction runs Mondays 01:00 UTC; 2026-11-30 is Monday of 2026-W49.
    monday = datetime(2026, 11, 30, 1, 0, tzinfo=timezone.utc)
    assert weekly.covered_week(monday) == "2026-W48"
    assert weekly.covered_week(datetime(2026, 1, 5, 1, 0, tzinfo=timezone.utc)) == "2026-W01"
    assert weekly.run(monday.timestamp()) is True
    [item] = aws.items("WEEKLY#")
    assert item["pk"] == "WEEKLY#2026-W48" and item["week"] == "2026-W48"
    assert item["summary"]["from"] == "2026-11-23" and item["summary"]["to"] == "2026-11-30"
