"""The project's options: one ``WARUNG`` dict merged over these defaults.

Relative paths (``PRIVATE_CATALOG``, ``IMAGE_CACHE``) are relative to the
current directory, the project root when run through the Makefile.
"""

from pathlib import Path

from warung import rules

DEFAULTS = {
    "SHOPS_DIR": "shops",
    "PRIVATE_CATALOG": "private/katalog.json",
    "IMAGE_WIDTHS": [320, 640, 768, 1024],
    "IMAGE_CACHE": ".cache/images",
    "PER_PAGE": 24,
    "API_BASE": "/api",
    # Phone photos up to 200 MP: JPEGs are decoded at a reduced size, so
    # memory stays bounded; larger headers are refused (decompression bombs).
    "MAX_IMAGE_PIXELS": 200_000_000,
    # PNG, WebP and GIF cannot be decoded at a reduced size: a lower limit.
    "MAX_FULL_DECODE_PIXELS": 40_000_000,
    # The regency's product categories; an unknown one is an error.
    "CATEGORIES": list(rules.DEFAULT_CATEGORIES),
    # Prices, variant prices and delivery fees above this are refused.
    "MAX_PRICE": rules.DEFAULT_MAX_PRICE,
}

# Sitemaps need absolute URLs; a dev build (SITEURL "") points at the local run.
DEV_SITE_URL = "http://127.0.0.1:8000"


def merge(overrides: dict | None) -> dict:
    """DEFAULTS with ``overrides`` on top (a partial dict is fine)."""
    merged = {**DEFAULTS, **(overrides or {})}
    merged["IMAGE_WIDTHS"] = sorted({int(w) for w in merged["IMAGE_WIDTHS"]})
    merged["PER_PAGE"] = int(merged["PER_PAGE"])
    for key in ("MAX_IMAGE_PIXELS", "MAX_FULL_DECODE_PIXELS", "MAX_PRICE"):
        merged[key] = int(merged[key])
    merged["CATEGORIES"] = [" ".join(str(c).split()) for c in merged["CATEGORIES"]]
    merged["API_BASE"] = str(merged["API_BASE"]).rstrip("/")
    return merged


def limits(warung: dict) -> rules.Limits:
    """What the content rules take from the settings."""
    return rules.Limits(tuple(warung["CATEGORIES"]), warung["MAX_PRICE"])


def cache_dir(warung: dict) -> Path:
    """Where parsed Markdown and the render manifest live: IMAGE_CACHE's parent."""
    return Path(warung["IMAGE_CACHE"]).parent


def site_url(pelican_settings: dict) -> str:
    return (pelican_settings.get("SITEURL") or DEV_SITE_URL).rstrip("/")
