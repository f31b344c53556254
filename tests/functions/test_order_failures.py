"""When AWS fails: nothing half-written, nothing queued before the store, nothing lost after."""

import json

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError

from backend import clients, mailqueue, store
from order.handler import handler

pytestmark = pytest.mark.usefixtures("aws")


def _json(fields):
    return {**fields, "qty": [int(q) for q in fields["qty"]]}


def _client_error(operation, code="ProvisionedThroughputExceededException"):
    def fail(*args, **kwargs):
        raise ClientError({"Error": {"Code": code, "Message": "injected"}}, operation)
    return fail


def test_store_failure_is_503_and_nothing_queued(aws, events, valid_order, monkeypatch):
    monkeypatch.setattr(clients.dynamodb(), "transact_write_items",
                        _client_error("TransactWriteItems"))
    response = handler(events.json(_json(valid_order)), None)
    assert response["statusCode"] == 503
    assert "belum tersimpan" in json.loads(response["body"])["errors"]["_"]
    assert "retry-after" in response["headers"]
    form = handler(events.form(valid_order), None)
    assert form["statusCode"] == 503
    assert "belum tersimpan" in form["body"] and 'value="Siti Aminah"' in form["body"]
    assert aws.items("CHECKOUT#") == [] and aws.items("ORDER#") == []
    assert aws.jobs() == [] and aws.queue_counts()["delayed"] == 0


def test_table_unreachable_is_503(aws, events, valid_order, monkeypatch):
    def unreachable(*args, **kwargs):
        raise EndpointConnectionError(endpoint_url="http://127.0.0.1:9")
    monkeypatch.setattr(clients.dynamodb(), "update_item", unreachable)
    response = handler(events.json(_json(valid_order)), None)
    assert response["statusCode"] == 503
    assert aws.items("CHECKOUT#") == [] and aws.jobs() == []


def test_catalog_missing_is_503(aws, events, valid_order):
    clients.s3().delete_object(Bucket=aws.env["CATALOG_BUCKET"], Key=aws.env["CATALOG_KEY"])
    response = handler(events.json(_json(valid_order)), None)
    assert response["statusCode"] == 503
    assert aws.items() == []


def test_code_collision_draws_again(aws, events, valid_order, monkeypatch):
    from backend import codes

    drawn = iter(["WO-AAAAAA", "WO-AAAAAA", "WO-BBBBBB"])
    monkeypatch.setattr(codes, "new_code", lambda: next(drawn))
    first = json.loads(handler(events.json(_json(valid_order)), None)["body"])
    valid_order["qty"] = ["3", "1"]  # another order (the same one would be the first again)
    second = json.loads(handler(events.json(_json(valid_order)), None)["body"])
    assert (first["code"], second["code"]) == ("WO-AAAAAA", "WO-BBBBBB")
    assert aws.item("ORDER#WO-AAAAAA-1")["checkout"] == "WO-AAAAAA"
    assert len(aws.items("ORDER#")) == 4


def _outbox(aws, code):
    item = aws.item(f"OUTBOX#{code}")
    return None if item is None else sorted(json.loads(job)["kind"] + ":" + str(
        json.loads(job).get("order") or json.loads(job).get("checkout")) for job in item["jobs"])


def _later(monkeypatch):
    """The sweeper's view minutes after the orders (outboxes count as old)."""
    monkeypatch.setattr(mailqueue, "MIN_AGE", -3600)


def test_queue_failure_keeps_the_jobs_in_the_outbox_for_the_sweeper(aws, events, valid_order,
                                                                    monkeypatch):
    valid_order["email"] = "siti@contoh.id"
    sqs = clients.sqs()
    failing = _client_error("SendMessageBatch", "ServiceUnavailable")
    monkeypatch.setattr(sqs, "send_message_batch", failing)
    response = handler(events.json(_json(valid_order)), None)
    assert response["statusCode"] == 201  # the order is stored: the buyer is told so
    code = json.loads(response["body"])["code"]
    assert {o["email_status"] for o in aws.items("ORDER#")} == {"queued"}
    assert _outbox(aws, code) == [f"buyer:{code}", f"seller:{code}-1", f"seller:{code}-2"]
    assert aws.jobs() == []

    assert mailqueue.requeue() == 0  # young outboxes belong to their request
    _later(monkeypatch)
    assert mailqueue.requeue() == 0  # SQS still failing: everything kept for next time
    assert len(_outbox(aws, code)) == 3

    monkeypatch.delattr(sqs, "send_message_batch")  # SQS is back
    assert mailqueue.requeue() == 3
    assert _outbox(aws, code) is None and aws.items("OUTBOX#") == []
    jobs = sorted(aws.jobs(), key=json.dumps)
    assert jobs == sorted([{"kind": "seller", "order": f"{code}-1"},
                           {"kind": "seller", "order": f"{code}-2"},
                           {"kind": "buyer", "checkout": code}], key=json.dumps)
    assert mailqueue.requeue() == 0


def test_a_stored_order_clears_its_outbox(aws, events, valid_order):
    code = json.loads(handler(events.json(_json(valid_order)), None)["body"])["code"]
    assert _outbox(aws, code) is None and len(aws.jobs()) == 2


def test_partial_batch_failure_keeps_only_the_failed_job(aws, events, valid_order, monkeypatch):
    sqs = clients.sqs()
    real = sqs.send_message_batch

    def half(QueueUrl, Entries):  # the second shop's job keeps failing
        # (by its order code's end: a random code may itself hold "-2")
        good = [e for e in Entries
                if not json.loads(e["MessageBody"]).get("order", "").endswith("-2")]
        sent = real(QueueUrl=QueueUrl, Entries=good) if good else {"Successful": []}
        failed = [{"Id": e["Id"], "SenderFault": False, "Code": "InternalError"}
                  for e in Entries if e not in good]
        return {"Successful": sent["Successful"], "Failed": failed}

    monkeypatch.setattr(sqs, "send_message_batch", half)
    code = json.loads(handler(events.json(_json(valid_order)), None)["body"])["code"]
    assert _outbox(aws, code) == [f"seller:{code}-2"]
    monkeypatch.delattr(sqs, "send_message_batch")
    _later(monkeypatch)
    assert mailqueue.requeue() == 1
    assert sorted(j["order"] for j in aws.jobs()) == [f"{code}-1", f"{code}-2"]


def test_a_failure_after_the_commit_still_answers_and_leaves_the_outbox(aws, events, valid_order,
                                                                        monkeypatch):
    from backend import ratelimit

    monkeypatch.setattr(ratelimit, "seller_email", _client_error("UpdateItem", "InternalServerError"))
    response = handler(events.json(_json(valid_order)), None)
    assert response["statusCode"] == 201
    code = json.loads(response["body"])["code"]
    assert _outbox(aws, code) == [f"seller:{code}-1", f"seller:{code}-2"]
    assert aws.jobs() == []


def test_the_buyers_request_never_sweeps(aws, events, valid_order, monkeypatch):
    def sweep(*args, **kwargs):
        raise AssertionError("requeue on the request path")
    monkeypatch.setattr(mailqueue, "requeue", sweep)
    assert handler(events.json(_json(valid_order)), None)["statusCode"] == 201


def test_request_path_clients_are_tight(aws):
    for client in (clients.dynamodb(), clients.sqs()):
        config = client.meta.config
        assert (config.connect_timeout, config.read_timeout) == (1, 3)
        assert config.retries["total_max_attempts"] == 2


def test_seller_hourly_cap_sends_one_delayed_digest(aws, events, valid_order, monkeypatch):
    monkeypatch.setenv("SELLER_EMAILS_PER_HOUR", "1")
    valid_order.update(item=["kopi-wanayasa/robusta"])
    codes = [json.loads(handler(events.json(_json({**valid_order, "qty": [str(n)]})),
                                None)["body"])["code"] for n in (1, 2, 3)]
    statuses = [aws.item(f"ORDER#{c}-1")["email_status"] for c in codes]
    assert statuses == ["queued", "digest", "digest"]
    digests = aws.items("DIGEST#kopi-wanayasa#")
    assert len(digests) == 1
    assert digests[0]["codes"] == [f"{codes[1]}-1", f"{codes[2]}-1"]
    assert digests[0]["shop"] == "kopi-wanayasa" and digests[0]["expires_at"] > 0
    assert aws.jobs() == [{"kind": "seller", "order": f"{codes[0]}-1"}]
    assert aws.queue_counts()["delayed"] == 1  # one digest job, DelaySeconds=900


def test_digest_job_is_delayed_and_names_the_item(aws, monkeypatch):
    monkeypatch.setattr(mailqueue, "DIGEST_DELAY", 0)
    assert mailqueue.send([mailqueue.digest_job("DIGEST#kopi-wanayasa#2026112800")]) == []
    assert aws.jobs() == [{"kind": "digest", "digest": "DIGEST#kopi-wanayasa#2026112800"}]


def test_racing_repeat_of_a_key_gets_the_first_checkout(aws, events, valid_order, monkeypatch):
    """Two requests with one key, the second past the pre-check before the
    first committed: the transaction's condition on KEY# decides."""
    valid_order["key"] = "0b7e3c1a-5d2f-4a8b-9c6e-1f2a3b4c5d6e"
    first = json.loads(handler(events.json(_json(valid_order)), None)["body"])
    monkeypatch.setattr(store, "get_key", lambda key: None)  # the pre-check misses
    second = json.loads(handler(events.json(_json(valid_order)), None)["body"])
    assert second == first
    assert len(aws.items("CHECKOUT#")) == 1 and len(aws.items("ORDER#")) == 2
    assert len(aws.jobs()) == 2


def test_store_refuses_duplicate_codes_atomically(aws):
    checkout = {"code": "WO-CCCCCC", "orders": ["WO-CCCCCC-1"], "spam": False}
    order = {"code": "WO-CCCCCC-1", "checkout": "WO-CCCCCC", "total": 1}
    store.put_checkout(checkout, [order], key="k" * 20, key_record={"fingerprint": "f"})
    with pytest.raises(store.KeyExists) as exists:
        store.put_checkout({**checkout, "code": "WO-DDDDDD"},
                           [{**order, "code": "WO-DDDDDD-1"}], key="k" * 20)
    assert exists.value.record["checkout"] == "WO-CCCCCC"
    with pytest.raises(store.CodeTaken):
        store.put_checkout(checkout, [{**order, "total": 2}])
    # Nothing of the refused writes exists; the first is intact.
    assert aws.item("CHECKOUT#WO-DDDDDD") is None and aws.item("ORDER#WO-DDDDDD-1") is None
    assert aws.item("ORDER#WO-CCCCCC-1")["total"] == 1


def test_a_digest_job_is_queued_again_once_the_previous_one_has_fired(aws):
    pk = "DIGEST#kopi-wanayasa#2026112810"
    add = store.add_to_digest
    assert add("kopi-wanayasa", "2026112810", "WO-AAAAAA-1", 99, now=1000.0, delay=900) is True
    assert add("kopi-wanayasa", "2026112810", "WO-BBBBBB-1", 99, now=1500.0, delay=900) is False
    assert add("kopi-wanayasa", "2026112810", "WO-CCCCCC-1", 99, now=1850.0, delay=900) is True
    assert add("kopi-wanayasa", "2026112810", "WO-DDDDDD-1", 99, now=1900.0, delay=900) is False
    item = aws.item(pk)
    assert item["codes"] == ["WO-AAAAAA-1", "WO-BBBBBB-1", "WO-CCCCCC-1", "WO-DDDDDD-1"]
    assert item["next_job_at"] == 2750 and item["expires_at"] == 99


def test_digest_failure_falls_back_to_a_seller_job(aws, events, valid_order, monkeypatch):
    monkeypatch.setenv("SELLER_EMAILS_PER_HOUR", "0")

    def broken(*args, **kwargs):
        raise ClientError({"Error": {"Code": "InternalServerError", "Message": "x"}}, "UpdateItem")

    monkeypatch.setattr(store, "add_to_digest", broken)
    valid_order.update(item=["kopi-wanayasa/robusta"], qty=["1"])
    code = json.loads(handler(events.json(_json(valid_order)), None)["body"])["code"]
    assert aws.jobs() == [{"kind": "seller", "order": f"{code}-1"}]
    assert aws.item(f"ORDER#{code}-1")["email_status"] == "queued"
