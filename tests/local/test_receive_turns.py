"""The local run's SQS hands each message to one receiver at a time, as SQS
does: moto's ReceiveMessage picks visible messages without a lock, so two
mail pollers receiving at once could both get the same message, and the
second receive (a higher receive count) took over the first one's lease
while it was sending: one seller got two emails in a 300 s load run."""

import sys
import threading
from collections import Counter

import boto3
import pytest
from botocore.config import Config

from local import aws_process

MESSAGES = 300
RECEIVERS = 8


@pytest.fixture(scope="module")
def endpoint():
    server = aws_process.build_server()
    threading.Thread(target=server.serve_forever, name="moto-turns", daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


def _sqs(endpoint: str):
    return boto3.session.Session(aws_access_key_id="local", aws_secret_access_key="local",
                                 region_name="ap-southeast-3").client(
        "sqs", endpoint_url=endpoint, config=Config(retries={"max_attempts": 1}))


def test_concurrent_receives_never_share_a_message(endpoint):
    sqs = _sqs(endpoint)
    url = sqs.create_queue(QueueName="turns", Attributes={"VisibilityTimeout": "300"})["QueueUrl"]
    for start in range(0, MESSAGES, 10):
        sqs.send_message_batch(QueueUrl=url, Entries=[
            {"Id": str(i), "MessageBody": f"job {start + i}"} for i in range(10)])
    received: Counter = Counter()
    lock = threading.Lock()

    def receive():
        client = _sqs(endpoint)
        while True:  # until the queue has nothing visible left (nothing is deleted)
            messages = client.receive_message(QueueUrl=url, MaxNumberOfMessages=5,
                                              WaitTimeSeconds=1).get("Messages", [])
            if not messages:
                return
            with lock:
                received.update(m["MessageId"] for m in messages)

    switch = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)  # threads interleave often: a race shows up
    try:
        threads = [threading.Thread(target=receive) for _ in range(RECEIVERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
    finally:
        sys.setswitchinterval(switch)
    assert len(received) == MESSAGES
    assert [m for m, n in received.items() if n > 1] == []


def test_a_query_protocol_receive_in_its_turn_does_not_lock_the_emulator(endpoint):
    """A ReceiveMessage without X-Amz-Target (the query protocol) takes its
    turn as a whole request, then its looks at the queue take turns again."""
    import urllib.request

    sqs = _sqs(endpoint)
    url = sqs.create_queue(QueueName="query")["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="job")
    request = urllib.request.Request(
        endpoint + "/", data=f"Action=ReceiveMessage&QueueUrl={url}&Version=2012-11-05".encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded",
                 "Authorization": "AWS4-HMAC-SHA256 Credential=local/20261202/ap-southeast-3/"
                                  "sqs/aws4_request, SignedHeaders=host, Signature=0"})
    with urllib.request.urlopen(request, timeout=20) as response:
        assert response.status == 200 and b"job" in response.read()
    assert sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])  # still serving
