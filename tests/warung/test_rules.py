"""warung.rules: the seller content rules, directly (no build, no files)."""

import pytest

from warung import rules
from warung.rules import ContentError, Limits


def refused(parse, *args) -> str:
    with pytest.raises(ContentError) as error:
        parse(*args)
    return str(error.value)


def product(**meta):
    return {"title": "Kopi", "price": "45000", "category": "Minuman", "image": "images/a.jpg", **meta}


@pytest.mark.parametrize("written, amount", [
    ("15rb", 15000), ("15 ribu", 15000), ("1,5 jt", 1_500_000), ("1,5 juta", 1_500_000),
    ("Rp. 25.000,-", 25000), ("Rp 25.000,00", 25000), ("25.000", 25000), ("Rp25.000", 25000),
    ("45000", 45000), ("45.000", 45000), ("Rp45.000", 45000), ("Rp100.000.000", 100_000_000)])
def test_prices_as_sellers_write_them(written, amount):
    assert rules.parse_price(written) == amount
    meta = {k: v for k, v in product().items() if k != "price"}
    clean, problems = rules.validate_product({"Harga": written, **meta})
    assert problems == [] and clean["price"] == amount


def test_refused_prices_quote_the_seller_and_fix_with_their_own_number():
    assert refused(rules.parse_price, "45,000") == (
        "Harga '45,000' bisa dibaca dua cara: koma berarti desimal, titik memisahkan ribuan. "
        "Bila maksud Anda Rp45.000, tulis: Price: Rp45.000")
    assert refused(rules.parse_price, "Rp 25.000,50") == (
        "Harga 'Rp 25.000,50' memakai sen, padahal harga ditulis dalam rupiah bulat. "
        "Tulis: Price: Rp25.001")
    assert refused(rules.parse_price, "1,2345 rb") == (
        "Harga '1,2345 rb' memakai sen, padahal harga ditulis dalam rupiah bulat. "
        "Tulis: Price: Rp1.235")
    assert refused(rules.parse_price, "45.50").startswith("Harga '45.50' bisa dibaca dua cara.")
    assert refused(rules.parse_price, "empat puluh ribu") == (
        "Harga 'empat puluh ribu' bukan angka rupiah bulat. Tulis misalnya: Price: 45000")
    assert refused(rules.parse_variants, "Besar=45,000") .endswith(
        "tulis: Variants: Besar=Rp45.000")


def test_zero_and_prices_above_the_cap_are_refused():
    assert refused(rules.parse_price, "0") == (
        "Harga tidak boleh 0. Tulis harga jualnya, misalnya: Price: 45000")
    assert refused(rules.parse_price, "Rp 1.000.000.000.000.000").startswith(
        "Harga 'Rp 1.000.000.000.000.000' (Rp1.000.000.000.000.000) melebihi batas Rp100.000.000.")
    assert refused(rules.parse_price, "1" * 41).startswith("Harga '" + "1" * 39 + "…' bukan")
    assert "melebihi batas Rp50.000" in refused(rules.parse_price, "60rb", "Price: 1", 50_000)
    assert "melebihi batas" in refused(rules.parse_variants, "Besar=200 jt")
    assert "tidak boleh 0" in refused(rules.parse_variants, "Kecil=0")
    assert "melebihi batas" in refused(rules.parse_delivery_fee, "Wanayasa=2 jt", 1_000_000)
    assert rules.parse_delivery_fee("0") == {"default": 0, "kecamatan": {}}  # free delivery
    _, problems = rules.validate_product(product(price="150 jt"), Limits(max_price=200_000_000))
    assert problems == []


@pytest.mark.parametrize("alias, key, value, parsed", [
    ("Judul", "title", "Kopi Enak", "Kopi Enak"), ("HARGA", "price", "15rb", 15000),
    ("kategori", "category", "minuman", "Minuman"), ("Foto", "image", "images/b.jpg", "images/b.jpg"),
    ("Satuan", "unit", "bungkus", "bungkus"), ("Stok", "stock", "habis", "habis"),
    ("Varian", "variants", "Kecil=10rb", [{"name": "Kecil", "price": 10000}]),
    ("Label", "tags", "kopi, enak", ["kopi", "enak"])])
def test_product_aliases(alias, key, value, parsed):
    meta = {k: v for k, v in product().items() if k != key}
    clean, problems = rules.validate_product({alias: value, **meta})
    assert problems == [] and clean[key] == parsed


SHOP = {"title": "Kopi", "whatsapp": "0812-3456-7890", "email": "a@contoh.id",
        "kecamatan": "Wanayasa", "delivery": "ambil, antar"}


@pytest.mark.parametrize("alias, key, value, parsed", [
    ("Judul", "title", "Toko A", "Toko A"), ("Nama Toko", "title", "Toko A", "Toko A"),
    ("nama_toko", "title", "Toko A", "Toko A"), ("Alamat", "address", "Jl. Mawar", "Jl. Mawar"),
    ("Pembayaran", "payment", "COD, transfer bank", ["cod", "transfer"]),
    ("Pengiriman", "delivery", "ambil sendiri, diantar", ["ambil", "antar"]),
    ("Ongkir", "deliveryfee", "10rb", {"default": 10000, "kecamatan": {}}),
    ("Delivery Fee", "deliveryfee", "5.000", {"default": 5000, "kecamatan": {}})])
def test_shop_aliases(alias, key, value, parsed):
    meta = {k: v for k, v in SHOP.items() if k != key}
    clean, problems = rules.validate_shop({alias: value, **meta})
    assert problems == [] and clean[key] == parsed


def test_a_key_written_twice_under_two_names_warns_and_the_last_wins():
    clean, problems = rules.validate_product({"Harga": "10rb", **product(price="12rb")})
    assert clean["price"] == 12000
    assert [(p.key, p.severity, p.written) for p in problems] == [("price", "warning", "price")]
    assert problems[0].message.startswith("Kunci 'price' berarti sama dengan 'Harga'")


def test_unknown_key_names_a_close_one():
    _, problems = rules.validate_product({"hraga": "1", **product()})
    assert problems[0].message.endswith("Mungkin maksud Anda 'Harga'?")
    assert problems[0].severity == "warning" and problems[0].written == "hraga"


def test_did_you_mean_kecamatan():
    assert refused(rules.parse_kecamatan, "Purwakata") == (
        "Kecamatan 'Purwakata' tidak ada di Kabupaten Purwakarta. Mungkin maksud Anda "
        "'Purwakarta'? Tulis: Kecamatan: Purwakarta")
    assert rules.parse_kecamatan("kec. bungursari") == "Bungursari"
    assert rules.parse_kecamatan("KECAMATAN Wanayasa") == "Wanayasa"
    assert "Pilihan: Purwakarta, " in refused(rules.parse_kecamatan, "Atlantis")
    assert "Mungkin maksud Anda 'Wanayasa'? Tulis: DeliveryFee: Wanayasa" in refused(
        rules.parse_delivery_fee, "Wanayas=5000")


def test_did_you_mean_category_stock_payment_delivery():
    assert refused(rules.parse_category, "Makanan Ringan") == (
        "Kategori 'Makanan Ringan' tidak ada di daftar kategori. Mungkin maksud Anda 'Makanan'? "
        "Pilihan: Makanan, Minuman, Kerajinan, Fashion, Pertanian, Jasa. Tulis misalnya: "
        "Category: Makanan. Bila perlu kategori baru, hubungi petugas.")
    assert rules.parse_category("  jasa ") == "Jasa"
    assert rules.parse_category("Batik", ("Batik", "Kuliner")) == "Batik"
    assert "Pilihan: Batik, Kuliner." in refused(rules.parse_category, "Makanan", ("Batik", "Kuliner"))
    assert refused(rules.parse_stock, "tersedai") == (
        "Stock 'tersedai' tidak dikenal. Mungkin maksud Anda 'tersedia'? Pilihan: tersedia, "
        "habis, po. Tulis misalnya: Stock: tersedia")
    assert rules.parse_stock("Pre-Order") == "po"
    assert "Mungkin maksud Anda 'transfer'?" in refused(
        rules.parse_choices, "trasfer", rules.PAYMENT_METHODS, "Payment", "Payment: cod")
    assert "Mungkin maksud Anda 'antar'?" in refused(
        rules.parse_choices, "antarr", rules.DELIVERY_METHODS, "Delivery", "Delivery: antar")
    assert "Mungkin" not in refused(
        rules.parse_choices, "kirim", rules.DELIVERY_METHODS, "Delivery", "Delivery: antar")


def test_match_photo_exact_case_close_or_nothing():
    there = ["images/foto.JPG", "images/kopi-1.jpg", "logo.png"]
    assert rules.match_photo("images/kopi-1.jpg", there) == ("images/kopi-1.jpg", "exact")
    assert rules.match_photo("images/foto.jpg", there) == ("images/foto.JPG", "case")
    assert rules.match_photo("images/kopi1.jpg", there) == ("images/kopi-1.jpg", "close")
    assert rules.match_photo("gambar/zzz.webp", there) == (None, None)


def test_messages_quote_only_a_short_printable_prefix():
    secret = "AWS_SECRET_ACCESS_KEY=abc\x00def\x1b[31m" + "x" * 200
    for parse in (rules.parse_whatsapp, rules.parse_email, rules.parse_stock, rules.parse_price):
        message = refused(parse, secret)
        assert "\x00" not in message and "\x1b" not in message and "x" * 41 not in message


def test_other_rules_keep_their_messages():
    assert refused(rules.parse_permit, "nib", "123") == (
        "Nomor NIB '123' tidak valid: harus 13 angka. Tulis misalnya: NIB: 1234567890123")
    assert refused(rules.parse_image_path, "../x.jpg").startswith("Image '../x.jpg' harus")
    assert refused(rules.parse_title, " ").startswith("Judul harus diisi")
    assert refused(rules.parse_category, "???").startswith("Kategori '???' harus memuat huruf")
    _, problems = rules.validate_product({"title": "Kopi"})
    assert [p.message for p in problems][0] == (
        "Kunci 'Price' wajib diisi. Tulis misalnya: Price: 45000")
    assert rules.delivery_fee_for({"default": 9, "kecamatan": {"Wanayasa": 5}}, "Wanayasa") == 5
    assert rules.delivery_fee_for(None, "Wanayasa") is None
