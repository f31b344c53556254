"""Direct tests of the scripts' pure parts, run in headless Chromium on a
built page: warung.js's helpers and cart.js's cart-as-data functions
(window.warung.cart), checked against the Python rules they mirror."""

import pytest

from warung.rules import delivery_fee_for
from warung.rupiah import format_rupiah

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def js(browser, built_site, static_server):
    """``js(expression, *args)``: evaluate on a page that loaded warung.js and cart.js."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(static_server(built_site.output) + "/cara-pesan/")
    page.wait_for_function("window.warung && window.warung.cart")

    def evaluate(expression, *args):
        return page.evaluate(f"([a, b, c]) => {expression}", list(args) + [None] * (3 - len(args)))

    yield evaluate
    context.close()


SHOPS = {"cod": {"delivery": ["ambil", "antar"], "payment": ["cod"]},
         "bank": {"delivery": ["ambil", "antar"], "payment": ["transfer", "qris"]},
         "both": {"delivery": ["antar"], "payment": ["cod", "transfer"]}}


def line(item, shop, qty=1):
    return {"item": item, "shop": shop, "qty": qty, "title": item, "price": 1000}


def cart(*lines, parked=()):
    return {"lines": list(lines), "shops": SHOPS, "parked": list(parked)}


def test_fill_puts_values_in_and_leaves_unknown_names(js):
    assert js("warung.fill(a, b)", "Jumlah: {qty} {x}", {"qty": 2}) == "Jumlah: 2 {x}"
    assert js("warung.fill(a, b)", "{n} produk", {"n": 0}) == "0 produk"


@pytest.mark.parametrize("amount", [0, 5, 999, 1000, 25000, 1250000, 999.6, 10**9])
def test_rupiah_matches_the_python_format(js, amount):
    assert js("warung.rupiah(a)", amount) == format_rupiah(round(amount))


def test_read_json_and_make(js):
    assert js("warung.readJson('does-not-exist')") is None
    assert js("(() => { const n = warung.make('p', 'note', '<b>'); return [n.tagName, n.className, n.innerHTML]; })()") \
        == ["P", "note", "&lt;b&gt;"]


@pytest.mark.parametrize("value, expected", [("3", 3), ("0", 1), ("abc", 1), ("1000", 999), (7, 7)])
def test_clamp_qty(js, value, expected):
    assert js("warung.cart.clampQty(a)", value) == expected


@pytest.mark.parametrize("fee", [None, {"default": 10000, "kecamatan": {}},
                                 {"default": None, "kecamatan": {"Plered": 5000}},
                                 {"default": 20000, "kecamatan": {"Plered": 5000, "Wanayasa": 0}}])
@pytest.mark.parametrize("kecamatan", ["Plered", "Wanayasa", "Purwakarta"])
def test_fee_for_matches_the_python_rule(js, fee, kecamatan):
    assert js("warung.cart.feeFor(a, b)", fee, kecamatan) == delivery_fee_for(fee, kecamatan)


def test_common_options_and_clashes(js):
    assert js("warung.cart.common(a, ['cod', 'both'], 'payment')", cart()) == ["cod"]
    assert js("warung.cart.common(a, ['cod', 'bank'], 'delivery')", cart()) == ["ambil", "antar"]
    assert js("warung.cart.clashes(a)", cart(line("x", "cod"), line("y", "bank"))) == ["payment"]
    assert js("warung.cart.clashes(a)", cart(line("x", "cod"), line("y", "both"))) == []
    assert js("warung.cart.clashes(a)", cart()) == []
    assert js("warung.cart.shopsOf(a)", [line("x", "bank"), line("y", "cod"), line("z", "bank")]) \
        == ["bank", "cod"]


def test_keep_one_shop_parks_the_others_and_unpark_brings_them_back(js):
    full = cart(line("x", "cod"), line("y", "bank"), line("z", "cod"), parked=[line("w", "both")])
    full["key"] = "k1"
    kept = js("warung.cart.keepShop(a, 'cod')", full)
    assert [l["item"] for l in kept["lines"]] == ["x", "z"]
    assert [l["item"] for l in kept["parked"]] == ["y", "w"]
    assert kept["key"] is None, "a changed cart is a new order"
    back = js("warung.cart.unpark(a)", kept)
    assert [l["item"] for l in back["lines"]] == ["x", "z", "y", "w"] and back["parked"] == []


def test_in_cart_counts_every_variant_and_parked_lines(js):
    held = cart(line("kopi", "cod", 2), line("kopi:250 g", "cod", 3), line("kopiluwak", "cod", 5),
                parked=[line("kopi:1 kg", "bank", 1)])
    assert js("warung.cart.inCart(a, 'kopi')", held) == 6
    assert js("warung.cart.inCart(a, 'teh')", held) == 0


def test_add_line_adds_up_the_same_item(js):
    shop = {"id": "cod", "payment": ["cod"]}
    once = js("warung.cart.addLine(a, b, c)", {"lines": [], "shops": {}, "parked": [], "key": "k"},
              line("x", "cod", 2), shop)
    assert [(l["item"], l["qty"]) for l in once["lines"]] == [("x", 2)]
    assert once["shops"] == {"cod": shop} and once["key"] is None
    twice = js("warung.cart.addLine(a, b, c)", once, line("x", "cod", 998), shop)
    assert [(l["item"], l["qty"]) for l in twice["lines"]] == [("x", 999)]
