"""What the plugin, the order function and the mailer share in ``warung``:
one email grammar (``warung.emails``, used by the rules), one text cleaner."""

import pytest

from warung import rules
from warung.cleantext import clean_text
from warung.emails import valid_email

STRICTLY_BAD = ["a%b@x.id", ".siti@x.id", "siti..a@x.id", "siti@-x.id", "siti.@x.id",
                "siti@x-.id", "siti@x.i", "a!b@x.id", '"siti"@x.id', "sìti@x.id"]


@pytest.mark.parametrize("address", STRICTLY_BAD)
def test_one_strict_grammar_everywhere(address):
    assert valid_email(address) is None
    with pytest.raises(rules.ContentError) as refused:
        rules.parse_email(address)
    assert str(refused.value) == (f"Email '{address}' tidak valid. "
                                  "Tulis misalnya: Email: pesanan@contoh.id")


@pytest.mark.parametrize("address", ["siti@x.id", "siti.aminah+toko@mail.example.co.id",
                                     "A_B-c@x-y.example", "pesanan@contoh.id"])
def test_good_addresses_pass_everywhere(address):
    assert valid_email(address) == address
    assert rules.parse_email(f"  {address} ") == address


def test_one_cleaner_for_the_form_and_the_mail():
    dirty = "Siti\u202e 000.01pR\u200b\x00\r\nAminah\t  Jl.\u2028Mawar"
    assert clean_text(dirty) == "Siti 000.01pR Aminah Jl. Mawar"
    assert clean_text(dirty, multiline=True) == "Siti 000.01pR\nAminah Jl.\nMawar"
    assert clean_text("a\n\n\n\nb", multiline=True) == "a\n\nb"
    assert clean_text("x" * 50, limit=10) == "x" * 9 + "…"
    assert clean_text(None) == "" and clean_text("e\u0301") == "\u00e9"  # NFC
