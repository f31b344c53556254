"""The cart's second chances on a 360x640 phone, JavaScript on, through the
local run (``live_server``: the real order handler, moto as AWS):

- a checkout with a mistake shows each error next to its field, moves focus
  to a short error summary that screen readers announce, and the corrected
  checkout reaches the confirmation page;
- a cart whose shops share no payment (or delivery) method says so as soon
  as it holds them, naming the shops, and "order from one shop" gets the
  buyer to a confirmation in one tap, the other shop's items waiting in the
  cart afterwards.
"""

import re

import pytest

from tests.fixtures.server import pick_products
from warung.text import texts

pytestmark = pytest.mark.browser

JS = texts()["js"]
CONFIRMATION = re.compile(r".*/api/order/(WO-[0-9A-Z]+)\?t=.+")
FORM = "form[data-checkout]"


def add_to_cart(page, base, product):
    page.goto(base + product["url"])
    page.get_by_role("button", name=JS["add"]).click()
    page.wait_for_selector("[data-cart-actions] [role=status]:not(:empty)")


def fill_checkout(page, phone, payment):
    page.fill("#f-name", "Siti Aminah")
    page.fill("#f-phone", phone)
    page.select_option("#f-kecamatan", "Purwakarta")
    page.fill("#f-address", "Jl. Veteran No. 10, RT 01/02")
    page.check("input[name=delivery][value=ambil]")
    page.check(f"input[name=payment][value={payment}]")


def clashing_products(catalog):
    """Two orderable products of shops that accept pickup but share no payment method."""
    simple = [p for p in catalog["products"] if p["stock"] != "habis" and not p["variants"]
              and "ambil" in catalog["shops"][p["shop"]]["delivery"]]
    for first in simple:
        for second in simple:
            a, b = (catalog["shops"][p["shop"]] for p in (first, second))
            if not set(a["payment"]) & set(b["payment"]):
                return first, second
    raise AssertionError("the sample catalog has no two shops without a common payment method")


def cart_lines(page):
    return page.evaluate("JSON.parse(localStorage.getItem('warung-keranjang')).lines.map(l => l.item)")


def test_cart_checkout_mistake_is_shown_at_its_field_then_corrected(live_server, phone_page,
                                                                     built_site, screenshot):
    products = pick_products(built_site.catalog, shops=2)
    base = live_server.url.rstrip("/")
    page = phone_page()
    for product in products:
        add_to_cart(page, base, product)
    page.goto(base + "/keranjang/")
    fill_checkout(page, phone="12345", payment="cod")
    page.locator(f"{FORM} button[type=submit]").click()

    page.wait_for_selector("#err-phone")
    # The message sits in the phone field's own box, tied to the input.
    assert page.evaluate("document.getElementById('err-phone').parentNode"
                         ".contains(document.getElementById('f-phone'))")
    assert page.get_attribute("#f-phone", "aria-invalid") == "true"
    assert "err-phone" in page.get_attribute("#f-phone", "aria-describedby").split()
    # Focus is on the short summary, which is announced and can take focus.
    summary = page.locator("[data-summary]")
    assert page.evaluate("document.activeElement === document.querySelector('[data-summary]')")
    assert summary.get_attribute("role") == "alert" and summary.get_attribute("tabindex") == "-1"
    assert JS["errors"] in summary.inner_text()
    assert page.locator("[data-summary] a[href='#f-phone']").count() == 1
    assert summary.is_visible() and summary.bounding_box()["y"] >= 0
    screenshot(page, "error")

    page.fill("#f-phone", "0812-3456-7010")
    with page.expect_navigation(url=CONFIRMATION):
        page.locator(f"{FORM} button[type=submit]").click()
    text = page.inner_text("main")
    for product in products:
        assert product["title"] in text
    assert cart_lines(page) == []


def test_clashing_cart_names_the_shops_and_orders_one_shop_in_one_tap(live_server, phone_page,
                                                                       built_site, screenshot):
    catalog = built_site.catalog
    first, second = clashing_products(catalog)
    shops = [catalog["shops"][p["shop"]]["title"] for p in (first, second)]
    base = live_server.url.rstrip("/")
    page = phone_page()
    add_to_cart(page, base, first)
    add_to_cart(page, base, second)
    page.goto(base + "/keranjang/")

    clash = page.locator("[data-clash]")
    assert clash.is_visible()
    text = clash.inner_text()
    for title in shops:
        assert title in text
    # Said before the lines and the form, not at the bottom after filling everything in.
    assert clash.bounding_box()["y"] < page.locator("[data-lines]").bounding_box()["y"]
    # No checkout to fill in while it cannot be sent: no empty "Cara bayar".
    assert page.locator(FORM).is_hidden()
    screenshot(page, "clash")

    page.get_by_role("button", name=JS["split"].format(shop=shops[0])).click()
    assert clash.is_hidden()
    assert cart_lines(page) == [first["id"]]
    waiting = page.locator("[data-parked]")
    assert waiting.is_visible() and second["title"] in waiting.inner_text()
    legend = page.locator(f"{FORM} fieldset:has(input[name=payment]) legend")
    assert legend.is_visible()
    assert page.locator(f"{FORM} input[name=payment]:not([disabled])").count() >= 1
    fill_checkout(page, phone="0812-3456-7011", payment="cod")
    with page.expect_navigation(url=CONFIRMATION):
        page.locator(f"{FORM} button[type=submit]").click()
    assert first["title"] in page.inner_text("main")
    assert second["title"] not in page.inner_text("main")
    # The other shop's item waits in the cart for the next order.
    assert cart_lines(page) == [second["id"]]
    page.goto(base + "/keranjang/")
    assert second["title"] in page.locator("[data-lines]").inner_text()
    assert page.locator(FORM).is_visible()
