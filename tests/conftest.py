"""Project-wide pytest fixtures, one module per concern under tests/fixtures/."""

pytest_plugins = [
    "tests.fixtures.site",
    "tests.fixtures.browser",
    "tests.fixtures.server",
]
