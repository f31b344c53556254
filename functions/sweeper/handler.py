"""Lambda handler of the sweeper (EventBridge schedule, every 5 minutes).

Thin: ``backend.mailqueue.requeue()`` queues the mail jobs of every checkout
outbox older than two minutes (the order function died after the commit, or
SQS refused them). The local run calls it from a thread.
"""


def handler(event=None, context=None) -> dict:
    from backend import mailqueue

    return {"queued": mailqueue.requeue()}
