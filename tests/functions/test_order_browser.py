"""The order form's second chance, JavaScript off, in headless Chromium
through the local run (``live_server``): a mistake on the product page's
plain form gives the error page; corrected there, the order goes through
(same-origin posts always pass, whatever the referrer policy makes the
browser send as Origin)."""

import re

import pytest

from tests.fixtures.server import pick_products
from warung import wilayah

pytestmark = pytest.mark.browser

CONFIRMATION = re.compile(r".*/api/order/(WO-[0-9A-Z]+)\?t=.+")
KECAMATAN = "Purwakarta"
ADDRESS = "Jl. Veteran No. 10, RT 01/02"


def test_mistake_corrected_on_the_error_page_reaches_the_confirmation(
        live_server, phone_page, screenshot, built_site):
    [product] = pick_products(built_site.catalog, 1)
    page = phone_page(javascript=False)
    page.goto(live_server.url + product["url"].lstrip("/"))
    form = "form[action$='/api/order']"
    page.fill(f"{form} [name=qty]", "2")
    page.fill(f"{form} [name=name]", "Ujang Salah Ketik")
    page.fill(f"{form} [name=phone]", "12345")
    page.select_option(f"{form} [name=kecamatan]", KECAMATAN)
    desa = wilayah.desa_names(KECAMATAN)[0]
    page.fill(f"{form} [name=desa]", desa)
    page.fill(f"{form} [name=address]", ADDRESS)
    page.check(f"{form} [name=delivery][value=ambil]")
    page.check(f"{form} [name=payment][value=cod]")
    with page.expect_navigation():
        page.click(f"{form} button[type=submit]")

    # The error page: a second chance that keeps everything typed.
    main = page.inner_text("main")
    screenshot(page, "error-page")
    assert "built-in method" not in page.content() and "0x" not in main
    assert product["title"] in main
    assert page.input_value("[name=name]") == "Ujang Salah Ketik"
    assert page.input_value("[name=phone]") == "12345"
    assert page.input_value("[name=desa]") == desa
    assert page.input_value("[name=address]") == ADDRESS
    assert page.input_value("[name=qty]") == "2"
    assert page.is_checked("[name=delivery][value=ambil]")
    assert page.is_checked("[name=payment][value=cod]")
    # The phone's message sits next to the phone field.
    described = page.get_attribute("#phone", "aria-describedby") or ""
    assert "err-phone" in described.split()
    assert page.locator("#err-phone").count() == 1

    page.fill("[name=phone]", "0812-3456-7299")
    with page.expect_navigation(url=CONFIRMATION):
        page.click("main form button[type=submit]")
    assert CONFIRMATION.fullmatch(page.url)
    assert product["title"] in page.inner_text("main")
    screenshot(page, "confirmation")
