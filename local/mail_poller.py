"""The SQS event source mapping of the mailer, run as a local thread.

Like Lambda's poller: long-poll the mail queue, hand each batch to the
mailer's handler as an SQS event, then delete the messages that succeeded,
i.e. all except those listed in ``batchItemFailures``
(ReportBatchItemFailures). When the handler raises, nothing is deleted: the
whole batch comes back after its visibility timeout, and after 15 receives
the queue's redrive policy moves a message to the dead-letter queue.

``Sweeper`` plays the sweeper's EventBridge schedule: a thread calling
``sweeper.handler`` every ``interval`` seconds.
"""

import sys
import threading
import traceback

from backend import clients
from local.lambda_events import LambdaContext, sqs_event

BATCH_SIZE = 5  # as the template's event source mapping
WAIT_SECONDS = 1


def _log(message: str) -> None:
    print(f"[mailer] {message}", file=sys.stderr, flush=True)


_arns: dict = {}


def _queue_arn(queue_url: str) -> str:
    if queue_url not in _arns:
        _arns[queue_url] = clients.sqs().get_queue_attributes(
            QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return _arns[queue_url]


def process_batch(queue_url: str, handler, *, batch_size: int = BATCH_SIZE,
                  wait_seconds: int = WAIT_SECONDS) -> int:
    """Receive one batch and run the handler on it; returns messages received."""
    sqs = clients.sqs()
    messages = sqs.receive_message(
        QueueUrl=queue_url, MaxNumberOfMessages=batch_size, WaitTimeSeconds=wait_seconds,
        AttributeNames=["All"], MessageAttributeNames=["All"],
    ).get("Messages", [])
    if not messages:
        return 0
    event = sqs_event(messages, _queue_arn(queue_url), clients.region())
    try:
        result = handler(event, LambdaContext("mailer", timeout_seconds=30))
    except Exception:  # the whole batch is retried, as with a failed invocation
        _log("handler raised; the batch will be retried:\n" + traceback.format_exc())
        return len(messages)
    failed = {item.get("itemIdentifier")
              for item in (result or {}).get("batchItemFailures", []) or []}
    done = [m for m in messages if m["MessageId"] not in failed]
    if failed:
        _log(f"{len(failed)} of {len(messages)} job(s) failed; they will be retried")
    if done:
        sqs.delete_message_batch(
            QueueUrl=queue_url,
            Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(done)],
        )
    return len(messages)


class MailPoller:
    """``workers`` threads polling ``queue_url`` until ``stop()``."""

    def __init__(self, queue_url: str, handler, workers: int = 1, batch_size: int = BATCH_SIZE):
        self.queue_url = queue_url
        self.handler = handler  # the mailer's ``handler(event, context)``
        self.batch_size = batch_size
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._run, name=f"mail-poller-{i}", daemon=True)
                         for i in range(max(1, workers))]

    def _run(self) -> None:
        last_error = None
        while not self._stop.is_set():
            try:
                process_batch(self.queue_url, self.handler, batch_size=self.batch_size)
                last_error = None
            except Exception as err:  # queue unreachable, handler missing: keep polling
                if repr(err) != last_error:  # report each new problem once
                    last_error = repr(err)
                    _log("polling failed (retrying every second):\n"
                         + traceback.format_exc(limit=3))
                self._stop.wait(1.0)

    def start(self) -> "MailPoller":
        for thread in self._threads:
            thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout)


class Sweeper:
    """Calls the sweeper function every ``interval`` seconds until ``stop()``
    (the template's ``rate(5 minutes)``; shorter locally)."""

    def __init__(self, handler, interval: float = 60.0):
        self.handler = handler  # the sweeper's ``handler(event, context)``
        self.interval = interval
        self.runs = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sweeper", daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                result = self.handler({"source": "aws.events", "detail-type": "Scheduled Event"},
                                 LambdaContext("sweeper", timeout_seconds=60))
                if (result or {}).get("queued"):
                    _log(f"sweeper queued {result['queued']} job(s) left in outboxes")
            except Exception:  # the table or queue unreachable: next round
                _log("sweeper failed:\n" + traceback.format_exc(limit=3))
            self.runs += 1

    def start(self) -> "Sweeper":
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._thread.join(timeout)
