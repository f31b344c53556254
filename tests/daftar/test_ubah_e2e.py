"""/ubah/ end to end: sign-in link from the outbox, mark a product habis,
make terima, the built product page says "Stok habis". And the abuse
guards: no enumeration, rate limits, a link used twice is refused."""

import re

import pytest

from tests.daftar.helpers import checkout, content_repo, staff
from tests.fixtures.site import build_site

SHOP = "kopi-wanayasa"
PRODUCT = "manggis-wanayasa"
EMAIL = "kopi.wanayasa@example.com"
SHOP_FILE = __import__("pathlib").Path(__file__).resolve().parents[2] / "content/shops" / SHOP / f"{PRODUCT}.md"


def ask_link(page, base, contact):
    page.goto(base + "ubah/")
    page.fill("#kontak", contact)
    page.click("form[action='/api/ubah'] button[type=submit]")
    page.wait_for_load_state()
    return page.content()


@pytest.mark.browser
def test_update_marks_a_product_sold_out(live_server, phone_page, tmp_path):
    page = phone_page(javascript=True)
    sent = ask_link(page, live_server.url, "0812-3456-7890")
    assert "Periksa email toko Anda" in sent
    mail = live_server.wait_for_mail(lambda m: EMAIL in m["to"] and "Tautan masuk" in m["subject"])
    link = re.search(r"https?://\S+/api/ubah/masuk\?t=\S+", mail[-1]["text"]).group(0)
    path = link.split("/", 3)[3]
    page.goto(live_server.url + path)
    page.click("main form button")
    page.wait_for_load_state()
    assert page.locator("#title").input_value() == "Kopi Wanayasa"
    n = page.locator(f"input[value='{PRODUCT}']").get_attribute("name").split("-")[1]
    details = page.locator(f"details.produk >> nth={int(n) - 1}")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    page.select_option(f"#product-{n}-stock", "habis")
    page.click("form[data-daftar] button[type=submit]")
    page.wait_for_load_state()
    assert "/api/daftar/PJ-" in page.url, re.findall(r'class="err"[^>]*>([^<]*)', page.content())
    assert "Menunggu pemeriksaan petugas" in page.content()

    listed = staff(live_server.url, "list")
    assert "Kopi Wanayasa" in listed.stdout, listed.stdout + listed.stderr
    line = next(line for line in listed.stdout.splitlines() if "Kopi Wanayasa" in line
                and "perubahan" in line)
    assert "cepat" in line
    ref = line.split()[0]
    repo = content_repo(tmp_path)
    accepted = staff(live_server.url, "terima", ref, repo=repo)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    checkout(repo, f"penjual/{ref}")
    changed = (repo / "content/shops" / SHOP / f"{PRODUCT}.md").read_text()
    original = (content_repo_file := SHOP_FILE).read_text()
    assert changed == original.replace("Tags: buah, manggis\n", "Tags: buah, manggis\nStock: habis\n")
    built = build_site(repo / "content", tmp_path / "site")
    assert built.returncode == 0, built.stdout + built.stderr
    html = (tmp_path / "site/output/toko" / SHOP / PRODUCT / "index.html").read_text()
    assert "Stok habis" in html

    page.goto(live_server.url + path)  # the same link again
    page.click("main form button")
    page.wait_for_load_state()
    assert "Tautan tidak berlaku" in page.content()


def test_no_enumeration_and_rate_limits_per_contact(live_server):
    known = live_server.post_form("/api/ubah", {"kontak": "0812-3456-7890", "website": ""})
    unknown = live_server.post_form("/api/ubah", {"kontak": "0899-9999-0000", "website": ""})
    assert known.status == unknown.status == 200

    def main_text(response):
        return re.search(r"<main.*</main>", response.text, re.S).group(0)

    assert main_text(known) == main_text(unknown)
    for _ in range(2):
        live_server.post_form("/api/ubah", {"kontak": "0899-9999-0000", "website": ""})
    limited = live_server.post_form("/api/ubah", {"kontak": "0899-9999-0000", "website": ""})
    assert limited.status == 429 and "Terlalu banyak" in limited.text


def test_a_forged_session_cannot_change_any_shop(live_server):
    response = live_server.post_form("/api/ubah/kirim", {"sesi": "forged-session",
                                                         "product-1-id": "arabika",
                                                         "product-1-stock": "habis"})
    assert response.status == 403
