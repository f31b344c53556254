"""Status notices through the checkout's outbox (docs/ORDERS.md "Mail jobs").

``add_update`` is the transaction item that adds jobs to ``OUTBOX#<code>``
(creating it, pending, when absent). ``flush`` queues what the outbox holds
and then removes exactly the jobs SQS took (``DELETE`` from the string
set), so a job added meanwhile by another request stays for its own flush
or the sweeper; the item goes once its set is empty.
"""

from backend import clients, mailqueue, store


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
    """Queue the jobs in ``OUTBOX#<code>``; returns how many went out."""
    jobs = store.outbox_jobs(code)
    if not jobs:
        return 0
    failed = mailqueue.send(jobs)
    done = [job for job in jobs if job not in failed]
    if not done:
        return 0
    db = clients.dynamodb()
    key = {"pk": {"S": store.outbox_pk(code)}}
    db.update_item(TableName=store.table_name(), Key=key, UpdateExpression="DELETE jobs :j",
                   ExpressionAttributeValues={":j": {"SS": store.job_strings(done)}})
    try:
        db.delete_item(TableName=store.table_name(), Key=key,
                       ConditionExpression="attribute_not_exists(jobs)")
    except db.exceptions.ConditionalCheckFailedException:
        pass  # other jobs are still waiting in it
    return len(done)
