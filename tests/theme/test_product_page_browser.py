"""The product page leads to one action, on a 360x640 phone: the order
action right after the price and the variant choice, the other actions
visibly secondary, and no text that contradicts the cart."""

import pytest

from warung.text import texts

pytestmark = pytest.mark.browser

T = texts()
PAGE = T["product_page"]
JS = T["js"]
PRIMARY = "[data-product] a.btn.big"


@pytest.fixture(scope="module")
def product(built_site):
    return next(p for p in built_site.catalog["products"]
                if p["stock"] == "tersedia" and len(p["variants"]) >= 2)


def top(page, selector):
    return page.locator(selector).first.bounding_box()["y"]


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_order_action_follows_price_and_variant_choice(phone_page, site_url, product, javascript):
    page = phone_page(javascript=javascript)
    page.goto(site_url + product["url"])
    primary = page.locator(PRIMARY)
    assert primary.count() == 1 and primary.inner_text().strip() == PAGE["order_now"]
    price, choice = top(page, ".price"), top(page, "#f-item")
    assert price < choice < top(page, PRIMARY)
    # Nothing but the quantity between the variant choice and the action:
    # on a phone the action is reachable without scrolling past a description.
    assert top(page, PRIMARY) - choice < 260
    assert top(page, PRIMARY) < 1.5 * 640
    # The other ways are secondary: outlined, after the primary action.
    for secondary in ["#wa-order"] + (["[data-cart-actions] button"] if javascript else []):
        assert "alt" in page.locator(secondary).get_attribute("class").split()
        assert top(page, secondary) > top(page, PRIMARY)
    # The action leads to the buyer's details of the same form (JS off: a plain POST).
    href = primary.get_attribute("href")
    assert href.startswith("#") and page.locator(f"[data-product] {href}").count() == 1
    primary.click()
    if javascript:
        assert page.evaluate("document.activeElement.id") == "f-name"
    page.fill("#f-name", "x")  # reachable and usable after the jump


def test_texts_follow_the_cart(phone_page, site_url, product):
    page = phone_page()
    page.goto(site_url + product["url"])
    assert page.locator("[data-buyer]").is_visible()
    page.get_by_role("button", name=JS["add"]).click()
    page.wait_for_selector("[data-cart-actions] [role=status]:not(:empty)")
    # In the cart now: the order goes through the cart, the form steps aside.
    primary = page.locator(PRIMARY)
    assert primary.inner_text().strip() == JS["order_in_cart"]
    assert primary.get_attribute("href") == "/keranjang/"
    assert page.locator("[data-buyer]").is_hidden()
    visible = page.locator("main").inner_text()
    assert PAGE["order_intro"] not in visible
    # The same on the next visit.
    page.reload()
    assert page.locator(PRIMARY).get_attribute("href") == "/keranjang/"
    assert page.locator("[data-buyer]").is_hidden()
