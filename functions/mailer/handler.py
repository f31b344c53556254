"""Lambda handler: SQS mail jobs in, emails out through SES v2.

For each SQS record: parse the job, deliver it (``deliver``), and report the
records that failed in ``batchItemFailures`` so only those are retried.

- Malformed jobs (not JSON, unknown kind, bad code) are logged and dropped:
  no retry or redrive can ever make them valid.
- Transient failures (throttling, 5xx, network) are reported and their
  visibility is set to an exponential backoff (``retry.backoff_seconds``).
- Permanent failures (missing record, SES ``MessageRejected``, bad address)
  are logged as errors and reported with visibility 0, so after 15 receives
  SQS moves them to the dead-letter queue within seconds.

- When the invocation is about to time out, the records not yet started are
  reported as failures untouched: a timeout in the middle of a send would
  fail the whole batch, including emails sent but not yet recorded.

boto3 is imported only when the first job needs it (``backend.clients``).
"""

import logging
import os
import random

from .deliver import deliver
from .jobs import BadJob, parse_job
from .retry import backoff_seconds, error_code, is_permanent

log = logging.getLogger("mailer")
log.setLevel(logging.INFO)

SAFETY_MS = 10_000  # time a job may need (SES + DynamoDB, with botocore's retries)


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


def process(record: dict, *, ses=None, rand=None) -> bool:
    """Handle one SQS record; True when it is done (sent, skipped or dropped)."""
    message_id = record.get("messageId")
    try:
        job = parse_job(record.get("body"))
    except BadJob as err:
        log.error("dropping malformed mail job %s: %s", message_id, err)
        return True
    receives = (record.get("attributes") or {}).get("ApproximateReceiveCount", "1")
    try:
        result = deliver(job, ses=ses or _clients().sesv2())
    except Exception as err:
        permanent = is_permanent(err)
        code = error_code(err) or type(err).__name__
        if permanent:
            log.error("mail job %s %s failed permanently (%s: %s), receive %s; "
                      "it goes to the dead-letter queue", job.kind, job.key, code, err, receives)
            _set_visibility(record, 0)
        else:
            delay = backoff_seconds(receives, (rand or random.random)())
            log.warning("mail job %s %s failed (%s), receive %s; retry in %s s",
                        job.kind, job.key, code, receives, delay)
            _set_visibility(record, delay)
        return False
    log.info("mail job %s %s: %s %s %s", job.kind, job.key, result.status,
             result.reason or result.message_id, ",".join(result.codes))
    return True


def handler(event, context=None):
    """SQS event -> ``{"batchItemFailures": [{"itemIdentifier": messageId}]}``."""
    remaining = getattr(context, "get_remaining_time_in_millis", None)
    failures = []
    for record in (event or {}).get("Records") or []:
        if remaining is not None and remaining() < SAFETY_MS:
            log.warning("little time left; mail job %s is left for the next invocation",
                        record.get("messageId"))
            failures.append({"itemIdentifier": record.get("messageId")})
        elif not process(record):
            failures.append({"itemIdentifier": record.get("messageId")})
    return {"batchItemFailures": failures}


def reset_caches() -> None:
    """Forget the warm Jinja2 environment (tests and the local autoreload)."""
    from . import render

    render._env.cache_clear()
