"""The pure parts of the order function: codes, parsing, the WhatsApp text."""

import hashlib
import json
import re
from urllib.parse import urlencode

import pytest

from backend import codes
from order import parse, whatsapp

CROCKFORD = set("0123456789ABCDEFGHJKMNPQRSTVWXYZ")


def test_codes_use_the_unambiguous_alphabet():
    seen = {codes.new_code() for _ in range(300)}
    assert len(seen) > 290
    for code in seen:
        assert re.fullmatch(r"WO-[0-9A-Z]{6}", code)
        assert set(code[3:]) <= CROCKFORD and not set(code[3:]) & set("ILOU")
    assert codes.order_code("WO-7K3M9Q", 2) == "WO-7K3M9Q-2"
    assert codes.ORDER_CODE.match("WO-7K3M9Q-12")


def test_codes_are_read_forgivingly():
    assert codes.normalize_code(" wo-7k3m9q ") == "WO-7K3M9Q"
    assert codes.normalize_code("WO-7K3M9O") == "WO-7K3M90"  # O read as zero
    assert codes.normalize_code("WO-1L1I00") == "WO-111100"
    for bad in ("", "WO-12345", "WO-1234567", "XX-123456", "WO-12345U", None):
        assert codes.normalize_code(bad) is None


def test_tokens_are_128_bits_and_stored_as_sha256():
    token = codes.new_token()
    assert len(token) == 22 and token != codes.new_token()
    stored = codes.hash_token(token)
    assert stored == hashlib.sha256(token.encode()).hexdigest()
    assert codes.token_matches(token, stored)
    assert not codes.token_matches(token + "x", stored)
    assert not codes.token_matches("", stored) and not codes.token_matches(token, None)
    derived = codes.token_for_key("3f1c2a9e-7b4d-4e0f-9a51-2c6b8d7e0f13", "WO-7K3M9Q")
    assert len(derived) == 22
    assert derived == codes.token_for_key("3f1c2a9e-7b4d-4e0f-9a51-2c6b8d7e0f13", "WO-7K3M9Q")
    assert derived != codes.token_for_key("3f1c2a9e-7b4d-4e0f-9a51-2c6b8d7e0f13", "WO-7K3M9R")


def test_form_and_json_parse_to_the_same_submission():
    pairs = [("item", "kopi-wanayasa/arabika:500 g"), ("qty", "2"), ("item", "batik-plered/kain-batik"),
             ("qty", "1"), ("name", "Siti & Co"), ("note", ""), ("website", "")]
    form = parse.parse(urlencode(pairs), "application/x-www-form-urlencoded; charset=UTF-8")
    data = parse.parse(json.dumps({"item": ["kopi-wanayasa/arabika:500 g", "batik-plered/kain-batik"],
                                   "qty": ["2", "1"], "name": "Siti & Co", "note": None}),
                       "application/json")
    assert form == data
    assert form["item"] == ["kopi-wanayasa/arabika:500 g", "batik-plered/kain-batik"]
    assert form["phone"] == "" and form["key"] == ""


def test_json_accepts_a_single_item_and_numbers():
    data = parse.parse_json(json.dumps({"item": "kopi-wanayasa/robusta", "qty": 3, "phone": 81311112222}))
    assert data["item"] == ["kopi-wanayasa/robusta"] and data["qty"] == [3]
    assert data["phone"] == "81311112222"


@pytest.mark.parametrize("body", ['"text"', "[]", '{"item": [{"id": 1}]}', '{"name": [1]}', "{"])
def test_unreadable_json(body):
    with pytest.raises(parse.ParseError):
        parse.parse_json(body)


def test_unsupported_media_type():
    with pytest.raises(parse.UnsupportedMediaType):
        parse.parse("x", "multipart/form-data; boundary=x")


def _order(n_lines, title="Keripik Singkong Pedas Level 5 Ukuran Keluarga Besar"):
    lines = [{"id": f"toko/p{i}", "title": f"{title} {i}", "variant": "Pedas Sekali" if i % 2 else None,
              "qty": 999, "price": 1_250_000, "subtotal": 999 * 1_250_000} for i in range(n_lines)]
    subtotal = sum(line["subtotal"] for line in lines)
    return {"code": "WO-7K3M9Q-1", "shop_title": "Toko Keripik Bu Ani", "seller_whatsapp": "6281234567890",
            "lines": lines, "subtotal": subtotal, "delivery": "antar", "delivery_fee": 15000,
            "payment": "transfer", "total": subtotal + 15000}


BUYER = {"name": "N" * 80, "phone": "6281311112222", "kecamatan": "Pondoksalam",
         "desa": "Taringgul Landeuh", "address": "A" * 300, "note": "C" * 500, "email": None}


def test_whatsapp_message_fits_and_counts_what_it_leaves_out():
    text = whatsapp.message(_order(50), BUYER)
    assert len(text) < 1500
    assert "*Pesanan WO-7K3M9Q-1*" in text
    assert re.search(r"^\*Total: Rp[0-9.]+\*$", text, re.M)
    shown = len(re.findall(r"^\d+\. ", text, re.M))
    assert 1 <= shown < 50
    assert f"…dan {50 - shown} barang lain" in text
    assert "Ongkir: Rp15.000" in text and "Cara bayar: Transfer bank" in text


def test_whatsapp_message_keeps_everything_when_short():
    buyer = {**BUYER, "name": "Siti", "address": "Jl. Mawar 1", "note": "Sore saja"}
    order = _order(2, title="Kopi")
    text = whatsapp.message(order, buyer)
    assert "…dan" not in text
    assert "1. Kopi 0 x999 = Rp1.248.750.000" in text
    assert "2. Kopi 1 (Pedas Sekali) x999" in text
    assert "Alamat: Jl. Mawar 1, Desa Taringgul Landeuh, Kec. Pondoksalam" in text
    assert "Catatan: Sore saja" in text
    link = whatsapp.link(order, buyer)
    assert link.startswith("https://wa.me/6281234567890?text=")
    assert "%2APesanan%20WO-7K3M9Q-1%2A" in link


def test_handler_import_stays_light():
    """Cold start: importing the handler must not pull in boto3, jinja2 or moto."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(root / "functions"), str(root / "plugins"), str(root)])}
    probe = ("import sys, order.handler; "
             "print(sorted(m for m in ('boto3', 'botocore', 'jinja2', 'moto', 'pelican') "
             "if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", probe], env=env, cwd=root,
                            capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
