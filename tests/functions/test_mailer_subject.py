"""Subjects carry seller-typed text (a shop title, a decline reason): the
mailer makes them header-safe instead of refusing them, so no email is lost
to a character the upstream cleaners let through, and no header is injected."""

import email
import email.policy
import json

import pytest

from backend import clients
from backend.mailjobs import parse as parse_job
from daftar import mail, records
from mailer import mime
from mailer.deliver import deliver
from mailer.lease import Holder

from .mailer_samples import MAIL_FROM, SELLER, parse

SHOP = "Dapur Ibu \U0001f469\u200d\U0001f373"  # woman cook: a zero-width joiner inside


class RecordingSes:
    def __init__(self):
        self.real, self.sent = clients.sesv2(), []

    def send_email(self, **kwargs):
        self.sent.append(kwargs["Content"]["Raw"]["Data"])
        return self.real.send_email(**kwargs)


def test_an_emoji_shop_title_goes_out_through_the_mailer(aws):
    record = {"ref": "PJ-EMOJI001", "shop_title": SHOP, "email": "dapur@ibu.example",
              "created_at": "2026-12-01T00:00:00Z"}
    items, jobs = mail.seller_mail(record, "/daftar/status/PJ-EMOJI001", "https://w.example")
    records.put_new(items, "PJ-EMOJI001", [], items[0]["created_at"])
    ses = RecordingSes()
    job = parse_job(json.dumps(jobs[0]))
    assert deliver(job, ses=ses, holder=Holder("m1", 1)).status == "sent"
    msg = email.message_from_bytes(ses.sent[0], policy=email.policy.default)
    assert "Dapur Ibu \U0001f469\U0001f373" in msg["Subject"] and "PJ-EMOJI001" in msg["Subject"]


@pytest.mark.parametrize("raw, expected", [
    (SHOP, "Dapur Ibu \U0001f469\U0001f373"),
    ("Kue\u00adkering", "Kuekering"),  # soft hyphen
    ("a =?utf-8?b?QmNjOiB4?= b", "a = ?utf-8?b?QmNjOiB4?= b"),
    ("a\r\nBcc: x@evil.example", "a Bcc: x@evil.example"),
    ("a\u2028\u2029\t\x00 b", "a b"),
    ("=?=?", "= ?= ?"),
    ("", "-"),
    ("\u200d", "-"),
])
def test_safe_subject(raw, expected):
    assert mime.safe_subject(raw) == expected


def test_a_long_subject_is_cut():
    subject = mime.safe_subject("x" * 1000)
    assert len(subject) == mime.MAX_SUBJECT and subject.endswith("…")


def test_subject_text_never_adds_a_header():
    msg = mime.build_message(
        sender=MAIL_FROM, sender_name="Warung Online", to=SELLER, text="a", html="<p>a</p>",
        subject="Toko\r\nBcc: x@evil.example\u2028=?utf-8?q?=0D=0A?= \u00ad")
    data = mime.to_bytes(msg)
    msg = parse(data)
    assert "Bcc" not in msg.keys() and msg.keys().count("Subject") == 1
    assert msg["Subject"] == "Toko Bcc: x@evil.example = ?utf-8?q?=0D=0A?="
