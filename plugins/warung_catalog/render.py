"""Render only what changed.

Each page's inputs (its own data, the sources of its template and everything
that template extends or includes, the site-wide settings and texts, and the
site-wide values the template actually uses) are hashed; a manifest in the
cache maps output path -> that hash. A page whose hash is unchanged and whose
file still exists is neither rendered nor written.

The build id is the one input that changes with every catalog edit, and the
theme prints it in every order form. It is left out of the hash; a page that
printed an older build id gets the new one swapped in (a string replace, no
rendering), so editing one product does not re-render 10,000 pages.
"""

import hashlib
import os
import tempfile
from pathlib import Path

from jinja2 import Environment, TemplateNotFound, meta, nodes

from .cache import JsonCache
from .catalog import digest

MANIFEST_VERSION = 2


class TemplateDeps:
    """What a template (with everything it extends/includes) reads from its context."""

    def __init__(self, env: Environment):
        self.env = env
        self._parsed: dict[str, tuple[str, nodes.Template] | None] = {}
        self._closures: dict[str, tuple[str, frozenset, frozenset]] = {}

    def _parse(self, name: str):
        if name not in self._parsed:
            try:
                source, _, _ = self.env.loader.get_source(self.env, name)
                self._parsed[name] = (source, self.env.parse(source))
            except TemplateNotFound:
                self._parsed[name] = None
        return self._parsed[name]

    def _closure_names(self, name: str) -> list[str]:
        seen, todo = [], [name]
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.append(current)
            parsed = self._parse(current)
            if parsed is None:
                continue
            for referenced in meta.find_referenced_templates(parsed[1]):
                if referenced is None:  # a computed name: depend on every template
                    todo.extend(self.env.list_templates())
                else:
                    todo.append(referenced)
        return sorted(seen)

    def closure(self, name: str) -> tuple[str, frozenset, frozenset]:
        """(hash of all sources, names used, (name, attribute) pairs used)."""
        if name not in self._closures:
            sources, names, attributes = [], set(), set()
            for member in self._closure_names(name):
                parsed = self._parse(member)
                if parsed is None:
                    continue
                source, tree = parsed
                sources.append([member, source])
                names |= meta.find_undeclared_variables(tree)
                for node in tree.find_all(nodes.Getattr):
                    if isinstance(node.node, nodes.Name):
                        attributes.add((node.node.name, node.attr))
            self._closures[name] = (digest(sources), frozenset(names), frozenset(attributes))
        return self._closures[name]


class IncrementalWriter:
    """The manifest of one output folder: output path -> [inputs hash, build id
    written into the page ("" when the page does not show it)]."""

    def __init__(self, output_path: Path, cache_folder: Path):
        self.output_path = Path(output_path)
        key = hashlib.sha256(str(self.output_path.resolve()).encode()).hexdigest()[:16]
        self.manifest = JsonCache(cache_folder / f"render-{key}.json", MANIFEST_VERSION)
        self.written: list[str] = []
        self.refreshed = 0
        self.skipped = 0

    def needs(self, relative: str, inputs_hash: str, build: str) -> str | None:
        """None when the page is unchanged; "" when it must be rendered; the old
        build id when only that changed in it (swap it, no rendering)."""
        known = self.manifest.get(relative)
        if not known or known[0] != inputs_hash or not (self.output_path / relative).exists():
            return ""
        if known[1] and known[1] != build:  # the page prints an older build id
            return known[1]
        self.skipped += 1
        return None

    def record(self, relative: str, inputs_hash: str, build: str, refreshed=False) -> None:
        """Remember that ``relative`` was just written from ``inputs_hash``
        (``build``: the build id the page prints, or "")."""
        self.manifest.set(relative, [inputs_hash, build])
        if refreshed:
            self.refreshed += 1
        else:
            self.written.append(relative)

    def keep(self, relative: str) -> None:
        """Record a file written elsewhere (a photo), so it is not removed as stale."""
        self.manifest.set(relative, ["", ""])

    def remove_stale(self) -> list[str]:
        """Delete files an earlier build wrote that this build no longer makes
        (a removed product must not stay online)."""
        removed = []
        for relative in self.manifest.unused():
            target = self.output_path / relative
            if target.is_file():
                target.unlink()
                removed.append(relative)
        return removed

    def save(self) -> None:
        self.manifest.save()


def write_text(target: Path, text: str) -> None:
    """Write a page in place (as Pelican does): the cheapest for 10,000 pages."""
    try:
        handle = open(target, "w", encoding="utf-8")
    except FileNotFoundError:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle = open(target, "w", encoding="utf-8")
    with handle:
        handle.write(text)


def write_atomic(target: Path, text: str) -> None:
    """Replace ``target`` so that a reader never sees half a file (the catalogs,
    which the local server and the functions read while a build runs)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(text)
    os.chmod(temporary, 0o644)
    os.replace(temporary, target)
