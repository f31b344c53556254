"""The seller's reminder after 6 hours without an answer (moto over HTTP)."""

import time

from tests.functions.test_lifecycle_flow import LINK, post, run_mailer, sent_messages, text_of


def reminders_to(address):
    return [m for m in sent_messages() if m["To"] == address and "Pengingat" in m["Subject"]]


def test_one_reminder_after_six_hours_only_for_unanswered_orders(aws, events, place_order):
    from lifecycle import reminders
    from reminder.handler import handler

    response, body = place_order(email="siti@contoh.id")
    run_mailer(aws)
    first, second = [o["code"] for o in body["orders"]]
    links = {m.group(2): m.group(1) for message in sent_messages()
             for m in LINK.finditer(text_of(message))}
    assert post(events, links[second], {"aksi": "terima"})["statusCode"] == 303
    run_mailer(aws)

    now = time.time()
    assert reminders.run(now + 5 * 3600) == 0  # not yet
    assert reminders.run(now + 7 * 3600) == 1  # only the unanswered order
    assert reminders.run(now + 8 * 3600) == 0  # once
    assert handler({}, None) == {"reminded": 0}
    run_mailer(aws)
    [mail] = reminders_to("kopi@wanayasa.example")
    assert mail["Subject"] == f"Pengingat: pesanan {first} belum dijawab"
    [fresh] = [m.group(1) for m in LINK.finditer(text_of(mail))]
    assert fresh != links[first]  # a new token; the first link still works too
    assert post(events, fresh, {"aksi": "tolak", "alasan": "stok_habis"})["statusCode"] == 303
    assert reminders_to("batik@plered.example") == []
    assert aws.item(f"ORDER#{first}")["reminded_at"]
    assert aws.items("OUTBOX#") == []


def test_a_reminder_job_for_an_order_answered_meanwhile_sends_nothing(aws, events, place_order):
    from backend import clients
    import json

    response, body = place_order()
    run_mailer(aws)
    code = body["orders"][0]["code"]
    path = next(m.group(1) for message in sent_messages()
                for m in LINK.finditer(text_of(message)) if m.group(2) == code)
    post(events, path, {"aksi": "terima"})
    clients.sqs().send_message(QueueUrl=aws.env["MAIL_QUEUE_URL"],
                               MessageBody=json.dumps({"kind": "reminder", "order": code}))
    run_mailer(aws)
    assert reminders_to("kopi@wanayasa.example") == []
