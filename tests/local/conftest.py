"""The moto fixtures of the functions' tests (moto's server over HTTP), for
the local run's own tests of the mail poller."""

from tests.functions.conftest import aws, moto_endpoint, test_catalog  # noqa: F401
