"""The mailer's claim on one email: a lease on its record, then its outcome.

Before sending, a job takes a lease on the record its email belongs to
(``ORDER#`` for a seller, ``CHECKOUT#`` for the buyer, ``DIGEST#`` for a
digest) with one conditional write; only the holder sends. Attributes:

- ``email_lease_by``: the SQS message id of the holding job;
- ``email_lease_receive``: that job's receive count when it took the lease;
- ``email_lease_until``: epoch seconds when the lease runs out;
- ``email_lease_kind``: the holding job's kind (``seller``, ``status``...):
  a job meeting a lease may leave its email only to a job of its own kind,
  since an order's lease is also taken by its reminder and status notices;
- ``email_unknown``: how many sends of this record's email ended without
  knowing whether SES took them (a read timeout); ``UNKNOWN_LIMIT`` of them
  and the email is not sent again. A record that several emails lease (an
  order: its seller email, its reminder, the buyer's status notices) counts
  each of the others under its own attribute (``unknown_field``).

The lease is free when it is absent or ran out, and a later receive of the
same message (its retry, or its redelivery after the holder died: SQS only
redelivers once the visibility timeout, 180 s, outlived the mailer's 30 s
timeout) takes it over. Every other job meets ``Busy``.

After SES accepts, ``mark_sent`` records it and removes the lease in the
same write. A failed attempt keeps the lease for its own retry
(``extend``), so copies of the job cannot send in between; a holder that
dies leaves a lease that runs out after ``LEASE_SECONDS``.
"""

from dataclasses import dataclass

from backend import clients, store

LEASE_SECONDS = 60  # longer than the mailer's 30 s timeout: it outlives its invocation
UNKNOWN_LIMIT = 2  # a timed-out send is retried once, never twice
TRANSACTION_LIMIT = 100  # items per TransactWriteItems

_LEASE = ("email_lease_by", "email_lease_receive", "email_lease_until", "email_lease_kind")
UNKNOWN = "email_unknown"


def unknown_field(what: str = "") -> str:
    """The attribute counting unknown outcomes of one email of a record:
    ``email_unknown``, or ``email_unknown_<what>`` (e.g. a status notice)."""
    return f"{UNKNOWN}_{what}" if what else UNKNOWN


@dataclass(frozen=True)
class Holder:
    """A job as a lease holder: its SQS message and receive count."""
    message_id: str
    receive: int


class Busy(Exception):
    """Another job holds the lease (``other``: another message, not a
    concurrent receive of this one) for ``seconds`` more; ``kind``: the
    holder's job kind ("" when unknown)."""

    def __init__(self, pk: str, other: bool, seconds: int, kind: str = ""):
        super().__init__(f"{pk} is leased by another job for {seconds} s")
        self.other = other
        self.seconds = seconds
        self.kind = kind


def take(pk: str, holder: Holder, now: float, kind: str = "") -> dict | None:
    """Lease ``pk`` for ``LEASE_SECONDS`` for a job of ``kind``; returns the
    record as it now is, None when there is no record, ``Busy`` when another
    job holds it."""
    db = clients.dynamodb()
    values = {":k": {"S": kind}} if kind else {}
    try:
        result = db.update_item(
            TableName=store.table_name(), Key={"pk": {"S": pk}},
            UpdateExpression="SET email_lease_by = :by, email_lease_receive = :n, "
                             "email_lease_until = :until"
                             + (", email_lease_kind = :k" if kind else " REMOVE email_lease_kind"),
            ConditionExpression=(
                "attribute_exists(pk) AND (attribute_not_exists(email_lease_until) "
                "OR email_lease_until < :now "
                "OR (email_lease_by = :by AND email_lease_receive < :n))"),
            ExpressionAttributeValues={
                ":by": {"S": holder.message_id}, ":n": {"N": str(holder.receive)},
                ":until": {"N": str(int(now) + LEASE_SECONDS)}, ":now": {"N": str(int(now))},
                **values,
            },
            ReturnValues="ALL_NEW", ReturnValuesOnConditionCheckFailure="ALL_OLD",
        )
    except db.exceptions.ConditionalCheckFailedException as err:
        old = store.from_item(err.response.get("Item"))
        if old is None:
            return None
        seconds = max(1, int(old.get("email_lease_until") or 0) - int(now))
        raise Busy(pk, old.get("email_lease_by") != holder.message_id, seconds,
                   str(old.get("email_lease_kind") or "")) from None
    return store.from_item(result["Attributes"])


def _mine(pk: str, holder: Holder) -> dict:
    return {
        "TableName": store.table_name(), "Key": {"pk": {"S": pk}},
        "ConditionExpression": "email_lease_by = :by AND email_lease_receive = :n",
    }


def _holder_values(holder: Holder) -> dict:
    return {":by": {"S": holder.message_id}, ":n": {"N": str(holder.receive)}}


def extend(pk: str, holder: Holder, until: float) -> None:
    """Keep the lease until ``until`` (a failed attempt waiting for its retry)."""
    db = clients.dynamodb()
    try:
        db.update_item(**_mine(pk, holder), UpdateExpression="SET email_lease_until = :until",
                       ExpressionAttributeValues={**_holder_values(holder),
                                                  ":until": {"N": str(int(until))}})
    except db.exceptions.ConditionalCheckFailedException:
        pass  # taken over meanwhile: that job decides now


def release(pk: str, holder: Holder) -> None:
    """Give the lease up (nothing was sent)."""
    db = clients.dynamodb()
    try:
        db.update_item(**_mine(pk, holder), UpdateExpression="REMOVE " + ", ".join(_LEASE),
                       ExpressionAttributeValues=_holder_values(holder))
    except db.exceptions.ConditionalCheckFailedException:
        pass


def _update(pk: str, expression: str, values: dict, names: dict | None = None) -> dict:
    update = {"TableName": store.table_name(), "Key": {"pk": {"S": pk}},
              "UpdateExpression": expression, "ConditionExpression": "attribute_exists(pk)",
              "ExpressionAttributeValues": values}
    return {**update, "ExpressionAttributeNames": names} if names else update


def _write(updates: list[dict]) -> None:
    """One update alone, or all of them in transactions of up to 100, in order."""
    db = clients.dynamodb()
    if len(updates) == 1:
        db.update_item(**updates[0])
        return
    for start in range(0, len(updates), TRANSACTION_LIMIT):
        db.transact_write_items(TransactItems=[
            {"Update": update} for update in updates[start:start + TRANSACTION_LIMIT]])


def mark_sent(pks, message_id: str, sent_at: str) -> None:
    """Record that SES accepted the email covering ``pks`` (one pk or a list,
    the leased one first) and remove the lease.

    Several records (a digest and its orders) are marked in all-or-nothing
    transactions with the leased one in the last, so a digest is only marked
    (and its lease freed) once every order it listed is. Never creates a record.
    """
    pks = [pks] if isinstance(pks, str) else list(dict.fromkeys(pks))
    values = {":s": {"S": "sent"}, ":m": {"S": message_id}, ":t": {"S": sent_at}}
    sent = "SET email_status = :s, email_message_id = :m, email_sent_at = :t"
    updates = [_update(pk, sent, values) for pk in pks[1:]]
    updates.append(_update(pks[0], sent + " REMOVE " + ", ".join(_LEASE), values))
    _write(updates)


def mark_unknown(pks, field: str = UNKNOWN) -> None:
    """Count one send of unknown outcome on each of ``pks`` (in ``field``)."""
    _write([_update(pk, "ADD #u :one", {":one": {"N": "1"}}, {"#u": field}) for pk in pks])


def unknown(record: dict, field: str = UNKNOWN) -> int:
    """Sends of ``record``'s email (counted in ``field``) whose outcome is unknown."""
    try:
        return int(record.get(field) or 0)
    except (TypeError, ValueError):
        return 0
