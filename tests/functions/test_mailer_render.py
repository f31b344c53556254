"""The mailer's rendering (``mailer.render``, pure): records in, subject + text + HTML out."""

import pytest

from mailer import render

from .mailer_samples import ORDER, order

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


def test_buyer_text_is_cleaned_of_controls_with_unified_newlines():
    view = render.buyer_view({"address": "a\x00b\u202ec\r\nd\u2028e\x85f\tg\x0bh",
                              "name": "Siti\r\nAminah", "desa": "x" * 5000})
    assert view["address"] == "abc\nd\ne\nf g\nh"
    assert view["name"] == "Siti Aminah"
    assert view["desa"] == "x" * 99 + "…"
    assert render.buyer_view(None)["note"] == ""


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
