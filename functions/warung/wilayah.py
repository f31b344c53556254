"""The regency's kecamatan and desa, from the one regency data file.

Another regency swaps ``wilayah.json`` for its own slice of the same dataset
(cahyadsn/wilayah, Kepmendagri codes).
"""

import json
import re
from functools import lru_cache
from pathlib import Path

DATA_FILE = Path(__file__).with_name("wilayah.json")


@lru_cache(maxsize=None)
def regency() -> dict:
    with DATA_FILE.open(encoding="utf-8") as handle:
        return json.load(handle)


_PREFIX = re.compile(r"^\s*(?:kecamatan|kec)\b\.?\s*", re.IGNORECASE)


def strip_prefix(name: str) -> str:
    """``kec. Bungursari`` / ``Kecamatan Bungursari`` -> ``Bungursari``."""
    return _PREFIX.sub("", str(name))


def _key(name: str) -> str:
    return " ".join(str(name).split()).casefold()


@lru_cache(maxsize=None)
def _kecamatan_index() -> dict:
    return {_key(k["nama"]): k for k in regency()["kecamatan"]}


def kecamatan_names() -> list[str]:
    return [k["nama"] for k in regency()["kecamatan"]]


def find_kecamatan(name: str) -> str | None:
    """The official spelling of a kecamatan, matched case-insensitively and
    without a ``kec.``/``kecamatan`` prefix."""
    found = _kecamatan_index().get(_key(strip_prefix(name)))
    return found["nama"] if found else None


def desa_names(kecamatan: str) -> list[str]:
    found = _kecamatan_index().get(_key(kecamatan))
    return [d["nama"] for d in found["desa"]] if found else []


def find_desa(kecamatan: str, name: str) -> str | None:
    wanted = _key(name)
    return next((d for d in desa_names(kecamatan) if _key(d) == wanted), None)
