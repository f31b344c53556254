"""make terima / make tolak decide a submission once: a second tolak sends
no second email, and a tolak after terima (or a terima after tolak) changes
nothing; the staff get a clear message instead."""

import pytest

from daftar import records
from daftar.handler import handler
from inbox import review


def _submit(events, fields) -> str:
    response = handler(events.form(fields, path="/api/daftar"), None)
    assert response["statusCode"] == 303, response["body"][:2000]
    return response["headers"]["location"].split("/")[3].split("?")[0]


def _written(aws, ref):
    return {item["pk"]: item for item in aws.items() if ref in item["pk"]}


def test_tolak_twice_declines_and_mails_once(aws, events, valid_join):
    ref = _submit(events, valid_join)
    aws.jobs()  # the join's own mail
    ok, message = review.decline(ref, "Foto kurang jelas")
    assert ok and aws.item(f"DAFTAR#{ref}")["status"] == "ditolak"
    assert aws.item(f"SURAT#{ref}-DITOLAK") is not None
    assert len(aws.jobs()) == 1
    before = _written(aws, ref)
    ok, message = review.decline(ref, "Alasan lain")
    assert not ok and message.startswith(f"Kiriman {ref} sudah ditolak")
    assert aws.jobs() == [] and _written(aws, ref) == before


def test_tolak_after_terima_keeps_the_shop_accepted(aws, events, valid_join):
    ref = _submit(events, valid_join)
    records.decide(ref, "diterima", "", [], [], "2026-12-01T00:00:00Z")
    aws.jobs()
    before = _written(aws, ref)
    ok, message = review.decline(ref, "Foto kurang jelas")
    assert not ok and f"Kiriman {ref} sudah diterima" in message
    assert aws.item(f"DAFTAR#{ref}")["status"] == "diterima"
    assert aws.item(f"SURAT#{ref}-DITOLAK") is None and aws.jobs() == []
    assert _written(aws, ref) == before


@pytest.mark.parametrize("first,second", [("ditolak", "ditolak"), ("diterima", "ditolak"),
                                          ("ditolak", "diterima")])
def test_the_write_itself_is_conditional(aws, events, valid_join, first, second):
    """Two staff racing past the status check: the transaction refuses the second."""
    ref = _submit(events, valid_join)
    records.decide(ref, first, "", [], [{"kind": "x"}], "2026-12-01T00:00:00Z")
    before = _written(aws, ref)
    with pytest.raises(records.AlreadyDecided) as raised:
        records.decide(ref, second, "lagi", [{"pk": f"SURAT#{ref}-LAGI"}], [{"kind": "y"}],
                       "2026-12-01T01:00:00Z")
    assert raised.value.status == first
    assert _written(aws, ref) == before
