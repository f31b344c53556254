"""The private catalog (with seller emails), read from S3 and kept warm.

``CATALOG_BUCKET``/``CATALOG_KEY`` name the object. The parsed catalog is
cached in the process; its ETag is re-checked at most every ``RECHECK``
seconds with a conditional GET (``IfNoneMatch``), so a publish reaches warm
functions within half a minute and an unchanged catalog costs one 304.
"""

import json
import os
import threading
import time
from dataclasses import dataclass, field

from backend import warm

RECHECK = 30.0  # seconds between ETag checks
WARM = "catalog"


def _empty() -> dict:
    return {"catalog": None, "etag": None, "checked": 0.0, "source": None,
            "lock": threading.Lock()}


@dataclass(frozen=True)
class Catalog:
    """The private catalog indexed for ordering."""

    build: str
    site: dict
    shops: dict  # shop id -> shop dict (with "email")
    products: dict  # product id -> product dict
    raw: dict = field(repr=False, default_factory=dict)

    @classmethod
    def from_json(cls, data: dict) -> "Catalog":
        shops = data.get("shops") or {}
        products = {product["id"]: product for product in data.get("products") or []}
        return cls(build=str(data.get("build") or ""), site=data.get("site") or {},
                   shops=shops, products=products, raw=data)

    def product(self, product_id: str) -> dict | None:
        return self.products.get(product_id)

    def shop(self, shop_id: str) -> dict | None:
        return self.shops.get(shop_id)


def _source() -> tuple[str, str]:
    return os.environ["CATALOG_BUCKET"], os.environ.get("CATALOG_KEY") or "katalog.json"


def _fetch(bucket: str, key: str, etag: str | None):
    """(catalog, etag), or None when the stored ETag still matches."""
    from backend import clients

    s3 = clients.s3()
    kwargs = {"Bucket": bucket, "Key": key}
    if etag:
        kwargs["IfNoneMatch"] = etag
    try:
        result = s3.get_object(**kwargs)
    except Exception as err:  # botocore ClientError; 304 arrives as an error
        status = getattr(err, "response", {}).get("ResponseMetadata", {}).get("HTTPStatusCode")
        code = getattr(err, "response", {}).get("Error", {}).get("Code")
        if etag and (status == 304 or code in ("304", "NotModified")):
            return None
        raise
    data = json.loads(result["Body"].read())
    return Catalog.from_json(data), result.get("ETag")


def load(now: float | None = None) -> Catalog:
    """The current catalog: cached, re-validated at most every RECHECK seconds.

    When the re-check fails but a catalog is cached, the cached one is used
    (a brief S3 problem should not stop orders); a cold failure raises.
    """
    now = time.monotonic() if now is None else now
    source = _source()
    state = warm.slot(WARM, _empty)
    with state["lock"]:
        cached = state["catalog"]
        if cached is not None and state["source"] == source and now - state["checked"] < RECHECK:
            return cached
        etag = state["etag"] if state["source"] == source else None
        try:
            fetched = _fetch(*source, etag)
        except Exception:
            if cached is None or state["source"] != source:
                raise
            state["checked"] = now
            return cached
        if fetched is not None:
            state["catalog"], state["etag"] = fetched
            state["source"] = source
        state["checked"] = now
        return state["catalog"]


def reset() -> None:
    """Drop the cached catalog (a rebuild in the same process)."""
    warm.forget(WARM)
