"""Validation of a whole content tree: every problem names the file, the line,
the key and the fix, in Indonesian, and all of them are reported at once."""

import shutil

from PIL import Image

from warung_catalog import content as content_module

from .helpers import SHOP, make_shop, phone_photo, product, write_md

PATH = "content/shops/kopi-wanayasa"


def messages(content, warung, severity=None):
    loaded = content_module.load(content, warung)
    return [str(p) for p in loaded.report.sorted()
            if severity is None or p.severity == severity]


def test_valid_shop_loads_into_the_catalog(content, warung):
    make_shop(content / "shops", products={
        "arabika": product(Variants="250 g=45000; 500 g=85000", Stock="po", Tags="kopi, arabika"),
        "Keripik Pedas": product("Keripik Pedas", "Rp15.000", "makanan", "images/keripik.jpg"),
    })
    loaded = content_module.load(content, warung)
    assert loaded.report.problems == []
    catalog = loaded.catalog
    shop = catalog.shops[0]
    assert (shop.id, shop.whatsapp, shop.whatsapp_display) == (
        "kopi-wanayasa", "6281234567890", "0812-3456-7890")
    assert shop.delivery_fee == {"default": 15000, "kecamatan": {"Wanayasa": 5000}}
    ids = sorted(p.id for p in catalog.products)
    assert ids == ["kopi-wanayasa/arabika", "kopi-wanayasa/keripik-pedas"]
    arabika = next(p for p in catalog.products if p.slug == "arabika")
    assert arabika.variants == [{"name": "250 g", "price": 45000}, {"name": "500 g", "price": 85000}]
    assert (arabika.url, arabika.category_url, arabika.stock) == (
        "/toko/kopi-wanayasa/arabika/", "/kategori/minuman/", "po")
    assert next(p for p in catalog.products if p.slug == "keripik-pedas").price == 15000
    assert [c.name for c in catalog.categories] == ["Makanan", "Minuman"]


def test_price_in_words(content, warung):
    make_shop(content / "shops", products={"arabika": product(price="empat puluh ribu")})
    assert messages(content, warung) == [
        f"{PATH}/arabika.md, baris 2 (Price): Harga 'empat puluh ribu' bukan angka rupiah bulat. "
        "Tulis misalnya: Price: 45000"]


def test_missing_required_keys(content, warung):
    make_shop(content / "shops", products={"arabika": {"Title": "Kopi", "Image": "images/a.jpg"}})
    assert messages(content, warung) == [
        f"{PATH}/arabika.md (Price): Kunci 'Price' wajib diisi. Tulis misalnya: Price: 45000",
        f"{PATH}/arabika.md (Category): Kunci 'Category' wajib diisi. "
        "Tulis misalnya: Category: Minuman",
    ]


def test_shop_errors_whatsapp_kecamatan_payment_delivery_permits(content, warung):
    shop = {**SHOP, "WhatsApp": "021-555-1234", "Kecamatan": "Atlantis",
            "Payment": "cod, kartu", "Delivery": "kirim", "NIB": "123",
            "PIRT": "12-34", "Halal": "ID12"}
    make_shop(content / "shops", shop=shop)
    found = messages(content, warung, "error")
    assert found[0] == (f"{PATH}/shop.md, baris 2 (WhatsApp): Nomor WhatsApp '021-555-1234' bukan "
                        "nomor HP Indonesia yang valid. Tulis misalnya: WhatsApp: 0812-3456-7890")
    assert found[1].startswith(f"{PATH}/shop.md, baris 4 (Kecamatan): Kecamatan 'Atlantis' tidak "
                               "ada di Kabupaten Purwakarta. Pilihan: Purwakarta, ")
    assert found[2] == (f"{PATH}/shop.md, baris 5 (Payment): Payment 'kartu' tidak dikenal. "
                        "Pilihan: cod, transfer, qris. Tulis misalnya: Payment: cod, transfer")
    assert found[3] == (f"{PATH}/shop.md, baris 6 (Delivery): Delivery 'kirim' tidak dikenal. "
                        "Pilihan: ambil, antar. Tulis misalnya: Delivery: ambil, antar")
    assert found[4:7] == [
        f"{PATH}/shop.md, baris 8 (NIB): Nomor NIB '123' tidak valid: harus 13 angka. "
        "Tulis misalnya: NIB: 1234567890123",
        f"{PATH}/shop.md, baris 9 (PIRT): Nomor PIRT '12-34' tidak valid: harus 15 angka. "
        "Tulis misalnya: PIRT: 206321401012325",
        f"{PATH}/shop.md, baris 10 (Halal): Nomor HALAL 'ID12' tidak valid: harus 'ID' diikuti "
        "14-20 angka. Tulis misalnya: Halal: ID32110000123450822",
    ]
    assert len(found) == 7
    # DeliveryFee without a valid 'antar' delivery gets the rules' warning.
    assert [w.split(": ")[0] for w in messages(content, warung, "warning")] == [
        f"{PATH}/shop.md, baris 7 (DeliveryFee)"]


def test_unknown_key_is_only_a_warning(content, warung):
    make_shop(content / "shops", products={"arabika": product(Warna="merah")})
    loaded = content_module.load(content, warung)
    assert loaded.report.errors == []
    assert [str(p) for p in loaded.report.warnings] == [
        f"{PATH}/arabika.md, baris 5 (Warna): Kunci 'warna' tidak dikenal dan diabaikan. "
        "Kunci yang dikenal: title, price, category, image, images, unit, stock, variants, tags."]
    assert loaded.catalog is not None and len(loaded.catalog.products) == 1


def test_missing_image(content, warung):
    base = make_shop(content / "shops")
    (base / "images" / "arabika.jpg").unlink()
    assert messages(content, warung) == [
        f"{PATH}/arabika.md, baris 4 (Image): Foto 'images/arabika.jpg' tidak ditemukan di folder "
        "toko. Periksa nama file (huruf besar/kecil berpengaruh) atau tambahkan fotonya ke "
        f"{PATH}/images."]


def test_text_file_posing_as_image(content, warung):
    base = make_shop(content / "shops", products={
        "arabika": product(Images="images/palsu.jpg")})
    (base / "images" / "palsu.jpg").write_text("bukan gambar")
    assert messages(content, warung) == [
        f"{PATH}/arabika.md, baris 5 (Images): File 'images/palsu.jpg' bukan foto yang bisa "
        "dibaca. Simpan sebagai JPG atau PNG lalu ganti kuncinya, misalnya: Image: images/produk.jpg"]


def test_decompression_bomb(content, warung):
    base = make_shop(content / "shops", products={"arabika": product(image="images/besar.png")})
    Image.new("L", (3000, 3000)).save(base / "images" / "besar.png")  # 9 Mpx, compresses tiny
    small_limit = {**warung, "MAX_IMAGE_PIXELS": 4_000_000}
    assert messages(content, small_limit) == [
        f"{PATH}/arabika.md, baris 4 (Image): Foto 'images/besar.png' terlalu besar (9,0 juta "
        "piksel; paling besar 4 juta piksel). Perkecil fotonya, misalnya dengan menyimpan ulang "
        "dalam ukuran lebih kecil."]
    # Between the limit and twice the limit Pillow only warns: still rejected.
    assert "terlalu besar" in messages(content, {**warung, "MAX_IMAGE_PIXELS": 6_000_000})[0]


def test_image_path_leaving_the_shop_folder(content, warung):
    make_shop(content / "shops", folder="lain")
    make_shop(content / "shops", products={"arabika": product(image="images/../../lain/images/arabika.jpg")})
    found = messages(content, warung)
    assert len(found) == 1 and found[0].startswith(f"{PATH}/arabika.md, baris 4 (Image): Image ")


def test_duplicate_product_ids(content, warung):
    make_shop(content / "shops", products={"Keripik Pedas": product("Keripik"),
                                           "keripik-pedas": product("Keripik 2")})
    assert messages(content, warung) == [
        f"{PATH}/keripik-pedas.md: Nama file ini menjadi alamat produk 'kopi-wanayasa/keripik-pedas', "
        f"sama dengan file '{PATH}/Keripik Pedas.md'. Ganti nama salah satu file."]


def test_shop_folder_without_shop_md(content, warung):
    write_md(content / "shops" / "tanpa-profil" / "produk.md", product())
    phone_photo(content / "shops" / "tanpa-profil" / "images" / "arabika.jpg")
    assert messages(content, warung) == [
        "content/shops/tanpa-profil: Folder toko ini tidak punya shop.md. Buat file "
        "content/shops/tanpa-profil/shop.md berisi Title, WhatsApp, Email dan Kecamatan."]


def test_empty_and_unparseable_files(content, warung):
    base = make_shop(content / "shops")
    (base / "kosong.md").write_bytes(b"")
    (base / "rusak.md").write_text("Produk ini enak sekali\n")
    found = messages(content, warung)
    assert found[0] == (f"{PATH}/kosong.md: File kosong. Isi dengan data seperti 'Title: ...' di "
                        "baris pertama, lalu satu baris kosong, lalu keterangan.")
    assert found[1] == (f"{PATH}/rusak.md, baris 1: Baris 'Produk ini enak sekali' tidak berbentuk "
                        "'Kunci: nilai'. Tulis data seperti 'Price: 45000', lalu satu baris kosong "
                        "sebelum keterangan.")
    assert len(found) == 3 and "Tidak ada data" in found[2]


def test_all_errors_in_all_files_at_once(content, warung):
    """Five broken files in two shops: every problem is reported, none hides another."""
    make_shop(content / "shops", shop={**SHOP, "Kecamatan": "Atlantis"}, products={
        "a": product(price="murah"),
        "b": product(image="images/hilang.jpg"),
        "c": product(Stock="banyak"),
    })
    make_shop(content / "shops", folder="toko-dua", shop={**SHOP, "Email": "bukan-email"},
              products={"d": product(Variants="besar")})
    (content / "shops" / "kopi-wanayasa" / "images" / "hilang.jpg").unlink()
    loaded = content_module.load(content, warung)
    where = sorted({(p.path, p.key) for p in loaded.report.errors})
    assert where == [
        ("content/shops/kopi-wanayasa/a.md", "Price"),
        ("content/shops/kopi-wanayasa/b.md", "Image"),
        ("content/shops/kopi-wanayasa/c.md", "Stock"),
        ("content/shops/kopi-wanayasa/shop.md", "Kecamatan"),
        ("content/shops/toko-dua/d.md", "Variants"),
        ("content/shops/toko-dua/shop.md", "Email"),
    ]
    assert loaded.catalog is None
    assert loaded.report.summary(loaded.shop_count, loaded.product_count) == (
        "Pemeriksaan gagal: 6 kesalahan dan 0 peringatan di 2 toko dan 4 produk. "
        "Perbaiki kesalahan di atas lalu jalankan lagi.")


def test_only_the_files_of_an_edited_folder_are_parsed_again(content, warung, monkeypatch):
    make_shop(content / "shops")
    make_shop(content / "shops", folder="keripik", shop={**SHOP, "Title": "Keripik"})
    content_module.load(content, warung)
    calls = []
    original = content_module.reader.parse
    monkeypatch.setattr(content_module.reader, "parse", lambda raw: calls.append(raw) or original(raw))
    assert content_module.load(content, warung).report.problems == []
    assert calls == []
    write_md(content / "shops" / "kopi-wanayasa" / "arabika.md", product(price="50000"))
    loaded = content_module.load(content, warung)
    assert {p.shop.title: p.price for p in loaded.catalog.products} == {
        "Kopi Wanayasa": 50000, "Keripik": 45000}
    edited = sorted((content / "shops" / "kopi-wanayasa").glob("*.md"))
    assert sorted(calls) == sorted(path.read_bytes() for path in edited)


def test_names_without_letters_or_digits(content, warung):
    make_shop(content / "shops", products={"!!!": product(), "ok": product(category="???")})
    make_shop(content / "shops", folder="___")
    assert messages(content, warung) == [
        "content/shops/___: Nama folder toko '___' harus memuat huruf atau angka. Ganti namanya, "
        "misalnya: kopi-wanayasa",
        f"{PATH}/!!!.md: Nama file '!!!.md' harus memuat huruf atau angka. Ganti namanya, "
        "misalnya: keripik-pedas.md",
        f"{PATH}/ok.md, baris 3 (Category): Kategori '???' harus memuat huruf atau angka. "
        "Tulis misalnya: Category: Makanan",
    ]


def test_symlinked_photo_is_refused(content, warung, tmp_path):
    base = make_shop(content / "shops")
    outside = phone_photo(tmp_path / "elsewhere.jpg")
    (base / "images" / "arabika.jpg").unlink()
    (base / "images" / "arabika.jpg").symlink_to(outside)
    assert messages(content, warung) == [
        f"{PATH}/arabika.md, baris 4 (Image): Foto 'images/arabika.jpg' harus ada di dalam "
        "folder toko ini."]


# -- in the sellers' language (issue 6) ---------------------------------------

def test_indonesian_keys_and_prices_as_sellers_write_them(content, warung):
    base = make_shop(content / "shops", shop={
        "Nama Toko": "Kopi Wanayasa", "WhatsApp": "0812-3456-7890", "Email": "kopi@contoh.id",
        "Kecamatan": "kec. wanayasa", "Pembayaran": "cod", "Pengiriman": "ambil, antar",
        "Ongkir": "Wanayasa=5rb; lainnya=Rp 15.000,-"})
    write_md(base / "arabika.md", {"Judul": "Kopi Arabika", "Harga": "1,5 jt", "Kategori": "minuman",
                                   "Foto": "images/arabika.jpg", "Satuan": "karung", "Stok": "po",
                                   "Varian": "Kecil=15rb; Besar=Rp. 25.000,-", "Label": "kopi"})
    loaded = content_module.load(content, warung)
    assert loaded.report.problems == []
    shop = loaded.catalog.shops[0]
    assert (shop.title, shop.kecamatan) == ("Kopi Wanayasa", "Wanayasa")
    assert shop.delivery_fee == {"default": 15000, "kecamatan": {"Wanayasa": 5000}}
    item = loaded.catalog.products[0]
    assert (item.title, item.price, item.category, item.unit, item.stock, item.tags) == (
        "Kopi Arabika", 1_500_000, "Minuman", "karung", "po", ["kopi"])
    assert item.variants == [{"name": "Kecil", "price": 15000}, {"name": "Besar", "price": 25000}]
    assert len(item.images) == 1


def test_messages_name_the_alias_and_its_line(content, warung):
    make_shop(content / "shops", products={"arabika": {
        "Judul": "Kopi", "Harga": "45,000", "Kategori": "Makanan Ringan", "Foto": "images/arabika.jpg"}})
    phone_photo(content / "shops" / "kopi-wanayasa" / "images" / "arabika.jpg")
    assert messages(content, warung) == [
        f"{PATH}/arabika.md, baris 2 (Harga): Harga '45,000' bisa dibaca dua cara: koma berarti "
        "desimal, titik memisahkan ribuan. Bila maksud Anda Rp45.000, tulis: Price: Rp45.000",
        f"{PATH}/arabika.md, baris 3 (Kategori): Kategori 'Makanan Ringan' tidak ada di daftar "
        "kategori. Mungkin maksud Anda 'Makanan'? Pilihan: Makanan, Minuman, Kerajinan, Fashion, "
        "Pertanian, Jasa. Tulis misalnya: Category: Makanan. Bila perlu kategori baru, hubungi petugas.",
    ]


def test_categories_come_from_the_settings(content, warung):
    make_shop(content / "shops", products={"a": product(category="Batik"),
                                           "b": product(category="minuman")})
    assert "Kategori 'Batik' tidak ada" in messages(content, warung)[0]
    loaded = content_module.load(content, {**warung, "CATEGORIES": ["Batik", "Minuman"]})
    assert loaded.report.problems == []
    assert [c.name for c in loaded.catalog.categories] == ["Batik", "Minuman"]


def test_price_cap_comes_from_the_settings(content, warung):
    make_shop(content / "shops", products={"a": product(price="Rp 1.000.000.000.000.000"),
                                           "b": product(price="0"), "c": product(price="2 jt")})
    found = messages(content, warung)
    assert [m.split(": ", 1)[0] for m in found] == [f"{PATH}/a.md, baris 2 (Price)",
                                                    f"{PATH}/b.md, baris 2 (Price)"]
    assert "melebihi batas Rp100.000.000" in found[0] and "tidak boleh 0" in found[1]
    assert "melebihi batas Rp1.000.000" in messages(content, {**warung, "MAX_PRICE": 1_000_000})[2]


def test_photo_differing_only_in_case_is_used_with_a_warning(content, warung):
    base = make_shop(content / "shops", products={"arabika": product(image="images/foto.jpg")})
    (base / "images" / "foto.jpg").rename(base / "images" / "foto.JPG")
    loaded = content_module.load(content, warung)
    assert loaded.report.errors == []
    assert [str(p) for p in loaded.report.warnings] == [
        f"{PATH}/arabika.md, baris 4 (Image): Foto 'images/foto.jpg' dipakai dari file "
        "'images/foto.JPG' (huruf besar/kecil berbeda). Samakan penulisannya supaya tetap terbaca "
        "di komputer lain: Image: images/foto.JPG"]
    assert len(loaded.catalog.products[0].images) == 1


def test_missing_photo_names_the_close_file_that_is_there(content, warung):
    base = make_shop(content / "shops", products={"arabika": product(image="images/kopi-1.jpg")})
    (base / "images" / "kopi-1.jpg").rename(base / "images" / "kopi_1.jpeg")
    assert messages(content, warung) == [
        f"{PATH}/arabika.md, baris 4 (Image): Foto 'images/kopi-1.jpg' tidak ditemukan di folder "
        "toko. Mungkin maksud Anda 'images/kopi_1.jpeg'? Tulis: Image: images/kopi_1.jpeg"]


# -- files that cannot reach outside their folder (issue 10, findings 3 and 4) --

def test_symlinked_folder_to_another_shops_photos_is_refused(content, warung):
    make_shop(content / "shops", folder="kopi-wanayasa")
    base = make_shop(content / "shops", folder="pencuri", products={
        "curi": product(image="curian/arabika.jpg")})
    shutil.rmtree(base / "curian")
    (base / "curian").symlink_to("../kopi-wanayasa/images")
    found = messages(content, warung)
    assert found == ["content/shops/pencuri/curi.md, baris 4 (Image): Foto 'curian/arabika.jpg' "
                     "harus ada di dalam folder toko ini."]


def test_symlink_to_a_folder_outside_the_repository_is_refused(content, warung, tmp_path):
    outside = phone_photo(tmp_path / "rahasia" / "kunci.jpg")
    base = make_shop(content / "shops", shop={**SHOP, "Logo": "luar/kunci.jpg"})
    (base / "luar").symlink_to(outside.parent)
    assert messages(content, warung) == [
        f"{PATH}/shop.md, baris 8 (Logo): Foto 'luar/kunci.jpg' harus ada di dalam folder toko ini."]


def test_symlinked_and_special_md_files_are_refused_without_being_read(content, warung, monkeypatch):
    import os
    monkeypatch.setenv("WARUNG_SECRET_PROBE", "jangan-bocor-123")
    base = make_shop(content / "shops")
    (base / "environ.md").symlink_to("/proc/self/environ")
    (base / "passwd.md").symlink_to("/etc/passwd")
    os.mkfifo(base / "pipa.md")  # reading a FIFO would block the build forever
    (content / "shops" / "luar").symlink_to("/etc")
    found = messages(content, warung)
    assert found == [
        f"{PATH}/environ.md: 'environ.md' adalah tautan (symlink) dan tidak dibaca. Ganti dengan "
        "file atau folder biasa yang berisi datanya sendiri.",
        f"{PATH}/passwd.md: 'passwd.md' adalah tautan (symlink) dan tidak dibaca. Ganti dengan "
        "file atau folder biasa yang berisi datanya sendiri.",
        f"{PATH}/pipa.md: 'pipa.md' bukan file biasa dan tidak dibaca. Hapus, lalu buat file teks "
        "biasa.",
        "content/shops/luar: 'luar' adalah tautan (symlink) dan tidak dibaca. Ganti dengan file "
        "atau folder biasa yang berisi datanya sendiri.",
    ]
    assert "root" not in " ".join(found) and "jangan-bocor" not in " ".join(found)


def test_a_symlinked_shop_md_is_refused(content, warung, tmp_path):
    base = make_shop(content / "shops")
    real = tmp_path / "shop.md"
    (base / "shop.md").rename(real)
    (base / "shop.md").symlink_to(real)
    found = messages(content, warung, "error")
    assert (f"{PATH}/shop.md: 'shop.md' adalah tautan (symlink) dan tidak dibaca. Ganti dengan "
            "file atau folder biasa yang berisi datanya sendiri.") in found
    assert not any("Kopi dari lereng" in m or "Kopi Wanayasa" in m for m in found)


def test_the_build_refuses_what_make_check_refuses(tmp_path):
    """The real `pelican` run: a symlinked photo folder and a zero price stop
    the build with the same messages, and nothing of the other shop is published."""
    from .helpers import run_pelican
    content = tmp_path / "content"
    make_shop(content / "shops", folder="kopi-wanayasa")
    base = make_shop(content / "shops", folder="pencuri", products={
        "curi": product(image="curian/arabika.jpg"), "gratis": product(price="0")})
    shutil.rmtree(base / "curian")
    (base / "curian").symlink_to("../kopi-wanayasa/images")
    result = run_pelican(content, tmp_path)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "content/shops/pencuri/curi.md, baris 4 (Image): Foto 'curian/arabika.jpg' harus ada" in output
    assert "content/shops/pencuri/gratis.md, baris 2 (Price): Harga tidak boleh 0." in output
    assert not (tmp_path / "output" / "gambar" / "pencuri").exists()
