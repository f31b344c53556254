"""Property: whatever a client claims, the stored totals are the catalog's."""

import json

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from order.handler import handler
from tests.functions.conftest import TEST_CATALOG

ORDERABLE = [
    (product, variant)
    for product in TEST_CATALOG["products"] if product["stock"] != "habis"
    for variant in [None, *product["variants"]]
]
SHOPS = TEST_CATALOG["shops"]

money = st.one_of(st.integers(-10**9, 10**9), st.text(max_size=8), st.none(),
                  st.floats(allow_nan=False, allow_infinity=False))
tampering = st.dictionaries(
    st.sampled_from(["price", "prices", "total", "subtotal", "delivery_fee", "ongkir", "harga"]),
    st.one_of(money, st.lists(money, max_size=5)), max_size=4)
cart = st.lists(st.tuples(st.sampled_from(ORDERABLE), st.integers(1, 999)), min_size=1,
                max_size=8)


def expected_totals(lines, kecamatan, delivery):
    """The catalog's totals per shop, computed independently of the function."""
    qty, subtotal = {}, {}
    for (product, variant), n in lines:
        key = (product["id"], variant["name"] if variant else None)
        qty[key] = qty.get(key, 0) + n
    if any(n > 999 for n in qty.values()):
        return None  # more than 999 of one thing is refused
    if any(delivery not in SHOPS[product["shop"]]["delivery"] for (product, _), _ in lines):
        return None  # a shop that does not deliver
    for (product, variant), n in lines:
        price = variant["price"] if variant else product["price"]
        subtotal[product["shop"]] = subtotal.get(product["shop"], 0) + price * n
    totals = {}
    for shop_id, amount in subtotal.items():
        fee = SHOPS[shop_id]["delivery_fee"] if delivery == "antar" else None
        fee = None if fee is None else fee["kecamatan"].get(kecamatan, fee["default"])
        totals[shop_id] = amount + (fee or 0)
    return totals


@settings(max_examples=30, deadline=None, phases=[Phase.explicit, Phase.generate, Phase.shrink],
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(lines=cart, extra=tampering, line_prices=st.lists(money, max_size=8),
       delivery=st.sampled_from(["ambil", "antar"]),
       kecamatan=st.sampled_from(["Wanayasa", "Purwakarta", "Plered"]))
def test_stored_totals_are_the_catalog_totals(aws, events, valid_order, monkeypatch,
                                               lines, extra, line_prices, delivery, kecamatan):
    monkeypatch.setenv("ORDER_RATE_PER_IP", "100000/600")
    monkeypatch.setenv("ORDER_RATE_PER_PHONE", "100000/3600")
    data = {**valid_order, **extra, "payment": "cod", "delivery": delivery,
            "kecamatan": kecamatan, "desa": ""}
    data["item"] = [p["id"] + (f":{v['name']}" if v else "") for (p, v), _ in lines]
    data["qty"] = [n for _, n in lines]
    data["lines"] = [{"id": item, "price": price} for item, price in zip(data["item"], line_prices)]
    response = handler(events.json(data), None)
    expected = expected_totals(lines, kecamatan, delivery)
    if expected is None:
        assert response["statusCode"] == 400
        return
    assert response["statusCode"] == 201, response["body"]
    body = json.loads(response["body"])
    stored = {o["shop"]: o["total"] for o in (aws.item(f"ORDER#{x['code']}") for x in body["orders"])}
    assert stored == expected
    assert {o["shop"]: o["total"] for o in body["orders"]} == expected
    for order in body["orders"]:
        assert order["subtotal"] == sum(line["subtotal"] for line in order["lines"])
        assert order["total"] == order["subtotal"] + (order["delivery_fee"] or 0)
        for line in order["lines"]:
            assert line["subtotal"] == line["price"] * line["qty"]
