"""warung_catalog.fragments: a fragment is rendered once per key, again after clear(); Keys."""

from warung_catalog.fragments import Once


def test_a_fragment_is_rendered_once_per_key_and_per_build():
    calls = []
    once = Once()

    def render(shop, kind="buyer"):
        calls.append(shop)
        return f"<fieldset>{shop} {kind}</fieldset>"

    assert once(("buyer_fields", "a"), render, "a") == once(("buyer_fields", "a"), render, "a")
    assert once(("buyer_fields", "b"), render, "b", kind="x") == "<fieldset>b x</fieldset>"
    assert calls == ["a", "b"]
    once.clear()  # the next build
    once(("buyer_fields", "a"), render, "a")
    assert calls == ["a", "b", "a"]


def test_keys_read_as_attributes_and_stay_the_same_dict():
    import json

    from jinja2 import Environment

    from warung_catalog.fragments import Keys, with_keys
    texts = {"nav": {"home": "Beranda", "items": "Barang"}, "list": [{"a": 1}], "n": 2}
    keys = with_keys(texts)
    assert keys == texts and json.dumps(keys) == json.dumps(texts)
    assert isinstance(keys["list"][0], Keys)
    template = Environment().from_string(
        "{{ T.nav.home }} {{ T.nav['items'] }} {{ T.list[0].a }} {{ T.n }} {{ T.nav.missing }}|")
    assert template.render(T=keys) == "Beranda Barang 1 2 |"
    # A key named like a dict method is a key only: the method still wins.
    assert callable(Environment().getattr(keys.nav, "items"))
