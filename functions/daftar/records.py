"""Seller submissions in DynamoDB (``ORDERS_TABLE``) and S3 (``INBOX_BUCKET``).

- ``DAFTAR#<ref>``: the record staff and the status page read: ``ref``,
  ``kind`` (``daftar`` | ``ubah``), ``status`` (``menunggu`` | ``diterima`` |
  ``ditolak``), ``reason``, ``token_hash``, ``created_at``, ``shop_title``,
  ``shop`` (the shop slug, updates only), ``kecamatan``, ``products``,
  ``problems``, ``quick``, ``email``.
- ``inbox/<ref>/kiriman.json`` in the private inbox bucket: the whole
  submission (the form's fields as parsed, photo keys under ``inbox/<ref>/``);
  ``inbox/<ref>/<name>`` the original photos, copied from the upload area.

The JSON and photos are written first, then the record with its mail in one
transaction: until the record exists the submission is invisible, so a
failure half-way leaves nothing anyone sees.
"""

import json
import os

from backend import clients, store

PREFIX = "DAFTAR#"
STATUSES = ("menunggu", "diterima", "ditolak")


def record_pk(ref: str) -> str:
    return PREFIX + ref


def bucket() -> str:
    return os.environ["INBOX_BUCKET"]


def json_key(ref: str) -> str:
    return f"inbox/{ref}/kiriman.json"


def put_json(ref: str, data: dict) -> None:
    clients.s3().put_object(Bucket=bucket(), Key=json_key(ref), ContentType="application/json",
                            Body=json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))


def get_json(ref: str) -> dict:
    body = clients.s3().get_object(Bucket=bucket(), Key=json_key(ref))["Body"].read()
    return json.loads(body)


def copy_photo(source: str, ref: str) -> str:
    """Copy an uploaded photo into the submission's folder; returns its new key."""
    key = f"inbox/{ref}/{source.rsplit('/', 1)[-1]}"
    clients.s3().copy_object(Bucket=bucket(), Key=key,
                             CopySource={"Bucket": bucket(), "Key": source})
    return key


def photo_bytes(key: str) -> bytes:
    return clients.s3().get_object(Bucket=bucket(), Key=key)["Body"].read()


def put(record: dict, extra: list[dict], jobs: list[dict]) -> None:
    """The record, the mail items ``extra`` and the outbox of ``jobs`` in one
    transaction, each only if new."""
    ref = record["ref"]
    put_new([{**record, "pk": record_pk(ref)}, *extra], ref, jobs, record["created_at"])


def put_new(items: list[dict], code: str, jobs: list[dict], created_at: str) -> None:
    """``items`` and the outbox ``OUTBOX#<code>`` of ``jobs`` in one
    transaction, each only if new (the sweeper queues what is left there)."""
    items = list(items)
    if jobs:
        items.append({"pk": store.outbox_pk(code), "checkout": code,
                      "jobs": set(store.job_strings(jobs)), "created_at": created_at,
                      "outbox": store.OUTBOX_PENDING})
    clients.dynamodb().transact_write_items(TransactItems=[
        {"Put": {"TableName": store.table_name(), "Item": store.to_item(item),
                 "ConditionExpression": "attribute_not_exists(pk)"}} for item in items])


def get(ref: str) -> dict | None:
    return store.get(record_pk(ref))


def all_records() -> list[dict]:
    """Every submission, oldest first (a scan: the inbox is small)."""
    db, found = clients.dynamodb(), []
    kwargs = {"TableName": store.table_name(), "FilterExpression": "begins_with(pk, :p)",
              "ExpressionAttributeValues": {":p": {"S": PREFIX}}, "ConsistentRead": True}
    while True:
        page = db.scan(**kwargs)
        found += [store.from_item(item) for item in page.get("Items", [])]
        if not page.get("LastEvaluatedKey"):
            return sorted(found, key=lambda r: (r.get("created_at", ""), r["ref"]))
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


class AlreadyDecided(Exception):
    """The submission is no longer waiting: ``status`` is its outcome."""

    def __init__(self, ref: str, status: str):
        super().__init__(f"{ref} is {status}")
        self.ref, self.status = ref, status


def decide(ref: str, status: str, reason: str, extra: list[dict], jobs: list[dict],
           now: str) -> None:
    """Set the outcome (and write its mail items and outbox) in one transaction,
    only while the submission is still ``menunggu``: a second terima/tolak
    (or one racing another) writes nothing and raises ``AlreadyDecided``."""
    update = {"Update": {
        "TableName": store.table_name(), "Key": {"pk": {"S": record_pk(ref)}},
        "UpdateExpression": "SET #s = :s, reason = :r, decided_at = :t",
        "ConditionExpression": "#s = :waiting",
        "ExpressionAttributeNames": {"#s": "status"},
        "ExpressionAttributeValues": {":s": {"S": status}, ":r": {"S": reason},
                                      ":t": {"S": now}, ":waiting": {"S": STATUSES[0]}}}}
    items = list(extra)
    if jobs:
        items.append({"pk": store.outbox_pk(f"{ref}-{status}"), "checkout": f"{ref}-{status}",
                      "jobs": set(store.job_strings(jobs)), "created_at": now,
                      "outbox": store.OUTBOX_PENDING})
    puts = [{"Put": {"TableName": store.table_name(), "Item": store.to_item(item),
                     "ConditionExpression": "attribute_not_exists(pk)"}} for item in items]
    db = clients.dynamodb()
    try:
        db.transact_write_items(TransactItems=[update, *puts])
    except db.exceptions.TransactionCanceledException:
        current = (get(ref) or {}).get("status")
        if current in (None, STATUSES[0]):
            raise
        raise AlreadyDecided(ref, current) from None


def tag_declined(ref: str) -> None:
    """Tag a declined submission's objects: the bucket's lifecycle rule removes
    them 90 days later (functions/template.yaml)."""
    s3 = clients.s3()
    listed = s3.list_objects_v2(Bucket=bucket(), Prefix=f"inbox/{ref}/").get("Contents", [])
    for item in listed:
        s3.put_object_tagging(Bucket=bucket(), Key=item["Key"], Tagging={
            "TagSet": [{"Key": "status", "Value": "ditolak"}]})
