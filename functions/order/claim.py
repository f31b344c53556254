"""The idempotency claim: which key an order is stored under, and whether a
checkout already answers it.

Every stored order claims a key: the client's (``valid_key``), or for a post
without one ``fp-<fingerprint of the order>`` kept ``FINGERPRINT_TTL``, so a
double tap on the plain form answers the first checkout. The claim is
decided by the ``KEY#`` item written in the checkout's own transaction
(``backend.store.put_checkout``); ``lookup`` here is only the cheap
pre-check and the answer for the request that lost.

- ``choose(order, print_, now)`` -> a ``Claim`` to store under, or the
  ``Placed`` checkout a live key of the same order already made (None: no
  key is free, store without one);
- ``existing(key, record, print_)``: that checkout, when ``record`` (a KEY#
  item) was made by the same order. It reads, never queues: only the
  request that won the claim queues mail;
- ``winner(claim, record)``: for the request whose transaction lost the
  key: the winner's checkout (waiting briefly until it is readable), or
  None when the key named another order (``fingerprint_claim`` then).
"""

import hashlib
import json
import re
import time
from dataclasses import dataclass

from backend import codes, store
from order.placed import Placed

KEY_TTL = 7 * 24 * 3600      # how long a client's key is remembered
FINGERPRINT_TTL = 10 * 60    # how long a post without a key is recognised
FINGERPRINT_PREFIX = "fp-"   # keys the order function derives itself

_KEY = re.compile(r"^[A-Za-z0-9_-]{16,128}$")
SETTLE_READS = 6  # reads of a racing winner's checkout before giving up (503)


class Unsettled(Exception):
    """The key is claimed by the same order, whose checkout cannot be read yet."""


@dataclass(frozen=True)
class Claim:
    key: str           # the KEY# the checkout is stored under
    fingerprint: str   # what makes two submissions the same order
    ttl: int           # seconds the key is remembered

    @property
    def derived(self) -> bool:
        return self.key.startswith(FINGERPRINT_PREFIX)


def valid_key(value: str) -> str | None:
    """An idempotency key strong enough to stand for the buyer (else ignored;
    the ``fp-`` prefix is kept for the keys derived here)."""
    value = str(value or "").strip()
    if not _KEY.match(value) or value.startswith(FINGERPRINT_PREFIX):
        return None
    return value


def fingerprint(order) -> str:
    """What makes two submissions 'the same order': the lines, the buyer and
    how they receive and pay."""
    data = {
        "buyer": order.buyer, "delivery": order.delivery, "payment": order.payment,
        "lines": sorted([line.product["id"], line.variant["name"] if line.variant else "",
                         line.qty] for line in order.lines),
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def candidates(order, print_: str) -> list[Claim]:
    """The keys to try, best first: the client's, then the fingerprint's."""
    client = valid_key(order.key)
    return ([Claim(client, print_, KEY_TTL)] if client else []) + [by_fingerprint(print_)]


def _live(key: str, now: float) -> dict | None:
    """The KEY# record of ``key`` unless absent or expired (TTL deletes late)."""
    record = store.get_key(key)
    if record is None or float(record.get("expires_at") or 0) <= now:
        return None
    return record


def existing(key: str, record: dict, print_: str) -> Placed | None:
    """The checkout ``key`` made, when this submission is the same order."""
    if record.get("fingerprint") != print_:
        return None
    checkout = store.get_checkout(record["checkout"])
    if checkout is None:
        return None
    token = codes.token_for_key(key, checkout["code"])
    if not codes.token_matches(token, checkout.get("token_hash")):
        return None
    return Placed(checkout, store.get_orders(checkout["orders"]), token, repeated=True)


def choose(order, print_: str, now: float) -> Claim | Placed | None:
    """The first free key of ``order``, or the checkout a live one already made.
    A client key used for another order falls back to the fingerprint's;
    with no key free (a key whose checkout is gone) the order is stored
    without one (None)."""
    for claim in candidates(order, print_):
        record = _live(claim.key, now)
        if record is None:
            return claim
        found = existing(claim.key, record, print_)
        if found is not None:
            return found
    return None


def by_fingerprint(print_: str) -> Claim:
    """The claim of an order without a (usable) client key."""
    return Claim(FINGERPRINT_PREFIX + print_, print_, FINGERPRINT_TTL)


def fingerprint_claim(claim: Claim) -> Claim:
    """The claim to fall back to when the client's key was used for another order."""
    return by_fingerprint(claim.fingerprint)


def winner(claim: Claim, record: dict) -> Placed | None:
    """The checkout of the request that claimed ``claim``'s key first, when it
    is the same order (None: the key was used for another order). The claim
    is final, so a loser never stores a second checkout: it waits, briefly,
    for the winner's checkout to be readable, else ``Unsettled``."""
    if record.get("fingerprint") != claim.fingerprint:
        return None
    for attempt in range(SETTLE_READS):
        found = existing(claim.key, record, claim.fingerprint)
        if found is not None:
            return found
        time.sleep(0.05 * (attempt + 1))
    raise Unsettled(claim.key)
