"""What to do with a failed job: retry later (with backoff) or give up.

Transient errors (SES or DynamoDB throttling, 5xx, network) go back to the
queue with an exponential backoff set through the message visibility.
Permanent errors (the record is missing, SES rejects the message or the
address, a bad address in a record, missing configuration) go back with no
delay, so SQS moves them to the dead-letter queue after ``maxReceiveCount``
(15) receives within seconds, where staff can inspect and redrive them once
the cause is fixed. Transient ones reach it after 15 receives with this
backoff: 30 s, 1, 2, 4, 8 min, then 15 min ten times, about 2.5 h of an SES
outage. Neither kind is retried forever.

A third kind is a send whose outcome is unknown (``outcome_unknown``): SES
did not answer within the client's read timeout, or the connection broke
after the request went out, so SES may well have accepted the message. It
is retried like a transient error, but only once (``mailer.lease``).
"""

BASE_DELAY = 30  # seconds before the first retry
MAX_DELAY = 15 * 60  # SQS allows up to 12 h; 15 min keeps retries within the hour
JITTER = 0.2  # up to +20 %, so a throttled burst does not come back at once

TRANSIENT_CODES = frozenset({
    # SES v2
    "TooManyRequestsException", "LimitExceededException", "Throttling",
    "ThrottlingException", "ServiceUnavailable", "InternalFailure",
    "InternalServerError", "RequestTimeout", "RequestTimeoutException",
    # DynamoDB
    "ProvisionedThroughputExceededException", "RequestLimitExceeded",
    "TransactionConflictException", "TransactionInProgressException",
    "TransactionCanceledException", "ThrottlingException",
})

PERMANENT_CODES = frozenset({
    "MessageRejected", "MailFromDomainNotVerifiedException",
    "AccountSuspendedException", "SendingPausedException", "BadRequestException",
    "NotFoundException", "InvalidParameterValue", "ValidationException",
    "ConditionalCheckFailedException", "ResourceNotFoundException",
    "AccessDeniedException",
})


class PermanentError(Exception):
    """A job that cannot succeed by retrying (missing record, bad address...)."""


def error_code(exc) -> str:
    """The AWS error code of a botocore ClientError, else ``""``."""
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        return str((response.get("Error") or {}).get("Code") or "")
    return ""


def _status(exc) -> int:
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        return int((response.get("ResponseMetadata") or {}).get("HTTPStatusCode") or 0)
    return 0


def is_permanent(exc: BaseException) -> bool:
    """True when retrying ``exc`` cannot help; False means retry with backoff.

    ``ValueError`` (and ``HeaderError``, a subclass), ``TypeError`` and
    ``LookupError`` mean bad data or configuration. Unknown exceptions count
    as transient: a bug fixed by a deploy can then
    still be redriven from the dead-letter queue, and nothing retries forever.
    """
    if isinstance(exc, (PermanentError, ValueError, TypeError, LookupError)):
        return True  # bad data in a record or the job: the same again next time
    code = error_code(exc)
    if code in TRANSIENT_CODES:
        return False
    if code in PERMANENT_CODES:
        return True
    if code:  # another AWS error: 4xx is the request's fault, 5xx the service's
        return 400 <= _status(exc) < 500
    return False


def outcome_unknown(exc: BaseException) -> bool:
    """True when the request may have reached the service and been acted on
    (read timeout, connection closed mid-answer); False when it surely was not
    (refused connection, connect timeout) or the service answered."""
    from botocore.exceptions import ConnectionClosedError, ReadTimeoutError

    return isinstance(exc, (ReadTimeoutError, ConnectionClosedError))


def backoff_seconds(receive_count, jitter: float = 0.0) -> int:
    """Visibility timeout before the next try: 30 s × 2^(n-1), capped at 15 min.

    ``receive_count`` is SQS's ApproximateReceiveCount (1 on the first
    delivery); ``jitter`` in [0, 1) adds up to ``JITTER`` of the delay.
    """
    try:
        n = max(1, int(receive_count))
    except (TypeError, ValueError):
        n = 1
    delay = BASE_DELAY * 2 ** min(n - 1, 16)
    delay = delay * (1 + JITTER * min(max(jitter, 0.0), 1.0))
    return int(min(delay, MAX_DELAY))
