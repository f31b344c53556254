"""Sellers' Markdown rendered in full, for descriptions that are more than
plain paragraphs and simple lists (reader.py takes those without Markdown).
Raw HTML and embedded images are shown as text, and links may only be
http(s), mailto:, site paths or fragments: sellers' text is not trusted.

Imported only when a description needs it: most catalogs never do, and
importing Markdown and building its pipeline was a tenth of a cold build's
start-up, before the shop folders can be read on every core.
"""

import re

import markdown
from markdown.treeprocessors import Treeprocessor

_SAFE_LINK = re.compile(r"^(https?:|mailto:|/|#)", re.IGNORECASE)


class _SafeLinks(Treeprocessor):
    """Drop links whose target could run script (javascript:, data:)."""

    def run(self, root):
        for link in root.iter("a"):
            if not _SAFE_LINK.match(link.get("href", "")):
                link.attrib.pop("href", None)
            else:
                link.set("rel", "nofollow noopener")


def _markdown() -> markdown.Markdown:
    md = markdown.Markdown(output_format="html")
    # Raw HTML and embedded images are shown as text, never injected.
    md.preprocessors.deregister("html_block")
    for name in ("html", "image_link", "image_reference", "short_image_ref"):
        md.inlinePatterns.deregister(name)
    md.treeprocessors.register(_SafeLinks(md), "safe_links", 0)
    return md


_MD = _markdown()


def render(text: str) -> str:
    _MD.reset()
    return _MD.convert(text)
