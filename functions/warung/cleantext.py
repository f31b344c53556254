"""Text a buyer typed (or a record holds), made safe to store and show.

``clean_text`` is the one cleaner used by the order function (before
validating and storing) and the mailer (before rendering): Unicode NFC; every
kind of line break (CR LF, CR, U+2028/2029, NEL, VT, FF) becomes a newline;
tabs become spaces; C0/C1 control characters, DEL, zero-width characters and
the bidirectional controls that can make ``Rp10.000`` read as something else
are removed; runs of spaces collapse. One line unless ``multiline`` (then at
most one blank line in a row). With ``limit``, longer text is cut and ends
with ``…``.
"""

import re
import unicodedata

_NEWLINES = re.compile(r"\r\n|[\r\u2028\u2029\u0085\x0b\x0c]")
_UNSHOWN = re.compile(
    r"[\x00-\x08\x0e-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
_BLANK_LINES = re.compile(r"\n{3,}")


def clean_text(value, multiline: bool = False, limit: int | None = None) -> str:
    """``value`` as clean text (see the module doc); ``None`` -> ``""``."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value))
    text = _NEWLINES.sub("\n", text).replace("\t", " ")
    text = _UNSHOWN.sub("", text)
    if multiline:
        lines = [" ".join(line.split()) for line in text.split("\n")]
        text = _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
    else:
        text = " ".join(text.split())
    if limit is not None and len(text) > limit:
        text = text[:limit - 1].rstrip() + "…"
    return text
