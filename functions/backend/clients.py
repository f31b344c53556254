"""Lazy, cached boto3 clients.

boto3 is imported on first use, not at module import, so a cold start pays
for it only when a request needs AWS. The region comes from ``AWS_REGION``
(set by Lambda) or ``AWS_DEFAULT_REGION``; boto3 itself honours
``AWS_ENDPOINT_URL`` (the local moto server), so there is no local branch.
"""

import os

from backend import warm

WARM = "aws-clients"


def _cache() -> dict:
    return warm.slot(WARM, dict)

# A buyer waits on DynamoDB, SQS and S3 (the order function's timeout is
# 10 s): tight timeouts and one retry, so a sick dependency ends in a 503 or
# in the outbox (backend.mailqueue), never in a timed-out invocation. SES is
# the mailer's alone (timeout 30 s, retried through SQS): more patience.
_TIGHT = {
    "connect_timeout": 1,
    "read_timeout": 3,
    "retries": {"mode": "standard", "total_max_attempts": 2},  # one retry
}
_PATIENT = {
    "connect_timeout": 3,
    "read_timeout": 10,
    "retries": {"mode": "standard", "max_attempts": 3},
}
# SES is never retried by the SDK: a read timeout may come after SES took the
# message, and each retry would send it again. The mailer retries through
# SQS, a timed-out send only once (mailer.lease).
_SES = {**_PATIENT, "retries": {"mode": "standard", "total_max_attempts": 1}}
CONFIGS = {"dynamodb": _TIGHT, "sqs": _TIGHT, "s3": _TIGHT, "sesv2": _SES}


def region() -> str:
    return os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "ap-southeast-3"


def _session():
    """One boto3 session per region (creating sessions is the slow part; the
    caller holds the lock, as sessions are not thread-safe)."""
    key, cache = ("session", region()), _cache()
    if key not in cache:
        import boto3

        cache[key] = boto3.session.Session(region_name=region())
    return cache[key]


def _get(kind: str, name: str):
    key, cache = (kind, name, region(), os.environ.get("AWS_ENDPOINT_URL")), _cache()
    found = cache.get(key)
    if found is not None:
        return found
    with warm.lock:
        found = cache.get(key)
        if found is None:
            from botocore.config import Config

            session = _session()
            factory = session.client if kind == "client" else session.resource
            found = factory(name, config=Config(**CONFIGS.get(name, _PATIENT)))
            cache[key] = found
    return found


def dynamodb():
    """The low-level DynamoDB client (transactions, conditional updates)."""
    return _get("client", "dynamodb")


def sqs():
    return _get("client", "sqs")


def s3():
    return _get("client", "s3")


def sesv2():
    return _get("client", "sesv2")


def reset() -> None:
    """Forget every client (tests that change the environment)."""
    warm.forget(WARM)
