"""Structured logs: Powertools' ``Logger``, JSON lines with the checkout or
order code as the correlation id, so staff can follow one order from the
request to its emails (``LOG_LEVEL`` sets the level; ``POWERTOOLS_SERVICE_NAME``
the service when set).

``logger(service)`` is made on first use, not at import (cold start), and
kept warm. The modules' own ``logging.getLogger(__name__)`` loggers (of the
function's package, ``backend`` and ``warung``) log through it too: their
records become the same JSON lines.
"""

import os

from backend import warm


SHARED = ("backend", "warung")  # packages every function's logs come from too


def logger(service: str):
    """The JSON logger of ``service`` (``order``, ``search``)."""
    def make():
        import logging

        from aws_lambda_powertools import Logger

        found = Logger(service=os.environ.get("POWERTOOLS_SERVICE_NAME") or service,
                       level=os.environ.get("LOG_LEVEL") or "INFO")
        for name in (service, *SHARED):  # the modules' own loggers, the same handler
            package = logging.getLogger(name)
            if package is not found._logger:
                package.handlers = [found.registered_handler]
                package.setLevel(found.log_level)
                package.propagate = False
        return found

    return warm.slot(f"logger:{service}", make)


def correlate(service: str, code: str | None) -> None:
    """Tag the following log lines of this invocation with ``code`` (None:
    untag). Per thread: Lambda runs one invocation at a time, the local run
    one per request thread, each with its own code."""
    log = logger(service)
    if code is None:
        log.thread_safe_remove_keys(["correlation_id"])
    else:
        log.thread_safe_append_keys(correlation_id=code)
