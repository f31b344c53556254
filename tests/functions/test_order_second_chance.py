"""The order form's error path (issue 6): the referrer policy and the
Origin rules that let every same-origin post through, and the 400 page as a
second chance."""

import re

import pytest

from order.handler import handler

pytestmark = pytest.mark.usefixtures("aws")


def _page(response) -> str:
    assert response["headers"]["content-type"].startswith("text/html")
    return response["body"]


# --- same-origin posts always pass, cross-site never -----------------------------

def test_error_page_keeps_a_referrer_policy_that_sends_our_origin(events, valid_order):
    valid_order["phone"] = "12345"
    response = handler(events.form(valid_order), None)
    assert response["statusCode"] == 400
    policy = response["headers"]["referrer-policy"]
    assert policy in ("same-origin", "strict-origin-when-cross-origin", "strict-origin")
    meta = re.search(r'<meta name="referrer" content="([^"]+)">', response["body"])
    assert meta is None or meta.group(1) == policy


def test_null_origin_from_a_same_origin_form_is_accepted(events, valid_order):
    headers = {"sec-fetch-site": "same-origin"}
    response = handler(events.form(valid_order, origin="null", headers=headers), None)
    assert response["statusCode"] == 303


@pytest.mark.parametrize("fetch_site", ["cross-site", "same-site", "none", ""])
def test_null_origin_otherwise_is_refused(events, valid_order, fetch_site):
    headers = {"sec-fetch-site": fetch_site} if fetch_site else {}
    response = handler(events.form(valid_order, origin="null", headers=headers), None)
    assert response["statusCode"] == 403


def test_a_foreign_origin_is_refused_even_claiming_same_origin(events, valid_order):
    headers = {"sec-fetch-site": "same-origin"}
    response = handler(events.form(valid_order, origin="https://evil.example",
                                   headers=headers), None)
    assert response["statusCode"] == 403


# --- the 400 page: a second chance ------------------------------------------------

def test_error_page_has_no_python_repr_and_keeps_what_was_typed(events, valid_order):
    valid_order.update(phone="12345", note="Tolong <b>telepon</b> dulu", email="siti@x.example")
    body = _page(handler(events.form(valid_order), None))
    assert "built-in method" not in body and " object at 0x" not in body
    assert "Barang yang dipesan" in body
    for shown in ("Kopi Arabika (500 g)", "Kain Batik Tulis", 'value="12345"',
                  'value="Siti Aminah"', 'value="Sukadami"', "Kp. Babakan RT 02/03",
                  "Tolong &lt;b&gt;telepon&lt;/b&gt; dulu", 'value="siti@x.example"'):
        assert shown in body
    assert re.search(r'<option selected>Wanayasa</option>', body)
    assert re.search(r'value="antar" checked', body) and re.search(r'value="cod" checked', body)


def test_error_page_puts_each_message_next_to_its_field(events, valid_order):
    valid_order.update(phone="12345", address="", payment="")
    body = _page(handler(events.form(valid_order), None))
    for field in ("phone", "address"):
        assert re.search(rf'<p class="err" id="err-{field}">[^<]+</p>\s*<[a-z]+ id="{field}"', body), field
        assert f'aria-describedby="err-{field}"' in body
    assert re.search(r'<legend>Cara bayar</legend>\s*<p class="err" id="err-payment">', body)


def test_error_page_offers_only_methods_every_shop_accepts(events, valid_order):
    # Sayur Maniis: COD and pickup only; Batik Plered: cod, transfer, qris, both deliveries.
    valid_order.update(item=["sayur-maniis/pisang", "batik-plered/kain-batik"],
                       qty=["1", "1"], phone="12345", delivery="ambil")
    body = _page(handler(events.form(valid_order), None))
    radios = dict.fromkeys(re.findall(r'name="(delivery|payment)" value="([a-z]+)"', body))
    assert list(radios) == [("delivery", "ambil"), ("payment", "cod")]
    assert "Pisang Ambon" in body and "Kain Batik Tulis" in body


def test_error_page_lists_unknown_items_by_what_was_sent(events, valid_order):
    valid_order.update(item=["kopi-wanayasa/tidak-ada"], qty=["1"])
    body = _page(handler(events.form(valid_order), None))
    assert 'value="kopi-wanayasa/tidak-ada"' in body
