"""Whole-rupiah amounts: PUEBI formatting (``Rp15.000``) and lenient parsing."""

import re

_PREFIX = re.compile(r"^\s*rp\.?\s*", re.IGNORECASE)
_GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+$")


def format_rupiah(amount: int) -> str:
    """Format whole rupiah as PUEBI writes it: ``Rp15.000``, ``-Rp500``."""
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp{abs(int(amount)):,}".replace(",", ".")


def parse_rupiah(text) -> int:
    """Parse ``45000``, ``45.000`` or ``Rp45.000`` into 45000.

    Raises ValueError for anything that is not a whole, non-negative rupiah
    amount (decimals such as ``45000,50``, words, negative numbers).
    """
    if isinstance(text, bool):
        raise ValueError(text)
    if isinstance(text, int):
        if text < 0:
            raise ValueError(text)
        return text
    body = _PREFIX.sub("", str(text)).strip().replace(" ", "")
    if body.isdigit():
        return int(body)
    if _GROUPED.match(body):
        return int(body.replace(".", ""))
    raise ValueError(text)
