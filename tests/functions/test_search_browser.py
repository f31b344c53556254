"""The search a buyer without JavaScript gets: the header's search form
posts to /api/search through the local run, and the results page (served
by the search function) looks like the catalog on a 360x640 phone."""

import pytest

pytestmark = pytest.mark.browser


def test_search_without_javascript(live_server, phone_page, screenshot, built_site):
    page = phone_page(javascript=False)
    page.goto(live_server.url)
    page.fill("header form[role=search] [name=q]", "kopi")
    with page.expect_navigation(url="**/api/search?q=kopi"):
        page.press("header form[role=search] [name=q]", "Enter")
    screenshot(page, "results")
    assert page.locator("link[href='/theme/css/site.css']").count() == 1
    cards = page.locator("ul.grid li.card")
    expected = [p for p in built_site.catalog["products"] if "kopi" in p["title"].lower()]
    assert cards.count() >= len(expected) > 0
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= 360, f"results scroll sideways: {width}px"
    # Every result leads to its product page.
    href = cards.first.locator("a").get_attribute("href")
    page.click("ul.grid li.card a >> nth=0")
    assert page.url.endswith(href)

    page.goto(live_server.url + "api/search?q=kopu")
    assert "Tidak ada hasil untuk “kopu”" in page.inner_text("main")
    screenshot(page, "no-results")
    page.click("main a:has-text('kopi')")
    assert page.locator("ul.grid li.card").count() > 0
