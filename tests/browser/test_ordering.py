"""Ordering end to end on a 360x640 phone, through the local run
(``live_server``: the built sample catalog, the real order handler, moto as
AWS, the mailer thread): JavaScript off with the product page's plain form,
and JavaScript on with the cart across two shops. Each ends on the
confirmation page with a WhatsApp link per shop, and each seller gets
exactly one email with their own total. Screenshots go to
test-results/screenshots/."""

import json
import re

import pytest

from tests.fixtures.server import pick_products
from warung import wilayah
from warung.rupiah import format_rupiah

pytestmark = pytest.mark.browser

KECAMATAN = "Purwakarta"
CONFIRMATION = re.compile(r".*/api/order/(WO-[0-9A-Z]+)\?t=.+")
WHATSAPP_BUTTON = "Kirim ke WhatsApp penjual"


@pytest.fixture(scope="module")
def seller_emails(built_site):
    private = json.loads(built_site.private_catalog.read_text(encoding="utf-8"))
    return {shop_id: shop["email"] for shop_id, shop in private["shops"].items()}


def fill_buyer(page, form: str, *, name: str, phone: str) -> None:
    """The buyer's fields of an order form (product page or cart checkout)."""
    page.fill(f"{form} [name=name]", name)
    page.fill(f"{form} [name=phone]", phone)
    page.select_option(f"{form} [name=kecamatan]", KECAMATAN)
    page.fill(f"{form} [name=desa]", wilayah.desa_names(KECAMATAN)[0])
    page.fill(f"{form} [name=address]", "Jl. Veteran No. 10, RT 01/02, dekat alun-alun")
    page.check(f"{form} [name=delivery][value=ambil]")
    page.check(f"{form} [name=payment][value=cod]")


def mails_for(live_server, code: str, seller: str, timeout: float = 30.0) -> list[dict]:
    """The emails to ``seller`` about checkout ``code`` (polls the outbox)."""
    return live_server.wait_for_mail(
        lambda m: m["to"] == [seller] and code in (m["subject"] or ""), timeout=timeout)


def assert_confirmation(page, shops: int) -> str:
    match = CONFIRMATION.fullmatch(page.url)
    assert match, page.url
    code = match.group(1)
    assert code in page.inner_text("main")
    links = page.locator("a", has_text=WHATSAPP_BUTTON)
    assert links.count() == shops
    for i in range(shops):
        assert links.nth(i).get_attribute("href").startswith("https://wa.me/62")
    return code


def test_order_with_javascript_off(live_server, phone_page, screenshot, seller_emails,
                                   built_site):
    [product] = pick_products(built_site.catalog, 1)
    page = phone_page(javascript=False)
    page.goto(live_server.url + product["url"].lstrip("/"))
    form = "form[action$='/api/order']"
    page.fill(f"{form} [name=qty]", "2")
    fill_buyer(page, form, name="Ujang Nojs", phone="0812-3456-7201")
    screenshot(page, "form")
    with page.expect_navigation(url=CONFIRMATION):
        page.click(f"{form} button[type=submit]")
    code = assert_confirmation(page, shops=1)
    screenshot(page, "confirmation")

    mails = mails_for(live_server, code, seller_emails[product["shop"]])
    assert len(mails) == 1, live_server.log()[-2000:]
    total = format_rupiah(product["price"] * 2)  # pickup: no delivery fee
    assert total in mails[0]["text"] and total in mails[0]["html"]
    assert product["title"] in mails[0]["text"]


def test_cart_with_two_shops_and_javascript_on(live_server, phone_page, screenshot,
                                               seller_emails, built_site):
    products = pick_products(built_site.catalog, 2)
    quantities = [3, 1]
    page = phone_page(javascript=True)
    for product, qty in zip(products, quantities):
        page.goto(live_server.url + product["url"].lstrip("/"))
        page.fill("form[data-product] [name=qty]", str(qty))
        page.click("form[data-product] button:has-text('Tambah ke keranjang')")
        page.wait_for_selector("form[data-product] [role=status]:not(:empty)")
    screenshot(page, "product-added")

    page.goto(live_server.url + "keranjang/")
    form = "form[data-checkout]"
    page.wait_for_selector(form, state="visible")
    for product in products:
        assert product["title"] in page.inner_text("#keranjang")
    fill_buyer(page, form, name="Siti Cart", phone="0812-3456-7202")
    screenshot(page, "checkout")
    with page.expect_navigation(url=CONFIRMATION):
        page.click(f"{form} button[type=submit]")
    code = assert_confirmation(page, shops=2)
    screenshot(page, "confirmation")

    for product, qty in zip(products, quantities):
        mails = mails_for(live_server, code, seller_emails[product["shop"]])
        assert len(mails) == 1, (product["shop"], live_server.log()[-2000:])
        total = format_rupiah(product["price"] * qty)
        assert total in mails[0]["text"] and total in mails[0]["html"]
        # Each seller gets only their part of the checkout.
        other = next(p for p in products if p is not product)
        assert other["title"] not in mails[0]["text"]
