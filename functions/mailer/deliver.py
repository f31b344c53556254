"""One mail job from the records to SES, and back to the records.

``deliver(job, ses=..., holder=..., retry_in=...)`` leases the record the
job's email belongs to (``lease``), skips it when there is nothing (left) to
send, renders, sends one raw message with SES v2, then marks the covered
records ``email_status = sent`` and frees the lease in the same write. It
raises on failure; the handler decides about retries (``retry``).

Exactly once, as far as it can be:

- A job queued twice (the sweeper and a repeated key may both re-queue an
  outbox) meets a record that is ``sent`` (or ``spam``; a buyer's checkout
  ``limited``) and sends nothing, or, while the first copy is still at it,
  meets its lease. A seller or buyer job then leaves it to the holder when
  the holder is a job of its own kind (stored with the lease), whose job
  stays on the queue until the email is recorded; otherwise (an order's
  reminder or status notice holds it), as a digest job, it comes back when
  the lease runs out (the digest may have grown since).
- A failed attempt keeps the lease for ``retry_in`` seconds (its retry's
  delay) plus ``lease.LEASE_SECONDS``, so its own retry is the next to send.
- A send whose outcome is unknown (SES answered after the read timeout) is
  counted on the records (the leased one when the mail names none) and
  retried once; if the retry's outcome is
  unknown too, the email is not sent a third time (``Result("uncertain")``).
- SES accepted, then the process died before the mark: the job comes back
  and sends the same email once more (the mark comes after SES accepted;
  the other order would lose an email for good). At most one duplicate,
  with the same order code, which the seller recognises.
"""

import logging
import os
import time
from collections.abc import Callable
from html import escape
from dataclasses import dataclass
from datetime import datetime, timezone

from backend import store
from lifecycle import links, notify, weekly
from warung.emails import valid_email
from warung.text import texts

from . import lease, render
from .mime import build_message, from_header, require_address, to_bytes
from .retry import PermanentError, outcome_unknown

log = logging.getLogger("mailer")

DONE = ("sent", "spam")  # order statuses that need no (more) email


@dataclass(frozen=True)
class Result:
    status: str  # "sent", "skipped" or "uncertain"
    reason: str = ""
    message_id: str = ""
    codes: tuple = ()


@dataclass(frozen=True)
class Mail:
    """What one job sends, and the records the email covers."""
    to: str
    email: render.Email
    reply_to: str | None
    records: tuple  # ORDER#/CHECKOUT# pks: marked sent, or counted unknown
    codes: tuple
    unknown: int  # earlier sends of this email whose outcome is unknown
    # What SES's acceptance records, instead of marking the leased record and
    # ``records`` sent (a buyer's status notice, a reminder, a surat digest's
    # lines): called with SES's message id, then the lease is given up.
    after: Callable[[str], None] | None = None
    # Where an unknown outcome is counted: on ``records``, or on the leased
    # record when there are none, in this attribute (``lease.unknown_field``).
    counter: str = lease.UNKNOWN


def _mail_from() -> str:
    value = os.environ.get("MAIL_FROM", "")
    if valid_email(value) is None:
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


def _given_up(record: dict) -> bool:
    return lease.unknown(record) >= lease.UNKNOWN_LIMIT


def _seller(job, order: dict) -> Mail | Result:
    if order.get("email_status") in DONE:
        return Result("skipped", f"order is {order.get('email_status')}", codes=(job.key,))
    if _given_up(order):
        return Result("skipped", "SES did not answer twice", codes=(job.key,))
    reply_to = valid_email((order.get("buyer") or {}).get("email"))
    email = render.render_seller(links.with_seller_link(order))
    return Mail(_seller_address(order), email, reply_to,
                (order["pk"],), (job.key,), lease.unknown(order))


def _digest(job, item: dict) -> Mail | Result:
    shop = item.get("shop")
    codes = [code for code in item.get("codes") or [] if isinstance(code, str)]
    found = {order["code"]: order for order in store.get_orders(codes)}
    pending = []
    for code in dict.fromkeys(codes):
        order = found.get(code)
        if order is None:
            log.error("digest %s lists missing order %s", job.key, code)
        elif order.get("shop") != shop:
            log.error("digest %s lists order %s of another shop", job.key, code)
        elif order.get("email_status") not in DONE and not _given_up(order):
            pending.append(order)
    if not pending:
        if not found:
            raise PermanentError(f"digest {job.key} lists no existing order")
        return Result("skipped", "every order is already sent", codes=tuple(codes))
    # In the digest's (arrival) order; the latest order carries the shop's address.
    email = render.render_digest([links.with_seller_link(order) for order in pending])
    return Mail(_seller_address(pending[-1]), email, None,
                tuple(order["pk"] for order in pending), tuple(o["code"] for o in pending),
                max(lease.unknown(order) for order in pending))


def _buyer(job, checkout: dict) -> Mail | Result:
    status = checkout.get("email_status")
    if status in ("sent", "limited"):
        # limited: the buyer's address had its day's confirmations already
        return Result("skipped", f"checkout is {status}", codes=(job.key,))
    if checkout.get("spam"):
        return Result("skipped", "checkout is spam", codes=(job.key,))
    if _given_up(checkout):
        return Result("skipped", "SES did not answer twice", codes=(job.key,))
    to = valid_email((checkout.get("buyer") or {}).get("email"))
    if to is None:
        return Result("skipped", "no valid buyer email", codes=(job.key,))
    codes = [code for code in checkout.get("orders") or [] if isinstance(code, str)]
    orders = store.get_orders(codes)
    if not orders:
        raise PermanentError(f"checkout {job.key} has no orders")
    return Mail(to, render.render_buyer(checkout, orders), None,
                (checkout["pk"],), (job.key,), lease.unknown(checkout))


def _surat(job, item: dict) -> Mail | Result:
    """A ready-written email (the seller form's, ``functions/daftar/mail.py``):
    ``to``, ``subject`` and ``text``, or ``intro`` + ``lines`` for a digest,
    of which only the lines not sent yet go out."""
    lines, done = item.get("lines"), int(item.get("sent_lines") or 0)
    if item.get("email_status") == "sent" and (lines is None or done >= len(lines)):
        return Result("skipped", "already sent", codes=(job.key,))
    if _given_up(item):
        return Result("skipped", "SES did not answer twice", codes=(job.key,))
    text = item.get("text") or "\n".join([item.get("intro", ""), "", *lines[done:]])
    try:
        to = require_address(item.get("to"), "to")
    except ValueError as err:
        raise PermanentError(f"{job.key}: {err}") from None
    body = "".join(f"<p>{escape(part).replace(chr(10), '<br>')}</p>" for part in text.split("\n\n"))
    email = render.Email(subject=item.get("subject", ""), text=text, html=body)
    if lines is None:
        return Mail(to, email, None, (), (job.key,), lease.unknown(item))

    def sent_lines(message_id: str) -> None:
        lease.mark_sent([job.key], message_id, _iso(datetime.now(timezone.utc)))
        store.mark_lines(job.key, len(lines))

    return Mail(to, email, None, (), (job.key,), lease.unknown(item), sent_lines)


# kind -> (the leased record's pk, what to send, whether a copy meeting
# the lease of another job of the same kind may leave the email to it)
_KINDS = {
    "seller": (store.order_pk, _seller, True),
    "buyer": (store.checkout_pk, _buyer, True),
    "digest": (lambda key: key, _digest, False),
    "surat": (lambda key: key, _surat, False),  # a staff digest may grow
    # The order lifecycle's emails (functions/lifecycle): they lease the order
    # (or the week's record) but never leave their email to another kind's job.
    "status": (lambda key: store.order_pk(key.rsplit(":", 1)[0]), notify.plan_notice, False),
    "reminder": (store.order_pk, notify.plan_reminder, False),
    "weekly": (lambda key: f"WEEKLY#{key}", weekly.plan_weekly, False),
}


def _hold(pk: str, holder: lease.Holder, retry_in: int) -> None:
    """Keep the lease for this job's retry (best effort: it runs out anyway)."""
    try:
        lease.extend(pk, holder, time.time() + retry_in + lease.LEASE_SECONDS)
    except Exception as err:
        log.warning("could not keep the lease on %s: %s", pk, err)


def _send(mail: Mail, pk: str, ses, holder: lease.Holder, retry_in: int,
          now: datetime) -> Result:
    try:
        message_id = send(ses, to=mail.to, email=mail.email, reply_to=mail.reply_to, now=now)
    except Exception as err:
        if outcome_unknown(err):
            lease.mark_unknown(mail.records or (pk,), mail.counter)
            if mail.unknown + 1 >= lease.UNKNOWN_LIMIT:
                lease.release(pk, holder)
                return Result("uncertain", f"SES did not answer twice ({type(err).__name__})",
                              codes=mail.codes)
        _hold(pk, holder, retry_in)
        raise
    if mail.after is None:
        lease.mark_sent([pk, *mail.records], message_id, _iso(now))
    else:
        mail.after(message_id)
        lease.release(pk, holder)
    return Result("sent", message_id=message_id, codes=mail.codes)


def deliver(job, *, ses, holder: lease.Holder, retry_in: int = 0,
            now: datetime | None = None) -> Result:
    """Send the email of ``job`` unless it is already sent or another job
    is sending it; raises on failure (``lease.Busy`` when it must come back
    later). ``retry_in``: seconds before this job's retry, should it fail."""
    now = now or datetime.now(timezone.utc)
    pk_of, plan, may_leave = _KINDS[job.kind]
    pk = pk_of(job.key)
    try:
        record = lease.take(pk, holder, time.time(), job.kind)
    except lease.Busy as busy:
        # Only a job of the same kind sends this email: an order's lease may
        # be held by its reminder or a status notice, which do not.
        if busy.other and may_leave and busy.kind == job.kind:
            return Result("skipped", "another job is sending it", codes=(job.key,))
        raise
    if record is None:
        raise PermanentError(f"{job.kind} {job.key} not found")
    try:
        mail = plan(job, record)
    except Exception:
        _hold(pk, holder, retry_in)
        raise
    if isinstance(mail, Result):
        lease.release(pk, holder)
        return mail
    return _send(mail, pk, ses, holder, retry_in, now)
