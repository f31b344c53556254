"""The mailer's rules hold for the order lifecycle's emails too (kinds
``status`` and ``reminder``, which lease the order): a timed-out send is
retried once, never twice; a seller email meeting such a job's lease comes
back later instead of being dropped."""

from datetime import datetime, timezone

import pytest
from botocore.exceptions import ReadTimeoutError

from backend import clients, store
from backend.mailjobs import Job
from lifecycle import weekly
from mailer import lease
from mailer.deliver import deliver
from mailer.lease import Holder


class TimingOutSes:
    """SES whose every answer comes after the read timeout."""

    def __init__(self):
        self.calls = 0

    def send_email(self, **kwargs):
        self.calls += 1
        raise ReadTimeoutError(endpoint_url="https://email.example")


@pytest.fixture
def order_code(aws, place_order):
    response, body = place_order(email="siti@contoh.id")
    assert response["statusCode"] == 201
    return body["orders"][0]["code"]


@pytest.mark.parametrize("kind, suffix", [("status", ":diterima"), ("reminder", "")])
def test_two_timed_out_sends_are_not_followed_by_a_third(aws, order_code, kind, suffix):
    job, ses = Job(kind, order_code + suffix), TimingOutSes()
    with pytest.raises(ReadTimeoutError):
        deliver(job, ses=ses, holder=Holder("m1", 1))
    assert deliver(job, ses=ses, holder=Holder("m1", 2)).status == "uncertain"
    # A copy of the job (re-queued by the sweeper) sends nothing more.
    assert deliver(job, ses=ses, holder=Holder("m2", 1)).status == "skipped"
    assert ses.calls == 2
    # Counted apart from the order's seller email.
    assert lease.unknown(aws.item(store.order_pk(order_code))) == 0


@pytest.mark.parametrize("kind, key", [("weekly", "2026-W49"), ("surat", "SURAT#PJ-T1-PETUGAS")])
def test_weekly_and_surat_emails_count_their_timeouts_too(aws, kind, key):
    item = {"pk": f"WEEKLY#{key}" if kind == "weekly" else key, "to": "petugas@warung.example",
            "week": key, "summary": weekly.summary([], datetime(2026, 12, 7, tzinfo=timezone.utc), {}), "subject": "Kiriman baru", "text": "Toko: Kopi",
            "email_status": "pending"}
    clients.dynamodb().put_item(TableName=store.table_name(), Item=store.to_item(item))
    job, ses = Job(kind, key), TimingOutSes()
    with pytest.raises(ReadTimeoutError):
        deliver(job, ses=ses, holder=Holder("m1", 1))
    assert deliver(job, ses=ses, holder=Holder("m1", 2)).status == "uncertain"
    assert deliver(job, ses=ses, holder=Holder("m2", 1)).status == "skipped"
    assert ses.calls == 2
