"""A slow SES: it takes the message, then answers after the mailer's read timeout.

The mailer cannot know whether such a send went out. It must neither flood
the seller (each retry of a timed-out send may be one more copy) nor lose
the email: a timed-out send is retried once, so each recipient gets at most
one duplicate. SES here is moto's, behind a small proxy that forwards each
request at once (moto accepts the message) and holds the answer back longer
than the SES client's read timeout (shortened for the test).
"""

import threading
import urllib.error
import urllib.request
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from backend import clients

from .mailer_queue import SELLERS, drain, enqueue, place, sent_messages

READ_TIMEOUT = 0.5  # the SES client's read timeout in these tests (10 s in production)
BUYER = "siti@contoh.id"


class _Proxy(BaseHTTPRequestHandler):
    server: "SlowSes"

    def do_POST(self):  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = {k: v for k, v in self.headers.items()
                   if k.lower() not in ("host", "content-length")}
        request = urllib.request.Request(self.server.target + self.path, data=body,
                                         headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # 127.0.0.1 only
                status, reply, kind = response.status, response.read(), response.headers
        except urllib.error.HTTPError as err:
            status, reply, kind = err.code, err.read(), err.headers
        if self.server.slow():
            self.server.released.wait(READ_TIMEOUT * 3)  # answer after the client gave up
        try:
            self.send_response(status)
            self.send_header("Content-Type", kind.get("Content-Type", "application/json"))
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)
        except OSError:
            pass  # the client is gone: it timed out

    def log_message(self, *args):
        pass


class SlowSes(ThreadingHTTPServer):
    """moto's SES behind a delay: the first ``slow_calls`` answers (every one
    with None) come after the client's read timeout."""

    daemon_threads = True

    def __init__(self, target: str, slow_calls: int | None):
        super().__init__(("127.0.0.1", 0), _Proxy)
        self.target = target
        self.slow_calls = slow_calls
        self.calls = 0
        self.released = threading.Event()
        self._lock = threading.Lock()

    def slow(self) -> bool:
        with self._lock:
            self.calls += 1
            return self.slow_calls is None or self.calls <= self.slow_calls

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


@pytest.fixture
def slow_ses(aws, monkeypatch, no_backoff):
    """``slow_ses(slow_calls)``: the mailer's SES client goes through a SlowSes."""
    import boto3
    from botocore.config import Config

    servers = []

    def install(slow_calls=None):
        server = SlowSes(aws.endpoint, slow_calls)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        config = Config(**{**clients.CONFIGS["sesv2"], "read_timeout": READ_TIMEOUT})
        ses = boto3.client("sesv2", endpoint_url=server.url, config=config,
                           region_name=clients.region())
        monkeypatch.setattr(clients, "sesv2", lambda: ses)
        # Longer than a batch of timed-out sends: no redelivery while one runs.
        clients.sqs().set_queue_attributes(QueueUrl=aws.env["MAIL_QUEUE_URL"],
                                           Attributes={"VisibilityTimeout": "60"})
        return server

    yield install
    for server in servers:
        server.released.set()
        server.shutdown()
        server.server_close()


@pytest.fixture
def no_backoff(monkeypatch):
    from mailer import retry

    monkeypatch.setattr(retry, "BASE_DELAY", 0)


def _copies():
    return Counter((str(m["To"]), str(m["Subject"])) for m in sent_messages())


def _order_queued_twice(aws, place_order) -> str:
    """A two-shop order with a buyer email, each of its jobs on the queue twice."""
    code = place(place_order, email=BUYER)["code"]
    enqueue(aws, {"kind": "seller", "order": f"{code}-1"}, {"kind": "seller", "order": f"{code}-2"},
            {"kind": "buyer", "checkout": code})
    return code


def test_ses_answering_after_the_timeout_gives_at_most_one_duplicate(aws, place_order,
                                                                     slow_ses):
    ses = slow_ses()  # every answer too late, every message taken
    code = _order_queued_twice(aws, place_order)
    drain(aws)
    copies = _copies()
    recipients = {SELLERS["kopi-wanayasa"], SELLERS["batik-plered"], BUYER}
    assert {to for to, _ in copies} == recipients  # nobody left without the email
    assert all(1 <= n <= 2 for n in copies.values()), copies  # at most one duplicate
    assert ses.calls == sum(copies.values())
    assert aws.queue_counts() == {"visible": 0, "in_flight": 0, "delayed": 0}
    for pk in (f"ORDER#{code}-1", f"ORDER#{code}-2", f"CHECKOUT#{code}"):
        record = aws.item(pk)
        assert record["email_unknown"] == 2 and record["email_status"] != "sent"
        assert "email_lease_by" not in record
    # A redrive or a late copy of the job does not send a third time.
    enqueue(aws, {"kind": "seller", "order": f"{code}-1"})
    drain(aws)
    assert _copies() == copies


def test_one_late_answer_then_a_quick_one_sends_once_more_and_records_it(aws, place_order,
                                                                         slow_ses):
    slow_ses(slow_calls=1)  # only the very first send times out
    code = _order_queued_twice(aws, place_order)
    drain(aws)
    copies = _copies()
    assert sorted(copies.values()) == [1, 1, 2], copies  # the timed-out one, sent once more
    for pk in (f"ORDER#{code}-1", f"ORDER#{code}-2", f"CHECKOUT#{code}"):
        record = aws.item(pk)
        assert record["email_status"] == "sent" and "email_lease_by" not in record
    assert sum(aws.item(pk).get("email_unknown", 0)
               for pk in (f"ORDER#{code}-1", f"ORDER#{code}-2", f"CHECKOUT#{code}")) == 1
