"""The moto fixtures of the functions' tests (moto's server over HTTP), for
``scripts/publish.py`` against S3, CloudFront and CloudFormation."""

from tests.functions.conftest import aws, moto_endpoint, test_catalog  # noqa: F401
