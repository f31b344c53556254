"""The one outbox flush: exactly the jobs queued leave ``OUTBOX#<code>``; a
job another request adds meanwhile (a seller's answer while the sweeper
flushes) stays, and the item goes only once it is empty."""

from backend import clients, mailjobs, mailqueue, store
from lifecycle import outbox

CODE = "WO-7K3M9Q"
SELLER = mailjobs.seller_job(f"{CODE}-1")
NOTICE = {"kind": "status", "notice": f"{CODE}-1:diterima"}


def add(jobs):
    clients.dynamodb().update_item(**outbox.add_update(CODE, jobs, "2026-12-02T00:00:00Z"))


def test_a_job_added_after_the_read_stays(aws):
    add([SELLER])
    held = store.outbox_jobs(CODE)
    add([NOTICE])  # the seller answered while the sweeper was flushing
    mailqueue.enqueue(CODE, held, held=held)
    assert store.outbox_jobs(CODE) == [NOTICE]
    assert mailqueue.flush(CODE) == 1
    assert store.get(store.outbox_pk(CODE)) is None


def test_replaced_jobs_go_and_failed_ones_stay(aws, monkeypatch):
    digest = mailjobs.digest_job("DIGEST#kopi-wanayasa#2026120207")
    add([SELLER, digest])  # the order went into the hour's digest (added before queueing)
    monkeypatch.setattr(mailqueue, "send", lambda jobs: [digest])  # SQS refused the digest job
    assert mailqueue.enqueue(CODE, [digest]) == [digest]
    assert store.outbox_jobs(CODE) == [digest]  # the replaced seller job went; the digest waits
    monkeypatch.setattr(mailqueue, "send", lambda jobs: list(jobs))  # SQS still down
    assert mailqueue.flush(CODE) == 0
    assert store.outbox_jobs(CODE) == [digest]
