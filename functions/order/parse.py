"""Request bodies -> one raw submission dict, the same for form and JSON.

The submission keeps the field names of the order contract: ``item`` and
``qty`` are lists (parallel), every other field is a string ("" when
absent). Values are only decoded here, never judged: ``validate`` does that.
"""

import json
from urllib.parse import parse_qs

TEXT_FIELDS = ("name", "phone", "kecamatan", "desa", "address", "delivery", "payment",
               "note", "email", "key", "build", "website")
LIST_FIELDS = ("item", "qty")
MAX_FIELDS = 400  # parse_qs stops (ValueError) beyond this many pairs


class ParseError(ValueError):
    """The body is not a readable order (not the buyer's fault to fix field by field)."""


class UnsupportedMediaType(ParseError):
    """Neither a urlencoded form nor JSON."""


def empty() -> dict:
    return {**{field: "" for field in TEXT_FIELDS}, "item": [], "qty": []}


def parse_form(body: str) -> dict:
    """``application/x-www-form-urlencoded``: repeated ``item``/``qty`` pairs."""
    try:
        pairs = parse_qs(body, keep_blank_values=True, strict_parsing=False,
                         max_num_fields=MAX_FIELDS, encoding="utf-8", errors="replace")
    except ValueError as err:
        raise ParseError(str(err)) from None
    submission = empty()
    for field in TEXT_FIELDS:
        values = pairs.get(field)
        if values:
            submission[field] = values[0]
    for field in LIST_FIELDS:
        submission[field] = list(pairs.get(field, []))
    return submission


def _scalar(field: str, value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    raise ParseError(f"field {field!r} must be a string")


def parse_json(body: str) -> dict:
    """``application/json`` from the cart, with the same field names."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as err:
        raise ParseError(f"invalid JSON: {err}") from None
    if not isinstance(data, dict):
        raise ParseError("the body must be a JSON object")
    submission = empty()
    for field in TEXT_FIELDS:
        submission[field] = _scalar(field, data.get(field))
    for field in LIST_FIELDS:
        value = data.get(field)
        if value is None:
            value = []
        elif not isinstance(value, list):
            value = [value]
        if any(isinstance(v, (dict, list)) for v in value):
            raise ParseError(f"field {field!r} must be a list of values")
        # qty keeps ints as ints (validate accepts both); item must be text.
        submission[field] = [v if field == "qty" and isinstance(v, int) and not isinstance(v, bool)
                             else _scalar(field, v) for v in value]
    return submission


def parse(body: str, content_type: str) -> dict:
    """Dispatch on the media type; ``ParseError`` for anything else."""
    media = (content_type or "").split(";")[0].strip().lower()
    if media == "application/json":
        return parse_json(body)
    if media in ("application/x-www-form-urlencoded", ""):
        return parse_form(body)
    raise UnsupportedMediaType(f"unsupported media type {media!r}")

