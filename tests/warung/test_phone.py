"""warung.phone: Indonesian WhatsApp numbers, normalised to 62… digits."""

from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from warung.phone import display_mobile, normalize_mobile, quote_all, whatsapp_link


@pytest.mark.parametrize("written", ["0812-3456-7890", "+62 812 3456 7890", "6281234567890",
                                     "081234567890", "(0812) 3456 7890", " 0812.3456.7890 "])
def test_common_forms_of_one_mobile_number(written):
    assert normalize_mobile(written) == "6281234567890"


@pytest.mark.parametrize("written", ["", None, "12345", "021-555-1234", "+1 415 555 0100",
                                     "0812" + "9" * 40, "nomor saya", "\u0660\u0668\u0661\u0662"])
def test_not_an_indonesian_mobile_number(written):
    with pytest.raises(ValueError):
        normalize_mobile(written)


def test_display_and_link():
    assert display_mobile("6281234567890") == "0812-3456-7890"
    assert whatsapp_link("6281234567890") == "https://wa.me/6281234567890"
    assert whatsapp_link("6281234567890", "Halo & salam?") == (
        "https://wa.me/6281234567890?text=Halo%20%26%20salam%3F")


@given(st.text())
def test_quote_all_is_urllib_s_quote_with_nothing_safe(text):
    try:
        expected = quote(text, safe="")
    except UnicodeEncodeError:  # a lone surrogate: no UTF-8 for it either way
        with pytest.raises(UnicodeEncodeError):
            quote_all(text)
        return
    assert quote_all(text) == expected


def test_quote_all_keeps_only_unreserved_characters():
    assert quote_all("Rp15.000 (250 g) x1 & ~_-é\n/?=#") == \
        "Rp15.000%20%28250%20g%29%20x1%20%26%20~_-%C3%A9%0A%2F%3F%3D%23"
