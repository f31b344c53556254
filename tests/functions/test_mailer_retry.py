"""What the mailer does with a failed job (``mailer.retry``, pure)."""

import pytest
from botocore.exceptions import (ConnectionClosedError, ConnectTimeoutError,
                                 EndpointConnectionError, ReadTimeoutError)

from mailer import mime, retry

class FakeClientError(Exception):
    def __init__(self, code, status):
        super().__init__(code)
        self.response = {"Error": {"Code": code}, "ResponseMetadata": {"HTTPStatusCode": status}}


@pytest.mark.parametrize("code,status", [
    ("TooManyRequestsException", 429), ("Throttling", 400), ("LimitExceededException", 400),
    ("InternalFailure", 500), ("SomethingNew", 503), ("ProvisionedThroughputExceededException", 400),
])
def test_transient_errors_are_retried(code, status):
    assert not retry.is_permanent(FakeClientError(code, status))


@pytest.mark.parametrize("code,status", [
    ("MessageRejected", 400), ("MailFromDomainNotVerifiedException", 400),
    ("ConditionalCheckFailedException", 400), ("SomethingNew", 403),
])
def test_permanent_errors_are_not(code, status):
    assert retry.is_permanent(FakeClientError(code, status))


def test_network_errors_are_transient_and_bad_data_permanent():
    assert not retry.is_permanent(EndpointConnectionError(endpoint_url="http://x"))
    assert not retry.is_permanent(ReadTimeoutError(endpoint_url="http://x"))
    assert retry.is_permanent(retry.PermanentError("order gone"))
    assert retry.is_permanent(mime.HeaderError("bad address"))


def test_backoff_doubles_from_30_seconds_up_to_15_minutes():
    assert [retry.backoff_seconds(n) for n in range(1, 8)] == [30, 60, 120, 240, 480, 900, 900]
    assert retry.backoff_seconds("3") == 120
    assert retry.backoff_seconds(None) == 30
    assert retry.backoff_seconds(1, jitter=0.999) == 35
    assert retry.backoff_seconds(10**6) == 900


def test_only_a_send_that_may_have_reached_ses_has_an_unknown_outcome():
    assert retry.outcome_unknown(ReadTimeoutError(endpoint_url="http://x"))
    assert retry.outcome_unknown(ConnectionClosedError(endpoint_url="http://x"))
    assert not retry.outcome_unknown(ConnectTimeoutError(endpoint_url="http://x"))
    assert not retry.outcome_unknown(EndpointConnectionError(endpoint_url="http://x"))
    assert not retry.outcome_unknown(FakeClientError("InternalFailure", 500))
    assert not retry.outcome_unknown(retry.PermanentError("order gone"))
