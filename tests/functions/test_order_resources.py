"""The local resources and the catalog loader, against moto's server over HTTP."""

import json

import pytest

from backend import catalog, clients
from local.resources import create_resources


def test_create_resources_makes_everything_and_is_idempotent(aws, test_catalog):
    env = aws.env
    again = create_resources(test_catalog.path, mail_from=env["MAIL_FROM"], visibility_timeout=2)
    assert again == env

    table = clients.dynamodb().describe_table(TableName=env["ORDERS_TABLE"])["Table"]
    assert table["KeySchema"] == [{"AttributeName": "pk", "KeyType": "HASH"}]
    ttl = clients.dynamodb().describe_time_to_live(TableName=env["ORDERS_TABLE"])
    assert ttl["TimeToLiveDescription"]["AttributeName"] == "expires_at"

    attributes = clients.sqs().get_queue_attributes(
        QueueUrl=env["MAIL_QUEUE_URL"], AttributeNames=["All"])["Attributes"]
    redrive = json.loads(attributes["RedrivePolicy"])
    assert int(redrive["maxReceiveCount"]) == 15
    assert redrive["deadLetterTargetArn"].endswith(":warung-mail-dlq")
    assert attributes["VisibilityTimeout"] == "2"

    body = clients.s3().get_object(Bucket=env["CATALOG_BUCKET"], Key=env["CATALOG_KEY"])["Body"]
    assert json.loads(body.read())["build"] == test_catalog.data["build"]

    identities = clients.sesv2().list_email_identities()["EmailIdentities"]
    assert env["MAIL_FROM"] in [i["IdentityName"] for i in identities]


def test_catalog_is_indexed_and_cached(aws, test_catalog, tmp_path):
    loaded = catalog.load(now=1000.0)
    assert loaded.build == "test0build01"
    assert loaded.product("kopi-wanayasa/arabika")["price"] == 45000
    assert loaded.shop("batik-plered")["email"] == "batik@plered.example"

    changed = json.loads(json.dumps(test_catalog.data))
    changed["build"] = "changed00001"
    from local.resources import upload_catalog

    path = tmp_path / "k.json"
    path.write_text(json.dumps(changed))
    upload_catalog(path)
    # Within the re-check window the warm copy is used; after it, the new one.
    assert catalog.load(now=1010.0) is loaded
    second = catalog.load(now=1031.0)
    assert second.build == "changed00001"
    # Unchanged ETag: the same object is kept (a 304, not a re-parse).
    assert catalog.load(now=1100.0) is second


def test_a_failed_recheck_keeps_the_warm_catalog(aws, monkeypatch):
    from botocore.exceptions import ClientError

    warm = catalog.load(now=5000.0)

    def down(**kwargs):
        raise ClientError({"Error": {"Code": "ServiceUnavailable", "Message": "x"}}, "GetObject")

    monkeypatch.setattr(clients.s3(), "get_object", down)
    assert catalog.load(now=5100.0) is warm
    catalog.reset()
    with pytest.raises(ClientError):  # cold and S3 down: the caller answers 503
        catalog.load(now=5200.0)


def test_fixed_windows_count_and_tell_when_to_retry(aws):
    from backend import ratelimit

    hits = [ratelimit.hit("ip", "203.0.113.9", 2, 600, now=1000.0) for _ in range(3)]
    assert [h.allowed for h in hits] == [True, True, False]
    assert hits[-1].retry_after == 200  # the window 600-1200 ends in 200 s
    assert ratelimit.hit("ip", "203.0.113.9", 2, 600, now=1200.0).allowed  # a new window
    item = aws.item("RATE#ip#203.0.113.9#600")
    assert item["count"] == 3 and item["expires_at"] == 1800


def test_seller_window_is_the_clock_hour(aws, monkeypatch):
    from backend import ratelimit

    monkeypatch.setenv("SELLER_EMAILS_PER_HOUR", "2")
    now = 1_764_290_000.0  # 2025-11-28 00:33:20 UTC
    assert ratelimit.hour_key(now) == "2025112800"
    assert [ratelimit.seller_email("kopi-wanayasa", now).allowed for _ in range(3)] == [True, True, False]
    assert aws.item("RATE#seller#kopi-wanayasa#2025112800")["count"] == 3
    assert ratelimit.seller_email("kopi-wanayasa", now + 3600).allowed
