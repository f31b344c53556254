"""The buyer's short email when a seller accepts, declines or sends.

Job (on the mail queue, through the checkout's outbox):
``{"kind": "status", "notice": "<order code>:<status>"}``. The mailer hands
it to ``deliver_notice``: it sends nothing twice (the statuses already
mailed are in the order's ``notified`` string set, recorded after SES
accepted: as the mailer's other jobs, a crash in between costs at most one
duplicate, never a lost email), nothing for an order without a buyer email.
Kept light at import (the mailer parses jobs with ``NOTICE``).
"""

import re
from functools import lru_cache
from pathlib import Path

from backend.codes import ALPHABET, CODE_LENGTH

WEEK = re.compile(r"[0-9]{4}-W[0-9]{2}")  # the weekly digest job's key (lifecycle.weekly)
NOTICE = re.compile(rf"WO-[{ALPHABET}]{{{CODE_LENGTH}}}-[1-9][0-9]?:(diterima|ditolak|dikirim)")
TEMPLATES = Path(__file__).with_name("templates")


def job(order_code: str, status: str) -> dict:
    return {"kind": "status", "notice": f"{order_code}:{status}"}


@lru_cache(maxsize=1)
def _env():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    return Environment(loader=FileSystemLoader(str(TEMPLATES)), undefined=StrictUndefined,
                       autoescape=select_autoescape(enabled_extensions=("html",), default=False),
                       trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def render(order: dict, status: str):
    """(subject, text, html) of the notice for ``order`` now in ``status``."""
    from mailer.render import clean
    from warung.phone import whatsapp_link
    from warung.text import texts

    from lifecycle import view

    t = texts()
    shown = view.status_view({**order, "status": status})
    times = [e.get("at") for e in order.get("history") or [] if e.get("status") == status]
    shown["at"] = view.when(times[-1]) if times else ""
    code = str(order["code"])
    seller = str(order.get("seller_whatsapp") or "")
    context = {
        "S": t["status_surel"], "site_name": t["surel"]["nama_pengirim"],
        "name": clean((order.get("buyer") or {}).get("name"), 200),
        "shop": clean(order.get("shop_title"), 200), "code": code, "view": shown,
        "whatsapp": whatsapp_link(seller, code) if re.fullmatch(r"62[0-9]{7,13}", seller) else None,
    }
    subject = t["status_surel"]["subjek"].format(code=code, status=shown["label"])
    env = _env()
    return (subject, env.get_template("notice.txt").render(context),
            env.get_template("notice.html").render(context))


def render_weekly(item: dict):
    """The staff's weekly digest email (``mailer.render.Email``)."""
    from mailer.render import Email
    from warung.rupiah import format_rupiah
    from warung.text import texts

    t = texts()
    words = {**t["status_pesanan"], "dikirim": t["cari_pesanan"]["dikirim"]}
    context = {"W": t["mingguan"], "site_name": t["surel"]["nama_pengirim"],
               "s": item["summary"], "words": words, "rupiah": format_rupiah}
    subject = t["mingguan"]["subjek"].format(week=item["week"])
    env = _env()
    return Email(subject, env.get_template("weekly.txt").render(context),
                 env.get_template("weekly.html").render(context))


def deliver_notice(job_, ses, now):
    """Send one notice (the mailer's ``deliver`` for kind ``status``)."""
    from backend import store
    from mailer.deliver import Result, send
    from mailer.mime import valid_address
    from mailer.render import Email
    from mailer.retry import PermanentError

    code, status = job_.key.rsplit(":", 1)
    order = store.get_order(code)
    if order is None:
        raise PermanentError(f"order {code} not found")
    if status in (order.get("notified") or []):
        return Result("skipped", f"{status} already mailed", codes=(code,))
    to = valid_address((order.get("buyer") or {}).get("email"))
    if to is None or order.get("spam"):
        return Result("skipped", "no buyer email", codes=(code,))
    subject, text, html = render(order, status)
    message_id = send(ses, to=to, email=Email(subject, text, html), reply_to=None, now=now)
    from backend import clients

    clients.dynamodb().update_item(
        TableName=store.table_name(), Key={"pk": {"S": store.order_pk(code)}},
        UpdateExpression="ADD notified :s", ConditionExpression="attribute_exists(pk)",
        ExpressionAttributeValues={":s": {"SS": [status]}})
    return Result("sent", message_id=message_id, codes=(code,))


def deliver_reminder(job_, ses, now):
    """The seller's reminder (the mailer's ``deliver`` for kind ``reminder``):
    the order email again, with a fresh seller page link and a reminder
    subject; nothing once the order was answered or the reminder sent."""
    from backend import clients, store
    from mailer.deliver import Result, send
    from mailer.mime import require_address
    from mailer.render import Email, render_seller
    from mailer.retry import PermanentError
    from warung.text import texts

    from lifecycle import links, states

    order = store.get_order(job_.key)
    if order is None:
        raise PermanentError(f"order {job_.key} not found")
    if states.status_of(order) != states.MENUNGGU or "pengingat" in (order.get("notified") or []):
        return Result("skipped", "answered or reminded", codes=(job_.key,))
    try:
        to = require_address(order.get("seller_email"), "seller_email")
    except ValueError as err:
        raise PermanentError(str(err)) from None
    email = render_seller(links.with_seller_link(order))
    subject = texts()["status_surel"]["subjek_pengingat"].format(code=order["code"])
    message_id = send(ses, to=to, email=Email(subject, email.text, email.html),
                      reply_to=None, now=now)
    clients.dynamodb().update_item(
        TableName=store.table_name(), Key={"pk": {"S": store.order_pk(job_.key)}},
        UpdateExpression="ADD notified :s", ConditionExpression="attribute_exists(pk)",
        ExpressionAttributeValues={":s": {"SS": ["pengingat"]}})
    return Result("sent", message_id=message_id, codes=(job_.key,))
