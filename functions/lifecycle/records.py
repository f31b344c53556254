"""The lifecycle's reads and writes on the orders table.

``apply(code, action, reason)`` moves one shop order with one conditional
write: the ORDER# update holds only while the status is still the one the
action was planned from, so twenty taps at once make one change. When the
buyer gave an email and the new status is one they hear of, the same
transaction adds the notice job to ``OUTBOX#<checkout>`` (created when
absent), so the email is never lost: after the commit ``outbox.flush``
queues it, and the sweeper does when that fails.
"""

import logging
from dataclasses import dataclass

from backend import clients, store
from lifecycle import notify, outbox, states

log = logging.getLogger(__name__)


class NotFound(LookupError):
    """No such shop order."""


@dataclass(frozen=True)
class Outcome:
    step: states.Step
    order: dict  # the order as it is after the action

    @property
    def changed(self) -> bool:
        return self.step.changed


def _order_update(order: dict, step: states.Step, reason: str | None, at: str) -> dict:
    values = {
        ":to": {"S": step.target},
        ":from": {"S": step.source},
        ":e": {"L": [store.to_item({"e": states.entry(step.target, at, reason)})["e"]]},
        ":h0": {"L": [store.to_item({"e": e})["e"] for e in states.history_of(order)]},
        ":at": {"S": at},
    }
    expression = "SET #s = :to, history = list_append(if_not_exists(history, :h0), :e), " \
                 "status_at = :at"
    if reason:
        expression += ", decline_reason = :r"
        values[":r"] = {"S": reason}
    if step.source == states.MENUNGGU and step.action in ("terima", "tolak"):
        expression += ", answered_at = if_not_exists(answered_at, :at)"
    condition = "#s = :from"
    if step.source == states.MENUNGGU:  # orders stored before the lifecycle
        condition = "(attribute_not_exists(#s) OR #s = :from)"
    return {"Update": {
        "TableName": store.table_name(), "Key": {"pk": {"S": store.order_pk(order["code"])}},
        "UpdateExpression": expression,
        "ConditionExpression": "attribute_exists(pk) AND " + condition,
        "ExpressionAttributeNames": {"#s": "status"},
        "ExpressionAttributeValues": values,
    }}


def _wants_notice(order: dict, target: str) -> bool:
    buyer = order.get("buyer") or {}
    return target in states.NOTIFIED and bool(buyer.get("email")) and order.get("email_status") != "spam"


def apply(code: str, action: str, reason: str | None = None,
          at: str | None = None) -> Outcome:
    """Apply a seller's action (see the module doc). Raises ``NotFound`` and
    ``states.Refused``; a repeat returns an unchanged ``Outcome``."""
    at = at or store.now_iso()
    order = store.get_order(code)
    if order is None:
        raise NotFound(code)
    step = states.plan(states.status_of(order), action)
    if not step.changed:
        return Outcome(step, order)
    items = [_order_update(order, step, reason if step.target == states.DITOLAK else None, at)]
    jobs = [notify.job(code, step.target)] if _wants_notice(order, step.target) else []
    if jobs:
        items.append({"Update": outbox.add_update(order["checkout"], jobs, at)})
    db = clients.dynamodb()
    try:
        db.transact_write_items(TransactItems=items)
    except db.exceptions.TransactionCanceledException as err:
        reasons = err.response.get("CancellationReasons") or []
        if not reasons or reasons[0].get("Code") != "ConditionalCheckFailed":
            raise
        # Someone else moved it first: a repeat if it went where we wanted.
        current = store.get_order(code) or order
        return Outcome(states.plan(states.status_of(current), action), current)
    if jobs:
        try:
            outbox.flush(order["checkout"])
        except Exception:  # stored in the outbox: the sweeper queues it
            log.exception("queueing the notice of %s failed; left in its outbox", code)
    return Outcome(step, store.get_order(code) or order)
