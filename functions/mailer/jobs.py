"""Mail jobs: the SQS message bodies the order function enqueues.

- ``{"kind": "seller", "order": "WO-7K3M9Q-1"}``
- ``{"kind": "buyer", "checkout": "WO-7K3M9Q"}``
- ``{"kind": "digest", "digest": "DIGEST#<shop>#<YYYYMMDDHH>"}``

Anything else is a ``BadJob``: it can never succeed, so the handler logs and
drops it instead of retrying it.
"""

import json
import re
from dataclasses import dataclass

from backend.codes import CHECKOUT_CODE, ORDER_CODE
from lifecycle.notify import NOTICE, WEEK

DIGEST_KEY = re.compile(r"DIGEST#[a-z0-9]+(?:-[a-z0-9]+)*#[0-9]{10}")

# kind -> (field holding the key, pattern the key must match)
_KINDS = {
    "seller": ("order", ORDER_CODE),
    "buyer": ("checkout", CHECKOUT_CODE),
    "digest": ("digest", DIGEST_KEY),
    "status": ("notice", NOTICE),  # the buyer's status notice (lifecycle.notify)
    "reminder": ("order", ORDER_CODE),  # the seller's 6-hour reminder (lifecycle.reminders)
    "weekly": ("week", WEEK),  # the staff's weekly digest (lifecycle.weekly)
}

MAX_BODY = 4096


class BadJob(ValueError):
    """A message body that is not a valid mail job."""


@dataclass(frozen=True)
class Job:
    kind: str  # seller | buyer | digest
    key: str  # order code, checkout code or digest item pk


def parse_job(body) -> Job:
    """Parse and validate one SQS message body."""
    if not isinstance(body, str) or len(body) > MAX_BODY:
        raise BadJob("body is not a short string")
    try:
        data = json.loads(body)
    except ValueError as err:
        raise BadJob(f"body is not JSON: {err}") from None
    if not isinstance(data, dict):
        raise BadJob("body is not a JSON object")
    kind = data.get("kind")
    if kind not in _KINDS:
        raise BadJob(f"unknown kind {kind!r}")
    field, pattern = _KINDS[kind]
    key = data.get(field)
    if not isinstance(key, str) or not pattern.fullmatch(key):
        raise BadJob(f"{kind} job without a valid {field!r}")
    return Job(kind, key)


def is_order_code(value) -> bool:
    return isinstance(value, str) and ORDER_CODE.fullmatch(value) is not None
