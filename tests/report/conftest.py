"""The moto fixtures of the functions' tests, for the report's tests."""

from tests.functions.conftest import aws, events, moto_endpoint, test_catalog  # noqa: F401
