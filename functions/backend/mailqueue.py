"""Mail jobs on SQS (``MAIL_QUEUE_URL``), never lost once an order is stored.

``enqueue(jobs)`` sends them in batches, retrying a few times; whatever
still fails is remembered in the ``UNQUEUED`` record (and seller orders get
``email_status = unqueued``) so ``requeue()`` can send it later. The order
function calls ``requeue`` opportunistically (``maybe_requeue``, at most once a
minute per warm process); the mailer's schedule may call it too.

Job bodies (docs/ORDERS.md): ``{"kind": "seller", "order": code}``,
``{"kind": "buyer", "checkout": code}``, ``{"kind": "digest", "digest": pk}``.
Digest jobs go out with ``DelaySeconds`` (``DIGEST_DELAY``) so one email
collects the hour's overflow.
"""

import json
import logging
import os
import threading
import time

from backend import clients, store

log = logging.getLogger(__name__)

DIGEST_DELAY = 900
ATTEMPTS = 3
REQUEUE_EVERY = 60.0  # seconds between opportunistic checks per process

_last_requeue = {"at": None}
_lock = threading.Lock()


def seller_job(order_code: str) -> dict:
    return {"kind": "seller", "order": order_code}


def buyer_job(checkout_code: str) -> dict:
    return {"kind": "buyer", "checkout": checkout_code}


def digest_job(digest_pk: str) -> dict:
    return {"kind": "digest", "digest": digest_pk}


def _delay(job: dict) -> int:
    return DIGEST_DELAY if job.get("kind") == "digest" else 0


def send(jobs: list[dict], attempts: int = ATTEMPTS) -> list[dict]:
    """Send ``jobs``; returns the ones that could not be sent after ``attempts``."""
    pending = list(jobs)
    url = os.environ["MAIL_QUEUE_URL"]
    for attempt in range(attempts):
        if not pending:
            break
        if attempt:
            time.sleep(0.05 * attempt)
        failed = []
        for start in range(0, len(pending), 10):
            batch = pending[start:start + 10]
            entries = [{"Id": str(i), "MessageBody": json.dumps(job, separators=(",", ":")),
                        "DelaySeconds": _delay(job)} for i, job in enumerate(batch)]
            try:
                result = clients.sqs().send_message_batch(QueueUrl=url, Entries=entries)
            except Exception:  # botocore errors, network: retry, then remember
                log.exception("send_message_batch failed (attempt %s)", attempt + 1)
                failed.extend(batch)
                continue
            failed.extend(batch[int(entry["Id"])] for entry in result.get("Failed", []))
        pending = failed
    return pending


def _mark_unqueued(jobs: list[dict]) -> None:
    for job in jobs:
        if job.get("kind") == "seller":
            store.set_email_status(store.order_pk(job["order"]), "unqueued", expected="queued")


def enqueue(jobs: list[dict]) -> list[dict]:
    """Send ``jobs``; remember the ones that failed (returned) for ``requeue``.

    Raises only when even remembering them fails (then the records still
    exist; the caller logs it).
    """
    failed = send(jobs)
    if failed:
        log.error("mail jobs not queued, kept for requeue: %s", failed)
        store.add_unqueued(failed)
        _mark_unqueued(failed)
    return failed


def requeue() -> int:
    """Send every remembered job; returns how many were queued now."""
    jobs = store.unqueued_jobs()
    if not jobs:
        return 0
    failed = send(jobs)
    done = [job for job in jobs if job not in failed]
    for job in done:
        if job.get("kind") == "seller":
            store.set_email_status(store.order_pk(job["order"]), "queued", expected="unqueued")
    store.remove_unqueued(done)
    return len(done)


def maybe_requeue(now: float | None = None) -> None:
    """``requeue`` at most every REQUEUE_EVERY seconds per process; never raises."""
    now = time.monotonic() if now is None else now
    with _lock:
        last = _last_requeue["at"]
        if last is not None and now - last < REQUEUE_EVERY:
            return
        _last_requeue["at"] = now
    try:
        requeue()
    except Exception:
        log.exception("requeue failed")


def reset() -> None:
    _last_requeue["at"] = None
