"""The mailer's pure parts: jobs, rendering, the MIME message, retry decisions."""

import copy
import email
import email.policy
import re
from datetime import datetime, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mailer import jobs, mime, render, retry
from mailer.jobs import BadJob, Job, parse_job

MAIL_FROM = "pesanan@warung.example"
SELLER = "kopi@wanayasa.example"
NOW = datetime(2026, 11, 28, 1, 2, 3, tzinfo=timezone.utc)

ORDER = {
    "pk": "ORDER#WO-7K3M9Q-1", "code": "WO-7K3M9Q-1", "checkout": "WO-7K3M9Q",
    "shop": "kopi-wanayasa", "shop_title": "Kopi Wanayasa", "seller_email": SELLER,
    "seller_whatsapp": "6281234567890",
    "lines": [
        {"id": "kopi-wanayasa/arabika", "title": "Kopi Arabika", "variant": "500 g",
         "qty": 2, "price": 85000, "subtotal": 170000},
        {"id": "kopi-wanayasa/robusta", "title": "Kopi Robusta", "variant": None,
         "qty": 1, "price": 45000, "subtotal": 45000},
    ],
    "subtotal": 215000, "delivery": "antar", "delivery_fee": 5000, "payment": "cod",
    "total": 220000,
    "buyer": {"name": "Siti Aminah", "phone": "6281311112222", "kecamatan": "Wanayasa",
              "desa": "Sukadami", "address": "Kp. Babakan RT 02/03\ndekat masjid",
              "email": "siti@example.com", "note": "Tolong telepon dulu"},
    "created_at": "2026-11-28T00:41:37Z", "email_status": "queued",
}


def order(**changes):
    data = copy.deepcopy(ORDER)
    buyer = changes.pop("buyer", None)
    data.update(changes)
    if buyer:
        data["buyer"].update(buyer)
    return data


def build(record, reply_to="auto"):
    rendered = render.render_seller(record)
    if reply_to == "auto":
        reply_to = record["buyer"].get("email")
    msg = mime.build_message(sender=MAIL_FROM, sender_name="Warung Online Purwakarta",
                             to=record["seller_email"], reply_to=reply_to,
                             subject=rendered.subject, text=rendered.text, html=rendered.html,
                             now=NOW)
    return mime.to_bytes(msg)


def parse(data: bytes):
    return email.message_from_bytes(data, policy=email.policy.default)


def parts(msg):
    text = msg.get_body(preferencelist=("plain",)).get_content()
    html = msg.get_body(preferencelist=("html",)).get_content()
    return text, html


# --- jobs ---------------------------------------------------------------------------------

def test_parse_job_accepts_the_three_kinds():
    assert parse_job('{"kind": "seller", "order": "WO-7K3M9Q-1"}') == Job("seller", "WO-7K3M9Q-1")
    assert parse_job('{"kind": "buyer", "checkout": "WO-7K3M9Q"}') == Job("buyer", "WO-7K3M9Q")
    assert parse_job('{"kind": "digest", "digest": "DIGEST#kopi-wanayasa#2026112807"}') == \
        Job("digest", "DIGEST#kopi-wanayasa#2026112807")


@pytest.mark.parametrize("body", [
    None, "", "not json", "[]", '{"kind": "seller"}', '{"kind": "fax", "order": "WO-7K3M9Q-1"}',
    '{"kind": "seller", "order": "WO-7K3M9Q"}',  # a checkout code is not an order code
    '{"kind": "seller", "order": "WO-7K3M9Q-1\\r\\nBcc: x@evil.example"}',
    '{"kind": "buyer", "checkout": 12}',
    '{"kind": "digest", "digest": "ORDER#WO-7K3M9Q-1"}',
    '{"kind": "seller", "order": "WO-7K3M9Q-1", "pad": "' + "x" * 5000 + '"}',
])
def test_parse_job_refuses_malformed_bodies(body):
    with pytest.raises(BadJob):
        parse_job(body)


# --- rendering ----------------------------------------------------------------------------

def test_seller_email_shows_lines_totals_and_buyer():
    mail = render.render_seller(ORDER)
    assert mail.subject == "Pesanan baru WO-7K3M9Q-1 — Warung Online"
    for body in (mail.text, mail.html):
        assert "WO-7K3M9Q-1" in body
        assert "Kopi Arabika" in body and "500 g" in body and "Kopi Robusta" in body
        assert "Rp85.000" in body and "Rp170.000" in body and "Rp45.000" in body
        assert "Rp215.000" in body and "Rp5.000" in body and "Rp220.000" in body
        assert "Diantar penjual" in body and "Bayar di tempat (COD)" in body
        assert "Siti Aminah" in body and "0813-1111-2222" in body
        assert "Wanayasa" in body and "Sukadami" in body and "Kp. Babakan RT 02/03" in body
        assert "Tolong telepon dulu" in body
        assert "Sabtu, 28 November 2026 pukul 07.41 WIB" in body  # 00:41 UTC
        assert "Balas lewat WhatsApp" in body
        assert "https://wa.me/6281311112222?text=Halo%20Kak%20Siti%20Aminah" in body
    assert "siti@example.com" in mail.text


def test_seller_email_without_fee_says_ongkir_dikonfirmasi_penjual():
    mail = render.render_seller(order(delivery_fee=None, total=215000, delivery="ambil"))
    for body in (mail.text, mail.html):
        assert "ongkir dikonfirmasi penjual" in body
        assert "Total (belum termasuk ongkir)" in body
        assert "Ambil sendiri" in body


def test_html_escapes_buyer_text_and_text_part_keeps_it():
    hostile = order(buyer={"name": '<script>alert("x")</script>', "note": "a & b <b>c</b>",
                           "address": "<img src=x onerror=alert(1)>"})
    mail = render.render_seller(hostile)
    assert "<script" not in mail.html.lower()
    assert "<img" not in mail.html and "<b>c</b>" not in mail.html
    assert "&lt;script&gt;" in mail.html and "a &amp; b &lt;b&gt;c&lt;/b&gt;" in mail.html
    assert '<script>alert("x")</script>' in mail.text  # plain text shows it as written


def test_invalid_buyer_phone_is_shown_without_a_link():
    mail = render.render_seller(order(buyer={"phone": "javascript:alert(1)"}))
    assert "wa.me/javascript" not in mail.html
    assert "Nomor WhatsApp pembeli tidak dapat dibuka" in mail.text


def test_buyer_confirmation_lists_every_shop_with_its_whatsapp_link():
    second = order(pk="ORDER#WO-7K3M9Q-2", code="WO-7K3M9Q-2", shop="batik-plered",
                   shop_title="Batik & Gerabah Plered", seller_whatsapp="6281398765432",
                   lines=[{"id": "batik-plered/kain-batik", "title": "Kain Batik", "variant": None,
                           "qty": 1, "price": 150000, "subtotal": 150000}],
                   subtotal=150000, delivery_fee=None, total=150000)
    checkout = {"code": "WO-7K3M9Q", "created_at": ORDER["created_at"], "buyer": ORDER["buyer"],
                "orders": ["WO-7K3M9Q-1", "WO-7K3M9Q-2"], "delivery": "antar"}
    mail = render.render_buyer(checkout, [ORDER, second])
    assert mail.subject == "Konfirmasi pesanan WO-7K3M9Q — Warung Online"
    for body in (mail.text, mail.html):
        assert "Kopi Wanayasa" in body and "Rp220.000" in body
        assert "Rp150.000" in body and "ongkir dikonfirmasi penjual" in body
        assert "Kirim ke WhatsApp penjual" in body
        assert "https://wa.me/6281234567890?text=" in body
        assert "https://wa.me/6281398765432?text=" in body
        assert "Dikirim ke" in body and "Kp. Babakan RT 02/03" in body
    assert "Batik &amp; Gerabah Plered" in mail.html
    pickup = render.render_buyer({**checkout, "delivery": "ambil"}, [ORDER])
    assert "Dikirim ke" not in pickup.text and "Dikirim ke" not in pickup.html


def test_clean_removes_controls_and_unifies_newlines():
    assert render.clean("a\x00b\u202ec\r\nd\u2028e\x85f\tg\x0bh", multiline=True) == \
        "abc\nd\ne\nf g\nh"
    assert render.clean("Siti\r\nAminah") == "Siti Aminah"
    assert render.clean("x" * 5000, limit=10) == "x" * 9 + "…"
    assert render.clean(None) == ""


def test_digest_lists_every_order_with_the_count_in_the_subject():
    orders = [order(code=f"WO-7K3M9Q-{n}", pk=f"ORDER#WO-7K3M9Q-{n}",
                    buyer={"name": f"Pembeli {n}"}) for n in (1, 2, 3)]
    mail = render.render_digest(orders)
    assert mail.subject == "3 pesanan baru — Warung Online (WO-7K3M9Q-1, WO-7K3M9Q-2, WO-7K3M9Q-3)"
    for body in (mail.text, mail.html):
        for n in (1, 2, 3):
            assert f"WO-7K3M9Q-{n}" in body and f"Pembeli {n}" in body
        assert body.count("Balas lewat WhatsApp") >= 3


def test_digest_subject_shortens_many_codes():
    codes = [f"WO-AAAAAA-{n}" for n in range(1, 9)]
    assert render.digest_subject(codes) == (
        "8 pesanan baru — Warung Online (WO-AAAAAA-1, WO-AAAAAA-2, WO-AAAAAA-3, "
        "WO-AAAAAA-4, WO-AAAAAA-5 dan 3 lainnya)")


def test_subject_refuses_anything_but_an_order_code():
    with pytest.raises(ValueError):
        render.render_seller(order(code="WO-7K3M9Q-1\r\nBcc: x@evil.example"))


# --- MIME ---------------------------------------------------------------------------------

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
    assert mime.valid_address(address) == address


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
    assert mime.valid_address(address) is None


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
    reply_to = mime.valid_address(buyer_email)
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


# --- retry decisions ----------------------------------------------------------------------

class FakeClientError(Exception):
    def __init__(self, code, status):
        super().__init__(code)
        self.response = {"Error": {"Code": code}, "ResponseMetadata": {"HTTPStatusCode": status}}


@pytest.mark.parametrize("code,status", [
    ("TooManyRequestsException", 429), ("Throttling", 400), ("LimitExceededException", 400),
    ("InternalFailure", 500), ("SomethingNew", 503), ("ProvisionedThroughputExceededException", 400),
])
def test_transient_errors_are_retried(code, status):
    assert not retry.is_permanent(FakeClientError(code, status))


@pytest.mark.parametrize("code,status", [
    ("MessageRejected", 400), ("MailFromDomainNotVerifiedException", 400),
    ("ConditionalCheckFailedException", 400), ("SomethingNew", 403),
])
def test_permanent_errors_are_not(code, status):
    assert retry.is_permanent(FakeClientError(code, status))


def test_network_errors_are_transient_and_bad_data_permanent():
    from botocore.exceptions import EndpointConnectionError, ReadTimeoutError

    assert not retry.is_permanent(EndpointConnectionError(endpoint_url="http://x"))
    assert not retry.is_permanent(ReadTimeoutError(endpoint_url="http://x"))
    assert retry.is_permanent(retry.PermanentError("order gone"))
    assert retry.is_permanent(mime.HeaderError("bad address"))


def test_backoff_doubles_from_30_seconds_up_to_15_minutes():
    assert [retry.backoff_seconds(n) for n in range(1, 8)] == [30, 60, 120, 240, 480, 900, 900]
    assert retry.backoff_seconds("3") == 120
    assert retry.backoff_seconds(None) == 30
    assert retry.backoff_seconds(1, jitter=0.999) == 35
    assert retry.backoff_seconds(10**6) == 900


def test_job_patterns_match_the_order_functions_codes():
    from backend import codes

    code = codes.new_code()
    assert jobs.CHECKOUT_CODE.fullmatch(code)
    assert jobs.ORDER_CODE.fullmatch(codes.order_code(code, 12))
