"""Cheaper templates at 10,000 pages: fragments rendered once per key
instead of once per page (``Once``), and texts whose keys read as attributes
without a failed attribute lookup first (``Keys``).

The buyer's part of the order form is the same on every product page of a
shop, and was a quarter of rendering a product page (0.26 ms of ~1 ms, so
about 1.3 s of a cold 10,000-product build on two cores). Templates call
``once(key, macro, *args)``; the key must name everything the fragment
shows (a shop's ``fingerprint`` covers its data), and the generator clears
the fragments before each build, as the texts may differ between builds of
a long-lived builder.
"""


class Once:
    def __init__(self):
        self._rendered: dict = {}

    def __call__(self, key, render, *args, **kwargs):
        if key not in self._rendered:
            self._rendered[key] = render(*args, **kwargs)
        return self._rendered[key]

    def clear(self) -> None:
        self._rendered.clear()


class Keys(dict):
    """A dict whose keys templates read as attributes (``T.nav.home``).

    Jinja looks an attribute up first and the key only after that fails: with
    a plain dict, every ``T.a.b`` paid for two failed lookups, about a fifth
    of rendering a product page. Here each key is an attribute too, so the
    first lookup finds it. A key named like a dict method (``items``) stays
    a key only, read as with a plain dict. Made once, read-only by convention."""

    def __init__(self, items):
        super().__init__(items)
        self.__dict__.update((key, value) for key, value in self.items()
                             if isinstance(key, str) and not hasattr(dict, key))


def with_keys(value):
    """``value`` with every dict in it (in lists too) a ``Keys``."""
    if isinstance(value, dict):
        return Keys({key: with_keys(item) for key, item in value.items()})
    if isinstance(value, list):
        return [with_keys(item) for item in value]
    return value
