"""The buyer's short email when a seller accepts, declines or sends.

Job (on the mail queue, through the checkout's outbox):
``{"kind": "status", "notice": "<order code>:<status>"}``. The mailer hands
it to ``deliver_notice``: it sends nothing twice (the statuses already
mailed are in the order's ``notified`` string set, recorded after SES
accepted: as the mailer's other jobs, a crash in between costs at most one
duplicate, never a lost email), nothing for an order without a buyer email.
The job's key pattern lives with the other mail jobs' (``backend.mailjobs``).
"""

import re




def job(order_code: str, status: str) -> dict:
    return {"kind": "status", "notice": f"{order_code}:{status}"}


def render(order: dict, status: str):
    """The notice email for ``order`` now in ``status`` (``mailer.render.Email``)."""
    from mailer.render import render_email
    from warung.cleantext import clean_text
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
        "name": clean_text((order.get("buyer") or {}).get("name"), limit=200),
        "shop": clean_text(order.get("shop_title"), limit=200), "code": code, "view": shown,
        "whatsapp": whatsapp_link(seller, code) if re.fullmatch(r"62[0-9]{7,13}", seller) else None,
    }
    subject = t["status_surel"]["subjek"].format(code=code, status=shown["label"])
    return render_email("notice", subject, **context)


def render_weekly(item: dict):
    """The staff's weekly digest email (``mailer.render.Email``)."""
    from mailer.render import render_email
    from warung.rupiah import format_rupiah
    from warung.text import texts

    t = texts()
    words = {**t["status_pesanan"], "dikirim": t["cari_pesanan"]["dikirim"]}
    context = {"W": t["mingguan"], "site_name": t["surel"]["nama_pengirim"],
               "s": item["summary"], "words": words, "rupiah": format_rupiah}
    subject = t["mingguan"]["subjek"].format(week=item["week"])
    return render_email("weekly", subject, **context)


def _add_notified(code: str, what: str):
    """After SES accepted: ``what`` is in the order's ``notified`` set."""
    from backend import clients, store

    def record(message_id: str) -> None:
        clients.dynamodb().update_item(
            TableName=store.table_name(), Key={"pk": {"S": store.order_pk(code)}},
            UpdateExpression="ADD notified :s", ConditionExpression="attribute_exists(pk)",
            ExpressionAttributeValues={":s": {"SS": [what]}})
    return record


def plan_notice(job_, order: dict):
    """The mailer's plan for kind ``status`` (``order``: the leased order)."""
    from mailer import lease
    from mailer.deliver import Mail, Result
    from warung.emails import valid_email

    code, status = job_.key.rsplit(":", 1)
    if status in (order.get("notified") or []):
        return Result("skipped", f"{status} already mailed", codes=(code,))
    to = valid_email((order.get("buyer") or {}).get("email"))
    if to is None or order.get("spam"):
        return Result("skipped", "no buyer email", codes=(code,))
    counter = lease.unknown_field(status)
    unknown = lease.unknown(order, counter)
    if unknown >= lease.UNKNOWN_LIMIT:
        return Result("skipped", "SES did not answer twice", codes=(code,))
    return Mail(to, render(order, status), None, (), (code,), unknown,
                _add_notified(code, status), counter)


def plan_reminder(job_, order: dict):
    """The mailer's plan for kind ``reminder``: the order email again, with a
    fresh seller page link and a reminder subject; nothing once the order was
    answered or the reminder sent."""
    from mailer import lease
    from mailer.deliver import Mail, Result
    from mailer.mime import require_address
    from mailer.render import Email, render_seller
    from mailer.retry import PermanentError
    from warung.text import texts

    from lifecycle import links, states

    if states.status_of(order) != states.MENUNGGU or "pengingat" in (order.get("notified") or []):
        return Result("skipped", "answered or reminded", codes=(job_.key,))
    counter = lease.unknown_field("pengingat")
    unknown = lease.unknown(order, counter)
    if unknown >= lease.UNKNOWN_LIMIT:
        return Result("skipped", "SES did not answer twice", codes=(job_.key,))
    try:
        to = require_address(order.get("seller_email"), "seller_email")
    except ValueError as err:
        raise PermanentError(str(err)) from None
    email = render_seller(links.with_seller_link(order))
    subject = texts()["status_surel"]["subjek_pengingat"].format(code=order["code"])
    return Mail(to, Email(subject, email.text, email.html), None, (), (job_.key,), unknown,
                _add_notified(job_.key, "pengingat"), counter)
