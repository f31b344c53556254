"""The catalog's data model and what is derived from it: ``katalog.json``
(public), the private catalog (with seller emails), the search index and
the build id.

Objects carry exactly the attributes the templates use (docs/ARCHITECTURE.md,
"Template context"); URLs are site-absolute.
"""

import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from slugify import slugify

from warung.phone import display_mobile

NEWEST_COUNT = 12


# Already a slug: python-slugify gives it back unchanged.
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@lru_cache(maxsize=4096)
def slug(text: str) -> str:
    """python-slugify, remembered: categories repeat across thousands of
    products. File names are mostly slugs already (``kopi-arabika.md``):
    those are taken as they are, without slugify's ~40 µs of work."""
    return text if _SLUG.fullmatch(text) else slugify(text)


@dataclass(eq=False)
class Image:
    src: str  # JPEG at the middle width
    width: int
    height: int
    srcset_webp: str
    srcset_jpeg: str
    alt: str
    thumbnail: str  # smallest JPEG, for listings, katalog.json and search

    @classmethod
    def from_plan(cls, plan, alt: str) -> "Image":
        jpeg, webp = plan.jpeg(), plan.webp()
        middle = jpeg[len(jpeg) // 2]
        return cls(
            src=middle.url, width=middle.width, height=middle.height,
            srcset_webp=", ".join(f"{o.url} {o.width}w" for o in webp),
            srcset_jpeg=", ".join(f"{o.url} {o.width}w" for o in jpeg),
            alt=alt, thumbnail=jpeg[0].url,
        )

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass(eq=False)
class Shop:
    id: str
    title: str
    kecamatan: str
    whatsapp: str
    email: str
    address: str = ""
    payment: list = field(default_factory=lambda: ["cod"])
    delivery: list = field(default_factory=lambda: ["ambil"])
    delivery_fee: dict | None = None
    permits: dict = field(default_factory=dict)
    logo: Image | None = None
    content: str = ""
    summary: str = ""
    products: list = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"/toko/{self.id}/"

    @property
    def whatsapp_display(self) -> str:
        return display_mobile(self.whatsapp)

    def public_dict(self) -> dict:
        return {
            "id": self.id, "title": self.title, "url": self.url,
            "kecamatan": self.kecamatan, "address": self.address,
            "whatsapp": self.whatsapp, "payment": list(self.payment),
            "delivery": list(self.delivery), "delivery_fee": self.delivery_fee,
            "permits": dict(self.permits),
        }

    def page_dict(self) -> dict:
        """Everything a page can show about the shop itself (not its products)."""
        return {**self.public_dict(), "content": self.content, "summary": self.summary,
                "logo": self.logo.to_dict() if self.logo else None}

    @cached_property
    def fingerprint(self) -> str:
        return digest(self.page_dict())


@dataclass(eq=False)
class Product:
    slug: str
    shop: Shop
    title: str
    price: int
    category: str
    images: list
    unit: str = ""
    stock: str = "tersedia"
    variants: list = field(default_factory=list)
    tags: list = field(default_factory=list)
    content: str = ""
    summary: str = ""
    sort_date: float = 0.0  # for "newest" on the home page

    @property
    def id(self) -> str:
        return f"{self.shop.id}/{self.slug}"

    @property
    def url(self) -> str:
        return f"/toko/{self.shop.id}/{self.slug}/"

    @cached_property
    def category_slug(self) -> str:
        return slug(self.category)

    @property
    def category_url(self) -> str:
        return f"/kategori/{self.category_slug}/"

    @property
    def image(self) -> Image:
        return self.images[0]

    def public_dict(self) -> dict:
        """The product in ``katalog.json`` (computed once: a folder's snapshot
        keeps it, so an unchanged product costs nothing on a rebuild)."""
        return self._public

    @cached_property
    def _public(self) -> dict:
        return {
            "id": self.id, "shop": self.shop.id, "title": self.title, "url": self.url,
            "price": self.price, "unit": self.unit, "category": self.category,
            "category_url": self.category_url, "stock": self.stock,
            "variants": [dict(v) for v in self.variants], "tags": list(self.tags),
            "image": self.image.thumbnail,
        }

    @cached_property
    def public_json(self) -> str:
        """``canonical_json(public_dict())``, kept like it: katalog.json is
        joined from these instead of encoding 10,000 products every build."""
        return canonical_json(self._public)

    def __getstate__(self) -> dict:
        """Pickled (a folder's snapshot) without katalog.json's dict: its
        JSON and the fingerprint are kept; the dict is made again if asked for."""
        state = dict(self.__dict__)
        state.pop("_public", None)
        return state

    def page_dict(self) -> dict:
        """Everything a page can show about the product, including the shop
        details listings print beside it."""
        return {**self.public_dict(), **self._page_only()}

    def _page_only(self) -> dict:
        return {"content": self.content, "summary": self.summary,
                "images": [i.to_dict() for i in self.images],
                "shop_info": [self.shop.title, self.shop.kecamatan, self.shop.url]}

    @cached_property
    def fingerprint(self) -> str:
        """A digest of everything ``page_dict()`` holds: katalog.json's part
        as already encoded, then the rest as the ``repr`` of a tuple of
        strings (unambiguous, and a third of the cost of encoding it as JSON)."""
        shop = self.shop
        rest = (self.content, self.summary, [tuple(vars(image).values()) for image in self.images],
                shop.title, shop.kecamatan, shop.url)
        return hashlib.sha256((self.public_json + repr(rest)).encode("utf-8")).hexdigest()


@dataclass(eq=False)
class Category:
    name: str
    slug: str
    products: list = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"/kategori/{self.slug}/"

    @property
    def count(self) -> int:
        return len(self.products)

    def __str__(self) -> str:
        return self.name

    def summary_dict(self) -> dict:
        return {"name": self.name, "slug": self.slug, "url": self.url, "count": self.count}


class Catalog:
    def __init__(self, shops: list[Shop]):
        self.shops = sorted(shops, key=lambda s: s.title.casefold())
        for shop in self.shops:
            shop.products.sort(key=lambda p: (p.title.casefold(), p.slug))
        self.products = [p for shop in self.shops for p in shop.products]
        by_slug: dict[str, Category] = {}
        for product in self.products:
            category = by_slug.setdefault(product.category_slug,
                                          Category(product.category, product.category_slug))
            category.products.append(product)
        for category in by_slug.values():
            category.products.sort(key=lambda p: (p.title.casefold(), p.id))
        self.categories = sorted(by_slug.values(), key=lambda c: c.name.casefold())
        self.newest = sorted(self.products, key=lambda p: (-p.sort_date, p.id))[:NEWEST_COUNT]

    def public_data(self, site: dict) -> dict:
        data = {
            "site": site,
            "shops": {s.id: s.public_dict() for s in self.shops},
            "products": [p.public_dict() for p in self.products],
        }
        return {"build": build_id(data), **data}

    def private_data(self, site: dict, public: dict | None = None) -> dict:
        """``public`` (``public_data(site)``, when already made) plus seller emails."""
        public = public or self.public_data(site)
        data = {**public, "shops": {id_: dict(shop) for id_, shop in public["shops"].items()}}
        for shop in self.shops:
            data["shops"][shop.id]["email"] = shop.email
        return data

    def _json(self, shops: dict, site: dict, build: str | None) -> str:
        """``canonical_json`` of {build (unless None), products, shops, site}
        (keys in sorted order), joined from each product's own JSON."""
        body = ('"products":[' + ",".join(p.public_json for p in self.products) + '],"shops":'
                + canonical_json(shops) + ',"site":' + canonical_json(site) + "}")
        return "{" + body if build is None else '{"build":' + canonical_json(build) + "," + body

    def public_json(self, site: dict) -> tuple[str, str]:
        """(build id, katalog.json's text): the same bytes as
        ``canonical_json(public_data(site))``, with one encoding pass."""
        data = self._json({s.id: s.public_dict() for s in self.shops}, site, None)
        build = hashlib.sha256(data.encode("utf-8")).hexdigest()[:12]
        return build, '{"build":' + canonical_json(build) + "," + data[1:]

    def private_json(self, site: dict, build: str) -> str:
        """The same bytes as ``canonical_json(private_data(site))``."""
        shops = {s.id: {**s.public_dict(), "email": s.email} for s in self.shops}
        return self._json(shops, site, build)

    def search_index(self) -> list[list]:
        return [[p.id, p.title, p.url, p.price, p.shop.title, p.category, p.image.thumbnail]
                for p in self.products]


def canonical_json(data) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def digest(value) -> str:
    """sha256 of the canonical JSON of ``value``."""
    return hashlib.sha256(canonical_json(value).encode("utf-8")).hexdigest()


def build_id(data: dict) -> str:
    """First 12 hex of the sha256 of the catalog data."""
    return hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()[:12]
