"""Template fragments rendered once per key instead of once per page.

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
