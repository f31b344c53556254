"""One reminder email to a seller whose order waits 6 hours without an answer.

``run(now)`` (the ``ReminderFunction``, every hour) finds the shop orders
still ``menunggu`` placed more than ``REMIND_AFTER`` ago and not yet
reminded, page by page (a filtered Scan: fine for a regency's table of
orders; past a few hundred thousand items, a sparse index on waiting
orders would replace it, docs/LIFECYCLE.md). For each one a transaction
sets ``reminded_at`` (only if still waiting and not reminded) and adds
``{"kind": "reminder", "order": code}`` to the checkout's outbox; then
the outbox is flushed. So a seller gets at most one reminder per order,
and none for an order answered meanwhile (the mailer checks again).
"""

import logging
import time
from datetime import datetime, timezone

from backend import clients, store
from lifecycle import outbox, states

log = logging.getLogger(__name__)

REMIND_AFTER = 6 * 3600
PAGE = 500


def job(order_code: str) -> dict:
    return {"kind": "reminder", "order": order_code}


def _iso(epoch: float) -> str:
    return store.now_iso(datetime.fromtimestamp(epoch, timezone.utc))


def due(cutoff: str, page_size: int = PAGE):
    """Waiting, unreminded, not spam ORDER# items placed before ``cutoff``."""
    db = clients.dynamodb()
    kwargs = {
        "TableName": store.table_name(), "Limit": page_size,
        "FilterExpression": "begins_with(pk, :o) AND #s = :m AND created_at < :c "
                            "AND attribute_not_exists(reminded_at) AND email_status <> :sp",
        "ExpressionAttributeNames": {"#s": "status"},
        "ExpressionAttributeValues": {":o": {"S": "ORDER#"}, ":m": {"S": states.MENUNGGU},
                                      ":c": {"S": cutoff}, ":sp": {"S": "spam"}},
    }
    while True:
        page = db.scan(**kwargs)
        for item in page.get("Items", []):
            yield store.from_item(item)
        if not page.get("LastEvaluatedKey"):
            return
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def claim(order: dict, at: str) -> bool:
    """Mark ``order`` reminded and store its reminder job, atomically."""
    db = clients.dynamodb()
    mark = {
        "TableName": store.table_name(), "Key": {"pk": {"S": store.order_pk(order["code"])}},
        "UpdateExpression": "SET reminded_at = :t",
        "ConditionExpression": "#s = :m AND attribute_not_exists(reminded_at)",
        "ExpressionAttributeNames": {"#s": "status"},
        "ExpressionAttributeValues": {":t": {"S": at}, ":m": {"S": states.MENUNGGU}},
    }
    try:
        db.transact_write_items(TransactItems=[
            {"Update": mark},
            {"Update": outbox.add_update(order["checkout"], [job(order["code"])], at)}])
    except db.exceptions.TransactionCanceledException:
        return False  # answered or reminded meanwhile
    return True


def run(now: float | None = None) -> int:
    """Remind every seller whose order waits too long; returns how many."""
    now = time.time() if now is None else now
    at = _iso(now)
    checkouts = []
    for order in due(_iso(now - REMIND_AFTER)):
        if claim(order, at):
            checkouts.append(order["checkout"])
    for code in dict.fromkeys(checkouts):
        try:
            outbox.flush(code)
        except Exception:  # the sweeper queues what stays in the outbox
            log.exception("queueing reminders of %s failed", code)
    return len(checkouts)
