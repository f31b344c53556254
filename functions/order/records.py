"""The records one checkout is stored as (pure: no AWS, no clock).

``build(order, priced, code, token, claim, now, catalog_build)`` returns a
``Records``: the CHECKOUT# record, one ORDER# record per priced shop order,
the KEY# record of the claim (None without one) and the mail jobs the
checkout's outbox starts with (a seller job per order, a buyer job when the
buyer gave an email; none for spam).
"""

from dataclasses import dataclass
from datetime import datetime, timezone

from backend import codes, mailqueue
from backend.store import now_iso
from lifecycle import states


@dataclass(frozen=True)
class Records:
    checkout: dict
    orders: list[dict]
    key_record: dict | None
    jobs: list[dict]


def outbox_jobs(checkout: dict, orders: list[dict]) -> list[dict]:
    """Every email the checkout may need, as stored with it."""
    if checkout["spam"]:
        return []
    jobs = [mailqueue.seller_job(record["code"]) for record in orders]
    if checkout["buyer"]["email"]:
        jobs.append(mailqueue.buyer_job(checkout["code"]))
    return jobs


def build(order, priced: list[dict], code: str, token: str, claim, now: float,
          catalog_build: str) -> Records:
    created = now_iso(datetime.fromtimestamp(now, timezone.utc))
    order_codes = [codes.order_code(code, n) for n in range(1, len(priced) + 1)]
    status = "spam" if order.spam else "queued"
    checkout = {
        "code": code, "created_at": created, "buyer": order.buyer,
        "delivery": order.delivery, "payment": order.payment, "orders": order_codes,
        "token_hash": codes.hash_token(token), "spam": order.spam,
        "build": order.build, "catalog_build": catalog_build,
        "key": claim.key if claim else None,
        # The buyer's confirmation email (None without an address).
        "email_status": status if order.buyer["email"] else None,
    }
    orders = [
        {**shop_order, "code": order_code, "checkout": code, "buyer": order.buyer,
         "created_at": created, "email_status": status,
         "email_message_id": None, "email_sent_at": None, **states.initial(created)}
        for order_code, shop_order in zip(order_codes, priced)
    ]
    key_record = None
    if claim:
        key_record = {"fingerprint": claim.fingerprint, "created_at": created,
                      "expires_at": int(now + claim.ttl)}
    return Records(checkout, orders, key_record, outbox_jobs(checkout, orders))
