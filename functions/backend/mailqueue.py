"""Mail jobs on SQS (``MAIL_QUEUE_URL``), never lost once an order is stored.

The order function writes a checkout's jobs into ``OUTBOX#<code>`` in the
same transaction as the checkout (``store.put_checkout``), so a stored order
always has its emails recorded somewhere. After the commit it puts the jobs
on the queue (``enqueue``) and removes them from the outbox; jobs SQS did
not take stay there. Whatever is left behind (SQS failed, or the function
died between the commit and the queue) is sent by:

- ``flush(code)``: on a repeated idempotency key, for that checkout;
- ``requeue()``: the sweeper, every 5 minutes (the ``SweeperFunction``
  schedule; a thread in the local run), for every outbox older than
  ``MIN_AGE`` seconds (younger ones belong to a request still running).

A job may so reach the queue twice; the mailer leases each record's email
before sending and skips a record whose email is already ``sent``, so the
seller still gets one email.

The job bodies are ``backend.mailjobs``'s (built by its ``seller_job``,
``buyer_job`` and ``digest_job``, which producers reach through this module
too). Digest jobs go out with ``DelaySeconds`` (``DIGEST_DELAY``) so one
email collects the hour's overflow.
"""

import logging
import os
import time
from datetime import datetime, timezone

from backend import clients, store
from backend.mailjobs import buyer_job, digest_job, encode, seller_job

__all__ = ["DIGEST_DELAY", "MIN_AGE", "buyer_job", "digest_job", "enqueue", "flush", "requeue",
           "seller_job", "send"]

log = logging.getLogger(__name__)

DIGEST_DELAY = 900
MIN_AGE = 120  # seconds before the sweeper takes over an outbox


def _delay(job: dict) -> int:
    return DIGEST_DELAY if job.get("kind") == "digest" or job.get("ringkasan") else 0


def send(jobs: list[dict]) -> list[dict]:
    """Put ``jobs`` on the queue (batches of 10); returns the ones SQS did not take.

    One try per batch (the client retries once itself, with short timeouts):
    what fails stays in the outbox for the sweeper instead of keeping a buyer
    waiting.
    """
    url = os.environ["MAIL_QUEUE_URL"]
    failed = []
    for start in range(0, len(jobs), 10):
        batch = jobs[start:start + 10]
        entries = [{"Id": str(i), "MessageBody": encode(job),
                    "DelaySeconds": _delay(job)} for i, job in enumerate(batch)]
        try:
            result = clients.sqs().send_message_batch(QueueUrl=url, Entries=entries)
        except Exception:  # botocore errors, network: the outbox keeps them
            log.exception("send_message_batch failed")
            failed.extend(batch)
            continue
        failed.extend(batch[int(entry["Id"])] for entry in result.get("Failed", []))
    return failed


def enqueue(code: str, jobs: list[dict], held: list[dict] | None = None) -> list[dict]:
    """Queue checkout ``code``'s ``jobs``, then take out of its outbox what
    it held (``held``, read here when not given) and what was queued, keeping
    the ones that failed (returned). Jobs it held that are not in ``jobs`` were
    replaced (a digest instead of a seller job, no buyer job over the limit)
    and go with it; a job added after the read stays."""
    if held is None:
        held = store.outbox_jobs(code)
    failed = send(jobs)
    if failed:
        log.error("mail jobs of %s not queued, kept in the outbox: %s", code, failed)
    store.take_from_outbox(code, [job for job in [*held, *jobs] if job not in failed])
    return failed


def flush(code: str) -> int:
    """Queue whatever is in ``code``'s outbox; returns how many went out."""
    jobs = store.outbox_jobs(code)
    if not jobs:
        return 0
    return len(jobs) - len(enqueue(code, jobs, held=jobs))


def _iso(epoch: float) -> str:
    return store.now_iso(datetime.fromtimestamp(epoch, timezone.utc))


def requeue(now: float | None = None, min_age: float | None = None) -> int:
    """The sweeper: queue the jobs of every outbox older than ``min_age``
    seconds (``MIN_AGE``); returns how many were queued."""
    now = time.time() if now is None else now
    min_age = MIN_AGE if min_age is None else min_age
    queued = 0
    for code in store.outbox_codes(created_before=_iso(now - min_age)):
        try:
            queued += flush(code)
        except Exception:  # one broken outbox must not stop the others
            log.exception("requeue of %s failed", code)
    if queued:
        log.warning("the sweeper queued %s mail job(s) left in outboxes", queued)
    return queued
