"""warung.keys: one table of key names and their Indonesian aliases."""

import pytest

from warung import keys


@pytest.mark.parametrize("written, kind, key", [
    ("Title", "shop", "title"), ("Nama Toko", "shop", "title"), ("nama_toko", "shop", "title"),
    ("JUDUL", "product", "title"), ("Delivery Fee", "shop", "deliveryfee"),
    ("delivery_fee", "shop", "deliveryfee"), ("Ongkir", "shop", "deliveryfee"),
    ("Foto", "product", "image"), ("Foto", "shop", "logo"), ("foto lain", "product", "images"),
    ("Harga", "shop", None), ("Nama Toko", "product", None), ("Warna", "product", None)])
def test_canonical(written, kind, key):
    assert keys.canonical(written, kind) == key


def test_every_alias_points_at_a_key_of_its_kind():
    for kind, aliases in keys.ALIASES.items():
        for alias, key in aliases.items():
            assert key in keys.KEYS[kind]
            assert keys.canonical(alias, kind) == key


def test_names_as_written():
    assert keys.key_name("deliveryfee") == "DeliveryFee"
    assert keys.key_name("whatsapp") == "WhatsApp"
    assert keys.key_name("warna") == "warna"
    assert keys.aliases_of("title", "shop") == ["Judul", "Nama Toko"]
    assert keys.written_names("product")[:2] == ["Title", "Price"]
    assert "Harga" in keys.written_names("product")
