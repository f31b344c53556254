""""Did you mean": the closest of a few known words to what someone wrote."""

import difflib

CUTOFF = 0.6


def closest(text, choices, cutoff: float = CUTOFF) -> str | None:
    """The choice most like ``text`` (case-insensitive), or None when none is close."""
    folded = {}
    for choice in choices:
        folded.setdefault(str(choice).casefold(), choice)
    found = difflib.get_close_matches(" ".join(str(text).split()).casefold(), list(folded),
                                      n=1, cutoff=cutoff)
    return folded[found[0]] if found else None
