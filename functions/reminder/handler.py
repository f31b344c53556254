"""Lambda handler of the hourly reminder (EventBridge schedule): one
reminder email per shop order still unanswered after 6 hours
(``lifecycle.reminders.run``). Returns ``{"reminded": n}``."""

import logging

log = logging.getLogger(__name__)


def handler(event=None, context=None) -> dict:
    from lifecycle import reminders

    count = reminders.run()
    if count:
        log.info("reminded %s seller(s)", count)
    return {"reminded": count}
