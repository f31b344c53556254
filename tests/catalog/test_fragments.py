"""warung_catalog.fragments: a fragment is rendered once per key, again after clear()."""

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
