"""The mail-job format (``backend.mailjobs``, pure): built, written and read in one place."""

import pytest

from backend import codes, mailjobs
from backend.mailjobs import BadJob, Job, parse

def test_parse_job_accepts_the_three_kinds():
    assert parse('{"kind": "seller", "order": "WO-7K3M9Q-1"}') == Job("seller", "WO-7K3M9Q-1")
    assert parse('{"kind": "buyer", "checkout": "WO-7K3M9Q"}') == Job("buyer", "WO-7K3M9Q")
    assert parse('{"kind": "digest", "digest": "DIGEST#kopi-wanayasa#2026112807"}') == \
        Job("digest", "DIGEST#kopi-wanayasa#2026112807")


@pytest.mark.parametrize("body", [
    None, "", "not json", "[]", '{"kind": "seller"}', '{"kind": "fax", "order": "WO-7K3M9Q-1"}',
    '{"kind": "seller", "order": "WO-7K3M9Q"}',  # a checkout code is not an order code
    '{"kind": "seller", "order": "WO-7K3M9Q-1\\r\\nBcc: x@evil.example"}',
    '{"kind": "buyer", "checkout": 12}',
    '{"kind": "digest", "digest": "ORDER#WO-7K3M9Q-1"}',
    '{"kind": "seller", "order": "WO-7K3M9Q-1", "pad": "' + "x" * 5000 + '"}',
])
def test_parse_job_refuses_malformed_bodies(body):
    with pytest.raises(BadJob):
        parse(body)


def test_job_patterns_match_the_order_functions_codes():
    code = codes.new_code()
    assert parse(mailjobs.encode(mailjobs.buyer_job(code))) == Job("buyer", code)
    order = codes.order_code(code, 12)
    assert parse(mailjobs.encode(mailjobs.seller_job(order))) == Job("seller", order)


def test_every_job_has_one_canonical_body():
    job = {"order": "WO-7K3M9Q-1", "kind": "seller"}
    assert mailjobs.encode(job) == '{"kind":"seller","order":"WO-7K3M9Q-1"}'
    assert mailjobs.encode(job) == mailjobs.encode(mailjobs.seller_job("WO-7K3M9Q-1"))
    digest = mailjobs.digest_job("DIGEST#kopi-wanayasa#2026112807")
    assert parse(mailjobs.encode(digest)) == Job("digest", "DIGEST#kopi-wanayasa#2026112807")
