"""Read one seller file: Pelican-style metadata, a blank line, then Markdown.

``parse(raw_bytes)`` returns a ``Document`` whose metadata keys are
lower-cased but remember how the seller wrote them and on which line, so a
message can say ``baris 3 (Price)``. Problems found while reading (an empty
file, a line that is not ``Key: value``) are returned, never raised.
Descriptions of plain paragraphs, bold words and simple lists are written
here; anything else goes through Markdown (markdown_safe.py: raw HTML shown
as text, only safe links), imported when a description first needs it.
"""

import html
import re
from dataclasses import asdict, dataclass, field

from warung.cleantext import clean_text
from warung.text import texts

SUMMARY_LENGTH = 160
QUOTE_LIMIT = 60

# A key is one or two words (``Nama Toko``), then a colon.
_KEY_LINE = re.compile(
    r"^(?P<key>[A-Za-z][A-Za-z0-9_-]*(?: [A-Za-z][A-Za-z0-9_-]*)?)\s*:\s*(?P<value>.*)$")
_CONTINUATION = re.compile(r"^(?: {4}|\t)\s*(?P<value>\S.*)$")
_TAG = re.compile(r"<[^>]+>")


@dataclass
class Field:
    key: str  # as the seller wrote it, e.g. "Price"
    value: str
    line: int


@dataclass
class Issue:
    """A problem inside one file, before the file's path is known."""

    message: str
    line: int | None = None
    key: str | None = None
    severity: str = "error"


@dataclass
class Document:
    meta: dict[str, Field] = field(default_factory=dict)
    html: str = ""
    summary: str = ""
    issues: list[Issue] = field(default_factory=list)

    def values(self) -> dict[str, str]:
        """Lower-cased key -> raw value, what ``warung.rules`` validates."""
        return {key: f.value for key, f in self.meta.items()}

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> "Document":
        return cls(
            meta={k: Field(**v) for k, v in data["meta"].items()},
            html=data["html"],
            summary=data["summary"],
            issues=[Issue(**i) for i in data["issues"]],
        )


# A line Markdown leaves as it is: it starts with a letter (no list, heading,
# quote or code block), holds no character Markdown or HTML give a meaning
# (``* _ ` [ ] < > & \ # | ~``, controls) and does not end in a space (a
# line break).
_MEANINGFUL = r"\x00-\x1f\x7f-\x9f*_`\[\]<>&\\#|~"
_PLAIN_LINE = re.compile(rf"[^\W\d_][^{_MEANINGFUL}]*(?<! )")
# Bold words after a space, ``**laris**``: plain inside, with no space at
# either end, and followed by a space, common punctuation or the line's end.
_STRONG = re.compile(rf"(?<= )\*\*([^\W_](?:[^{_MEANINGFUL}]*[^\s{_MEANINGFUL}])?)"
                     r"\*\*(?=[ .,;:!?]|$)")
_BLANK_LINES = re.compile(r"\n{2,}")


def _plain_line(line: str, start: int = 0) -> str | None:
    """The line as Markdown shows it, if it is plain from ``start`` on."""
    if "*" not in line:
        return line if _PLAIN_LINE.fullmatch(line, start) else None
    if _PLAIN_LINE.fullmatch(_STRONG.sub("x", line), start):
        return _STRONG.sub(r"<strong>\1</strong>", line)
    return None


def _plain_paragraphs(text: str) -> str | None:
    """What Markdown makes of text that is only plain paragraphs (bold words
    allowed) and simple ``- `` lists, without running it (most product
    descriptions; Markdown was most of a cold build's reading); None for
    anything else."""
    html, was_list = [], False
    for block in _BLANK_LINES.split(text.strip("\n")):
        lines = block.split("\n")
        items = [_plain_line(line, 2) if line.startswith("- ") else None for line in lines]
        if None not in items:
            if was_list:
                return None  # lists apart by a blank line: one loose list
            html.append("<ul>\n" + "\n".join(f"<li>{item[2:]}</li>" for item in items)
                        + "\n</ul>")
            was_list = True
            continue
        paragraph = [_plain_line(line) for line in lines]
        if None in paragraph:
            return None
        html.append("<p>" + "\n".join(paragraph) + "</p>")
        was_list = False
    return "\n".join(html)


def render_markdown(text: str) -> str:
    plain = _plain_paragraphs(text)
    if plain is not None:
        return plain
    from . import markdown_safe  # imported only by a description that needs it

    return markdown_safe.render(text)


def plain_summary(rendered: str, limit: int = SUMMARY_LENGTH) -> str:
    """Plain text of the rendered body, cut at a word, at most ``limit`` chars."""
    text = " ".join(html.unescape(_TAG.sub(" ", rendered)).split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,.;:")
    return cut + "…"


def _message(text_key: str, /, **values) -> str:
    return texts()["periksa"][text_key].format(**values)


def parse(raw: bytes) -> Document:
    doc = Document()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        doc.issues.append(Issue(_message("file_not_utf8")))
        return doc
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not text.strip():
        doc.issues.append(Issue(_message("file_empty")))
        return doc

    body_start = len(lines)
    last = None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            if doc.meta or last is not None:
                body_start = number
                break
            continue  # blank lines before the metadata
        match = _KEY_LINE.match(line)
        continuation = _CONTINUATION.match(line)
        if continuation and last is not None:
            last.value = f"{last.value} {continuation['value'].strip()}".strip()
        elif match:
            key = match["key"].lower()
            if key in doc.meta:
                doc.issues.append(Issue(
                    _message("key_twice", key=match["key"], other=doc.meta[key].line),
                    number, match["key"], "warning",
                ))
            last = doc.meta[key] = Field(match["key"], match["value"].strip(), number)
        else:
            shown = clean_text(line, limit=QUOTE_LIMIT)  # a short, printable prefix only
            doc.issues.append(Issue(_message("line_not_metadata", text=shown), number))
            body_start = number - 1
            break
    if not doc.meta:
        doc.issues.append(Issue(_message("no_metadata"), 1))
        return doc

    doc.html = render_markdown("\n".join(lines[body_start:]))
    doc.summary = plain_summary(doc.html)
    return doc
