"""warung.rupiah: prices as people in Indonesia write them, and PUEBI formatting."""

import pytest

from warung.rupiah import RupiahError, format_rupiah, parse_rupiah


@pytest.mark.parametrize("written, amount", [
    ("45000", 45000), ("45.000", 45000), ("Rp45.000", 45000), ("Rp25.000", 25000),
    ("25.000", 25000), ("Rp. 25.000,-", 25000), ("Rp 25.000,00", 25000), ("rp 25.000,-", 25000),
    ("IDR 45.000", 45000), ("45 000", 45000), ("15rb", 15000), ("15 ribu", 15000),
    ("15RB", 15000), ("15k", 15000), ("Rp15rb", 15000), ("1,5 jt", 1_500_000),
    ("1,5 juta", 1_500_000), ("1,5jt", 1_500_000), ("1.5 jt", 1_500_000), ("2 jt", 2_000_000),
    ("1,25 rb", 1250), ("1.250.000", 1_250_000), ("0", 0), (45000, 45000),
])
def test_prices_as_people_write_them(written, amount):
    assert parse_rupiah(written) == amount


@pytest.mark.parametrize("written, kind, guess", [
    ("45,000", "ambiguous", 45000),          # English grouping or a decimal comma?
    ("1,500,000", "ambiguous", 1_500_000),
    ("1,500 jt", "ambiguous", None),
    ("45.50", "ambiguous", None),
    ("25.000,50", "not_whole", 25001),        # cents: the nearest whole rupiah
    ("45000,4", "not_whole", 45000),
    ("1,2345 rb", "not_whole", 1235),
    ("empat puluh ribu", "not_number", None),
    ("Rp", "not_number", None),
    ("15 dolar", "not_number", None),
    ("45.00.0", "not_number", None),
    ("-5000", "negative", None),
    ("Rp -5.000", "negative", None),
    ("\u2460", "not_number", None),           # Unicode digits are not digits here
    ("\uff14\uff15", "not_number", None),
    ("9" * 41, "not_number", None),           # never a huge int from a long text
    (True, "not_number", None),
    (-1, "negative", None),
])
def test_what_is_refused_says_why_and_guesses_the_amount(written, kind, guess):
    with pytest.raises(RupiahError) as refused:
        parse_rupiah(written)
    assert (refused.value.kind, refused.value.guess, refused.value.text) == (kind, guess, written)
    assert isinstance(refused.value, ValueError)


@pytest.mark.parametrize("amount, shown", [
    (0, "Rp0"), (500, "Rp500"), (15000, "Rp15.000"), (1_500_000, "Rp1.500.000"), (-500, "-Rp500")])
def test_format_is_puebi(amount, shown):
    assert format_rupiah(amount) == shown
    if amount >= 0:
        assert parse_rupiah(shown) == amount
