"""The mailer's tests' view of the queue and of moto's SES: orders placed
through the real order handler, Lambda's SQS event source mapping played
by ``run_mailer``, and the emails SES accepted."""

import email
import email.policy
import json

from botocore.exceptions import ClientError

from backend import clients
from mailer.handler import handler

SELLERS = {"kopi-wanayasa": "kopi@wanayasa.example", "batik-plered": "batik@plered.example",
           "sayur-maniis": "sayur@maniis.example"}
ONE_SHOP = {"item": ["sayur-maniis/pisang"], "qty": ["2"], "delivery": "ambil", "payment": "cod"}

def sent_messages():
    """Every raw message moto's SES accepted, parsed, oldest first."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    backend = ses_backends[DEFAULT_ACCOUNT_ID][clients.region()]
    return [email.message_from_string(m.raw_data, policy=email.policy.default)
            for m in backend.sent_messages]


def sent_ids():
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    return [m.id for m in ses_backends[DEFAULT_ACCOUNT_ID][clients.region()].sent_messages]


def receive(queue_url, max_messages=10):
    return clients.sqs().receive_message(
        QueueUrl=queue_url, MaxNumberOfMessages=max_messages, WaitTimeSeconds=0,
        AttributeNames=["All"]).get("Messages", [])


def sqs_event(messages):
    return {"Records": [{
        "messageId": m["MessageId"], "receiptHandle": m["ReceiptHandle"], "body": m["Body"],
        "attributes": {"ApproximateReceiveCount": m["Attributes"]["ApproximateReceiveCount"]},
        "eventSource": "aws:sqs",
    } for m in messages]}


class Crash(BaseException):
    """The Lambda process dying mid-invocation (not an Exception the handler catches)."""


def run_mailer(aws, rounds=1):
    """``rounds`` polls of the mail queue; returns every handler result."""
    url = aws.env["MAIL_QUEUE_URL"]
    results = []
    for _ in range(rounds):
        messages = receive(url)
        if not messages:
            break
        try:
            result = handler(sqs_event(messages), None)
        except Crash:  # the invocation failed: nothing deleted, the batch comes back
            for m in messages:
                clients.sqs().change_message_visibility(
                    QueueUrl=url, ReceiptHandle=m["ReceiptHandle"], VisibilityTimeout=0)
            results.append("crash")
            continue
        failed = {f["itemIdentifier"] for f in result["batchItemFailures"]}
        for m in messages:
            if m["MessageId"] not in failed:
                clients.sqs().delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
        results.append(result)
    return results


def drain(aws, limit=30):
    """Poll until the queue has nothing visible (at most ``limit`` rounds)."""
    return run_mailer(aws, rounds=limit)


def enqueue(aws, *jobs):
    for job in jobs:
        clients.sqs().send_message(QueueUrl=aws.env["MAIL_QUEUE_URL"], MessageBody=json.dumps(job))


def client_error(code, status=400, operation="SendEmail"):
    return ClientError({"Error": {"Code": code, "Message": code},
                        "ResponseMetadata": {"HTTPStatusCode": status}}, operation)


def place(place_order, **fields):
    response, body = place_order(**fields)
    assert response["statusCode"] == 201, body
    return body
