"""The mailer's reads and writes on the orders table (docs/ORDERS.md).

Reads and the single-record "sent" update are ``backend.store``'s (strongly
consistent reads; ``mark_sent`` conditioned on the record existing, so a
late job never creates a stray item). What the store lacks is marking a
digest: the digest item and every order it covered, written here with
TransactWriteItems so each chunk of up to 100 items is all-or-nothing.
"""

from backend import clients, store

TRANSACTION_LIMIT = 100  # items per TransactWriteItems

get = store.get
get_orders = store.get_orders  # codes -> records, in order, missing ones left out
order_pk = store.order_pk
checkout_pk = store.checkout_pk


def _sent_update(pk: str, message_id: str, sent_at: str) -> dict:
    return {
        "TableName": store.table_name(),
        "Key": {"pk": {"S": pk}},
        "UpdateExpression": "SET email_status = :s, email_message_id = :m, email_sent_at = :t",
        "ConditionExpression": "attribute_exists(pk)",
        "ExpressionAttributeValues": {
            ":s": {"S": "sent"}, ":m": {"S": message_id}, ":t": {"S": sent_at},
        },
    }


def mark_sent(pks, message_id: str, sent_at: str) -> None:
    """Record that SES accepted the email covering every record in ``pks``.

    One record: ``store.mark_sent``. Several (a digest and its orders):
    transactions of up to 100 items, the first pk (the digest item) in the
    last one, so a digest is only marked once every order it listed is.
    """
    pks = list(dict.fromkeys(pks))
    if len(pks) == 1:
        store.mark_sent(pks[0], message_id, sent_at)
        return
    ordered = pks[1:] + pks[:1]
    db = clients.dynamodb()
    for start in range(0, len(ordered), TRANSACTION_LIMIT):
        db.transact_write_items(TransactItems=[
            {"Update": _sent_update(pk, message_id, sent_at)}
            for pk in ordered[start:start + TRANSACTION_LIMIT]
        ])
