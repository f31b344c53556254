"""Create the functions' AWS resources in whatever ``AWS_ENDPOINT_URL`` points
at (moto's server locally and in tests), mirroring ``functions/template.yaml``:

- the orders table (partition key ``pk`` S, TTL attribute ``expires_at``,
  the sparse ``outbox`` index the sweeper queries),
- the mail queue with its dead-letter queue (redrive after 15 receives),
- the private catalog bucket with the private catalog uploaded,
- the SES identity of ``MAIL_FROM`` (so SES accepts sends from it).

Idempotent: calling it again keeps what exists and re-uploads the catalog.
"""

import json
import os
from pathlib import Path

from backend import clients, store

DEFAULT_MAIL_FROM = "pesanan@warung.localhost"
# The seller form (functions/daftar): who gets the inbox emails, the office's WhatsApp.
DEFAULT_STAFF_EMAIL = "petugas@warung.localhost"
DEFAULT_OFFICE_WHATSAPP = "0812-0000-0000"
CATALOG_KEY = "katalog.json"
MAX_RECEIVE_COUNT = 15  # as the template: ~2.5 h of the mailer's backoff


def names(prefix: str = "warung") -> dict:
    """The resource names for ``prefix`` (local only: the SAM template lets CloudFormation name them)."""
    return {
        "table": f"{prefix}-orders",
        "queue": f"{prefix}-mail",
        "dlq": f"{prefix}-mail-dlq",
        "bucket": f"{prefix}-catalog-private",
        "inbox": f"{prefix}-inbox-private",
    }


def create_table(name: str) -> None:
    db = clients.dynamodb()
    try:
        db.create_table(
            TableName=name,
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                  {"AttributeName": "outbox", "AttributeType": "S"},
                                  {"AttributeName": "created_at", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            GlobalSecondaryIndexes=[{
                "IndexName": store.OUTBOX_INDEX,
                "KeySchema": [{"AttributeName": "outbox", "KeyType": "HASH"},
                              {"AttributeName": "created_at", "KeyType": "RANGE"}],
                "Projection": {"ProjectionType": "KEYS_ONLY"},
            }],
            BillingMode="PAY_PER_REQUEST",
        )
    except db.exceptions.ResourceInUseException:
        pass
    db.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 30})
    ttl = db.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
    if ttl.get("TimeToLiveStatus") not in ("ENABLED", "ENABLING"):
        db.update_time_to_live(
            TableName=name,
            TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires_at"},
        )


def create_queues(queue: str, dlq: str, visibility_timeout: int = 180) -> tuple[str, str]:
    sqs = clients.sqs()
    dlq_url = sqs.create_queue(
        QueueName=dlq, Attributes={"MessageRetentionPeriod": str(14 * 24 * 3600)}
    )["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])[
        "Attributes"]["QueueArn"]
    attributes = {
        "VisibilityTimeout": str(visibility_timeout),
        "MessageRetentionPeriod": str(4 * 24 * 3600),
        "RedrivePolicy": json.dumps(
            {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": str(MAX_RECEIVE_COUNT)}
        ),
    }
    try:
        url = sqs.create_queue(QueueName=queue, Attributes=attributes)["QueueUrl"]
    except sqs.exceptions.QueueNameExists:
        # Exists with other attributes (e.g. another visibility timeout): update it.
        url = sqs.get_queue_url(QueueName=queue)["QueueUrl"]
        sqs.set_queue_attributes(QueueUrl=url, Attributes=attributes)
    return url, dlq_url


def create_bucket(name: str) -> None:
    s3 = clients.s3()
    kwargs = {"Bucket": name}
    if clients.region() != "us-east-1":
        kwargs["CreateBucketConfiguration"] = {"LocationConstraint": clients.region()}
    try:
        s3.create_bucket(**kwargs)
    except (s3.exceptions.BucketAlreadyOwnedByYou, s3.exceptions.BucketAlreadyExists):
        pass


def verify_sender(address: str) -> None:
    ses = clients.sesv2()
    try:
        ses.create_email_identity(EmailIdentity=address)
    except ses.exceptions.AlreadyExistsException:
        pass


def upload_catalog(path, bucket: str | None = None, key: str | None = None) -> str:
    """Upload the private catalog at ``path`` (after each rebuild); returns its ETag.

    ``bucket``/``key`` default to ``CATALOG_BUCKET``/``CATALOG_KEY`` from the
    environment, then to the default names.
    """
    bucket = bucket or os.environ.get("CATALOG_BUCKET") or names()["bucket"]
    key = key or os.environ.get("CATALOG_KEY") or CATALOG_KEY
    body = Path(path).read_bytes()
    json.loads(body)  # refuse to publish a broken catalog
    result = clients.s3().put_object(
        Bucket=bucket, Key=key, Body=body, ContentType="application/json"
    )
    return result["ETag"]


def create_resources(catalog_path=None, prefix: str = "warung", *,
                     mail_from: str | None = None, visibility_timeout: int = 180) -> dict:
    """Create everything and return the functions' environment variables.

    ``catalog_path`` (the private catalog JSON) is uploaded when given.
    ``visibility_timeout`` of the mail queue is the template's 180 s; tests
    may shorten it to see retries quickly.
    """
    n = names(prefix)
    mail_from = mail_from or os.environ.get("MAIL_FROM") or DEFAULT_MAIL_FROM
    create_table(n["table"])
    queue_url, dlq_url = create_queues(n["queue"], n["dlq"], visibility_timeout)
    create_bucket(n["bucket"])
    create_bucket(n["inbox"])
    verify_sender(mail_from)
    if catalog_path is not None:
        upload_catalog(catalog_path, n["bucket"], CATALOG_KEY)
    return {
        "ORDERS_TABLE": n["table"],
        "MAIL_QUEUE_URL": queue_url,
        "MAIL_DLQ_URL": dlq_url,
        "CATALOG_BUCKET": n["bucket"],
        "CATALOG_KEY": CATALOG_KEY,
        "MAIL_FROM": mail_from,
        "INBOX_BUCKET": n["inbox"],
        "STAFF_EMAIL": os.environ.get("STAFF_EMAIL") or DEFAULT_STAFF_EMAIL,
        "OFFICE_WHATSAPP": os.environ.get("OFFICE_WHATSAPP") or DEFAULT_OFFICE_WHATSAPP,
    }
