"""The local event source mapping of the mailer, against moto's SQS over HTTP:
messages the handler reports in batchItemFailures (or all, when it raises)
stay on the queue; the others are deleted."""

import json

from backend import clients
from local.mail_poller import process_batch


def _send(queue_url: str, n: int) -> None:
    for i in range(n):
        clients.sqs().send_message(QueueUrl=queue_url,
                                   MessageBody=json.dumps({"kind": "seller", "order": f"WO-T{i}-1"}))


def test_deletes_all_but_the_reported_failures(aws):
    queue = aws.env["MAIL_QUEUE_URL"]
    _send(queue, 3)
    seen = []

    def handler(event, context):
        seen.extend(event["Records"])
        failed = [r for r in event["Records"] if json.loads(r["body"])["order"] == "WO-T1-1"]
        return {"batchItemFailures": [{"itemIdentifier": r["messageId"]} for r in failed]}

    received = 0
    while received < 3:
        got = process_batch(queue, handler, batch_size=5, wait_seconds=1)
        assert got, "the queue should still hold messages"
        received += got
    assert len(seen) == 3
    for record in seen:
        assert set(record) >= {"messageId", "receiptHandle", "body", "attributes"}
        assert record["attributes"]["ApproximateReceiveCount"] == "1"
        assert record["eventSourceARN"].endswith(":warung-mail")
    assert aws.queue_counts() == {"visible": 0, "in_flight": 1, "delayed": 0}
    # The failed job comes back after the visibility timeout (2 s here).
    again = []

    def succeed(event, context):
        again.extend(event["Records"])
        return {"batchItemFailures": []}

    for _ in range(10):  # bounded: long polls of 1 s
        if process_batch(queue, succeed, batch_size=5, wait_seconds=1):
            break
    assert [json.loads(r["body"])["order"] for r in again] == ["WO-T1-1"]
    assert again[0]["attributes"]["ApproximateReceiveCount"] == "2"
    assert aws.queue_counts() == {"visible": 0, "in_flight": 0, "delayed": 0}


def test_a_raising_handler_deletes_nothing(aws):
    queue = aws.env["MAIL_QUEUE_URL"]
    _send(queue, 2)

    def handler(event, context):
        raise RuntimeError("SES is down")

    received = 0
    while received < 2:
        received += process_batch(queue, handler, batch_size=5, wait_seconds=1)
    counts = aws.queue_counts()
    assert counts["visible"] + counts["in_flight"] == 2


def test_the_sweeper_thread_queues_what_outboxes_left_behind(aws):
    """A checkout stored long ago whose jobs never reached the queue (the
    order function died): the local sweeper thread queues them."""
    import time

    from backend import store
    from sweeper.handler import handler

    from local.mail_poller import Sweeper

    job = {"kind": "seller", "order": "WO-AAAAAA-1"}
    store.put_checkout({"code": "WO-AAAAAA", "created_at": "2026-01-01T00:00:00Z",
                        "orders": ["WO-AAAAAA-1"], "spam": False},
                       [{"code": "WO-AAAAAA-1", "checkout": "WO-AAAAAA"}], jobs=[job])
    assert aws.item("OUTBOX#WO-AAAAAA")["outbox"] == "pending"
    sweeper = Sweeper(handler, interval=0.05).start()
    try:
        for _ in range(100):  # bounded: at most ~10 s
            if aws.item("OUTBOX#WO-AAAAAA") is None:
                break
            time.sleep(0.1)
    finally:
        sweeper.stop()
    assert sweeper.runs >= 1
    assert aws.item("OUTBOX#WO-AAAAAA") is None
    assert aws.jobs() == [job]
