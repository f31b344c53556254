"""The mailer's reads and writes on the orders table (docs/ORDERS.md): all
``backend.store``'s (strongly consistent reads; ``mark_sent`` conditioned on
the record existing, so a late job never creates a stray item, and a digest
marked with its orders in all-or-nothing transactions).
"""

from backend import store

get = store.get
get_orders = store.get_orders  # codes -> records, in order, missing ones left out
order_pk = store.order_pk
checkout_pk = store.checkout_pk
mark_sent = store.mark_sent


def mark_lines(pk: str, count: int) -> None:
    """A digest of the seller form: its first ``count`` lines are sent."""
    from backend import clients

    clients.dynamodb().update_item(
        TableName=store.table_name(), Key={"pk": {"S": pk}},
        UpdateExpression="SET sent_lines = :n", ConditionExpression="attribute_exists(pk)",
        ExpressionAttributeValues={":n": {"N": str(int(count))}})
