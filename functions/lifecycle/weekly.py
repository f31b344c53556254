"""The weekly digest to staff: last week's figures, through the mail queue.

``run(now)`` (``WeeklyFunction``, Mondays 08.00 WIB) reads the shop orders
page by page, sums the 7 days before ``now`` (orders, value, per status,
the five busiest kecamatan of buyers and of shops) and lists the orders
still unanswered after 24 hours with the seller's WhatsApp. It stores
them as ``WEEKLY#<YYYY-Www>``, named after the week the figures cover (the
one that has just ended, not the one starting at the Monday run) (only when absent: a second run of the same
week changes nothing) with the job ``{"kind": "weekly", "week": ...}`` in
``OUTBOX#WEEKLY-<YYYY-Www>`` in one transaction, then queues it; the
mailer (``deliver_weekly``) sends it to the ``to`` address stored with it
(``STAFF_EMAIL``). Without ``STAFF_EMAIL`` nothing is stored or sent.
"""

import os
import time
from collections import Counter
from datetime import datetime, timedelta, timezone

from backend import clients, store
from lifecycle import outbox, states

LATE = timedelta(hours=24)
SPAN = timedelta(days=7)


def week_of(now: datetime) -> str:
    year, week, _ = now.isocalendar()
    return f"{year}-W{week:02d}"


def covered_week(now: datetime) -> str:
    """The ISO week the digest run at ``now`` reports on: the one its
    7-day span starts in (Monday's run names last week)."""
    return week_of(now - SPAN)


def _orders(page_size: int = 500):
    db = clients.dynamodb()
    kwargs = {"TableName": store.table_name(), "Limit": page_size,
              "FilterExpression": "begins_with(pk, :o) AND email_status <> :sp",
              "ExpressionAttributeValues": {":o": {"S": "ORDER#"}, ":sp": {"S": "spam"}}}
    while True:
        page = db.scan(**kwargs)
        yield from (store.from_item(item) for item in page.get("Items", []))
        if not page.get("LastEvaluatedKey"):
            return
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def _when(order) -> datetime | None:
    try:
        return datetime.fromisoformat(str(order.get("created_at")).replace("Z", "+00:00"))
    except ValueError:
        return None


def summary(orders, now: datetime, shops: dict) -> dict:
    """The digest's figures (pure)."""
    start = now - SPAN
    statuses, buyers, sellers = Counter(), Counter(), Counter()
    count = value = 0
    late = []
    for order in orders:
        created = _when(order)
        if created is None:
            continue
        status = states.status_of(order)
        if status == states.MENUNGGU and now - created > LATE:
            shop = shops.get(order.get("shop")) or {}
            hours = int((now - created) / timedelta(hours=1))
            whatsapp = shop.get("whatsapp") or order.get("seller_whatsapp") or ""
            late.append([order["code"], order.get("shop_title") or "", whatsapp, hours])
        if start <= created < now:
            count += 1
            value += int(order.get("total") or 0)
            statuses[status] += 1
            buyers[(order.get("buyer") or {}).get("kecamatan") or "-"] += 1
            sellers[shop_kecamatan(order, shops)] += 1
    return {"from": start.date().isoformat(), "to": now.date().isoformat(), "count": count,
            "value": value, "statuses": {s: statuses[s] for s in states.STATUSES},
            "buyer_kecamatan": buyers.most_common(5), "shop_kecamatan": sellers.most_common(5),
            "late": sorted(late, key=lambda row: -row[3])[:50]}


def shop_kecamatan(order: dict, shops: dict) -> str:
    return (shops.get(order.get("shop")) or {}).get("kecamatan") or "-"


def run(now: float | None = None) -> bool:
    """Store and queue this week's digest; False when there is nothing to do."""
    to = os.environ.get("STAFF_EMAIL", "").strip()
    if not to:
        return False
    from backend import catalog

    moment = datetime.fromtimestamp(time.time() if now is None else now, timezone.utc)
    week = covered_week(moment)
    shops = catalog.load().shops
    item = {"pk": f"WEEKLY#{week}", "week": week, "to": to,
            "summary": summary(_orders(), moment, shops), "created_at": store.now_iso(moment)}
    db = clients.dynamodb()
    code = f"WEEKLY-{week}"
    try:
        db.transact_write_items(TransactItems=[
            {"Put": {"TableName": store.table_name(), "Item": store.to_item(item),
                     "ConditionExpression": "attribute_not_exists(pk)"}},
            {"Update": outbox.add_update(code, [{"kind": "weekly", "week": week}],
                                         item["created_at"])}])
    except db.exceptions.TransactionCanceledException:
        return False  # this week's digest exists already
    outbox.flush(code)
    return True


def plan_weekly(job_, item: dict):
    """The mailer's plan for kind ``weekly`` (``item``: the leased WEEKLY# record)."""
    from mailer import lease
    from mailer.deliver import Mail, Result
    from mailer.mime import require_address
    from mailer.retry import PermanentError

    from lifecycle import notify

    if item.get("email_status") == "sent":
        return Result("skipped", "already sent", codes=(job_.key,))
    if lease.unknown(item) >= lease.UNKNOWN_LIMIT:
        return Result("skipped", "SES did not answer twice", codes=(job_.key,))
    try:
        to = require_address(item.get("to"), "STAFF_EMAIL")
    except ValueError as err:
        raise PermanentError(str(err)) from None
    return Mail(to, notify.render_weekly(item), None, (), (job_.key,), lease.unknown(item))
