"""Structured logs: Powertools' ``Logger``, JSON lines with the checkout or
order code as the correlation id, so staff can follow one order from the
request to its emails (``LOG_LEVEL`` sets the level; ``POWERTOOLS_SERVICE_NAME``
the service when set).

``logger(service)`` is made on first use, not at import (cold start), and
kept warm. The functions' own ``logging.getLogger(__name__)`` loggers log
through it too: their records become the same JSON lines.
"""

import os

from backend import warm


def logger(service: str):
    """The JSON logger of ``service`` (``order``, ``search``)."""
    def make():
        from aws_lambda_powertools import Logger
        from aws_lambda_powertools.logging import utils

        found = Logger(service=os.environ.get("POWERTOOLS_SERVICE_NAME") or service,
                       level=os.environ.get("LOG_LEVEL") or "INFO")
        utils.copy_config_to_registered_loggers(source_logger=found, include={
            "order", "search", "backend", "warung"})
        return found

    return warm.slot(f"logger:{service}", make)


def correlate(service: str, code: str | None) -> None:
    """Tag the following log lines of this invocation with ``code``."""
    logger(service).set_correlation_id(code)
