"""The seller form end to end: headless Chromium on a 360 px phone against
the real local run, then the staff commands, then the real Pelican build."""

import re

import pytest

from tests.daftar.helpers import checkout, content_repo, has_gps, phone_jpeg, staff
from tests.fixtures.site import build_site

pytestmark = pytest.mark.browser


def fill_shop(page, title):
    page.fill("#title", title)
    page.fill("#whatsapp", "0812-7777-8888")
    page.fill("#email", "baru@penjual.example")
    page.select_option("#kecamatan", "Wanayasa")
    page.fill("#address", "Jl. Raya Wanayasa No. 9")
    page.fill("#about", "Toko oleh-oleh.\nBuka setiap hari.")


def fill_product(page, n, title, price):
    summary = page.locator(f"details.produk >> nth={n - 1}")
    if summary.get_attribute("open") is None:
        summary.locator("summary").click()
    page.fill(f"#product-{n}-title", title)
    page.fill(f"#product-{n}-price", price)
    page.fill(f"#product-{n}-category", "Makanan")
    page.fill(f"#product-{n}-unit", "bungkus 250 g")


def wait_for_status(page):
    page.wait_for_load_state()
    page.wait_for_function("() => document.readyState === 'complete'")
    assert re.search(r"/api/daftar/PJ-", page.url), (page.url, re.findall(
        r"<(?:p|h1)[^>]*>([^<]*)", page.content()))
    assert "Menunggu pemeriksaan petugas" in page.content()


def accept_and_build(live_server, tmp_path, title):
    listed = staff(live_server.url, "list")
    assert listed.returncode == 0, listed.stderr
    line = next(line for line in listed.stdout.splitlines() if title[:20] in line)
    ref = line.split()[0]
    assert "baru" in line and "lolos" in line
    repo = content_repo(tmp_path)
    head_before = (repo / ".git" / "HEAD").read_text()
    accepted = staff(live_server.url, "terima", ref, repo=repo)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert f"penjual/{ref}" in accepted.stdout and "git push" in accepted.stdout
    assert (repo / ".git" / "HEAD").read_text() == head_before  # the user's branch untouched
    checkout(repo, f"penjual/{ref}")
    built = build_site(repo / "content", tmp_path / "site")
    assert built.returncode == 0, built.stdout + built.stderr
    return ref, tmp_path / "site" / "output"


def assert_product_page_with_clean_photo(output, shop_slug, product_slug):
    page = (output / "toko" / shop_slug / product_slug / "index.html").read_text()
    photos = re.findall(r'src="(/[^"]+\.(?:jpe?g|webp))"', page)
    assert photos, page[:2000]
    data = (output / photos[0].lstrip("/")).read_bytes()
    assert not has_gps(data) and b"Exif" not in data[:200]


def test_join_with_javascript_two_products_phone_photo(live_server, phone_page, tmp_path):
    photo = phone_jpeg(tmp_path / "IMG_20261201_101010.jpg")
    page = phone_page(javascript=True)
    page.goto(live_server.url + "daftar/")
    fill_shop(page, "Oleh Oleh Wanayasa Jaya")
    fill_product(page, 1, "Dodol Nanas", "25.000")
    page.set_input_files('input[data-photo="1"]', str(photo))
    fill_product(page, 2, "Keripik Talas", "12000")
    page.set_input_files('input[data-photo="2"]', str(photo))
    page.wait_for_selector('input[name="product-1-photo"]', state="attached", timeout=60_000)
    page.wait_for_selector('input[name="product-2-photo"]', state="attached", timeout=60_000)
    page.click("form[data-daftar] button[type=submit]")
    wait_for_status(page)
    assert "https://wa.me/62" in page.content()

    ref, output = accept_and_build(live_server, tmp_path, "Oleh Oleh Wanayasa Jaya")
    assert_product_page_with_clean_photo(output, "oleh-oleh-wanayasa-jaya", "dodol-nanas")
    status = page.reload()
    assert "Diterima" in page.content(), status


def test_join_without_javascript(live_server, phone_page, tmp_path):
    photo = phone_jpeg(tmp_path / "IMG_20261201_111111.jpg")
    page = phone_page(javascript=False)
    page.goto(live_server.url + "daftar/")
    assert page.locator('input[data-photo="1"]').is_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # fits a 360 px phone
    fill_shop(page, "Tahu Sumedang Plered")
    fill_product(page, 1, "Tahu Goreng", "10.000")
    fill_product(page, 2, "Tahu Isi", "15.000")
    page.click("form[data-daftar] button[type=submit]")
    page.wait_for_load_state()
    assert "/api/daftar/foto/" in page.url, re.findall(r"class=\"(?:err|note)\"[^<]*>([^<]*)", page.content())
    for n in (1, 2):
        form = page.locator("form[enctype='multipart/form-data']").nth(n - 1)
        form.locator("input[type=file]").set_input_files(str(photo))
        form.locator("button[type=submit]").click()
        page.wait_for_url(re.compile(rf"/api/daftar/foto/.*n={n}"))
    page.click("button.big")
    wait_for_status(page)

    _, output = accept_and_build(live_server, tmp_path, "Tahu Sumedang Plered")
    assert_product_page_with_clean_photo(output, "tahu-sumedang-plered", "tahu-isi")


def test_rejected_form_keeps_text_and_photos_then_goes_through(live_server, phone_page, tmp_path):
    from PIL import Image

    small = tmp_path / "kecil.jpg"
    Image.new("RGB", (800, 600), (10, 120, 40)).save(small, "JPEG")
    page = phone_page(javascript=True)
    page.goto(live_server.url + "daftar/")
    fill_shop(page, "Oncom Bungursari\nStock: habis")
    page.fill("#whatsapp", "12345")
    fill_product(page, 1, "Oncom Merah", "sepuluh ribu")
    page.set_input_files('input[data-photo="1"]', str(small))
    page.wait_for_selector('input[name="product-1-photo"]', state="attached", timeout=60_000)
    page.click("form[data-daftar] button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#err-whatsapp").inner_text().startswith("Nomor WhatsApp '12345'")
    assert "bukan angka rupiah" in page.locator("#err-product-1-price").inner_text()
    assert page.locator("#title").input_value() == "Oncom Bungursari Stock: habis"
    assert page.locator("#about").input_value() == "Toko oleh-oleh.\nBuka setiap hari."
    assert page.locator('input[name="product-1-photo"]').count() == 1  # the photo is kept
    page.fill("#whatsapp", "0812-7777-9999")
    page.fill("#product-1-price", "10.000")
    page.click("form[data-daftar] button[type=submit]")
    wait_for_status(page)
