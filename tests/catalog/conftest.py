"""Fixtures for the catalog plugin's tests (helpers live in helpers.py)."""

from pathlib import Path

import pytest


@pytest.fixture
def content(tmp_path) -> Path:
    """An empty content tree: tmp_path/content/shops/."""
    shops = tmp_path / "content" / "shops"
    shops.mkdir(parents=True)
    return tmp_path / "content"


@pytest.fixture
def warung(tmp_path) -> dict:
    """WARUNG settings with the caches inside tmp_path."""
    from warung_catalog.settings import merge
    return merge({"IMAGE_CACHE": str(tmp_path / "cache" / "images"),
                  "PRIVATE_CATALOG": str(tmp_path / "private" / "katalog.json")})
