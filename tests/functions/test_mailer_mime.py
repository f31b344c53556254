"""The raw message handed to SES (``mailer.mime``, pure): fixed headers from
validated values only, whatever the buyer typed."""

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mailer import mime
from warung.emails import valid_email

from .mailer_samples import ORDER, SELLER, build, order, parse, parts

def test_message_headers_are_exactly_the_fixed_ones():
    msg = parse(build(ORDER))
    assert msg.keys() == ["From", "To", "Reply-To", "Subject", "Date", "Message-ID",
                          "Auto-Submitted", "MIME-Version", "Content-Type"]
    assert msg["From"] == "Warung Online Purwakarta <pesanan@warung.example>"
    assert msg["To"] == SELLER
    assert msg["Reply-To"] == "siti@example.com"
    assert msg["Subject"] == "Pesanan baru WO-7K3M9Q-1 — Warung Online"
    assert msg.get_content_type() == "multipart/alternative"
    text, html = parts(msg)
    assert "Rp220.000" in text and "Rp220.000" in html


def test_no_reply_to_without_a_valid_buyer_email():
    assert "Reply-To" not in parse(build(order(buyer={"email": None})))
    assert "Reply-To" not in parse(build(order(buyer={"email": "siti@example.com\r\nBcc: a@b.co"})))


@pytest.mark.parametrize("address", [
    "siti@example.com", "siti.aminah+toko@mail.example.co.id", "A_B-c@x-y.example",
])
def test_valid_addresses(address):
    assert mime.require_address(address, "To") == address


@pytest.mark.parametrize("address", [
    "", None, "siti", "siti@", "@example.com", "siti@example", "siti@@example.com",
    "Siti <siti@example.com>", '"siti"@example.com', "siti@example.com\r\nBcc: a@b.co",
    "siti@example.com\n", "=?utf-8?b?c2l0aUBldmlsLmV4YW1wbGU=?=@example.com",
    "=?utf-8?q?a=40evil.example=3e?=@example.com", "user%evil.example@example.com",
    "a!b@example.com", "siti@exa mple.com", "siti@example.com\u2028", "sìti@example.com",
    "siti@example.com\x00", "siti..aminah@example.com", ".siti@example.com",
    "a" * 65 + "@example.com", "siti@" + "a" * 250 + ".com", "siti@-example.com",
])
def test_invalid_addresses(address):
    with pytest.raises(mime.HeaderError):
        mime.require_address(address, "To")


def test_a_bad_seller_email_is_refused_not_sent_elsewhere():
    with pytest.raises(mime.HeaderError):
        build(order(seller_email="kopi@wanayasa.example\r\nBcc: all@evil.example"))


def test_body_is_quoted_printable_ascii_with_short_lines():
    data = build(order(buyer={"note": "x" * 1000 + " é " + "y" * 1000}))
    data.decode("ascii")
    assert max(len(line) for line in data.split(b"\r\n")) <= 78
    assert b"\n" not in data.replace(b"\r\n", b"")


# --- hypothesis: buyer text never reaches a header -----------------------------------------

_NASTY = st.sampled_from([
    "\r", "\n", "\r\n", "\r\n\r\n", "=?utf-8?b?UmVwbHktVG86IGV2aWxAZXZpbC5leGFtcGxl?=",
    "=?utf-8?q?=0D=0ABcc:_x@evil.example?=", "\u2028", "\u2029", "\u0085", "\x00", "\x0b",
    "<script>alert(1)</script>", "<SCRIPT src=//evil>", '"', "&", "'", "<", ">",
    "Bcc: x@evil.example", "Subject: hacked", "Content-Type: text/html", "x" * 1000,
    "siti@example.com", "\t", "é", "☕", "\ud7ff", "\U0001f600",
])
_FIELD = st.lists(st.one_of(_NASTY, st.text(max_size=20)), max_size=6).map("".join)
_EMAILISH = st.one_of(
    st.none(), _FIELD,
    st.sampled_from(["siti@example.com", "siti@example.com\r\nBcc: x@evil.example",
                     "=?utf-8?b?ZXZpbEBldmlsLmV4YW1wbGU=?=@example.com", "a@b.co\u2028"]),
    st.builds(lambda a, b: f"{a}@{b}.example", st.from_regex(r"[a-z]{1,10}", fullmatch=True),
              _FIELD),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=_FIELD, note=_FIELD, address=_FIELD, desa=_FIELD, kecamatan=_FIELD,
       buyer_email=_EMAILISH, title=_FIELD, variant=_FIELD)
def test_buyer_text_never_changes_headers(name, note, address, desa, kecamatan, buyer_email,
                                          title, variant):
    record = order(buyer={"name": name, "note": note, "address": address, "desa": desa,
                          "kecamatan": kecamatan, "email": buyer_email},
                   lines=[{"id": "kopi-wanayasa/arabika", "title": title, "variant": variant,
                           "qty": 1, "price": 45000, "subtotal": 45000}])
    data = build(record)
    data.decode("ascii")
    head = data.split(b"\r\n\r\n", 1)[0]
    assert all(len(line) <= 78 for line in head.split(b"\r\n"))
    msg = parse(data)
    reply_to = valid_email(buyer_email)
    expected = ["From", "To", "Reply-To", "Subject", "Date", "Message-ID",
                "Auto-Submitted", "MIME-Version", "Content-Type"]
    if reply_to is None:
        expected.remove("Reply-To")
    assert msg.keys() == expected
    assert msg["From"] == "Warung Online Purwakarta <pesanan@warung.example>"
    assert msg["To"] == SELLER
    assert [a.addr_spec for a in msg["To"].addresses] == [SELLER]
    assert msg["Subject"] == "Pesanan baru WO-7K3M9Q-1 — Warung Online"
    if reply_to is not None:
        assert msg["Reply-To"] == reply_to
        assert re.fullmatch(r"[A-Za-z0-9._+-]+@[A-Za-z0-9.-]+", reply_to)
    # Only the two body parts, and no markup from buyer text in the HTML.
    assert [p.get_content_type() for p in msg.iter_parts()] == ["text/plain", "text/html"]
    text, html = parts(msg)
    assert "<script" not in html.lower()
    assert html.count("<a ") == 3  # the two WhatsApp buttons and the buyer's number
    assert "\x00" not in text and "\x00" not in html
