"""Whole-rupiah amounts: PUEBI formatting (``Rp15.000``) and parsing prices
the way people in Indonesia write them.

``parse_rupiah`` accepts ``45000``, ``45.000``, ``Rp45.000``, ``Rp. 25.000,-``,
``Rp 25.000,00``, ``IDR 45.000``, ``15rb``, ``15 ribu``, ``15k``, ``1,5 jt`` and
``1,5 juta``. A comma is the decimal mark and a dot groups thousands, as in
Indonesian; what could be read two ways (``45,000``) or is not a whole rupiah
(``25.000,50``) raises ``RupiahError`` with the whole amount the writer most
likely meant, so a message can show the fix in their own number.
"""

import re
from decimal import ROUND_HALF_UP, Decimal

MAX_LENGTH = 40  # longer text is not a price (and is never turned into a huge int)

_PREFIX = re.compile(r"^(?:rp|idr)\.?")
_DASH_SUFFIX = re.compile(r"[,.]-+$")
_NUMBER = re.compile(r"^(?P<number>[0-9][0-9.,]*)(?P<unit>[a-z]*)$")
_UNITS = {"": 1, "rb": 1000, "ribu": 1000, "rebu": 1000, "k": 1000,
          "jt": 1_000_000, "juta": 1_000_000}
_PLAIN = re.compile(r"^[0-9]+$")
_DOT_GROUPED = re.compile(r"^[0-9]{1,3}(?:\.[0-9]{3})+$")
_COMMA_GROUPED = re.compile(r"^[0-9]{1,3}(?:,[0-9]{3})+$")
_DECIMAL_COMMA = re.compile(r"^(?P<whole>[0-9]+|[0-9]{1,3}(?:\.[0-9]{3})+),(?P<fraction>[0-9]+)$")
_DECIMAL_DOT = re.compile(r"^(?P<whole>[0-9]+)\.(?P<fraction>[0-9]{1,2})$")


class RupiahError(ValueError):
    """Not a whole rupiah amount. ``kind``: ``not_number`` (words, garbage),
    ``not_whole`` (cents), ``ambiguous`` (``45,000``) or ``negative``;
    ``guess`` is the whole amount the writer most likely meant, or None."""

    def __init__(self, text, kind: str, guess: int | None = None):
        super().__init__(text)
        self.text = text
        self.kind = kind
        self.guess = guess


def format_rupiah(amount: int) -> str:
    """Format whole rupiah as PUEBI writes it: ``Rp15.000``, ``-Rp500``."""
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp{abs(int(amount)):,}".replace(",", ".")


def _whole(value: Decimal, text, factor: int, exact_kind: str) -> int:
    amount = value * factor
    if amount == amount.to_integral_value():
        return int(amount)
    raise RupiahError(text, exact_kind, int(amount.to_integral_value(ROUND_HALF_UP)) or None)


def _amount(number: str, factor: int, text) -> int:
    if _PLAIN.match(number):
        return int(number) * factor
    if _DOT_GROUPED.match(number):
        return int(number.replace(".", "")) * factor
    if _COMMA_GROUPED.match(number):  # 45,000: English grouping or a decimal comma?
        guess = int(number.replace(",", "")) if factor == 1 else None
        raise RupiahError(text, "ambiguous", guess)
    decimal = _DECIMAL_COMMA.match(number)
    if decimal:
        whole = decimal["whole"].replace(".", "")
        return _whole(Decimal(f"{whole}.{decimal['fraction']}"), text, factor, "not_whole")
    decimal = _DECIMAL_DOT.match(number)
    if decimal and factor > 1:  # 1.5 jt: a dot cannot group thousands here
        return _whole(Decimal(number), text, factor, "not_whole")
    if decimal:  # 45.50: cents the English way, or a thousands dot with a digit missing
        raise RupiahError(text, "ambiguous", None)
    raise RupiahError(text, "not_number")


def parse_rupiah(text) -> int:
    """Parse a price as people write it (see the module doc) into whole rupiah.

    Raises ``RupiahError`` (a ValueError) for anything that is not a whole,
    non-negative rupiah amount. Only ASCII digits count as digits.
    """
    if isinstance(text, bool):
        raise RupiahError(text, "not_number")
    if isinstance(text, int):
        if text < 0:
            raise RupiahError(text, "negative")
        return text
    raw = str(text)
    if len(raw) > MAX_LENGTH:
        raise RupiahError(text, "not_number")
    body = "".join(raw.split()).lower()
    body = _DASH_SUFFIX.sub("", _PREFIX.sub("", body))
    if body.startswith("-") and _NUMBER.match(body[1:]):
        raise RupiahError(text, "negative")
    found = _NUMBER.match(body)
    if not found or found["unit"] not in _UNITS:
        raise RupiahError(text, "not_number")
    return _amount(found["number"], _UNITS[found["unit"]], text)
