"""Placing an order: validate -> price -> store (one transaction) -> queue mail.

The handler calls ``place`` and ``find``; everything here speaks in
results and exceptions, not HTTP:

- ``Invalid(errors)``: field errors, nothing stored;
- ``RateLimited(retry_after)``: too many orders from an IP or a phone;
- ``Unavailable``: the catalog or the store failed, nothing stored or queued.

Order of effects: nothing is queued before the checkout is stored; a queue
failure after the store keeps the order (``email_status = unqueued``, to be
re-driven by ``backend.mailqueue.requeue``). A filled honeypot is answered
like a success, stored with ``spam: true`` and queues nothing. Orders over a
seller's hourly email cap are stored with ``email_status = digest``, listed
in ``DIGEST#<shop>#<hour>``, and a delayed ``digest`` job goes out when that
item is created (and again if the previous job has fired already). A repeated idempotency key answers the checkout the
key made (when the order is the same), storing and queueing nothing new.
"""

import hashlib
import json
import logging
import time
from dataclasses import dataclass
from datetime import datetime, timezone

from backend import catalog as catalogs
from backend import codes, mailqueue, ratelimit, store
from order import pricing
from order.validate import validate

log = logging.getLogger(__name__)

KEY_TTL = 7 * 24 * 3600      # how long a key is remembered
DIGEST_TTL = 30 * 24 * 3600  # digest items are kept a month
CODE_ATTEMPTS = 5


class Invalid(Exception):
    def __init__(self, errors: dict):
        super().__init__(errors)
        self.errors = errors


class RateLimited(Exception):
    def __init__(self, retry_after: int):
        super().__init__(retry_after)
        self.retry_after = retry_after


class Unavailable(Exception):
    """AWS (catalog, table) failed before the order was stored."""


@dataclass(frozen=True)
class Placed:
    checkout: dict
    orders: list[dict]
    token: str
    repeated: bool = False

    @property
    def code(self) -> str:
        return self.checkout["code"]


def _aws_errors() -> tuple:
    from botocore.exceptions import BotoCoreError, ClientError

    return (BotoCoreError, ClientError)


def fingerprint(order) -> str:
    """What makes two submissions 'the same order' for an idempotency key."""
    data = {
        "buyer": order.buyer, "delivery": order.delivery, "payment": order.payment,
        "lines": sorted([line.product["id"], line.variant or "", line.qty] for line in order.lines),
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _limit(scope: str, value: str, now: float) -> None:
    hit = ratelimit.check(scope, value, now)
    if not hit.allowed:
        raise RateLimited(hit.retry_after)


def _existing(key: str, key_record: dict, print_: str) -> Placed | None:
    """The checkout ``key`` made, when this submission is the same order."""
    if key_record.get("fingerprint") != print_:
        return None
    checkout = store.get_checkout(key_record["checkout"])
    if checkout is None:
        return None
    token = codes.token_for_key(key, checkout["code"])
    if not codes.token_matches(token, checkout.get("token_hash")):
        return None
    return Placed(checkout, store.get_orders(checkout["orders"]), token, repeated=True)


def _records(order, priced, code, token, key, print_, now, statuses, build) -> tuple:
    created = store.now_iso(datetime.fromtimestamp(now, timezone.utc))
    order_codes = [codes.order_code(code, n) for n in range(1, len(priced) + 1)]
    checkout = {
        "code": code, "created_at": created, "buyer": order.buyer,
        "delivery": order.delivery, "payment": order.payment, "orders": order_codes,
        "token_hash": codes.hash_token(token), "spam": order.spam,
        "build": order.build, "catalog_build": build, "key": key,
        # The buyer's confirmation email (ORDERS.md adds none to the checkout).
        "email_status": ("spam" if order.spam else "queued") if order.buyer["email"] else None,
    }
    orders = [
        {**shop_order, "code": order_code, "checkout": code, "buyer": order.buyer,
         "created_at": created, "email_status": statuses[shop_order["shop"]],
         "email_message_id": None, "email_sent_at": None}
        for order_code, shop_order in zip(order_codes, priced)
    ]
    key_record = {"fingerprint": print_, "created_at": created, "expires_at": int(now + KEY_TTL)}
    return checkout, orders, key_record


def _email_statuses(order, priced, now) -> dict:
    """``queued`` within the seller's hourly cap, ``digest`` beyond it (``spam`` for spam)."""
    if order.spam:
        return {shop_order["shop"]: "spam" for shop_order in priced}
    return {shop_order["shop"]: "queued" if ratelimit.seller_email(shop_order["shop"], now).allowed
            else "digest" for shop_order in priced}


def _jobs(checkout, orders, now) -> list[dict]:
    if checkout["spam"]:
        return []
    jobs = []
    hour = ratelimit.hour_key(now)
    for record in orders:
        if record["email_status"] == "digest":
            try:
                if store.add_to_digest(record["shop"], hour, record["code"], int(now + DIGEST_TTL),
                                       now, mailqueue.DIGEST_DELAY):
                    jobs.append(mailqueue.digest_job(store.digest_pk(record["shop"], hour)))
                continue
            except Exception:  # keep the seller informed: mail this one on its own
                log.exception("digest append failed for %s", record["code"])
                try:  # cosmetic: the mailer sends any order that is not sent or spam
                    store.set_email_status(store.order_pk(record["code"]), "queued",
                                           expected="digest")
                except Exception:
                    log.exception("could not mark %s queued", record["code"])
        jobs.append(mailqueue.seller_job(record["code"]))
    if checkout["buyer"]["email"]:
        jobs.append(mailqueue.buyer_job(checkout["code"]))
    return jobs


def place(submission: dict, ip: str, now: float | None = None) -> Placed:
    """Place an order from a parsed submission (see module doc for the outcomes)."""
    now = time.time() if now is None else now
    aws_errors = _aws_errors()
    try:
        catalog = catalogs.load()
        _limit("ip", ip or "unknown", now)
    except aws_errors as err:
        raise Unavailable(str(err)) from err

    order, errors = validate(submission, catalog)
    if errors:
        raise Invalid(errors)
    key, print_ = order.key, fingerprint(order)

    try:
        if key:
            known = store.get_key(key)
            if known is not None:
                found = _existing(key, known, print_)
                if found is not None:
                    return found
                key = None  # the key was used for another order: place this one without it
        _limit("phone", order.buyer["phone"], now)
        priced = pricing.split(order)
        statuses = _email_statuses(order, priced, now)
        for _ in range(CODE_ATTEMPTS):
            code = codes.new_code()
            token = codes.token_for_key(key, code) if key else codes.new_token()
            checkout, orders, key_record = _records(order, priced, code, token, key, print_,
                                                    now, statuses, catalog.build)
            try:
                store.put_checkout(checkout, orders, key=key, key_record=key_record)
                break
            except store.CodeTaken:
                continue
            except store.KeyExists as exists:  # the same key raced us
                found = _existing(key, exists.record, print_)
                if found is not None:
                    return found
                key = None
        else:
            raise Unavailable("no free order code")
    except aws_errors as err:
        raise Unavailable(str(err)) from err

    try:
        jobs = _jobs(checkout, orders, now)
        failed = mailqueue.enqueue(jobs) if jobs else []
        if failed:
            failed_orders = {job["order"] for job in failed if job["kind"] == "seller"}
            orders = [{**o, "email_status": "unqueued"} if o["code"] in failed_orders else o
                      for o in orders]
    except Exception:  # stored is what matters; requeue finds what is missing
        log.exception("queueing mail for %s failed", checkout["code"])
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
