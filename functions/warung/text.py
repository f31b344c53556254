"""Every word a buyer, seller or staff member reads, in one place.

Texts live in ``teks/<lang>/*.toml`` (one file per area: ``umum`` for what
every page shares, ``katalog`` for the theme, ``pesanan`` for ordering). They
merge into one flat mapping, so a key must be unique across files. A Sundanese
variant is a ``teks/su/`` folder with the same keys; missing keys fall back to
Indonesian.
"""

import tomllib
from functools import lru_cache
from pathlib import Path

TEXTS_DIR = Path(__file__).with_name("teks")
DEFAULT_LANG = "id"


def _load(lang: str) -> dict:
    merged = {}
    for path in sorted((TEXTS_DIR / lang).glob("*.toml")):
        with path.open("rb") as handle:
            for key, value in tomllib.load(handle).items():
                if key in merged:
                    raise KeyError(f"text key {key!r} is defined twice ({path.name})")
                merged[key] = value
    return merged


@lru_cache(maxsize=None)
def texts(lang: str = DEFAULT_LANG) -> dict:
    """The merged texts for ``lang``, falling back to Indonesian per key."""
    base = _load(DEFAULT_LANG)
    return base if lang == DEFAULT_LANG else {**base, **_load(lang)}
