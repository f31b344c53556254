"""Render only what changed.

Each page's inputs (its own data, the sources of its template and everything
that template extends or includes, the site-wide settings and texts, and the
site-wide values the template actually uses) are hashed; a manifest in the
cache maps output path -> that hash. A page whose hash is unchanged and whose
file still exists is neither rendered nor written.
"""

import hashlib
import json
import os
import tempfile
from pathlib import Path

from jinja2 import Environment, TemplateNotFound, meta, nodes

from .cache import JsonCache
from .catalog import canonical_json

MANIFEST_VERSION = 1


def digest(value) -> str:
    return hashlib.sha256(canonical_json(value).encode("utf-8")).hexdigest()


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
    def __init__(self, output_path: Path, cache_folder: Path):
        self.output_path = Path(output_path)
        key = hashlib.sha256(str(self.output_path.resolve()).encode()).hexdigest()[:16]
        self.manifest = JsonCache(cache_folder / f"render-{key}.json", MANIFEST_VERSION)
        self.written: list[str] = []
        self.skipped = 0

    def write(self, relative: str, inputs_hash: str, render) -> bool:
        """Write ``render()`` to ``relative`` unless its inputs are unchanged."""
        target = self.output_path / relative
        if self.manifest.get(relative) == inputs_hash and target.exists():
            self.skipped += 1
            return False
        write_text(target, render())
        self.manifest.set(relative, inputs_hash)
        self.written.append(relative)
        return True

    def keep(self, relative: str) -> None:
        """Record a file written elsewhere (a photo), so it is not removed as stale."""
        self.manifest.set(relative, "")

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
    """Atomically replace ``target`` (a reader never sees half a file)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(text)
    os.chmod(temporary, 0o644)
    os.replace(temporary, target)
