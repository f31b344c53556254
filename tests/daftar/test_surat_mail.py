"""The mailer sends the seller form's ready-written emails (kind "surat"):
once, and for a digest only the lines not sent yet."""

import time

from backend import clients
from mailer.deliver import deliver
from backend.mailjobs import parse as parse_job
from mailer.lease import Holder

from daftar import mail


class CountingSes:
    def __init__(self):
        self.real, self.sent = clients.sesv2(), []

    def send_email(self, **kwargs):
        self.sent.append(kwargs["Content"]["Raw"]["Data"].decode("ascii"))
        return self.real.send_email(**kwargs)


def test_surat_job_is_sent_once(aws):
    from daftar import records

    item = mail.surat("SURAT#PJ-ABCDEFGH-PETUGAS", "petugas@warung.example", "Kiriman baru",
                      "Toko: Kopi\nKode: PJ-ABCDEFGH", "2026-12-01T00:00:00Z")
    records.put_new([item], "PJ-ABCDEFGH", [], item["created_at"])
    ses = CountingSes()
    job = parse_job('{"kind": "surat", "surat": "SURAT#PJ-ABCDEFGH-PETUGAS"}')
    assert deliver(job, ses=ses, holder=Holder("m1", 1)).status == "sent"
    assert deliver(job, ses=ses, holder=Holder("m1", 1)).status == "skipped"
    assert len(ses.sent) == 1 and "Kiriman baru" in ses.sent[0]


def test_staff_digest_sends_only_new_lines(aws, monkeypatch):
    monkeypatch.setenv("STAFF_EMAILS_PER_HOUR", "0")
    now = time.time() // 3600 * 3600 + 60  # early in an hour: now + 900 is the same hour
    record = {"ref": "PJ-DIGEST01", "kind": "daftar", "shop_title": "Toko Satu",
              "created_at": "2026-12-01T00:00:00Z"}
    items, jobs = mail.staff_mail(record, now)
    assert items == [] and jobs[0]["ringkasan"] is True
    _, more = mail.staff_mail({**record, "ref": "PJ-DIGEST02", "shop_title": "Toko Dua"}, now)
    assert more == []  # one digest job per hour
    ses = CountingSes()
    job = parse_job(__import__("json").dumps(jobs[0]))
    assert deliver(job, ses=ses, holder=Holder("m1", 1)).status == "sent"
    assert "Toko Satu" in ses.sent[0] and "Toko Dua" in ses.sent[0]
    _, later = mail.staff_mail({**record, "ref": "PJ-DIGEST03", "shop_title": "Toko Tiga"},
                               now + 900)  # after the first job fired: a new job
    assert later == jobs
    assert deliver(job, ses=ses, holder=Holder("m1", 1)).status == "sent"
    assert "Toko Tiga" in ses.sent[1] and "Toko Satu" not in ses.sent[1]
    assert deliver(job, ses=ses, holder=Holder("m1", 1)).status == "skipped"


def test_the_digest_subject_names_the_hour_in_wib():
    from daftar import mail

    # The hour key is UTC: 2026-12-01 23:xx UTC is 2 December 06:xx WIB.
    assert mail.hour_label("2026120123") == "2 Desember 2026, pukul 06.00-06.59 WIB"
    assert mail.hour_label("2026120104") == "1 Desember 2026, pukul 11.00-11.59 WIB"
