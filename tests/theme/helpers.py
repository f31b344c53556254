"""A small HTML tree for the theme tests (stdlib html.parser, no extra package)."""

import gzip
import re
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
        "source", "track", "wbr"}


class Element:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children, self.text = [], ""

    def get(self, name, default=None):
        return self.attrs.get(name, default)

    @property
    def classes(self):
        return (self.get("class") or "").split()

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def iter(self):
        for child in self.children:
            yield child
            yield from child.iter()

    def find_all(self, tag=None, **attrs):
        return [e for e in self.iter() if (tag is None or e.tag == tag)
                and all(e.get(k.rstrip("_")) == v for k, v in attrs.items())]

    def find(self, tag=None, **attrs):
        found = self.find_all(tag, **attrs)
        return found[0] if found else None

    def __repr__(self):
        return f"<{self.tag} {self.attrs}>"


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {}, None)
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {k: ("" if v is None else v) for k, v in attrs}, self.stack[-1])
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        for element in self.stack[1:]:
            element.text += data


def parse(html: str) -> Element:
    builder = _Builder()
    builder.feed(html)
    builder.close()
    return builder.root


def gz(data) -> int:
    """Size in bytes after gzip -9 (what a CDN sends)."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    return len(gzip.compress(data, 9, mtime=0))


def words(text: str) -> str:
    return " ".join(text.split())


def css_rules(css: str) -> dict[str, str]:
    """selector -> declarations, for the flat (non-nested) rules of a stylesheet."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    rules = {}
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        for selector in selectors.split(","):
            rules[selector.strip()] = rules.get(selector.strip(), "") + body
    return rules


def srcset_candidates(srcset: str) -> list[tuple[str, int]]:
    """'/a-320.webp 320w, /a-640.webp 640w' -> [('/a-320.webp', 320), ...]"""
    out = []
    for part in srcset.split(","):
        url, _, width = part.strip().partition(" ")
        out.append((url, int(width.strip().rstrip("w") or 0)))
    return out


def labelled(doc: Element, control: Element) -> str:
    """The text of the control's label(s), '' when it has none."""
    texts = [a.text for a in control.ancestors() if a.tag == "label"]
    if control.get("id"):
        texts += [label.text for label in doc.find_all("label") if label.get("for") == control.get("id")]
    return words(" ".join(texts))
