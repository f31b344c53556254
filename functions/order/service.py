"""Placing an order, one step after the other; data only moves forward:

    parse (handler) -> validate -> price -> claim -> store -> dispatch -> answer (handler)

- ``validate.validate``: the submission against the catalog -> an ``Order``
  of (product, variant, qty) lines, or ``Invalid`` (nothing stored or counted);
- ``pricing.split``: the only place prices are set -> one priced order per
  shop, or ``Invalid`` when an amount could not be stored;
- ``claim.choose``: the idempotency key; a live key of the same order
  answers its checkout (``repeated``: nothing counted, nothing queued).
  Then the rate limits: the address (each key counted once) and the phone;
- ``store``: ``records.build`` + ``backend.store.put_checkout``: the
  checkout, its shop orders, the KEY# item and ``OUTBOX#<code>`` with the
  mail jobs in one transaction. The key taken meanwhile -> that checkout
  (the request that lost the claim queues nothing);
- ``dispatch.dispatch``: the email limits, the queue, the outbox cleared.

Outcomes, not HTTP: ``Placed``, ``Invalid(errors, form)``,
``RateLimited(retry_after, form)``, ``Unavailable`` (the catalog or the
store failed, nothing stored or queued). A filled honeypot is answered like
a success, stored with ``spam: true`` and queues nothing.
"""

import time

from backend import catalog as catalogs
from backend import codes, ratelimit, store
from order import claim as claims
from order import dispatch, pricing, records
from order.placed import Placed
from order.validate import Invalid, form_view, validate
from warung.text import texts

CODE_ATTEMPTS = 5

__all__ = ["Invalid", "Placed", "RateLimited", "Unavailable", "find", "place"]


class RateLimited(Exception):
    def __init__(self, retry_after: int, form=None):
        super().__init__(retry_after)
        self.retry_after = retry_after
        self.form = form


class Unavailable(Exception):
    """AWS (catalog, table) failed before the order was stored."""


def _aws_errors() -> tuple:
    from botocore.exceptions import BotoCoreError, ClientError

    return (BotoCoreError, ClientError)


def price(order, submission: dict, catalog) -> list[dict]:
    """``pricing.split``, its refusal as the item's field error."""
    try:
        return pricing.split(order)
    except pricing.Unstorable as unstorable:
        msg = texts()["pesanan_galat"]["amount_too_big"]
        raise Invalid({"item": " ".join(msg.format(product=label)
                                        for label in unstorable.labels)},
                      form_view(submission, catalog)) from None


def count(ip: str, phone: str, claim_key: str, now: float) -> None:
    """The abuse limits of a new order: its address (each key once), then its phone."""
    hit = ratelimit.check_once("ip", ip or "unknown", claim_key, now)
    if hit.allowed:
        hit = ratelimit.check("phone", phone, now)
    if not hit.allowed:
        raise RateLimited(hit.retry_after)


def store_checkout(order, priced: list[dict], claim, now: float, build: str):
    """Store under a fresh code -> (``Records``, token), or the ``Placed``
    checkout of a request that claimed the key first."""
    for _ in range(CODE_ATTEMPTS):
        code = codes.new_code()
        token = codes.token_for_key(claim.key, code) if claim else codes.new_token()
        built = records.build(order, priced, code, token, claim, now, build)
        try:
            store.put_checkout(built.checkout, built.orders, key=claim and claim.key,
                               key_record=built.key_record, jobs=built.jobs, now=now)
            return built, token
        except store.CodeTaken:
            continue
        except store.KeyExists as exists:  # another request claimed the key first
            found = claims.winner(claim, exists.record)
            if found is not None:
                return found
            claim = claims.fingerprint_claim(claim)  # the client's key named another order
    raise Unavailable("no free order code")


def place(submission: dict, ip: str, now: float | None = None) -> Placed:
    """Place an order from a parsed submission (see module doc for the outcomes)."""
    now = time.time() if now is None else now
    try:
        catalog = catalogs.load()
        order = validate(submission, catalog)
        priced = price(order, submission, catalog)
        print_ = claims.fingerprint(order)
        claim = claims.choose(order, print_, now)
        if isinstance(claim, Placed):
            return claim
        count(ip, order.buyer["phone"], (claim or claims.by_fingerprint(print_)).key, now)
        stored = store_checkout(order, priced, claim, now, catalog.build)
    except (claims.Unsettled, *_aws_errors()) as err:
        raise Unavailable(str(err)) from err
    except RateLimited as limited:
        raise RateLimited(limited.retry_after, form_view(submission, catalog)) from None
    if isinstance(stored, Placed):
        return stored
    built, token = stored
    checkout, orders = dispatch.dispatch(built.checkout, built.orders, now, held=built.jobs)
    return Placed(checkout, orders, token)


def find(code_text: str, token: str | None) -> Placed | None:
    """The checkout for a confirmation link, only with the right token."""
    code = codes.normalize_code(code_text)
    if code is None or not token:
        return None
    checkout = store.get_checkout(code)
    if checkout is None or not codes.token_matches(token, checkout.get("token_hash")):
        return None
    return Placed(checkout, store.get_orders(checkout["orders"]), token)
