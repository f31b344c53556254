"""One email address grammar for the whole project (seller files, the order
form, the mailer's headers): strict plain ``local@domain``.

- local part: dot-separated atoms of ASCII letters, digits, ``_``, ``+`` and
  ``-`` (no leading, trailing or doubled dot; no ``%`` or ``!`` routing, no
  quotes, no comments), at most 64 characters;
- domain: at least two labels of letters, digits and inner hyphens (1-63
  characters each, never starting or ending with a hyphen), the last one
  letters only (2-63);
- at most 254 characters in all.

Nothing is trimmed or repaired here: a value with a space, a newline or an
encoded word is simply not an address, so a caller can never be tricked into
putting one into a header. Callers that read what a person typed strip it first.
"""

import re

MAX_LENGTH = 254
MAX_LOCAL = 64

_LOCAL = r"[A-Za-z0-9_+-]+(?:\.[A-Za-z0-9_+-]+)*"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_ADDRESS = re.compile(rf"({_LOCAL})@((?:{_LABEL}\.)+[A-Za-z]{{2,63}})", re.ASCII)


def valid_email(text) -> str | None:
    """``text`` when it is a valid plain address, else None."""
    if not isinstance(text, str) or len(text) > MAX_LENGTH:
        return None
    match = _ADDRESS.fullmatch(text)
    if match is None or len(match.group(1)) > MAX_LOCAL:
        return None
    return text
