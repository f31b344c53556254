"""Status notices through the checkout's outbox (docs/ORDERS.md "Mail jobs").

``add_update`` is the transaction item that adds jobs to ``OUTBOX#<code>``
(creating it, pending, when absent). ``flush`` queues what the outbox holds
(``backend.mailqueue``, the one flush): exactly the jobs SQS took leave the
set, so a job added meanwhile stays for its own flush or the sweeper.
"""

from backend import mailqueue, store


def add_update(code: str, jobs: list[dict], at: str) -> dict:
    return {
        "TableName": store.table_name(), "Key": {"pk": {"S": store.outbox_pk(code)}},
        "UpdateExpression": "SET checkout = :c, outbox = :p, "
                            "created_at = if_not_exists(created_at, :t) ADD jobs :j",
        "ExpressionAttributeValues": {
            ":c": {"S": code}, ":p": {"S": store.OUTBOX_PENDING}, ":t": {"S": at},
            ":j": {"SS": store.job_strings(jobs)},
        },
    }


def flush(code: str) -> int:
    """Queue the jobs in ``OUTBOX#<code>`` (``backend.mailqueue.flush``, which
    takes out exactly the jobs SQS took); returns how many went out."""
    return mailqueue.flush(code)
