"""order.claim's pure parts: which keys an order may be stored under."""

import copy

from backend.catalog import Catalog
from order import claim, parse
from order.validate import validate
from tests.functions.conftest import TEST_CATALOG, VALID_ORDER


def order_for(**changes):
    catalog = Catalog.from_json(copy.deepcopy(TEST_CATALOG))
    return validate({**parse.empty(), **copy.deepcopy(VALID_ORDER), **changes}, catalog)


def test_weak_or_reserved_client_keys_are_ignored():
    assert claim.valid_key("1") is None
    assert claim.valid_key(claim.FINGERPRINT_PREFIX + "a" * 64) is None
    assert claim.valid_key("  3f1c2a9e-7b4d-4e0f ") == "3f1c2a9e-7b4d-4e0f"


def test_the_fingerprint_is_the_order_not_its_spelling():
    same = claim.fingerprint(order_for())
    assert claim.fingerprint(order_for(phone="+62 813 1111 2222", key="x" * 20)) == same
    assert claim.fingerprint(order_for(item=list(reversed(VALID_ORDER["item"])),
                                       qty=list(reversed(VALID_ORDER["qty"])))) == same
    assert claim.fingerprint(order_for(qty=["3", "1"])) != same


def test_candidates_try_the_clients_key_first_then_the_fingerprint():
    order = order_for(key="0b7e3c1a-5d2f-4a8b-9c6e-1f2a3b4c5d6e")
    print_ = claim.fingerprint(order)
    first, second = claim.candidates(order, print_)
    assert (first.key, first.ttl, first.derived) == (order.key, claim.KEY_TTL, False)
    assert (second.key, second.ttl, second.derived) == (
        claim.FINGERPRINT_PREFIX + print_, claim.FINGERPRINT_TTL, True)
    assert [c.key for c in claim.candidates(order_for(key="short"), print_)] == [second.key]
