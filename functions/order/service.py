"""Placing an order: validate -> price -> store (one transaction) -> queue mail.

The handler calls ``place`` and ``find``; everything here speaks in
results and exceptions, not HTTP:

- ``Invalid(errors)``: field errors, nothing stored, nothing counted;
- ``RateLimited(retry_after)``: too many orders from an address or a phone;
- ``Unavailable``: the catalog or the store failed, nothing stored or queued.

Order of effects:

1. validate (a bad submission counts against nothing);
2. count the client's address (IPv4, or IPv6 /64);
3. the idempotency key: the client's, or for a post without one
   ``fp-<fingerprint of the order>`` kept 10 minutes, so a double tap on
   the plain form answers the first checkout. A live key made by the same
   order answers that checkout (re-queueing whatever its outbox still holds);
4. count the phone, price, and store in one transaction the checkout, its
   shop orders, the KEY# item and ``OUTBOX#<code>`` with the mail jobs
   (a seller job per order, a buyer job when the buyer gave an email);
5. after the commit, decide each email (``_dispatch``): a seller over the
   hourly cap gets the order in ``DIGEST#<shop>#<hour>`` and a delayed
   digest job instead; a buyer address over its daily limit gets nothing
   (``email_status = limited``); then queue and clear the outbox. Whatever
   fails from here (even the process dying) leaves the outbox for the sweeper
   (``backend.mailqueue.requeue``): the order is stored, its emails will go.

A filled honeypot is answered like a success, stored with ``spam: true`` and
queues nothing.
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
from warung.text import texts
from order.validate import FINGERPRINT_PREFIX, form_view, validate

log = logging.getLogger(__name__)

KEY_TTL = 7 * 24 * 3600      # how long a client's key is remembered
FINGERPRINT_TTL = 10 * 60    # how long a post without a key is recognised
DIGEST_TTL = 30 * 24 * 3600  # digest items are kept a month
CODE_ATTEMPTS = 5


class Invalid(Exception):
    """Field errors, with the form page's view of the submission (``form``)."""

    def __init__(self, errors: dict, form=None):
        super().__init__(errors)
        self.errors = errors
        self.form = form


class RateLimited(Exception):
    def __init__(self, retry_after: int, form=None):
        super().__init__(retry_after)
        self.retry_after = retry_after
        self.form = form


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
    """What makes two submissions 'the same order': the lines, the buyer and
    how they receive and pay."""
    data = {
        "buyer": order.buyer, "delivery": order.delivery, "payment": order.payment,
        "lines": sorted([line.product["id"], line.variant or "", line.qty] for line in order.lines),
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def fingerprint_key(print_: str) -> str:
    return FINGERPRINT_PREFIX + print_


def _limit(scope: str, value: str, now: float) -> None:
    hit = ratelimit.check(scope, value, now)
    if not hit.allowed:
        raise RateLimited(hit.retry_after)


def _limit_once(scope: str, value: str, member: str, now: float) -> None:
    hit = ratelimit.check_once(scope, value, member, now)
    if not hit.allowed:
        raise RateLimited(hit.retry_after)


def _live_key(key: str, now: float) -> dict | None:
    """The KEY# record of ``key`` unless absent or expired (TTL deletes late)."""
    record = store.get_key(key)
    if record is None or float(record.get("expires_at") or 0) <= now:
        return None
    return record


def _existing(key: str, key_record: dict, print_: str) -> Placed | None:
    """The checkout ``key`` made, when this submission is the same order.
    Its mail is not queued here: only the request that won the claim queues
    (a repeat racing it would queue the jobs twice); what that request left
    in the outbox, the sweeper sends."""
    if key_record.get("fingerprint") != print_:
        return None
    checkout = store.get_checkout(key_record["checkout"])
    if checkout is None:
        return None
    token = codes.token_for_key(key, checkout["code"])
    if not codes.token_matches(token, checkout.get("token_hash")):
        return None
    return Placed(checkout, store.get_orders(checkout["orders"]), token, repeated=True)


def _records(order, priced, code, token, key, print_, now, build) -> tuple:
    created = store.now_iso(datetime.fromtimestamp(now, timezone.utc))
    order_codes = [codes.order_code(code, n) for n in range(1, len(priced) + 1)]
    status = "spam" if order.spam else "queued"
    checkout = {
        "code": code, "created_at": created, "buyer": order.buyer,
        "delivery": order.delivery, "payment": order.payment, "orders": order_codes,
        "token_hash": codes.hash_token(token), "spam": order.spam,
        "build": order.build, "catalog_build": build, "key": key,
        # The buyer's confirmation email (None without an address).
        "email_status": status if order.buyer["email"] else None,
    }
    orders = [
        {**shop_order, "code": order_code, "checkout": code, "buyer": order.buyer,
         "created_at": created, "email_status": status,
         "email_message_id": None, "email_sent_at": None}
        for order_code, shop_order in zip(order_codes, priced)
    ]
    ttl = FINGERPRINT_TTL if key and key.startswith(FINGERPRINT_PREFIX) else KEY_TTL
    key_record = {"fingerprint": print_, "created_at": created, "expires_at": int(now + ttl)}
    return checkout, orders, key_record


def _outbox_jobs(checkout, orders) -> list[dict]:
    """Every email the checkout may need, as stored with it."""
    if checkout["spam"]:
        return []
    jobs = [mailqueue.seller_job(record["code"]) for record in orders]
    if checkout["buyer"]["email"]:
        jobs.append(mailqueue.buyer_job(checkout["code"]))
    return jobs


def _digest(record: dict, now: float) -> list[dict]:
    """A seller over the hourly cap: the order goes into the hour's digest.
    Returns the job to queue: a digest job when one is needed, none when a
    queued one will cover it, the seller job when the digest failed."""
    code, shop = record["code"], record["shop"]
    hour = ratelimit.hour_key(now)
    job = mailqueue.digest_job(store.digest_pk(shop, hour))
    try:
        store.set_email_status(store.order_pk(code), "digest", expected="queued")
        record["email_status"] = "digest"
        # Into the outbox first: dying after the append cannot lose the digest.
        store.outbox_add(record["checkout"], [job])
        if store.add_to_digest(shop, hour, code, int(now + DIGEST_TTL), now,
                               mailqueue.DIGEST_DELAY):
            return [job]
        return []
    except Exception:  # keep the seller informed: mail this one on its own
        log.exception("digest append failed for %s", code)
        try:  # cosmetic: the mailer sends any order that is not sent or spam
            store.set_email_status(store.order_pk(code), "queued", expected="digest")
            record["email_status"] = "queued"
        except Exception:
            log.exception("could not mark %s queued", code)
        return [mailqueue.seller_job(code)]


def _dispatch(checkout: dict, orders: list[dict], now: float) -> dict:
    """After the commit: apply the email limits, queue, clear the outbox.
    Returns the checkout as it now is. Never raises an Exception: what is
    not done here is left in the outbox for the sweeper."""
    if checkout["spam"]:
        return checkout
    try:
        jobs = []
        for record in orders:
            if ratelimit.seller_email(record["shop"], now).allowed:
                jobs.append(mailqueue.seller_job(record["code"]))
            else:
                jobs += _digest(record, now)
        email = checkout["buyer"]["email"]
        if email:
            if ratelimit.buyer_email(email, now).allowed:
                jobs.append(mailqueue.buyer_job(checkout["code"]))
            else:
                store.set_email_status(store.checkout_pk(checkout["code"]), "limited",
                                       expected="queued")
                checkout = {**checkout, "email_status": "limited"}
        mailqueue.enqueue(checkout["code"], jobs)
    except Exception:  # stored is what matters; the sweeper queues the outbox
        log.exception("queueing mail for %s failed; left in its outbox", checkout["code"])
    return checkout


def place(submission: dict, ip: str, now: float | None = None) -> Placed:
    """Place an order from a parsed submission (see module doc for the outcomes)."""
    now = time.time() if now is None else now
    aws_errors = _aws_errors()
    try:
        catalog = catalogs.load()
    except aws_errors as err:
        raise Unavailable(str(err)) from err

    order, errors = validate(submission, catalog)
    if errors:
        raise Invalid(errors, form_view(submission, catalog))
    print_ = fingerprint(order)
    try:
        priced = pricing.split(order)
    except pricing.Unstorable as unstorable:
        msg = texts()["pesanan_galat"]
        raise Invalid({"item": " ".join(msg["amount_too_big"].format(product=label)
                                        for label in unstorable.labels)},
                      form_view(submission, catalog)) from None

    try:
        key = None
        for candidate in [k for k in (order.key, fingerprint_key(print_)) if k]:
            record = _live_key(candidate, now)
            if record is None:
                key = candidate
                break
            found = _existing(candidate, record, print_)
            if found is not None:
                return found
            # the client's key was used for another order: fall back to the fingerprint
        # Repeats of one key (racing past the check above) count once.
        _limit_once("ip", ip or "unknown", key or fingerprint_key(print_), now)
        _limit("phone", order.buyer["phone"], now)
        for _ in range(CODE_ATTEMPTS):
            code = codes.new_code()
            token = codes.token_for_key(key, code) if key else codes.new_token()
            checkout, orders, key_record = _records(order, priced, code, token, key, print_,
                                                    now, catalog.build)
            try:
                store.put_checkout(checkout, orders, key=key, key_record=key_record,
                                   jobs=_outbox_jobs(checkout, orders), now=now)
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
    except RateLimited as limited:
        raise RateLimited(limited.retry_after, form_view(submission, catalog)) from None

    checkout = _dispatch(checkout, orders, now)
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

