"""One mail job from the records to SES, and back to the records.

``deliver(job, ses=..., now=...)`` loads what the job names, skips it when
there is nothing (left) to send, renders, sends one raw message with SES v2
and then marks the covered records ``email_status = sent``. It raises on
failure; the handler decides about retries (``retry``).

Idempotence: a seller or digest job whose orders are all ``sent`` (or
``spam``) sends nothing, a buyer job whose checkout is ``sent`` (or
``limited``, over the daily limit of one buyer address) neither. So a job
queued twice (the sweeper and a repeated key may both re-queue an outbox)
still makes one email. The
mark comes after SES accepted, so a crash in between (or a failed update,
reported as a failure) redelivers the job and sends the same email again
once: at most one duplicate, with the same order code, which the seller
recognises. (A standard queue may also hand the same message to two
invocations at once; both may send before either marks: again one
duplicate at most.) The other order is worse: marking first and crashing before
SES accepts would lose an email for good. Loading the record needs DynamoDB
too, so a DynamoDB outage stops sends before they happen instead of
multiplying duplicates.
"""

import logging
import os
from dataclasses import dataclass
from datetime import datetime, timezone

from warung.text import texts

from lifecycle import links

from . import records, render
from .jobs import Job
from .mime import build_message, from_header, require_address, to_bytes, valid_address
from .retry import PermanentError

log = logging.getLogger("mailer")

DONE = ("sent", "spam")  # order statuses that need no (more) email


@dataclass(frozen=True)
class Result:
    status: str  # "sent" or "skipped"
    reason: str = ""
    message_id: str = ""
    codes: tuple = ()


def _mail_from() -> str:
    value = os.environ.get("MAIL_FROM", "")
    if valid_address(value) is None:
        raise PermanentError("MAIL_FROM is missing or not a valid address")
    return value


def send(ses, *, to: str, email: render.Email, reply_to: str | None, now: datetime) -> str:
    """Build the raw message and hand it to SES; returns SES's message id."""
    sender, name = _mail_from(), texts()["surel"]["nama_pengirim"]
    msg = build_message(sender=sender, sender_name=name,
                        to=to, reply_to=reply_to, subject=email.subject,
                        text=email.text, html=email.html, now=now)
    response = ses.send_email(
        FromEmailAddress=from_header(sender, name),
        Destination={"ToAddresses": [to]},
        Content={"Raw": {"Data": to_bytes(msg)}},
    )
    return response["MessageId"]


def _seller_address(order: dict) -> str:
    try:
        return require_address(order.get("seller_email"), "seller_email")
    except ValueError as err:
        raise PermanentError(f"order {order.get('code')}: {err}") from None


def _iso(now: datetime) -> str:
    return now.astimezone(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def _seller(job: Job, ses, now: datetime) -> Result:
    order = records.get(records.order_pk(job.key))
    if order is None:
        raise PermanentError(f"order {job.key} not found")
    if order.get("email_status") in DONE:
        return Result("skipped", f"order is {order.get('email_status')}", codes=(job.key,))
    email = render.render_seller(links.with_seller_link(order))
    reply_to = valid_address((order.get("buyer") or {}).get("email"))
    message_id = send(ses, to=_seller_address(order), email=email, reply_to=reply_to, now=now)
    records.mark_sent([order["pk"]], message_id, _iso(now))
    return Result("sent", message_id=message_id, codes=(job.key,))


def _digest(job: Job, ses, now: datetime) -> Result:
    item = records.get(job.key)
    if item is None:
        raise PermanentError(f"digest {job.key} not found")
    shop = item.get("shop")
    codes = [code for code in item.get("codes") or [] if isinstance(code, str)]
    found = {order["code"]: order for order in records.get_orders(codes)}
    pending = []
    for code in dict.fromkeys(codes):
        order = found.get(code)
        if order is None:
            log.error("digest %s lists missing order %s", job.key, code)
        elif order.get("shop") != shop:
            log.error("digest %s lists order %s of another shop", job.key, code)
        elif order.get("email_status") not in DONE:
            pending.append(order)
    if not pending:
        if not found:
            raise PermanentError(f"digest {job.key} lists no existing order")
        return Result("skipped", "every order is already sent", codes=tuple(codes))
    # in the digest's (arrival) order, each with its seller page link
    email = render.render_digest([links.with_seller_link(order) for order in pending])
    # The latest order carries the shop's current address.
    to = _seller_address(pending[-1])
    message_id = send(ses, to=to, email=email, reply_to=None, now=now)
    records.mark_sent([job.key] + [order["pk"] for order in pending], message_id, _iso(now))
    return Result("sent", message_id=message_id, codes=tuple(o["code"] for o in pending))


def _buyer(job: Job, ses, now: datetime) -> Result:
    checkout = records.get(records.checkout_pk(job.key))
    if checkout is None:
        raise PermanentError(f"checkout {job.key} not found")
    if checkout.get("email_status") in ("sent", "limited"):
        # limited: the buyer's address had its day's confirmations already
        return Result("skipped", f"checkout is {checkout['email_status']}", codes=(job.key,))
    if checkout.get("spam"):
        return Result("skipped", "checkout is spam", codes=(job.key,))
    to = valid_address((checkout.get("buyer") or {}).get("email"))
    if to is None:
        return Result("skipped", "no valid buyer email", codes=(job.key,))
    codes = [code for code in checkout.get("orders") or [] if isinstance(code, str)]
    orders = records.get_orders(codes)
    if not orders:
        raise PermanentError(f"checkout {job.key} has no orders")
    email = render.render_buyer(checkout, orders)
    message_id = send(ses, to=to, email=email, reply_to=None, now=now)
    records.mark_sent([checkout["pk"]], message_id, _iso(now))
    return Result("sent", message_id=message_id, codes=(job.key,))


def _status(job: Job, ses, now: datetime) -> Result:
    from lifecycle.notify import deliver_notice

    return deliver_notice(job, ses, now)


def _reminder(job: Job, ses, now: datetime) -> Result:
    from lifecycle.notify import deliver_reminder

    return deliver_reminder(job, ses, now)


def _weekly(job: Job, ses, now: datetime) -> Result:
    from lifecycle.weekly import deliver_weekly

    return deliver_weekly(job, ses, now)


_KINDS = {"seller": _seller, "digest": _digest, "buyer": _buyer, "status": _status,
          "reminder": _reminder, "weekly": _weekly}


def deliver(job: Job, *, ses, now: datetime | None = None) -> Result:
    """Send the email of ``job`` unless it is already sent; raises on failure."""
    return _KINDS[job.kind](job, ses, now or datetime.now(timezone.utc))
