"""warung.phone: Indonesian WhatsApp numbers, normalised to 62… digits."""

import pytest

from warung.phone import display_mobile, normalize_mobile, whatsapp_link


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
