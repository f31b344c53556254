"""The mailer's handler against moto's server: SQS jobs in, raw emails in moto's SES.

Orders are placed through the real order handler (``place_order``), so the
records and jobs are exactly what production writes. ``run_mailer`` plays
Lambda's SQS event source mapping: receive, call the handler, delete what
is not in ``batchItemFailures``.
"""

import io
import json
import logging

import pytest

from backend import clients, mailqueue
from local.resources import MAX_RECEIVE_COUNT
from mailer import handler as mailer_handler
from mailer import lease, retry
from mailer.handler import handler

from .mailer_queue import (ONE_SHOP, SELLERS, Crash, client_error, drain, enqueue, place,
                           receive, run_mailer, sent_ids, sent_messages, sqs_event)


# --- helpers ------------------------------------------------------------------------------

class FlakySes:
    """The real SES client, failing with ``code`` while ``failing(kwargs)`` says so."""

    def __init__(self, failing, code="TooManyRequestsException", status=429):
        self.real = clients.sesv2()
        self.failing = failing
        self.code, self.status = code, status
        self.calls = 0

    def send_email(self, **kwargs):
        self.calls += 1
        if self.failing(kwargs):
            raise client_error(self.code, self.status)
        return self.real.send_email(**kwargs)


@pytest.fixture
def ses(monkeypatch):
    """Install a FlakySes as the mailer's SES client: ``ses(failing, code, status)``."""
    def install(failing, code="TooManyRequestsException", status=429):
        flaky = FlakySes(failing, code, status)
        monkeypatch.setattr(clients, "sesv2", lambda: flaky)
        return flaky
    return install


@pytest.fixture
def no_backoff(monkeypatch):
    """Retries come back at once (no waiting in tests); the policy itself is unit-tested."""
    monkeypatch.setattr(retry, "BASE_DELAY", 0)


# --- sending --------------------------------------------------------------------------------

def test_sends_seller_and_buyer_emails_and_records_them(aws, place_order):
    body = place(place_order, email="siti@contoh.id", name="Siti <b>Aminah</b>")
    code = body["code"]
    results = drain(aws)
    assert results[0] == {"batchItemFailures": []}

    messages = sent_messages()
    assert len(messages) == 3
    by_to = {m["To"]: m for m in messages}
    assert set(by_to) == {SELLERS["kopi-wanayasa"], SELLERS["batik-plered"], "siti@contoh.id"}
    for n, shop in ((1, "kopi-wanayasa"), (2, "batik-plered")):
        msg = by_to[SELLERS[shop]]
        assert msg.keys() == ["From", "To", "Reply-To", "Subject", "Date", "Message-ID",
                              "Auto-Submitted", "MIME-Version", "Content-Type"]
        assert msg["From"] == "Warung Online Purwakarta <pesanan@warung.example>"
        assert msg["Reply-To"] == "siti@contoh.id"
        assert msg["Subject"] == f"Pesanan baru {code}-{n} — Warung Online"
        html = msg.get_body(preferencelist=("html",)).get_content()
        text = msg.get_body(preferencelist=("plain",)).get_content()
        assert "Siti &lt;b&gt;Aminah&lt;/b&gt;" in html and "<b>Aminah" not in html
        assert "Siti <b>Aminah</b>" in text
        assert "Balas lewat WhatsApp" in html and "https://wa.me/6281311112222?text=" in html
        record = aws.item(f"ORDER#{code}-{n}")
        assert record["email_status"] == "sent"
        assert record["email_message_id"] in sent_ids()
        assert record["email_sent_at"].endswith("Z")
    assert "Rp175.000" in by_to[SELLERS["kopi-wanayasa"]].get_body(("plain",)).get_content()

    buyer = by_to["siti@contoh.id"]
    assert "Reply-To" not in buyer
    assert buyer["Subject"] == f"Konfirmasi pesanan {code} — Warung Online"
    buyer_html = buyer.get_body(preferencelist=("html",)).get_content()
    assert "Kopi Wanayasa" in buyer_html and "Batik &amp; Gerabah Plered" in buyer_html
    assert "https://wa.me/6281234567890?text=" in buyer_html
    assert "https://wa.me/6281398765432?text=" in buyer_html
    assert aws.item(f"CHECKOUT#{code}")["email_status"] == "sent"

    # The same jobs again (SQS delivers at least once): nothing more is sent.
    enqueue(aws, {"kind": "seller", "order": f"{code}-1"}, {"kind": "seller", "order": f"{code}-2"},
            {"kind": "buyer", "checkout": code})
    assert drain(aws)[0] == {"batchItemFailures": []}
    assert len(sent_messages()) == 3


def test_logs_are_json_lines_with_the_code_as_correlation_id(aws, place_order):
    code = place(place_order, **ONE_SHOP)["code"]
    stream = io.StringIO()
    lines = logging.StreamHandler(stream)
    lines.setFormatter(mailer_handler.log.registered_formatter)  # what Lambda's log gets
    logging.getLogger("mailer").addHandler(lines)
    try:
        drain(aws)
    finally:
        logging.getLogger("mailer").removeHandler(lines)
    logged = [json.loads(line) for line in stream.getvalue().splitlines()]
    sent = [entry for entry in logged if " sent " in entry["message"]]
    assert [(e["correlation_id"], e["service"], e["level"]) for e in sent] == \
        [(f"{code}-1", "mailer", "INFO")]


def test_buyer_without_email_gets_no_confirmation(aws, place_order):
    place(place_order)
    drain(aws)
    assert sorted(m["To"] for m in sent_messages()) == sorted(
        [SELLERS["kopi-wanayasa"], SELLERS["batik-plered"]])
    assert all("Reply-To" not in m for m in sent_messages())


def test_spam_orders_are_not_emailed(aws, place_order):
    body = place(place_order, website="http://spam.example")
    code = body["code"]
    enqueue(aws, {"kind": "seller", "order": f"{code}-1"})
    assert drain(aws)[0] == {"batchItemFailures": []}
    assert sent_messages() == []
    assert aws.item(f"ORDER#{code}-1")["email_status"] == "spam"


def test_digest_lists_the_overflow_orders_once(aws, place_order, monkeypatch):
    monkeypatch.setenv("SELLER_EMAILS_PER_HOUR", "1")
    codes = [place(place_order, phone=f"0813-1111-22{n:02d}", **ONE_SHOP)["code"] + "-1"
             for n in range(4)]
    drain(aws)  # the first order, within the cap
    assert [m["Subject"] for m in sent_messages()] == [f"Pesanan baru {codes[0]} — Warung Online"]
    digest = aws.items("DIGEST#")
    assert len(digest) == 1 and digest[0]["codes"] == codes[1:]
    assert aws.queue_counts()["delayed"] == 1  # the order function's delayed digest job

    enqueue(aws, {"kind": "digest", "digest": digest[0]["pk"]})
    assert drain(aws)[0] == {"batchItemFailures": []}
    messages = sent_messages()
    assert len(messages) == 2
    msg = messages[1]
    assert msg["To"] == SELLERS["sayur-maniis"] and "Reply-To" not in msg
    assert msg["Subject"] == f"3 pesanan baru — Warung Online ({', '.join(codes[1:])})"
    text = msg.get_body(preferencelist=("plain",)).get_content()
    for code in codes[1:]:
        assert code in text
        assert aws.item(f"ORDER#{code}")["email_status"] == "sent"
    assert aws.item(digest[0]["pk"])["email_status"] == "sent"

    # A later order in the same hour and another digest job: only the new one.
    late = place(place_order, phone="0813-1111-2299", **ONE_SHOP)["code"] + "-1"
    enqueue(aws, {"kind": "digest", "digest": digest[0]["pk"]})
    drain(aws)
    messages = sent_messages()
    assert len(messages) == 3
    assert messages[2]["Subject"] == f"1 pesanan baru — Warung Online ({late})"


# --- failures -------------------------------------------------------------------------------

def test_only_the_failing_job_is_reported(aws, place_order, ses):
    code = place(place_order)["code"]
    flaky = ses(lambda kw: kw["Destination"]["ToAddresses"] == [SELLERS["batik-plered"]])
    jobs = aws.jobs(delete=False)
    assert len(jobs) == 2
    messages = receive(aws.env["MAIL_QUEUE_URL"])
    failing = next(m["MessageId"] for m in messages if m["Body"].endswith(f'-2"}}'))
    result = handler(sqs_event(messages), None)
    assert result == {"batchItemFailures": [{"itemIdentifier": failing}]}
    assert flaky.calls == 2
    assert [m["To"] for m in sent_messages()] == [SELLERS["kopi-wanayasa"]]
    assert aws.item(f"ORDER#{code}-1")["email_status"] == "sent"
    assert aws.item(f"ORDER#{code}-2")["email_status"] == "queued"
    # The failed job backs off (30 s): it is still in flight, not visible again.
    assert aws.queue_counts()["in_flight"] == 2  # nothing deleted by this direct call
    assert receive(aws.env["MAIL_QUEUE_URL"]) == []


def test_throttling_then_recovery_sends_exactly_one_email_per_order(aws, place_order, ses,
                                                                    no_backoff):
    down = {"on": True}
    flaky = ses(lambda kw: down["on"])
    codes = [place(place_order, phone=f"0813-1111-22{n:02d}", **ONE_SHOP)["code"]
             for n in range(4)]
    for _ in range(2):  # two rounds of redelivery while SES throttles everything
        (result,) = run_mailer(aws)
        assert len(result["batchItemFailures"]) == 4
    assert flaky.calls == 8
    assert sent_messages() == []
    for code in codes:  # every order is safely stored, still waiting for its email
        assert aws.item(f"ORDER#{code}-1")["email_status"] == "queued"

    down["on"] = False
    assert drain(aws)[0] == {"batchItemFailures": []}
    subjects = sorted(m["Subject"] for m in sent_messages())
    assert subjects == sorted(f"Pesanan baru {code}-1 — Warung Online" for code in codes)
    assert drain(aws) == []
    assert len(sent_messages()) == 4
    assert aws.queue_counts() == {"visible": 0, "in_flight": 0, "delayed": 0}


def test_throttled_job_backs_off_through_its_visibility(aws, place_order, ses, monkeypatch):
    ses(lambda kw: True, code="LimitExceededException", status=400)
    calls = []
    real_sqs = clients.sqs()

    class SpySqs:
        def __getattr__(self, name):
            return getattr(real_sqs, name)

        def change_message_visibility(self, **kwargs):
            calls.append(kwargs["VisibilityTimeout"])
            return real_sqs.change_message_visibility(**kwargs)

    monkeypatch.setattr(clients, "sqs", lambda: SpySqs())
    place(place_order, **ONE_SHOP)
    messages = receive(aws.env["MAIL_QUEUE_URL"])
    record = sqs_event(messages)["Records"][0]
    assert mailer_handler.process(record, rand=lambda: 0.0) is False
    record["attributes"]["ApproximateReceiveCount"] = "4"
    assert mailer_handler.process(record, rand=lambda: 0.5) is False
    assert calls == [30, 264]  # 30 s × 2^0, then 30 s × 2^3 + 10 % jitter


def test_crash_after_send_gives_at_most_one_duplicate_with_the_same_code(
        aws, place_order, monkeypatch, no_backoff):
    code = place(place_order, **ONE_SHOP)["code"] + "-1"
    real_mark = lease.mark_sent
    failures = [client_error("ProvisionedThroughputExceededException", 400, "UpdateItem")]

    def mark_once_failing(*args, **kwargs):
        if failures:
            raise failures.pop()
        return real_mark(*args, **kwargs)

    monkeypatch.setattr(lease, "mark_sent", mark_once_failing)
    first = run_mailer(aws)
    assert len(first[0]["batchItemFailures"]) == 1  # sent, but not recorded: retried
    assert aws.item(f"ORDER#{code}")["email_status"] == "queued"
    drain(aws)
    messages = sent_messages()
    assert len(messages) == 2  # the one duplicate
    assert {m["Subject"] for m in messages} == {f"Pesanan baru {code} — Warung Online"}
    assert {m["To"] for m in messages} == {SELLERS["sayur-maniis"]}
    record = aws.item(f"ORDER#{code}")
    assert record["email_status"] == "sent" and record["email_message_id"] == sent_ids()[1]
    enqueue(aws, {"kind": "seller", "order": code})
    drain(aws)
    assert len(sent_messages()) == 2


def test_process_killed_between_send_and_record_resends_once(aws, place_order, monkeypatch):
    code = place(place_order, **ONE_SHOP)["code"] + "-1"
    real_mark = lease.mark_sent
    crashes = [Crash()]

    def mark(*args, **kwargs):
        if crashes:
            raise crashes.pop()
        return real_mark(*args, **kwargs)

    monkeypatch.setattr(lease, "mark_sent", mark)
    assert run_mailer(aws) == ["crash"]
    drain(aws)
    messages = sent_messages()
    assert [m["Subject"] for m in messages] == [f"Pesanan baru {code} — Warung Online"] * 2
    assert aws.item(f"ORDER#{code}")["email_status"] == "sent"


def _dlq_bodies(aws):
    return [json.loads(m["Body"]) for m in receive(aws.env["MAIL_DLQ_URL"])]


def test_a_job_failing_every_time_ends_in_the_dead_letter_queue(aws, place_order, ses,
                                                                 no_backoff):
    clients.sqs().set_queue_attributes(QueueUrl=aws.env["MAIL_QUEUE_URL"],
                                       Attributes={"VisibilityTimeout": "0"})
    flaky = ses(lambda kw: True, code="InternalFailure", status=500)
    code = place(place_order, **ONE_SHOP)["code"]
    results = drain(aws)
    assert MAX_RECEIVE_COUNT == 15
    assert len(results) == 15 and all(len(r["batchItemFailures"]) == 1 for r in results)
    assert flaky.calls == 15
    assert _dlq_bodies(aws) == [{"kind": "seller", "order": f"{code}-1"}]
    assert aws.queue_counts() == {"visible": 0, "in_flight": 0, "delayed": 0}
    assert aws.item(f"ORDER#{code}-1")["email_status"] == "queued"


def test_permanent_failures_reach_the_dead_letter_queue_without_backoff(aws, caplog):
    # A missing order and an SES rejection are not retried with backoff: they
    # come back at once (visibility 0) and SQS dead-letters them after 15 receives.
    enqueue(aws, {"kind": "seller", "order": "WO-ZZZZZZ-1"})
    with caplog.at_level(logging.ERROR, logger="mailer"):
        results = drain(aws)
    assert len(results) == 15
    assert _dlq_bodies(aws) == [{"kind": "seller", "order": "WO-ZZZZZZ-1"}]
    assert "WO-ZZZZZZ-1 not found" in caplog.text and "dead-letter" in caplog.text


def test_ses_message_rejected_is_permanent(aws, place_order, ses):
    from botocore.stub import Stubber

    place(place_order, **ONE_SHOP)
    real = clients.sesv2()
    stubber = Stubber(real)
    stubber.add_client_error("send_email", service_error_code="MessageRejected",
                             service_message="Email address is not verified.",
                             http_status_code=400)
    messages = receive(aws.env["MAIL_QUEUE_URL"])
    with stubber:
        assert mailer_handler.process(sqs_event(messages)["Records"][0], ses=real) is False
    stubber.assert_no_pending_responses()
    # Visibility 0: at once visible again, on its way to the dead-letter queue.
    again = receive(aws.env["MAIL_QUEUE_URL"])
    assert [m["MessageId"] for m in again] == [messages[0]["MessageId"]]
    assert again[0]["Attributes"]["ApproximateReceiveCount"] == "2"


def test_malformed_jobs_are_dropped_not_retried(aws, caplog):
    for body in ("not json", '{"kind": "seller", "order": "x\\r\\nBcc: a@b.co"}'):
        clients.sqs().send_message(QueueUrl=aws.env["MAIL_QUEUE_URL"], MessageBody=body)
    with caplog.at_level(logging.ERROR, logger="mailer"):
        assert run_mailer(aws) == [{"batchItemFailures": []}]
    assert caplog.text.count("dropping malformed mail job") == 2
    assert aws.queue_counts() == {"visible": 0, "in_flight": 0, "delayed": 0}
    assert _dlq_bodies(aws) == [] and sent_messages() == []


def test_a_bad_seller_email_in_a_record_is_never_used(aws, place_order):
    code = place(place_order, **ONE_SHOP)["code"] + "-1"
    clients.dynamodb().update_item(
        TableName=aws.env["ORDERS_TABLE"], Key={"pk": {"S": f"ORDER#{code}"}},
        UpdateExpression="SET seller_email = :e",
        ExpressionAttributeValues={":e": {"S": "sayur@maniis.example\r\nBcc: all@evil.example"}})
    (result,) = run_mailer(aws)
    assert len(result["batchItemFailures"]) == 1
    assert sent_messages() == []


def test_records_are_left_for_the_next_invocation_when_time_runs_out(aws, place_order):
    place(place_order)
    messages = receive(aws.env["MAIL_QUEUE_URL"])
    assert len(messages) == 2
    left = iter([60_000, 3_000])

    class Context:
        def get_remaining_time_in_millis(self):
            return next(left)

    result = handler(sqs_event(messages), Context())
    assert result == {"batchItemFailures": [{"itemIdentifier": messages[1]["MessageId"]}]}
    assert len(sent_messages()) == 1


# --- the outbox: a stored order's emails survive the order function dying ---------------------

def _kill_enqueue(monkeypatch):
    """The order function dies right after the commit, before anything reaches SQS;
    returns the function that revives it (the next invocation)."""
    real = mailqueue.enqueue

    def die(*args, **kwargs):
        raise Crash()
    monkeypatch.setattr(mailqueue, "enqueue", die)
    return lambda: monkeypatch.setattr(mailqueue, "enqueue", real)


def _seller_mails(code):
    return sorted(m["To"] for m in sent_messages() if code in m["Subject"])


def test_killed_after_commit_the_sweeper_queues_the_jobs(aws, events, valid_order, monkeypatch):
    import time

    from order.handler import handler as order_handler
    from tests.functions.conftest import as_json_order

    valid_order["email"] = "siti@contoh.id"
    revive = _kill_enqueue(monkeypatch)
    with pytest.raises(Crash):
        order_handler(events.json(as_json_order(valid_order)), None)
    [checkout] = aws.items("CHECKOUT#")
    code = checkout["code"]
    outbox = aws.item(f"OUTBOX#{code}")
    assert outbox["outbox"] == "pending" and outbox["created_at"] == checkout["created_at"]
    assert sorted(json.loads(j)["kind"] for j in outbox["jobs"]) == ["buyer", "seller", "seller"]
    assert aws.jobs(delete=False) == [] and drain(aws) == []
    revive()

    now = time.time()
    assert mailqueue.requeue(now=now - 3600) == 0  # too young: its request may still run
    from sweeper.handler import handler as sweeper
    monkeypatch.setattr(mailqueue, "MIN_AGE", -3600)  # as if the sweeper ran minutes later
    assert sweeper({"source": "aws.events"}, None) == {"queued": 3}
    assert aws.item(f"OUTBOX#{code}") is None
    drain(aws)
    assert _seller_mails(code) == sorted([SELLERS["kopi-wanayasa"], SELLERS["batik-plered"],
                                          "siti@contoh.id"])
    assert sweeper({"source": "aws.events"}, None) == {"queued": 0}
    drain(aws)
    assert len(sent_messages()) == 3  # exactly one email each


def test_killed_after_commit_a_repeat_answers_and_the_sweeper_sends(aws, events, valid_order,
                                                                    monkeypatch):
    """Only the request that won the claim queues (issue 10): a repeat after
    the winner died answers the same checkout, and the sweeper sends what the
    winner left in its outbox, once."""
    from order.handler import handler as order_handler
    from tests.functions.conftest import as_json_order

    valid_order["key"] = "5d0c8f7e-2b1a-4c3d-9e8f-7a6b5c4d3e2f"
    revive = _kill_enqueue(monkeypatch)
    with pytest.raises(Crash):
        order_handler(events.json(as_json_order(valid_order)), None)
    revive()
    response = order_handler(events.json(as_json_order(valid_order)), None)
    assert response["statusCode"] == 201
    code = json.loads(response["body"])["code"]
    assert aws.item(f"OUTBOX#{code}") is not None  # the repeat queued nothing
    monkeypatch.setattr(mailqueue, "MIN_AGE", -3600)
    assert mailqueue.requeue() == 2
    assert aws.item(f"OUTBOX#{code}") is None
    drain(aws)
    assert _seller_mails(code) == sorted([SELLERS["kopi-wanayasa"], SELLERS["batik-plered"]])
    # Once more, and the sweeper: nothing left to send, no second email.
    assert order_handler(events.json(as_json_order(valid_order)), None)["statusCode"] == 201
    assert mailqueue.requeue() == 0
    drain(aws)
    assert len(sent_messages()) == 2


def test_a_job_queued_twice_still_sends_one_email(aws, place_order):
    code = place(place_order, **ONE_SHOP)["code"]
    enqueue(aws, {"kind": "seller", "order": f"{code}-1"})  # e.g. the sweeper raced the request
    drain(aws)
    assert _seller_mails(code) == [SELLERS["sayur-maniis"]]


def test_ses_is_told_the_same_from_as_the_message(aws, place_order, ses):
    flaky = ses(lambda kw: False)
    seen = []
    real = flaky.send_email

    def spy(**kwargs):
        seen.append(kwargs["FromEmailAddress"])
        return real(**kwargs)

    flaky.send_email = spy
    place(place_order, **ONE_SHOP)
    drain(aws)
    [message] = sent_messages()
    assert seen == [message["From"]] == ["Warung Online Purwakarta <pesanan@warung.example>"]


def test_a_buyer_job_over_the_daily_limit_is_skipped(aws, place_order):
    code = place(place_order, email="siti@contoh.id", **ONE_SHOP)["code"]
    clients.dynamodb().update_item(
        TableName=aws.env["ORDERS_TABLE"], Key={"pk": {"S": f"CHECKOUT#{code}"}},
        UpdateExpression="SET email_status = :s", ExpressionAttributeValues={":s": {"S": "limited"}})
    enqueue(aws, {"kind": "buyer", "checkout": code})
    drain(aws)
    assert "siti@contoh.id" not in [m["To"] for m in sent_messages()]
