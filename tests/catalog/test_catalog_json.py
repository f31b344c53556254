"""katalog.json and the private catalog are joined from each product's own
JSON (kept in its folder's snapshot): the bytes are exactly the canonical
JSON of the whole catalog, for a fresh load and for a restored one, and
the build id is the hash of the same data."""

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from warung_catalog import content as content_module
from warung_catalog.catalog import build_id, canonical_json

ROOT = Path(__file__).resolve().parents[2]
SITE = {"name": "Warung Online", "url": "http://127.0.0.1:8000"}


def _check(catalog) -> None:
    public = catalog.public_data(SITE)
    build, text = catalog.public_json(SITE)
    assert text == canonical_json(public)
    assert build == public["build"] == build_id(
        {key: value for key, value in public.items() if key != "build"})
    assert catalog.private_json(SITE, build) == canonical_json(catalog.private_data(SITE))


def test_joined_json_is_the_canonical_json_of_the_catalog(warung):
    fresh = content_module.load(ROOT / "content", warung)
    assert fresh.catalog is not None and len(fresh.catalog.products) > 10
    _check(fresh.catalog)
    restored = content_module.load(ROOT / "content", warung)  # from the snapshots
    _check(restored.catalog)
    assert restored.catalog.public_json(SITE) == fresh.catalog.public_json(SITE)


@settings(max_examples=500)
@given(st.text(alphabet="abcz09-", max_size=12) | st.text(max_size=12)
       | st.sampled_from(["kopi-arabika", "a--b", "-a", "a-", "Kopi", "kopi_arabika", "café"]))
def test_slug_is_python_slugify_s(text):
    from slugify import slugify

    from warung_catalog.catalog import slug
    assert slug(text) == slugify(text)
