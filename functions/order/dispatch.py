"""After the commit: apply the email limits, queue the mail, clear the outbox.

``dispatch(checkout, orders, now, held)`` returns the checkout and its orders
as they now are (new dicts: the records given are never changed). ``held``
are the jobs the checkout's transaction put in its outbox: nothing else
writes a new outbox but this request (the sweeper waits two minutes), so it
is read back only when a digest job was added to it here. It never raises
an Exception: whatever is not done here stays in the checkout's outbox for
the sweeper (``backend.mailqueue.requeue``).

- a seller over the hourly cap: the order goes into ``DIGEST#<shop>#<hour>``
  and a delayed digest job replaces its seller job (``_digest``);
- a buyer address over its daily limit: no buyer job, ``email_status =
  limited``.
"""

import logging

from backend import mailqueue, ratelimit, store

log = logging.getLogger(__name__)

DIGEST_TTL = 30 * 24 * 3600  # digest items are kept a month


def _digest(record: dict, now: float) -> tuple[str, list[dict]]:
    """A seller over the hourly cap: the order goes into the hour's digest.
    Returns the order's email status and the jobs to queue: a digest job when
    one is needed, none when a queued one will cover it, the seller job when
    the digest failed."""
    code, shop = record["code"], record["shop"]
    hour = ratelimit.hour_key(now)
    job = mailqueue.digest_job(store.digest_pk(shop, hour))
    try:
        store.set_email_status(store.order_pk(code), "digest", expected="queued")
        # Into the outbox first: dying after the append cannot lose the digest.
        store.outbox_add(record["checkout"], [job])
        if store.add_to_digest(shop, hour, code, int(now + DIGEST_TTL), now,
                               mailqueue.DIGEST_DELAY):
            return "digest", [job]
        return "digest", []
    except Exception:  # keep the seller informed: mail this one on its own
        log.exception("digest append failed for %s", code)
        try:  # cosmetic: the mailer sends any order that is not sent or spam
            store.set_email_status(store.order_pk(code), "queued", expected="digest")
        except Exception:
            log.exception("could not mark %s queued", code)
        return "queued", [mailqueue.seller_job(code)]


def _seller_jobs(orders: list[dict], now: float) -> tuple[list[dict], list[dict], bool]:
    """(jobs to queue, the orders as they now are, whether one went into a digest)."""
    jobs, shown, digested = [], [], False
    for record in orders:
        if ratelimit.seller_email(record["shop"], now).allowed:
            jobs.append(mailqueue.seller_job(record["code"]))
            shown.append(record)
        else:
            status, more = _digest(record, now)
            jobs += more
            shown.append({**record, "email_status": status})
            digested = True
    return jobs, shown, digested


def dispatch(checkout: dict, orders: list[dict], now: float,
             held: list[dict] | None = None) -> tuple[dict, list[dict]]:
    if checkout["spam"]:
        return checkout, orders
    try:
        jobs, orders, digested = _seller_jobs(orders, now)
        email = checkout["buyer"]["email"]
        if email:
            if ratelimit.buyer_email(email, now).allowed:
                jobs.append(mailqueue.buyer_job(checkout["code"]))
            else:
                store.set_email_status(store.checkout_pk(checkout["code"]), "limited",
                                       expected="queued")
                checkout = {**checkout, "email_status": "limited"}
        mailqueue.enqueue(checkout["code"], jobs, held=None if digested else held)
    except Exception:  # stored is what matters; the sweeper queues the outbox
        log.exception("queueing mail for %s failed; left in its outbox", checkout["code"])
    return checkout, orders
