"""Fixed-window counters in DynamoDB: ``RATE#<scope>#<value>#<window>``.

One atomic ``ADD count :1`` per hit; the item expires (TTL ``expires_at``)
a window after it ends. Scopes used by the order function: ``ip`` (an IPv4
address or an IPv6 /64, see ``backend.function_url.rate_key``; counted once per
idempotency key, ``check_once``) and ``phone`` (abuse limits, counted only
for valid orders), ``lookup`` (confirmation pages per address), ``seller`` (a seller's emails per
hour, whose window is the clock hour so it lines up with
``DIGEST#<shop>#<YYYYMMDDHH>``) and ``email`` (confirmations to one buyer
address per day, so the form cannot be used to mail strangers); the last two
are counted only for stored orders.
"""

import math
import os
import time
from dataclasses import dataclass
from datetime import datetime, timezone

from backend import clients
from backend.store import table_name

# Defaults, overridable as "<count>/<seconds>" in the environment. Mobile
# carriers put many buyers behind one address (CGNAT), so the per-IP limit
# is generous; the per-phone one is what stops a flood of orders.
DEFAULT_LIMITS = {
    "ip": (30, 600),       # ORDER_RATE_PER_IP
    "phone": (10, 3600),   # ORDER_RATE_PER_PHONE
    "lookup": (60, 600),   # ORDER_LOOKUP_RATE_PER_IP: confirmation pages per address
}
_ENV = {"ip": "ORDER_RATE_PER_IP", "phone": "ORDER_RATE_PER_PHONE",
        "lookup": "ORDER_LOOKUP_RATE_PER_IP"}
BUYER_EMAILS_PER_DAY = 3


@dataclass(frozen=True)
class Hit:
    allowed: bool
    count: int
    limit: int
    retry_after: int  # seconds until the window ends (0 when allowed)


def limit_for(scope: str) -> tuple[int, int]:
    raw = os.environ.get(_ENV.get(scope, ""), "")
    try:
        count, seconds = (int(part) for part in raw.split("/"))
        if count > 0 and seconds > 0:
            return count, seconds
    except ValueError:
        pass
    return DEFAULT_LIMITS[scope]


def seller_emails_per_hour() -> int:
    try:
        return max(0, int(os.environ.get("SELLER_EMAILS_PER_HOUR", "20")))
    except ValueError:
        return 20


def hour_key(now: float) -> str:
    """``YYYYMMDDHH`` (UTC) of ``now``: the seller window and digest suffix."""
    return datetime.fromtimestamp(now, timezone.utc).strftime("%Y%m%d%H")


def hit(scope: str, value: str, limit: int, window: int, now: float | None = None,
        window_key: str | None = None) -> Hit:
    """Count one hit of ``value`` in ``scope``; allowed while count <= limit."""
    now = time.time() if now is None else now
    start = math.floor(now / window) * window
    key = window_key or str(int(start))
    result = clients.dynamodb().update_item(
        TableName=table_name(),
        Key={"pk": {"S": f"RATE#{scope}#{value}#{key}"}},
        UpdateExpression="ADD #c :one SET expires_at = if_not_exists(expires_at, :exp)",
        ExpressionAttributeNames={"#c": "count"},
        ExpressionAttributeValues={":one": {"N": "1"},
                                   ":exp": {"N": str(int(start + 2 * window))}},
        ReturnValues="UPDATED_NEW",
    )
    count = int(result["Attributes"]["count"]["N"])
    allowed = count <= limit
    retry_after = 0 if allowed else max(1, math.ceil(start + window - now))
    return Hit(allowed, count, limit, retry_after)


def hit_once(scope: str, value: str, member: str, limit: int, window: int,
             now: float | None = None) -> Hit:
    """Count ``member`` (an idempotency key) once in ``value``'s window: the
    item keeps the window's members as a set, added only while the set has
    room or already holds ``member``, so repeats of one key (even racing
    ones) count once and the set never grows past ``limit``."""
    now = time.time() if now is None else now
    start = math.floor(now / window) * window
    db = clients.dynamodb()
    try:
        result = db.update_item(
            TableName=table_name(),
            Key={"pk": {"S": f"RATE#{scope}#{value}#{int(start)}"}},
            UpdateExpression="ADD members :m SET expires_at = if_not_exists(expires_at, :exp)",
            ConditionExpression=("attribute_not_exists(members) OR contains(members, :k) "
                                 "OR size(members) < :limit"),
            ExpressionAttributeValues={":m": {"SS": [member]}, ":k": {"S": member},
                                       ":limit": {"N": str(limit)},
                                       ":exp": {"N": str(int(start + 2 * window))}},
            ReturnValues="ALL_NEW",
        )
    except db.exceptions.ConditionalCheckFailedException:
        return Hit(False, limit + 1, limit, max(1, math.ceil(start + window - now)))
    return Hit(True, len(result["Attributes"]["members"]["SS"]), limit, 0)


def check_once(scope: str, value: str, member: str, now: float | None = None) -> Hit:
    """``hit_once`` against the configured limit of ``scope``."""
    limit, window = limit_for(scope)
    return hit_once(scope, value, member, limit, window, now)


def check(scope: str, value: str, now: float | None = None) -> Hit:
    """A hit against the configured limit of ``scope`` (``ip`` or ``phone``)."""
    limit, window = limit_for(scope)
    return hit(scope, value, limit, window, now)


def seller_email(shop: str, now: float | None = None) -> Hit:
    """Count one email to ``shop``'s seller in the current clock hour."""
    now = time.time() if now is None else now
    return hit("seller", shop, seller_emails_per_hour(), 3600, now, window_key=hour_key(now))


def buyer_email(address: str, now: float | None = None) -> Hit:
    """Count one confirmation email to ``address`` (case-insensitive) in its day."""
    return hit("email", address.strip().lower(), BUYER_EMAILS_PER_DAY, 86400, now)
