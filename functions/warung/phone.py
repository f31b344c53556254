"""Indonesian WhatsApp numbers, normalized with phonenumbers to ``62...``."""

from urllib.parse import quote

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberType


def normalize_mobile(text: str) -> str:
    """Return an Indonesian mobile number as ``628...`` digits.

    Accepts the common ways people write it (``0812-3456-7890``,
    ``+62 812 3456 7890``, ``62812...``). Raises ValueError when it is not a
    valid Indonesian mobile number.
    """
    raw = str(text or "").strip()
    if not raw or len(raw) > 32:
        raise ValueError(text)
    if raw.startswith("62"):
        raw = "+" + raw
    try:
        number = phonenumbers.parse(raw, "ID")
    except NumberParseException as err:
        raise ValueError(text) from err
    if number.country_code != 62 or not phonenumbers.is_valid_number(number):
        raise ValueError(text)
    if phonenumbers.number_type(number) not in (
        PhoneNumberType.MOBILE,
        PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        raise ValueError(text)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)[1:]


def display_mobile(number: str) -> str:
    """``6281234567890`` -> ``0812-3456-7890`` for people to read."""
    local = "0" + number[2:] if number.startswith("62") else number
    return "-".join([local[:4], local[4:8], local[8:]]).rstrip("-")


def whatsapp_link(number: str, message: str = "") -> str:
    """A wa.me link to ``number`` (``62...``), with the message prefilled."""
    link = f"https://wa.me/{number}"
    return f"{link}?text={quote(message, safe='')}" if message else link
