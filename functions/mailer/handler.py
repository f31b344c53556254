"""Lambda handler: SQS mail jobs in, emails out through SES v2.

Powertools' ``BatchProcessor`` runs ``process`` on each SQS record and
reports the records that failed in ``batchItemFailures`` (the event source
mapping's ReportBatchItemFailures), so only those are retried. Its
``Logger`` writes JSON lines with the job's order, checkout or digest code
as ``correlation_id``, so staff can follow one order through the logs.

- Malformed jobs (not JSON, unknown kind, bad code) are logged and dropped:
  no retry or redrive can ever make them valid.
- Transient failures (throttling, 5xx, network, a timed-out send) are
  reported and their visibility is set to an exponential backoff
  (``retry.backoff_seconds``); a job that met another job's lease comes
  back when the lease runs out.
- Permanent failures (missing record, SES ``MessageRejected``, bad address)
  are logged as errors and reported with visibility 0, so after 15 receives
  SQS moves them to the dead-letter queue within seconds.
- When the invocation is about to time out, the records not yet started are
  reported as failures untouched: a timeout in the middle of a send would
  fail the whole batch, including emails sent but not yet recorded.

boto3 is imported only when the first job needs it (``backend.clients``).
"""

import os
import random
import uuid

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.batch import (BatchProcessor, EventType,
                                                   process_partial_response)

from backend.mailjobs import BadJob, parse

from . import lease
from .deliver import deliver
from .retry import backoff_seconds, error_code, is_permanent

log = Logger(service="mailer")

# Time one job may need: SES (3 s connect + 10 s read, no retry) and DynamoDB.
SAFETY_MS = 20_000


class JobFailed(Exception):
    """A record to report in ``batchItemFailures`` (already logged)."""


def _clients():
    from backend import clients

    return clients


def _set_visibility(record: dict, seconds: int) -> None:
    """Delay the next delivery of a failed record (best effort)."""
    queue_url = os.environ.get("MAIL_QUEUE_URL")
    if not queue_url or not record.get("receiptHandle"):
        return
    try:
        _clients().sqs().change_message_visibility(
            QueueUrl=queue_url, ReceiptHandle=record["receiptHandle"], VisibilityTimeout=seconds)
    except Exception as err:  # the queue's own visibility timeout applies instead
        log.warning("could not change visibility of %s: %s", record.get("messageId"), err)


def _receives(record: dict) -> int:
    try:
        return max(1, int((record.get("attributes") or {}).get("ApproximateReceiveCount", 1)))
    except (TypeError, ValueError):
        return 1


def _failed(record: dict, job, err: Exception, retry_in: int) -> None:
    """Log a failed job and set when it comes back."""
    receives = _receives(record)
    code = error_code(err) or type(err).__name__
    if isinstance(err, lease.Busy):
        log.info("mail job %s %s waits for another job's lease (%s s)",
                 job.kind, job.key, err.seconds)
        _set_visibility(record, err.seconds)
    elif is_permanent(err):
        log.error("mail job %s %s failed permanently (%s: %s), receive %s; "
                  "it goes to the dead-letter queue", job.kind, job.key, code, err, receives)
        _set_visibility(record, 0)
    else:
        log.warning("mail job %s %s failed (%s), receive %s; retry in %s s",
                    job.kind, job.key, code, receives, retry_in)
        _set_visibility(record, retry_in)


def process(record: dict, *, ses=None, rand=None) -> bool:
    """Handle one SQS record; True when it is done (sent, skipped or dropped)."""
    message_id = record.get("messageId") or f"local-{uuid.uuid4()}"
    try:
        job = parse(record.get("body"))
    except BadJob as err:
        log.error("dropping malformed mail job %s: %s", message_id, err)
        return True
    log.thread_safe_append_keys(correlation_id=job.key)
    try:
        return _deliver(record, job, message_id, ses, rand)
    finally:
        log.thread_safe_remove_keys(["correlation_id"])


def _deliver(record: dict, job, message_id: str, ses, rand) -> bool:
    retry_in = backoff_seconds(_receives(record), (rand or random.random)())
    holder = lease.Holder(message_id, _receives(record))
    try:
        result = deliver(job, ses=ses or _clients().sesv2(), holder=holder, retry_in=retry_in)
    except Exception as err:
        _failed(record, job, err, retry_in)
        return False
    if result.status == "uncertain":
        log.error("mail job %s %s: %s; not sent again, check with the recipient (%s)",
                  job.kind, job.key, result.reason, ",".join(result.codes))
    else:
        log.info("mail job %s %s: %s %s %s", job.kind, job.key, result.status,
                 result.reason or result.message_id, ",".join(result.codes))
    return True


def handler(event, context=None):
    """SQS event -> ``{"batchItemFailures": [{"itemIdentifier": messageId}]}``."""
    records = (event or {}).get("Records") or []
    if not records:
        return {"batchItemFailures": []}
    remaining = getattr(context, "get_remaining_time_in_millis", None)

    def record_handler(record):
        if remaining is not None and remaining() < SAFETY_MS:
            log.warning("little time left; mail job %s is left for the next invocation",
                        record.message_id)
            raise JobFailed("left for the next invocation")
        if not process(record.raw_event):
            raise JobFailed("reported for a retry")

    # One processor per invocation: the local run calls this from two threads.
    processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)
    return process_partial_response({**event, "Records": records}, record_handler, processor)


def reset_caches() -> None:
    """Forget the warm Jinja2 environment (tests and the local autoreload)."""
    from . import render

    render._env.cache_clear()
