"""The mail-job format (docs/ORDERS.md "Mail jobs"): the one place that
builds, writes and reads the SQS message bodies between the order function,
the outbox, the sweeper and the mailer. Pure: no AWS.

- ``{"kind": "seller", "order": "WO-7K3M9Q-1"}``: the seller of that order;
- ``{"kind": "buyer", "checkout": "WO-7K3M9Q"}``: the buyer's confirmation;
- ``{"kind": "digest", "digest": "DIGEST#<shop>#<YYYYMMDDHH>"}``: one email
  listing the orders of that digest item;
- ``{"kind": "surat", "surat": "SURAT#..."}``: a ready-written email of the
  seller form (``daftar.mail``);
- ``{"kind": "status", "notice": "WO-7K3M9Q-1:diterima"}``: the buyer's notice
  of a seller's answer; ``{"kind": "reminder", "order": "WO-7K3M9Q-1"}``: the
  seller's 6-hour reminder; ``{"kind": "weekly", "week": "2026-W49"}``: the
  staff's weekly digest (``lifecycle``).

``encode`` gives the one canonical body of a job (sorted keys, no spaces),
so the outbox's string set holds each job once and the queue carries the
same text. ``parse`` validates a body: anything else is a ``BadJob``, which
can never succeed, so the mailer logs and drops it instead of retrying it.
"""

import json
import re
from dataclasses import dataclass

from backend.codes import ALPHABET, CHECKOUT_CODE, CODE_LENGTH, ORDER_CODE

DIGEST_KEY = re.compile(r"DIGEST#[a-z0-9]+(?:-[a-z0-9]+)*#[0-9]{10}")
MAX_BODY = 4096
# A ready-written email of the seller form (functions/daftar/mail.py).
SURAT_KEY = re.compile(r"SURAT#[A-Z0-9]+(?:-[A-Z0-9]+)*")
WEEK = re.compile(r"[0-9]{4}-W[0-9]{2}")
NOTICE = re.compile(rf"WO-[{ALPHABET}]{{{CODE_LENGTH}}}-[1-9][0-9]?:(diterima|ditolak|dikirim)")

# kind -> (field holding the key, pattern the key must match)
_KINDS = {
    "seller": ("order", ORDER_CODE),
    "buyer": ("checkout", CHECKOUT_CODE),
    "digest": ("digest", DIGEST_KEY),
    "surat": ("surat", SURAT_KEY),
    "status": ("notice", NOTICE),
    "reminder": ("order", ORDER_CODE),
    "weekly": ("week", WEEK),
}


class BadJob(ValueError):
    """A message body that is not a valid mail job."""


@dataclass(frozen=True)
class Job:
    kind: str  # seller | buyer | digest
    key: str  # order code, checkout code or digest item pk


def seller_job(order_code: str) -> dict:
    return {"kind": "seller", "order": order_code}


def buyer_job(checkout_code: str) -> dict:
    return {"kind": "buyer", "checkout": checkout_code}


def digest_job(digest_pk: str) -> dict:
    return {"kind": "digest", "digest": digest_pk}


def encode(job: dict) -> str:
    """The canonical message body of ``job``."""
    return json.dumps(job, sort_keys=True, separators=(",", ":"))


def parse(body) -> Job:
    """Parse and validate one message body; ``BadJob`` when it is not a job."""
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
