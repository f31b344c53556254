"""``local.moto_tuning``: moto's transactions back up only the items they
name, and still leave the table all-or-nothing (in-process moto)."""

import copy

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws
from moto.core import DEFAULT_ACCOUNT_ID
from moto.dynamodb.models import dynamodb_backends

from local import moto_tuning

REGION = "ap-southeast-3"


@pytest.fixture
def table(monkeypatch):
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "local")
    undo = moto_tuning.apply()
    try:
        with mock_aws():
            db = boto3.client("dynamodb", region_name=REGION)
            db.create_table(TableName="t", BillingMode="PAY_PER_REQUEST",
                            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}])
            db.put_item(TableName="t", Item={"pk": {"S": "C"}, "n": {"N": "1"}})
            yield db
    finally:
        undo()


def _backend():
    return dynamodb_backends[DEFAULT_ACCOUNT_ID][REGION]


def _items(db) -> dict:
    return {i["pk"]["S"]: i for i in db.scan(TableName="t")["Items"]}


def _failing(extra_ops):
    return [*extra_ops, {"ConditionCheck": {"TableName": "t", "Key": {"pk": {"S": "C"}},
                                            "ConditionExpression": "attribute_not_exists(pk)"}}]


def test_a_failed_transaction_leaves_every_item_as_it_was(table):
    before = _items(table)
    tables = dict(_backend().tables)
    with pytest.raises(ClientError) as failed:
        table.transact_write_items(TransactItems=_failing([
            {"Put": {"TableName": "t", "Item": {"pk": {"S": "A"}}}},
            {"Update": {"TableName": "t", "Key": {"pk": {"S": "B"}},
                        "UpdateExpression": "SET n = :n", "ExpressionAttributeValues": {
                            ":n": {"N": "5"}}}},
        ]))
    assert failed.value.response["Error"]["Code"] == "TransactionCanceledException"
    assert _items(table) == before
    assert _backend().tables == tables and _backend().tables["t"] is tables["t"]  # not a copy


def test_an_update_of_an_existing_item_is_rolled_back(table):
    with pytest.raises(ClientError):
        table.transact_write_items(TransactItems=[
            {"Update": {"TableName": "t", "Key": {"pk": {"S": "C"}},
                        "UpdateExpression": "SET n = :n", "ExpressionAttributeValues": {
                            ":n": {"N": "9"}}}},
            {"Put": {"TableName": "t", "Item": {"pk": {"S": "D"}},
                     "ConditionExpression": "attribute_exists(pk)"}},
        ])
    assert _items(table) == {"C": {"pk": {"S": "C"}, "n": {"N": "1"}}}


def test_a_successful_transaction_writes_everything(table):
    table.transact_write_items(TransactItems=[
        {"Put": {"TableName": "t", "Item": {"pk": {"S": "A"}},
                 "ConditionExpression": "attribute_not_exists(pk)"}},
        {"Delete": {"TableName": "t", "Key": {"pk": {"S": "C"}}}},
    ])
    assert set(_items(table)) == {"A"}


def test_tables_still_deep_copy_outside_a_transaction(table):
    original = _backend().tables["t"]
    copied = copy.deepcopy(original)
    assert copied is not original and copied.items is not original.items
    assert set(copied.items) == set(original.items)


def test_sqs_visibility_and_delays_keep_their_meaning(table):
    sqs = boto3.client("sqs", region_name=REGION)
    url = sqs.create_queue(QueueName="q", Attributes={"VisibilityTimeout": "60"})["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="now")
    sqs.send_message(QueueUrl=url, MessageBody="later", DelaySeconds=600)

    def counts():
        attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        return [int(attributes[f"ApproximateNumberOfMessages{kind}"])
                for kind in ("", "NotVisible", "Delayed")]

    assert counts() == [1, 0, 1]
    [message] = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    assert message["Body"] == "now" and counts() == [0, 1, 1]
    assert "Messages" not in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)
    sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"],
                                  VisibilityTimeout=0)
    assert counts() == [1, 0, 1]


def test_items_are_listed_in_moto_s_key_order(table):
    """Query and Scan list items as moto does (numbers by value, not as
    text), with each key converted once instead of on every comparison."""
    table.create_table(TableName="r", BillingMode="PAY_PER_REQUEST",
                       AttributeDefinitions=[{"AttributeName": "h", "AttributeType": "S"},
                                             {"AttributeName": "n", "AttributeType": "N"}],
                       KeySchema=[{"AttributeName": "h", "KeyType": "HASH"},
                                  {"AttributeName": "n", "KeyType": "RANGE"}])
    for h, n in [("b", "10"), ("a", "2"), ("b", "9"), ("a", "-1.5"), ("c", "0")]:
        table.put_item(TableName="r", Item={"h": {"S": h}, "n": {"N": n}})
    for name in ("C", "A", "B"):
        table.put_item(TableName="t", Item={"pk": {"S": name}})
    ranged, plain = _backend().tables["r"], _backend().tables["t"]
    listed = [(i.hash_key.value, i.range_key.value) for i in ranged.all_items()]
    assert listed == [("a", "-1.5"), ("a", "2"), ("b", "9"), ("b", "10"), ("c", "0")]
    assert [i.hash_key.value for i in plain.all_items()] == ["A", "B", "C"]
    pages = table.scan(TableName="r", Limit=2)
    assert [i["n"]["N"] for i in pages["Items"]] == ["-1.5", "2"]
