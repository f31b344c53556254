"""backend.ratelimit alone: no AWS, DynamoDB answered by botocore's Stubber
(what is sent is checked; what comes back is DynamoDB's shape)."""

import boto3
import pytest
from botocore.stub import ANY, Stubber

from backend import clients, ratelimit

NOW = 1_790_000_123.0


@pytest.fixture
def dynamodb(monkeypatch):
    monkeypatch.setenv("ORDERS_TABLE", "orders")
    client = boto3.client("dynamodb", region_name="ap-southeast-3",
                          aws_access_key_id="x", aws_secret_access_key="x")
    monkeypatch.setattr(clients, "dynamodb", lambda: client)
    with Stubber(client) as stub:
        yield stub
        stub.assert_no_pending_responses()


@pytest.mark.parametrize("raw, expected", [
    ("", (30, 600)), ("5/60", (5, 60)), ("0/60", (30, 600)), ("x/y", (30, 600)), ("5", (30, 600)),
])
def test_limits_come_from_the_environment_or_the_defaults(monkeypatch, raw, expected):
    monkeypatch.setenv("ORDER_RATE_PER_IP", raw)
    assert ratelimit.limit_for("ip") == expected


def test_the_lookup_limit_has_its_own_switch(monkeypatch):
    monkeypatch.setenv("ORDER_LOOKUP_RATE_PER_IP", "7/60")
    assert ratelimit.limit_for("lookup") == (7, 60)
    assert ratelimit.limit_for("ip") == ratelimit.DEFAULT_LIMITS["ip"]


def test_hour_key_is_the_utc_clock_hour():
    assert ratelimit.hour_key(0) == "1970010100"
    assert ratelimit.hour_key(3600 * 25 + 59) == "1970010201"


def test_a_hit_counts_in_its_window(dynamodb):
    start = int(NOW // 600 * 600)
    dynamodb.add_response("update_item", {"Attributes": {"count": {"N": "3"}}}, {
        "TableName": "orders", "Key": {"pk": {"S": f"RATE#ip#203.0.113.7#{start}"}},
        "UpdateExpression": ANY, "ExpressionAttributeNames": {"#c": "count"},
        "ExpressionAttributeValues": {":one": {"N": "1"}, ":exp": {"N": str(start + 1200)}},
        "ReturnValues": "UPDATED_NEW"})
    hit = ratelimit.hit("ip", "203.0.113.7", 3, 600, NOW)
    assert hit == ratelimit.Hit(True, 3, 3, 0)


def test_past_the_limit_says_when_the_window_ends(dynamodb):
    start = NOW // 600 * 600
    dynamodb.add_response("update_item", {"Attributes": {"count": {"N": "4"}}})
    hit = ratelimit.hit("ip", "203.0.113.7", 3, 600, NOW)
    assert not hit.allowed and hit.retry_after == 277 == start + 600 - NOW


def test_a_key_counts_once_by_set_membership(dynamodb):
    start = int(NOW // 600 * 600)
    dynamodb.add_response("update_item", {"Attributes": {"members": {"SS": ["k1", "k2"]}}}, {
        "TableName": "orders", "Key": {"pk": {"S": f"RATE#ip#203.0.113.7#{start}"}},
        "UpdateExpression": "ADD members :m SET expires_at = if_not_exists(expires_at, :exp)",
        "ConditionExpression": ("attribute_not_exists(members) OR contains(members, :k) "
                                "OR size(members) < :limit"),
        "ExpressionAttributeValues": {":m": {"SS": ["k2"]}, ":k": {"S": "k2"},
                                      ":limit": {"N": "30"}, ":exp": {"N": str(start + 1200)}},
        "ReturnValues": "ALL_NEW"})
    assert ratelimit.check_once("ip", "203.0.113.7", "k2", NOW) == ratelimit.Hit(True, 2, 30, 0)


def test_a_new_key_past_the_limit_is_refused(dynamodb):
    dynamodb.add_client_error("update_item", "ConditionalCheckFailedException")
    hit = ratelimit.hit_once("ip", "203.0.113.7", "k9", 2, 600, NOW)
    assert not hit.allowed and hit.retry_after > 0 and hit.limit == 2
