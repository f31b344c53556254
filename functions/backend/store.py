"""The order records in DynamoDB (``ORDERS_TABLE``), as docs/ORDERS.md fixes them.

Records are plain dicts; amounts are ints (DynamoDB Numbers come back as
``int``). Keys:

- ``CHECKOUT#<code>``: the buyer's checkout (``checkout_pk``)
- ``ORDER#<code>-<n>``: one shop's part of it (``order_pk``)
- ``KEY#<idempotency key>``: which checkout a key made (``key_pk``)
- ``DIGEST#<shop>#<YYYYMMDDHH>``: orders over a seller's hourly email cap (``digest_pk``)
- ``OUTBOX#<code>``: the checkout's mail jobs not yet on the queue (``outbox_pk``),
  written in the checkout's transaction, removed once SQS took them; the
  sparse index ``outbox`` (``outbox`` = "pending", ``created_at``) lets the
  sweeper find the ones left behind without a scan.

Writers: ``put_checkout`` (one transaction: the checkout, its orders, the
outbox and the key, each only if absent), ``add_to_digest``,
``set_email_status``, ``outbox_add``, ``take_from_outbox``. The mailer's
lease and "sent" marks are ``mailer.lease``'s.
Readers: ``get_checkout``, ``get_order``, ``get_orders``, ``get_key``,
``get``, ``outbox_jobs``, ``outbox_codes``.
"""

import json
import os
import time
from datetime import datetime, timezone
from decimal import Decimal

from backend import clients, mailjobs

OUTBOX_INDEX = "outbox"
OUTBOX_PENDING = "pending"


class KeyExists(Exception):
    """The idempotency key was already used: ``.record`` is its KEY# item."""

    def __init__(self, record: dict):
        super().__init__(record.get("checkout"))
        self.record = record


class CodeTaken(Exception):
    """The checkout or an order code already exists: draw a new code."""


def checkout_pk(code: str) -> str:
    return f"CHECKOUT#{code}"


def order_pk(code: str) -> str:
    return f"ORDER#{code}"


def key_pk(key: str) -> str:
    return f"KEY#{key}"


def digest_pk(shop: str, hour: str) -> str:
    return f"DIGEST#{shop}#{hour}"


def outbox_pk(code: str) -> str:
    return f"OUTBOX#{code}"


def now_iso(now: datetime | None = None) -> str:
    now = now or datetime.now(timezone.utc)
    return now.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def table_name() -> str:
    return os.environ["ORDERS_TABLE"]


# --- conversion ---------------------------------------------------------------

def _plain(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, (set, frozenset)):
        return sorted(_plain(item) for item in value)
    return value


def to_item(data: dict) -> dict:
    """A plain dict -> DynamoDB attribute values (ints, strings, None, lists, dicts)."""
    from boto3.dynamodb.types import TypeSerializer

    serializer = TypeSerializer()
    return {key: serializer.serialize(value) for key, value in data.items()}


def from_item(item: dict | None) -> dict | None:
    """DynamoDB attribute values -> a plain dict (Decimal -> int)."""
    if item is None:
        return None
    from boto3.dynamodb.types import TypeDeserializer

    deserializer = TypeDeserializer()
    return {key: _plain(deserializer.deserialize(value)) for key, value in item.items()}


# --- readers ------------------------------------------------------------------

def get(pk: str) -> dict | None:
    """Any record by its partition key (strongly consistent)."""
    found = clients.dynamodb().get_item(
        TableName=table_name(), Key={"pk": {"S": pk}}, ConsistentRead=True
    ).get("Item")
    return from_item(found)


def get_order(code: str) -> dict | None:
    return get(order_pk(code))


def get_checkout(code: str) -> dict | None:
    return get(checkout_pk(code))


def get_key(key: str) -> dict | None:
    return get(key_pk(key))


def get_orders(codes: list[str]) -> list[dict]:
    """The ORDER# records for ``codes``, in the same order (missing ones left out)."""
    if not codes:
        return []
    db = clients.dynamodb()
    found: dict[str, dict] = {}
    wanted = list(dict.fromkeys(codes))
    for start in range(0, len(wanted), 100):
        request = {table_name(): {"Keys": [{"pk": {"S": order_pk(c)}} for c in wanted[start:start + 100]],
                                  "ConsistentRead": True}}
        for _ in range(8):  # unprocessed keys come back under throttling
            result = db.batch_get_item(RequestItems=request)
            for raw in result.get("Responses", {}).get(table_name(), []):
                record = from_item(raw)
                found[record["code"]] = record
            request = result.get("UnprocessedKeys") or {}
            if not request:
                break
        else:
            raise RuntimeError("batch_get_item kept returning unprocessed keys")
    return [found[c] for c in codes if c in found]


# --- the checkout transaction -----------------------------------------------------

def put_checkout(checkout: dict, orders: list[dict], *, key: str | None = None,
                 key_record: dict | None = None, jobs: list[dict] | None = None,
                 now: float | None = None) -> None:
    """Store a checkout, its shop orders, its outbox (the mail ``jobs``, when
    any) and (with ``key``) the KEY# item in one transaction. Each item is
    written only if its pk is new (the KEY# item also over an expired one,
    ``expires_at`` before ``now``), so nothing is half-written:

    - the key is in use -> ``KeyExists`` (nothing stored);
    - a code already exists -> ``CodeTaken`` (nothing stored; draw again);
    - anything else (throttling, network) -> the botocore error propagates.
    """
    code = checkout["code"]
    puts = [({**checkout, "pk": checkout_pk(code)}, None)]
    puts += [({**order, "pk": order_pk(order["code"])}, None) for order in orders]
    if jobs:
        puts.append(({"pk": outbox_pk(code), "checkout": code, "jobs": set(job_strings(jobs)),
                      "created_at": checkout["created_at"], "outbox": OUTBOX_PENDING}, None))
    if key:
        expired = {":now": {"N": str(int(now if now is not None else time.time()))}}
        puts.append(({**(key_record or {}), "pk": key_pk(key), "checkout": code}, expired))
    transact = []
    for item, values in puts:
        put = {
            "TableName": table_name(),
            "Item": to_item(item),
            "ConditionExpression": "attribute_not_exists(pk)",
            "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
        }
        if values:
            put["ConditionExpression"] += " OR expires_at < :now"
            put["ExpressionAttributeValues"] = values
        transact.append({"Put": put})
    db = clients.dynamodb()
    try:
        # The token makes the SDK's own retries idempotent (a retried commit
        # that already succeeded is not reported as a conflict).
        db.transact_write_items(TransactItems=transact, ClientRequestToken=code)
    except db.exceptions.TransactionCanceledException as err:
        reasons = err.response.get("CancellationReasons") or []
        failed = [i for i, reason in enumerate(reasons)
                  if reason.get("Code") == "ConditionalCheckFailed"]
        if key and len(puts) - 1 in failed:
            old = from_item(reasons[-1].get("Item")) or get_key(key)
            if old is None:  # deleted in between (TTL): let the caller retry
                raise CodeTaken(code) from err
            raise KeyExists(old) from err
        if failed:
            raise CodeTaken(code) from err
        raise
    except db.exceptions.IdempotentParameterMismatchException as err:
        # Another checkout drew the same code (and so the same request token)
        # within DynamoDB's 10-minute idempotency window.
        raise CodeTaken(code) from err


# --- updates ------------------------------------------------------------------------

def set_email_status(pk: str, status: str, *, expected: str | None = None) -> bool:
    """Set ``email_status`` of an ORDER#/CHECKOUT#/DIGEST# record.

    With ``expected``, only when the current status is that one; returns
    whether the record was changed.
    """
    condition = "attribute_exists(pk)"
    values = {":s": {"S": status}}
    if expected is not None:
        condition += " AND email_status = :e"
        values[":e"] = {"S": expected}
    db = clients.dynamodb()
    try:
        db.update_item(
            TableName=table_name(), Key={"pk": {"S": pk}},
            UpdateExpression="SET email_status = :s",
            ConditionExpression=condition, ExpressionAttributeValues=values,
        )
    except db.exceptions.ConditionalCheckFailedException:
        return False
    return True


def add_to_digest(shop: str, hour: str, code: str, expires_at: int, now: float,
                  delay: int) -> bool:
    """Append an order code to ``DIGEST#<shop>#<hour>``; True when a digest job
    (sent with ``delay`` seconds) must be queued for it.

    A job is needed when the item is new, or when the job scheduled before
    (``next_job_at``) has fired already (or fires within a minute), so a code
    appended after that job read the item is never left without one. A spare
    job is harmless: the mailer skips orders that are already sent.
    """
    db = clients.dynamodb()
    result = db.update_item(
        TableName=table_name(), Key={"pk": {"S": digest_pk(shop, hour)}},
        UpdateExpression=(
            "SET codes = list_append(if_not_exists(codes, :empty), :code), "
            "shop = :shop, expires_at = if_not_exists(expires_at, :exp)"
        ),
        ExpressionAttributeValues={
            ":empty": {"L": []}, ":code": {"L": [{"S": code}]},
            ":shop": {"S": shop}, ":exp": {"N": str(int(expires_at))},
        },
        ReturnValues="ALL_OLD",
    )
    old = from_item(result.get("Attributes")) or {}
    if old and now < float(old.get("next_job_at") or 0) - 60:
        return False
    db.update_item(
        TableName=table_name(), Key={"pk": {"S": digest_pk(shop, hour)}},
        UpdateExpression="SET next_job_at = :n",
        ExpressionAttributeValues={":n": {"N": str(int(now + delay))}},
    )
    return True


# --- the outbox: mail jobs not yet on the queue -----------------------------------------

def job_strings(jobs: list[dict]) -> list[str]:
    """Mail jobs as their canonical bodies (the outbox's string set)."""
    return sorted({mailjobs.encode(job) for job in jobs})


def outbox_jobs(code: str) -> list[dict]:
    """The jobs still in ``OUTBOX#<code>`` (none when it is gone)."""
    record = get(outbox_pk(code)) or {}
    return [json.loads(job) for job in record.get("jobs") or []]


def outbox_add(code: str, jobs: list[dict]) -> None:
    """Add jobs to an existing outbox (never creates one)."""
    if jobs:
        clients.dynamodb().update_item(
            TableName=table_name(), Key={"pk": {"S": outbox_pk(code)}},
            UpdateExpression="ADD jobs :j", ConditionExpression="attribute_exists(pk)",
            ExpressionAttributeValues={":j": {"SS": job_strings(jobs)}},
        )


def take_from_outbox(code: str, jobs: list[dict]) -> None:
    """Take exactly ``jobs`` out of ``code``'s outbox (a job added meanwhile by
    another request stays for its own flush or the sweeper); the item goes
    once no job is left in it. The common case, an outbox holding exactly
    ``jobs``, is one conditional delete."""
    db, key, taken = clients.dynamodb(), {"pk": {"S": outbox_pk(code)}}, job_strings(jobs)
    if taken:
        if _delete_if_exactly(key, taken):
            return
        try:
            db.update_item(TableName=table_name(), Key=key, UpdateExpression="DELETE jobs :j",
                           ConditionExpression="attribute_exists(pk)",
                           ExpressionAttributeValues={":j": {"SS": taken}})
        except db.exceptions.ConditionalCheckFailedException:
            return  # settled by another caller meanwhile (a repeat, the sweeper)
    try:
        db.delete_item(TableName=table_name(), Key=key,
                       ConditionExpression="attribute_not_exists(jobs)")
    except db.exceptions.ConditionalCheckFailedException:
        pass  # other jobs are still waiting in it


def _delete_if_exactly(key: dict, jobs: list[str]) -> bool:
    """Delete the outbox ``key`` if its jobs are exactly ``jobs`` (a set holds
    them all and no more when its size is theirs); False when it is not so."""
    values = {f":j{i}": {"S": job} for i, job in enumerate(jobs)}
    condition = " AND ".join(["size(jobs) = :n", *(f"contains(jobs, {v})" for v in values)])
    db = clients.dynamodb()
    try:
        db.delete_item(TableName=table_name(), Key=key, ConditionExpression=condition,
                       ExpressionAttributeValues={":n": {"N": str(len(jobs))}, **values})
    except db.exceptions.ConditionalCheckFailedException:
        return False
    return True


def outbox_codes(created_before: str | None = None) -> list[str]:
    """Checkout codes whose outbox was created before ``created_before`` (ISO
    UTC; every pending one without it), oldest first, from the sparse index."""
    db = clients.dynamodb()
    condition, values = "outbox = :p", {":p": {"S": OUTBOX_PENDING}}
    if created_before:
        condition += " AND created_at < :c"
        values[":c"] = {"S": created_before}
    kwargs = {"TableName": table_name(), "IndexName": OUTBOX_INDEX,
              "KeyConditionExpression": condition, "ExpressionAttributeValues": values}
    codes = []
    while True:
        page = db.query(**kwargs)
        codes += [item["pk"]["S"].split("#", 1)[1] for item in page.get("Items", [])]
        if not page.get("LastEvaluatedKey"):
            return codes
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def mark_lines(pk: str, count: int) -> None:
    """A seller-form digest (``SURAT#STAFF-…``): its first ``count`` lines are sent."""
    clients.dynamodb().update_item(
        TableName=table_name(), Key={"pk": {"S": pk}},
        UpdateExpression="SET sent_lines = :n", ConditionExpression="attribute_exists(pk)",
        ExpressionAttributeValues={":n": {"N": str(int(count))}})
