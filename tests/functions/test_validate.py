"""order.validate alone (no AWS): a submission against the catalog gives an
Order of (product, variant, qty) lines, or Invalid with the form's view."""

import copy

import pytest

from backend.catalog import Catalog
from order import parse
from order.validate import Invalid, form_view, validate
from tests.functions.conftest import TEST_CATALOG, VALID_ORDER


@pytest.fixture(scope="module")
def catalog():
    return Catalog.from_json(copy.deepcopy(TEST_CATALOG))


def submission(**changes) -> dict:
    return {**parse.empty(), **copy.deepcopy(VALID_ORDER), **changes}


def errors_of(catalog, **changes) -> dict:
    with pytest.raises(Invalid) as caught:
        validate(submission(**changes), catalog)
    return caught.value.errors


def test_a_valid_submission_becomes_lines_without_prices(catalog):
    order = validate(submission(), catalog)
    assert [(line.product["id"], line.variant and line.variant["name"], line.qty)
            for line in order.lines] == [("kopi-wanayasa/arabika", "500 g", 2),
                                         ("batik-plered/kain-batik", None, 1)]
    assert not any(hasattr(line, "price") for line in order.lines)
    assert order.buyer["phone"] == "6281311112222"
    assert (order.delivery, order.payment, order.spam) == ("antar", "cod", False)


def test_the_same_line_twice_is_added_up(catalog):
    order = validate(submission(item=["kopi-wanayasa/robusta"] * 2, qty=["2", "3"]), catalog)
    assert [(line.product["id"], line.qty) for line in order.lines] == [("kopi-wanayasa/robusta", 5)]


@pytest.mark.parametrize("qty", ["①", "²", "٣", "１", "1.0", "", "0", "1000", "12345", True])
def test_only_ascii_whole_quantities_from_1_to_999(catalog, qty):
    errors = errors_of(catalog, item=["kopi-wanayasa/robusta"], qty=[qty])
    assert errors == {"item": "Jumlah Kopi Robusta harus angka bulat 1 sampai 999."}


@pytest.mark.parametrize("qty", ["1", " 7 ", 999, "0999"])
def test_good_quantities(catalog, qty):
    order = validate(submission(item=["kopi-wanayasa/robusta"], qty=[qty]), catalog)
    assert order.lines[0].qty == int(str(qty).strip())


def test_every_problem_is_reported_at_once(catalog):
    errors = errors_of(catalog, name="", phone="12345", address="", payment="kredit")
    assert set(errors) == {"name", "phone", "address", "payment"}


def test_honeypot_marks_spam(catalog):
    assert validate(submission(website="http://spam.example"), catalog).spam is True


def test_invalid_carries_the_forms_view(catalog):
    with pytest.raises(Invalid) as caught:
        validate(submission(item=["sayur-maniis/pisang", "kopi-wanayasa/arabika:250 g"],
                            qty=["1", "2"], phone=""), catalog)
    form = caught.value.form
    assert [line["label"] for line in form.lines] == ["Pisang Ambon", "Kopi Arabika (250 g)"]
    assert [line["qty"] for line in form.lines] == ["1", "2"]
    assert form.delivery_methods == ["ambil"] and form.payment_methods == ["cod"]


def test_form_view_without_a_catalog_offers_everything():
    form = form_view(submission(item=["x/y"], qty=[]))
    assert form.lines == [{"item": "x/y", "label": "x/y", "qty": ""}]
    assert form.delivery_methods == ["ambil", "antar"]
    assert form.payment_methods == ["cod", "transfer", "qris"]
