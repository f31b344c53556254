"""The mailer's lease on a record's email (``mailer.lease``), against moto's DynamoDB."""

import time

import pytest

from backend import clients
from backend.mailjobs import Job
from mailer import lease
from mailer.deliver import deliver

from .mailer_queue import ONE_SHOP, drain, enqueue, place, receive, sent_messages

A = lease.Holder("message-a", 1)
B = lease.Holder("message-b", 1)


@pytest.fixture
def order_pk(aws, place_order):
    """A stored one-shop order's pk, its mail jobs taken off the queue."""
    code = place(place_order, **ONE_SHOP)["code"]
    aws.jobs()
    return f"ORDER#{code}-1"


def test_only_one_job_holds_the_lease(aws, order_pk):
    now = time.time()
    record = lease.take(order_pk, A, now)
    assert record["email_lease_by"] == "message-a" and record["email_status"] == "queued"
    assert record["email_lease_until"] == int(now) + lease.LEASE_SECONDS
    with pytest.raises(lease.Busy) as busy:
        lease.take(order_pk, B, now)
    assert busy.value.other and 1 <= busy.value.seconds <= lease.LEASE_SECONDS
    # The same receive of the same message (a concurrent redelivery) is no holder either.
    with pytest.raises(lease.Busy) as again:
        lease.take(order_pk, A, now)
    assert not again.value.other


def test_a_later_receive_of_the_holding_message_takes_it_over(aws, order_pk):
    now = time.time()
    lease.take(order_pk, A, now)
    retry = lease.Holder("message-a", 2)
    assert lease.take(order_pk, retry, now)["email_lease_receive"] == 2
    with pytest.raises(lease.Busy):
        lease.take(order_pk, A, now)  # the earlier receive lost it


def test_a_lease_that_ran_out_is_free(aws, order_pk):
    now = time.time()
    lease.take(order_pk, A, now)
    later = now + lease.LEASE_SECONDS + 1
    assert lease.take(order_pk, B, later)["email_lease_by"] == "message-b"


def test_extend_and_release_only_by_the_holder(aws, order_pk):
    now = time.time()
    lease.take(order_pk, A, now)
    lease.extend(order_pk, B, now + 3600)  # not the holder: nothing changes
    assert aws.item(order_pk)["email_lease_until"] == int(now) + lease.LEASE_SECONDS
    lease.extend(order_pk, A, now + 3600)
    assert aws.item(order_pk)["email_lease_until"] == int(now) + 3600
    with pytest.raises(lease.Busy):
        lease.take(order_pk, B, now + lease.LEASE_SECONDS + 1)
    lease.release(order_pk, B)
    assert aws.item(order_pk)["email_lease_by"] == "message-a"
    lease.release(order_pk, A)
    assert "email_lease_by" not in aws.item(order_pk)
    assert lease.take(order_pk, B, now)["email_lease_by"] == "message-b"


def test_no_record_no_lease(aws):
    assert lease.take("ORDER#WO-ZZZZZZ-1", A, time.time()) is None
    assert aws.item("ORDER#WO-ZZZZZZ-1") is None  # never created


def test_marking_sent_records_it_and_frees_the_lease(aws, order_pk):
    lease.take(order_pk, A, time.time())
    lease.mark_sent([order_pk], "ses-1", "2026-12-02T04:00:00Z")
    record = aws.item(order_pk)
    assert record["email_status"] == "sent" and record["email_message_id"] == "ses-1"
    assert not any(key.startswith("email_lease") for key in record)
    lease.mark_unknown([order_pk])
    lease.mark_unknown([order_pk])
    assert lease.unknown(aws.item(order_pk)) == 2


def test_a_copy_meeting_the_lease_leaves_the_email_to_the_holder(aws, order_pk):
    lease.take(order_pk, A, time.time(), "seller")  # held by a seller job
    code = order_pk.split("#", 1)[1]
    result = deliver(Job("seller", code), ses=None, holder=B)  # SES is never reached
    assert result.status == "skipped" and "another job" in result.reason
    assert sent_messages() == []


def test_a_digest_meeting_the_lease_comes_back_when_it_runs_out(aws):
    digest = "DIGEST#kopi-wanayasa#2026120204"
    clients.dynamodb().put_item(TableName=aws.env["ORDERS_TABLE"], Item={
        "pk": {"S": digest}, "shop": {"S": "kopi-wanayasa"}, "codes": {"L": []}})
    lease.take(digest, A, time.time())
    with pytest.raises(lease.Busy) as busy:
        deliver(Job("digest", digest), ses=None, holder=B)
    assert busy.value.seconds >= 1


def test_a_job_whose_holder_died_is_sent_once_by_its_redelivery(aws, place_order):
    code = place(place_order, **ONE_SHOP)["code"]
    [message] = receive(aws.env["MAIL_QUEUE_URL"])
    # Its invocation took the lease, then died before sending.
    lease.take(f"ORDER#{code}-1", lease.Holder(message["MessageId"], 1), time.time(),
               "seller")
    enqueue(aws, {"kind": "seller", "order": f"{code}-1"})  # a copy: leaves it to the holder
    clients.sqs().change_message_visibility(  # the visibility timeout ran out
        QueueUrl=aws.env["MAIL_QUEUE_URL"], ReceiptHandle=message["ReceiptHandle"],
        VisibilityTimeout=0)
    drain(aws)
    assert [m["Subject"] for m in sent_messages()] == [f"Pesanan baru {code}-1 — Warung Online"]
    assert aws.queue_counts() == {"visible": 0, "in_flight": 0, "delayed": 0}
