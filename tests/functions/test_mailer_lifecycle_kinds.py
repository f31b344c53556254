"""The mailer's rules hold for the order lifecycle's emails too (kinds
``status`` and ``reminder``, which lease the order): a timed-out send is
retried once, never twice; a seller email meeting such a job's lease comes
back later instead of being dropped."""

from datetime import datetime, timezone

import pytest
from botocore.exceptions import ClientError, ReadTimeoutError

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


class RecordingSes:
    def __init__(self):
        self.real, self.sent = clients.sesv2(), []

    def send_email(self, **kwargs):
        self.sent.append(kwargs["Destination"]["ToAddresses"][0])
        return self.real.send_email(**kwargs)


class RefusingSes:
    """SES that refuses for now (a throttle): the job keeps its lease for its retry."""

    def send_email(self, **kwargs):
        raise ClientError({"Error": {"Code": "TooManyRequestsException"}}, "SendEmail")


def _holds_lease_after_a_failed_send(kind: str, key: str, message: str) -> None:
    with pytest.raises(ClientError):
        deliver(Job(kind, key), ses=RefusingSes(), holder=Holder(message, 1), retry_in=30)


def test_a_seller_email_meeting_a_reminders_lease_comes_back_later(aws, order_code):
    pk = store.order_pk(order_code)
    _holds_lease_after_a_failed_send("reminder", order_code, "reminder-message")
    ses = RecordingSes()
    with pytest.raises(lease.Busy):
        deliver(Job("seller", order_code), ses=ses, holder=Holder("seller-message", 1))
    assert ses.sent == [] and aws.item(pk)["email_status"] != "sent"
    lease.release(pk, Holder("reminder-message", 1))
    assert deliver(Job("seller", order_code), ses=ses,
                   holder=Holder("seller-message", 2)).status == "sent"
    assert aws.item(pk)["email_status"] == "sent" and "email_lease_kind" not in aws.item(pk)


def test_a_seller_email_leased_by_another_seller_job_is_left_to_it(aws, order_code):
    pk = store.order_pk(order_code)
    _holds_lease_after_a_failed_send("seller", order_code, "first-copy")
    result = deliver(Job("seller", order_code), ses=RecordingSes(), holder=Holder("second", 1))
    assert result.status == "skipped" and aws.item(pk)["email_lease_by"] == "first-copy"
