"""make terima's content writing: the exact content format, no injection,
never outside the shop's folder, existing files keep untouched lines."""

from pathlib import PurePosixPath

import pytest

from daftar.fields import from_pairs
from inbox import apply, frontmatter
from warung_catalog import reader

PHOTO = "inbox/PJ-TEST0001/" + "a" * 32 + ".jpg"
BASE = [("title", "Keripik Maniis"), ("whatsapp", "0812-1111-2222"),
        ("email", "k@maniis.example"), ("kecamatan", "Maniis"), ("payment", "cod"),
        ("delivery", "ambil"), ("product-1-title", "Keripik Pedas"),
        ("product-1-price", "15000"), ("product-1-category", "Makanan"),
        ("product-1-photo", PHOTO)]


def _photo(key):
    return b"\xff\xd8\xff\xe0 a jpeg"


def plan_for(pairs, existing=()):
    submission = from_pairs(pairs)
    data = {"ref": "PJ-TEST0001", "kind": "daftar", "shop": submission.shop,
            "products": submission.products}
    return apply.new_shop(data, set(existing), _photo)


def meta_of(plan, name):
    doc = reader.parse(plan.files[f"{plan.slug}/{name}"])
    assert not doc.issues
    return doc.values()


def test_new_shop_in_the_content_format():
    plan = plan_for(BASE + [("about", "Renyah.\nBuka tiap hari."),
                            ("product-1-stock", "po"), ("product-1-variants", "Kecil=10000")])
    assert plan.slug == "keripik-maniis"
    assert set(plan.files) == {"keripik-maniis/shop.md", "keripik-maniis/keripik-pedas.md",
                               "keripik-maniis/images/keripik-pedas-1.jpg"}
    shop = plan.files["keripik-maniis/shop.md"].decode()
    assert shop.startswith("Title: Keripik Maniis\nWhatsApp: 0812-1111-2222\n"
                           "Email: k@maniis.example\nKecamatan: Maniis\nPayment: cod\n"
                           "Delivery: ambil\n\nRenyah.\nBuka tiap hari.\n")
    assert meta_of(plan, "keripik-pedas.md") == {
        "title": "Keripik Pedas", "price": "15000", "category": "Makanan",
        "stock": "po", "variants": "Kecil=10000", "image": "images/keripik-pedas-1.jpg"}


@pytest.mark.parametrize("evil", [
    "Toko\nStock: habis", "Toko\r\nEmail: x@evil.example", "Toko\u2028Logo: ../../x.jpg",
    "Toko\n    continued", "Toko\n\nbody", "Toko\x0bPrice: 1",
])
def test_form_text_never_adds_a_metadata_key_or_line(evil):
    pairs = [(k, evil if k in ("title", "address", "product-1-title", "product-1-unit") else v)
             for k, v in BASE] + [("address", evil), ("product-1-unit", evil)]
    plan = plan_for(pairs)
    shop = meta_of(plan, "shop.md")
    assert set(shop) == {"title", "whatsapp", "email", "kecamatan", "address", "payment",
                         "delivery"}
    assert shop["email"] == "k@maniis.example"
    product_file = next(p for p in plan.files if p.endswith(".md") and not p.endswith("shop.md"))
    product = reader.parse(plan.files[product_file]).values()
    assert set(product) == {"title", "price", "category", "unit", "image"}
    assert "stock" not in product and product["price"] == "15000"
    for text in (plan.files[f"{plan.slug}/shop.md"], plan.files[product_file]):
        head = text.decode().split("\n\n", 1)[0]
        assert len(head.splitlines()) == len(reader.parse(text).meta)


@pytest.mark.parametrize("name", ["../../etc", "/abs/olut", "..", "a/../../b", "~root", "..\\x"])
def test_nothing_is_written_outside_the_shop_folder(name):
    pairs = [(k, name if k in ("title", "product-1-title") else v) for k, v in BASE]
    plan = plan_for(pairs, existing=["toko"])
    for path in plan.files:
        parts = PurePosixPath(path).parts
        assert parts[0] == plan.slug and ".." not in parts and not path.startswith("/")
        assert all(part.replace("-", "").replace(".", "").isalnum() for part in parts)


def test_slug_from_the_name_with_a_suffix_on_collision():
    assert plan_for(BASE, existing=["keripik-maniis"]).slug == "keripik-maniis-2"
    assert plan_for(BASE, existing=["keripik-maniis", "keripik-maniis-2"]).slug == "keripik-maniis-3"


def test_inside_refuses_escapes():
    with pytest.raises(apply.Unsafe):
        apply._inside("toko", "../other/shop.md")


def test_merge_keeps_untouched_keys_spelling_and_body():
    original = ("Judul: Kopi Arabika\nHarga: Rp45.000\nCategory: Minuman\nImage: images/a.jpg\n"
                "Tags: kopi\n\nKopi dari kebun kami.\nLine: two\n")
    merged = frontmatter.merge(original, {"price": "50000", "stock": "habis\nTitle: x"})
    assert merged == ("Judul: Kopi Arabika\nHarga: 50000\nCategory: Minuman\n"
                      "Image: images/a.jpg\nTags: kopi\nStock: habis Title: x\n\n"
                      "Kopi dari kebun kami.\nLine: two\n")


SHOP_MD = ("Nama Toko: Kopi Wanayasa\nWhatsApp: 0812-3456-7890\nEmail: k@w.example\n"
           "Kecamatan: Wanayasa\n\nKebun keluarga.\n")
ARABIKA = ("Judul: Kopi Arabika\nHarga: 45.000\nCategory: Minuman\nImage: images/arabika.jpg\n"
           "Images: images/arabika-2.jpg\n\nDari kebun kami.\n")


def test_update_changes_only_what_changed_adds_and_removes():
    files = {"Kopi Wanayasa/shop.md": SHOP_MD, "Kopi Wanayasa/Kopi Arabika.md": ARABIKA,
             "Kopi Wanayasa/robusta.md": "Title: Robusta\n", "Kopi Wanayasa/images/a.jpg": ""}
    new_photo = "unggah/abcdefghijkl/" + "b" * 32 + ".jpg"
    data = {"ref": "PJ-ABCD1234", "kind": "ubah", "shop_slug": "kopi-wanayasa", "changes": {
        "shop": {"address": "Jl. Baru 1\nStock: habis"}, "about": "", "quick": False,
        "products": [
            {"id": "kopi-arabika", "title": "Kopi Arabika", "action": "ubah",
             "changes": {"price": "50000", "stock": "habis"}, "about": "", "photos": [new_photo]},
            {"id": "robusta", "title": "Robusta", "action": "hapus"},
            {"id": "", "action": "baru", "n": 3, "title": "Kopi Luwak", "price": "200000",
             "category": "Minuman", "photos": [new_photo], "about": "Langka."},
            {"id": "../../etc", "title": "x", "action": "hapus"},
        ]}}
    plan = apply.update(data, files.__getitem__, _photo, list(files))
    assert plan.slug == "Kopi Wanayasa"
    assert plan.files["Kopi Wanayasa/shop.md"].decode() == SHOP_MD.replace(
        "Kecamatan: Wanayasa\n", "Kecamatan: Wanayasa\nAddress: Jl. Baru 1 Stock: habis\n")
    arabika = plan.files["Kopi Wanayasa/Kopi Arabika.md"].decode()
    assert arabika == ("Judul: Kopi Arabika\nHarga: 50000\nCategory: Minuman\n"
                       "Image: images/kopi-arabika-abcd1234-1.jpg\nStock: habis\n\n"
                       "Dari kebun kami.\n")
    assert "Kopi Wanayasa/images/kopi-arabika-abcd1234-1.jpg" in plan.files
    assert plan.removed == ["Kopi Wanayasa/robusta.md"]
    assert reader.parse(plan.files["Kopi Wanayasa/kopi-luwak.md"]).values()["price"] == "200000"
    assert all(p.startswith("Kopi Wanayasa/") for p in [*plan.files, *plan.removed])


def test_commit_summary_words_come_from_the_texts(monkeypatch):
    from warung.text import texts

    real = texts()
    marked = {**real, "daftar_commit": {k: "§" + v for k, v in real["daftar_commit"].items()}}
    monkeypatch.setattr(apply, "texts", lambda: marked)
    new = plan_for(BASE)
    assert new.summary == ["§Toko baru Keripik Maniis (keripik-maniis)",
                           "§produk Keripik Pedas (keripik-pedas)"]
    files = {"Toko/shop.md": SHOP_MD, "Toko/robusta.md": "Title: Robusta\n",
             "Toko/kopi-arabika.md": ARABIKA}
    data = {"ref": "PJ-ABCD1234", "kind": "ubah", "shop_slug": "toko", "changes": {
        "shop": {}, "about": "Baru.", "quick": False, "products": [
            {"id": "kopi-arabika", "title": "Kopi Arabika", "action": "ubah",
             "changes": {"price": "50000"}, "about": "", "photos": [PHOTO]},
            {"id": "robusta", "title": "Robusta", "action": "hapus"},
            {"id": "", "action": "baru", "n": 3, "title": "Kopi Luwak", "price": "200000",
             "category": "Minuman", "photos": [PHOTO], "about": ""}]}}
    plan = apply.update(data, files.__getitem__, _photo, list(files))
    assert plan.summary == ["§ubah toko: §keterangan", "§ubah Kopi Arabika: price, §foto",
                            "§hapus Robusta", "§produk baru Kopi Luwak"]
