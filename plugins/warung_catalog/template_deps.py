"""What a page's template depends on: the sources of the template and of
everything it extends, includes or imports, and the context names (and
``name.attribute`` pairs) those templates read. A page's inputs hash
(rendering.py) is built from this, so a page is re-rendered exactly when
something it can show has changed.

Finding the names a template reads compiles it, which costs more than a
one-product rebuild's rendering; the results are kept in ``templates.json``
under the cache, keyed by the sources of every template the environment can
load, so any template edit recomputes them.
"""

from pathlib import Path

from jinja2 import Environment, TemplateNotFound, meta, nodes

from .cache import JsonCache
from .catalog import digest


class TemplateDeps:
    """What a template (with everything it extends/includes) reads from its context."""

    def __init__(self, env: Environment, cache_folder: Path | None = None):
        self.env = env
        self._parsed: dict[str, tuple[str, nodes.Template] | None] = {}
        self._closures: dict[str, tuple[str, frozenset, frozenset]] = {}
        self._member_reads: dict[str, tuple[frozenset, frozenset]] = {}
        self._cache = self._key = None
        if cache_folder is not None:
            try:
                names = sorted(env.list_templates())
            except TypeError:  # a loader that cannot list its templates: no cache
                return
            self._key = digest([[n, env.loader.get_source(env, n)[0]] for n in names])
            self._cache = JsonCache(Path(cache_folder) / "templates.json", 1)

    def save(self) -> None:
        if self._cache is not None:
            self._cache.save()

    def _parse(self, name: str):
        if name not in self._parsed:
            try:
                source, _, _ = self.env.loader.get_source(self.env, name)
                self._parsed[name] = (source, self.env.parse(source))
            except TemplateNotFound:
                self._parsed[name] = None
        return self._parsed[name]

    def members(self, name: str) -> list[str]:
        """The template and every template it extends, imports or includes
        (those that exist)."""
        return [member for member in self._closure_names(name) if self._parse(member)]

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
            cached = self._cache.get(f"{self._key}:{name}") if self._cache else None
            if cached is not None:
                self._closures[name] = (cached[0], frozenset(cached[1]),
                                        frozenset(map(tuple, cached[2])))
            else:
                self._closures[name] = self._compute(name)
                if self._cache is not None:
                    sources, names, attributes = self._closures[name]
                    self._cache.set(f"{self._key}:{name}",
                                    [sources, sorted(names), sorted(attributes)])
        return self._closures[name]

    def _compute(self, name: str) -> tuple[str, frozenset, frozenset]:
        sources, names, attributes = [], set(), set()
        for member in self._closure_names(name):
            parsed = self._parse(member)
            if parsed is None:
                continue
            sources.append([member, parsed[0]])
            member_names, member_attributes = self._reads(member)
            names |= member_names
            attributes |= member_attributes
        return digest(sources), frozenset(names), frozenset(attributes)

    def _reads(self, member: str) -> tuple[frozenset, frozenset]:
        """The names and (name, attribute) pairs one template reads (each
        template once: the page templates share most of theirs)."""
        if member not in self._member_reads:
            tree = self._parse(member)[1]
            attributes = {(node.node.name, node.attr) for node in tree.find_all(nodes.Getattr)
                          if isinstance(node.node, nodes.Name)}
            self._member_reads[member] = (frozenset(meta.find_undeclared_variables(tree)),
                                          frozenset(attributes))
        return self._member_reads[member]
