"""Every way an order can be refused: a message per field, nothing stored or queued."""

import json

import pytest

from order.handler import handler

pytestmark = pytest.mark.usefixtures("aws")

CASES = [
    # (changes to the valid order, field, words the message must contain)
    ({"name": ""}, "name", "Mohon isi nama Anda"),
    ({"name": "a" * 81}, "name", "paling panjang 80"),
    ({"phone": ""}, "phone", "Mohon isi nomor WhatsApp"),
    ({"phone": "12345"}, "phone", "Nomor WhatsApp '12345' tidak valid"),
    ({"phone": "021-1234567"}, "phone", "tidak valid"),  # a landline
    ({"kecamatan": ""}, "kecamatan", "Mohon pilih kecamatan"),
    ({"kecamatan": "Lembang"}, "kecamatan", "Kecamatan 'Lembang' tidak ada di Kabupaten Purwakarta"),
    ({"desa": "Nagri Kidul"}, "desa", "Desa 'Nagri Kidul' tidak ada di Kecamatan Wanayasa. "
                                      "Contoh desa di sana: Wanayasa, Sukadami"),
    ({"desa": "d" * 81}, "desa", "paling panjang 80"),
    ({"address": "  "}, "address", "Mohon isi alamat lengkap"),
    ({"address": "a" * 301}, "address", "paling panjang 300"),
    ({"note": "n" * 501}, "note", "paling panjang 500"),
    ({"email": "bukan-email"}, "email", "Email 'bukan-email' tidak valid"),
    ({"email": "a" * 116 + "@x.id"}, "email", "paling panjang 120"),
    # One strict grammar (warung.emails), the same as the mailer's headers.
    ({"email": "a%b@x.id"}, "email", "Email 'a%b@x.id' tidak valid"),
    ({"email": ".siti@x.id"}, "email", "Email '.siti@x.id' tidak valid"),
    ({"email": "siti..a@x.id"}, "email", "Email 'siti..a@x.id' tidak valid"),
    ({"email": "siti@-x.id"}, "email", "Email 'siti@-x.id' tidak valid"),
    ({"email": "siti.@x.id"}, "email", "Email 'siti.@x.id' tidak valid"),
    ({"delivery": ""}, "delivery", "Mohon pilih cara terima barang"),
    ({"delivery": "kirim"}, "delivery", "tidak dikenal. Pilih: Ambil sendiri, Diantar penjual"),
    ({"payment": ""}, "payment", "Mohon pilih cara bayar"),
    ({"payment": "kredit"}, "payment", "Cara bayar tidak dikenal"),
    ({"payment": "qris"}, "payment", "Kopi Wanayasa tidak menerima 'QRIS'. Pilih: Bayar di tempat (COD), Transfer bank"),
    ({"item": ["sayur-maniis/pisang"], "qty": ["1"]}, "delivery",
     "Sayur Maniis tidak melayani 'Diantar penjual'. Pilih: Ambil sendiri"),
    ({"item": [], "qty": []}, "item", "Keranjang Anda kosong"),
    ({"item": ["kopi-wanayasa/robusta"] * 51, "qty": ["1"] * 51}, "item", "paling banyak 50 baris"),
    ({"item": ["kopi-wanayasa/robusta"], "qty": []}, "item", "Jumlah barang tidak lengkap"),
    ({"item": ["kopi-wanayasa/tidak-ada"], "qty": ["1"]}, "item",
     "Produk 'kopi-wanayasa/tidak-ada' tidak ada lagi di katalog"),
    ({"item": ["kopi-wanayasa/arabika:1 kg"], "qty": ["1"]}, "item",
     "Pilihan '1 kg' untuk Kopi Arabika tidak ada. Pilih: 250 g, 500 g"),
    ({"item": ["kopi-wanayasa/luwak"], "qty": ["1"]}, "item", "Kopi Luwak sedang habis"),
    ({"item": ["kopi-wanayasa/robusta"], "qty": ["0"]}, "item", "Jumlah Kopi Robusta harus angka bulat 1 sampai 999"),
    ({"item": ["kopi-wanayasa/robusta"], "qty": ["1000"]}, "item", "1 sampai 999"),
    ({"item": ["kopi-wanayasa/robusta"], "qty": ["1.5"]}, "item", "1 sampai 999"),
    ({"item": ["kopi-wanayasa/robusta"], "qty": ["-2"]}, "item", "1 sampai 999"),
    ({"item": ["kopi-wanayasa/robusta"] * 2, "qty": ["600", "600"]}, "item",
     "Jumlah Kopi Robusta paling banyak 999"),
]


def _ids(case):
    return f"{case[1]}:{case[2][:30]}"


@pytest.mark.parametrize("changes,field,words", CASES, ids=[_ids(c) for c in CASES])
def test_json_errors_name_the_field(aws, events, valid_order, changes, field, words):
    valid_order.update(changes)
    response = handler(events.json(valid_order), None)
    assert response["statusCode"] == 400, response["body"]
    errors = json.loads(response["body"])["errors"]
    assert words in errors[field]
    assert aws.items() == [] or all(i["pk"].startswith("RATE#") for i in aws.items())
    assert aws.jobs() == []


@pytest.mark.parametrize("changes,field,words", CASES[::4], ids=[_ids(c) for c in CASES[::4]])
def test_form_errors_show_the_form_again(aws, events, valid_order, changes, field, words):
    valid_order.update(changes)
    response = handler(events.form(valid_order), None)
    assert response["statusCode"] == 400
    html = response["body"]
    assert response["headers"]["content-type"].startswith("text/html")
    assert f'id="err-{field}"' in html
    # The message is in the page (apostrophes are HTML-escaped).
    assert words.replace("'", "&#39;") in html
    assert 'action="/api/order"' in html
    assert 'value="Kp. Babakan' not in html  # address is a textarea...
    assert "Kp. Babakan RT 02/03, dekat masjid</textarea>" in html  # ...kept as typed
    if field != "phone":
        assert 'value="0813-1111-2222"' in html
    assert aws.jobs() == []


def test_several_errors_at_once(aws, events, valid_order):
    valid_order.update(name="", phone="x", address="", payment="")
    errors = json.loads(handler(events.json(valid_order), None)["body"])["errors"]
    assert set(errors) == {"name", "phone", "address", "payment"}


def test_form_page_escapes_what_the_buyer_typed(aws, events, valid_order):
    valid_order.update(name='"><script>alert(1)</script>', phone="bad")
    html = handler(events.form(valid_order), None)["body"]
    assert "<script>alert(1)" not in html
    assert "&#34;&gt;&lt;script&gt;" in html


def test_a_product_with_variants_without_one_costs_its_base_price(aws, events, valid_order):
    valid_order.update(item=["kopi-wanayasa/arabika"], qty=[1], delivery="ambil")
    body = json.loads(handler(events.json(valid_order), None)["body"])
    line = body["orders"][0]["lines"][0]
    assert (line["variant"], line["price"], body["orders"][0]["total"]) == (None, 45000, 45000)


def test_pre_order_products_can_be_ordered(aws, events, valid_order):
    valid_order.update(item=["batik-plered/pot-gerabah:kecil"], qty=[1])
    body = json.loads(handler(events.json(valid_order), None)["body"])
    assert body["orders"][0]["lines"][0]["variant"] == "Kecil"
