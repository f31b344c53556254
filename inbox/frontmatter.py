"""Content files as the seller contract writes them (docs/ARCHITECTURE.md):
``Key: value`` lines, a blank line, then Markdown.

Writing never trusts a value: each is folded to one line (every run of
whitespace, line and paragraph separators included, becomes one space), so
no form text can add a metadata line or key; the body's ``<`` is escaped so
it stays text. ``merge`` changes only the keys it is given and keeps every
other line of an existing file (its spelling of the key, its order, its
body) as it was.
"""

import re

from warung import keys

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]")
_KEY_LINE = re.compile(r"^([A-Za-z][A-Za-z0-9 _-]*):(.*)$")

def fold(value) -> str:
    return " ".join(_CONTROL.sub(" ", str(value or "")).split())


def body_text(text) -> str:
    """A free text as the Markdown body: lines kept, controls gone, ``<`` as text."""
    text = str(text or "").replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"[\x00-\x08\x0b-\x1f\x7f\u0085\u2028\u2029]", " ", text)
    return "\n".join(line.rstrip() for line in text.split("\n")).strip().replace("<", "&lt;")


def canonical(key: str, kind: str) -> str:
    """A key as written (any case, an Indonesian alias) -> the rules' key."""
    return keys.canonical(key, kind) or keys.fold(key)


def render(meta: dict, body: str = "") -> str:
    """A new file: ``meta`` (rules key -> value) in the given order, then the body."""
    lines = [f"{keys.key_name(key)}: {fold(value)}"
             for key, value in meta.items() if fold(value)]
    text = "\n".join(lines) + "\n"
    body = body_text(body)
    return text + ("\n" + body + "\n" if body else "")


def split(text: str) -> tuple[list[str], str]:
    """(metadata lines, rest of the file from the blank line on)."""
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if not line.strip():
            return lines[:index], "\n".join(lines[index:])
    return lines, ""


def merge(text: str, changes: dict, body: str | None = None, kind: str = "product") -> str:
    """An existing file with ``changes`` (rules key -> value; "" removes the
    key) applied; every other line, and the body unless ``body`` is given, unchanged."""
    head, rest = split(text)
    left = {key: value for key, value in changes.items()}
    out = []
    for line in head:
        match = _KEY_LINE.match(line)
        key = canonical(match[1], kind) if match else None
        if key in left:
            value = fold(left.pop(key))
            if value:
                out.append(f"{match[1]}: {value}")
        else:
            out.append(line)
    out += [f"{keys.key_name(k)}: {fold(v)}" for k, v in left.items() if fold(v)]
    if body is not None:
        cleaned = body_text(body)
        rest = "\n" + cleaned + "\n" if cleaned else ""
    elif not rest:
        rest = ""
    text = "\n".join(out) + "\n"
    return text + (rest.lstrip("\n") and "\n" + rest.lstrip("\n"))
