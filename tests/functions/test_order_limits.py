"""The order path's hard edges (issue 10): every parse error is a 400,
amounts DynamoDB cannot store are refused, repeats of one key count once
against the limits, the lookup route is limited, and only the request that
won the idempotency claim queues mail."""

import json

import pytest

from order.handler import handler
from tests.functions.conftest import as_json_order

pytestmark = pytest.mark.usefixtures("aws")


# --- every parse error is a 400, never a 503 ----------------------------------------

@pytest.mark.parametrize("qty", ["①", "²", "٣", "１", "0x1", "1e2", " ", "+1"])
def test_qty_in_other_digits_is_a_400_with_the_quantity_message(events, valid_order, qty):
    valid_order.update(item=["kopi-wanayasa/robusta"], qty=[qty])
    response = handler(events.json(as_json_order({**valid_order, "qty": [1]}) | {"qty": [qty]}),
                       None)
    assert response["statusCode"] == 400, response["body"]
    assert "Jumlah Kopi Robusta harus angka bulat 1 sampai 999" in json.loads(
        response["body"])["errors"]["item"]
    form = handler(events.form(valid_order), None)
    assert form["statusCode"] == 400


@pytest.mark.parametrize("qty", [10 ** 40, 1.5, -3, True])
def test_odd_json_quantities_are_a_400(events, valid_order, qty):
    data = as_json_order(valid_order) | {"item": ["kopi-wanayasa/robusta"], "qty": [qty]}
    response = handler(events.json(data), None)
    assert response["statusCode"] == 400, response["body"]


# --- amounts DynamoDB could not store ----------------------------------------------

def _priced_catalog(aws, tmp_path, price):
    from tests.functions.conftest import TEST_CATALOG

    data = json.loads(json.dumps(TEST_CATALOG))
    for product in data["products"]:
        if product["id"] == "kopi-wanayasa/robusta":
            product["price"] = price
    aws.upload_catalog(data, tmp_path)


def test_a_line_beyond_what_can_be_stored_is_a_400(aws, events, valid_order, tmp_path):
    _priced_catalog(aws, tmp_path, 10 ** 40)
    data = as_json_order(valid_order) | {"item": ["kopi-wanayasa/robusta"], "qty": [999]}
    response = handler(events.json(data), None)
    assert response["statusCode"] == 400, response["body"]
    assert "item" in json.loads(response["body"])["errors"]
    assert not [i for i in aws.items() if i["pk"].startswith("CHECKOUT#")]


def test_the_most_expensive_allowed_line_is_stored(aws, events, valid_order, tmp_path):
    _priced_catalog(aws, tmp_path, 100_000_000)  # the content rules' default cap
    data = as_json_order(valid_order) | {"item": ["kopi-wanayasa/robusta"], "qty": [999]}
    response = handler(events.json(data), None)
    assert response["statusCode"] == 201, response["body"]
    assert json.loads(response["body"])["orders"][0]["total"] == 99_900_000_000 + 5000


# --- repeats of one key count once; only the claim's winner queues -------------------

KEY = "0b7e3c1a-5d2f-4a8b-9c6e-1f2a3b4c5d6e"


def test_repeats_of_one_key_count_once_against_the_ip_limit(events, valid_order, monkeypatch):
    monkeypatch.setenv("ORDER_RATE_PER_IP", "2/600")
    valid_order["key"] = KEY
    answers = {handler(events.json(as_json_order(valid_order)), None)["body"] for _ in range(5)}
    assert len(answers) == 1 and json.loads(answers.pop())["code"]
    other = as_json_order(valid_order) | {"key": "1c8f4d2b-6e3a-4b9c-8d7f-2a3b4c5d6e7f",
                                          "phone": "0813-1111-3333"}
    assert handler(events.json(other), None)["statusCode"] == 201
    third = other | {"key": "2d9a5e3c-7f4b-4cad-9e8a-3b4c5d6e7f80", "phone": "0813-1111-4444"}
    assert handler(events.json(third), None)["statusCode"] == 429


def test_a_double_tap_without_key_counts_once(events, valid_order, monkeypatch):
    monkeypatch.setenv("ORDER_RATE_PER_IP", "1/600")
    first = handler(events.form(valid_order), None)
    again = handler(events.form(valid_order), None)
    assert first["statusCode"] == again["statusCode"] == 303
    assert first["headers"]["location"] == again["headers"]["location"]


def test_the_request_that_lost_the_claim_queues_nothing(aws, events, valid_order, monkeypatch):
    """The winner still holds its jobs (here: SQS refused them, so they wait
    in its outbox); a racing repeat answers the same checkout but must not
    queue them a second time."""
    from backend import clients, store

    valid_order["key"] = KEY
    sqs = clients.sqs()

    def refused(*args, **kwargs):
        raise RuntimeError("SQS down for the winner")

    monkeypatch.setattr(sqs, "send_message_batch", refused)
    first = json.loads(handler(events.json(as_json_order(valid_order)), None)["body"])
    monkeypatch.delattr(sqs, "send_message_batch")
    monkeypatch.setattr(store, "get_key", lambda key: None)  # past the pre-check
    second = json.loads(handler(events.json(as_json_order(valid_order)), None)["body"])
    assert second == first
    assert aws.jobs() == []
    assert len(aws.items("OUTBOX#")) == 1


def test_a_sequential_repeat_queues_nothing_either(aws, events, valid_order):
    valid_order["key"] = KEY
    handler(events.json(as_json_order(valid_order)), None)
    assert len(aws.jobs()) == 2
    handler(events.json(as_json_order(valid_order)), None)
    assert aws.jobs() == []


# --- the lookup route is limited per address ---------------------------------------

def test_lookups_are_limited_per_address(events, monkeypatch):
    monkeypatch.setenv("ORDER_LOOKUP_RATE_PER_IP", "3/600")
    path = "/api/order/WO-ABCDEF"
    for _ in range(3):
        assert handler(events.get(path, {"t": "x" * 22}), None)["statusCode"] == 404
    limited = handler(events.get(path, {"t": "x" * 22}), None)
    assert limited["statusCode"] == 429
    assert int(limited["headers"]["retry-after"]) > 0
    other = handler(events.get(path, {"t": "x" * 22}, source_ip="198.51.100.9"), None)
    assert other["statusCode"] == 404


def test_twenty_concurrent_repeats_store_once_and_queue_once(aws, events, valid_order):
    from concurrent.futures import ThreadPoolExecutor

    valid_order.update(key=KEY, email="siti@contoh.id")
    body = as_json_order(valid_order)
    with ThreadPoolExecutor(max_workers=10) as pool:
        answers = list(pool.map(lambda _: handler(events.json(body), None), range(20)))
    assert {a["statusCode"] for a in answers} == {201}
    assert len({json.loads(a["body"])["code"] for a in answers}) == 1
    assert len(aws.items("CHECKOUT#")) == 1
    jobs = aws.jobs()
    assert len(jobs) == 3, jobs  # two sellers and the buyer, each queued once


def test_a_loser_that_cannot_read_the_winners_checkout_stores_nothing(aws, events, valid_order,
                                                                      monkeypatch):
    from backend import store
    from order import claim

    valid_order["key"] = KEY
    first = handler(events.json(as_json_order(valid_order)), None)
    assert first["statusCode"] == 201
    monkeypatch.setattr(store, "get_key", lambda key: None)    # past the pre-check
    monkeypatch.setattr(store, "get_checkout", lambda code: None)  # not readable yet
    monkeypatch.setattr(claim.time, "sleep", lambda seconds: None)
    again = handler(events.json(as_json_order(valid_order)), None)
    assert again["statusCode"] == 503
    assert len(aws.items("CHECKOUT#")) == 1


def test_a_racing_key_of_another_order_falls_back_to_the_fingerprint(aws, events, valid_order,
                                                                     monkeypatch):
    from backend import store

    valid_order["key"] = KEY
    first = json.loads(handler(events.json(as_json_order(valid_order)), None)["body"])
    monkeypatch.setattr(store, "get_key", lambda key: None)  # past the pre-check
    other = as_json_order(valid_order) | {"qty": [3, 1]}
    second = json.loads(handler(events.json(other), None)["body"])
    assert second["code"] != first["code"]
    assert [k["pk"][:7] for k in aws.items("KEY#")].count("KEY#fp-") == 1
