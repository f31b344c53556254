"""Product search over the catalog (pure: no AWS, no HTML).

- Text is folded for matching: lower case, accents removed (``é`` → ``e``),
  anything but letters and digits is a word break.
- Every query word must match (AND): a word matches when it starts a word of
  the product's title, shop title, category or tags (``kop`` finds ``Kopi``).
- Ranking is simple and predictable: a word weighs more in the title than in
  the tags, the category or the shop name, and more when it is the whole
  word; products whose title starts with the query come first; sold-out
  products go after the others; ties go by title.
- Results carry public fields only, chosen one by one: never a seller's
  email or anything else the private catalog adds.
"""

import difflib
import re
import unicodedata
from dataclasses import dataclass, field

MAX_QUERY = 100  # characters; longer queries are cut
MAX_WORDS = 8
LIMIT = 48  # results returned (the total is still counted)

# Weight of a query word found in each field: (whole word, prefix).
WEIGHTS = {"title": (10, 6), "tags": (5, 3), "category": (4, 2), "shop": (3, 2)}
TITLE_START_BONUS = 5

_NON_WORD = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """Lower-case, accent-free text with single spaces between words."""
    decomposed = unicodedata.normalize("NFKD", str(text or "").casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", plain).strip()


def clean_query(raw: str | None) -> str:
    """The query as shown back to the buyer: trimmed, spaces collapsed, capped."""
    return " ".join(str(raw or "").split())[:MAX_QUERY].strip()


def query_words(query: str) -> list[str]:
    """The distinct folded words of ``query`` (at most MAX_WORDS)."""
    return list(dict.fromkeys(fold(query).split()))[:MAX_WORDS]


@dataclass(frozen=True)
class Entry:
    product: dict  # public fields only (see _public)
    fields: dict  # field name -> tuple of folded words
    title: str  # folded title, for the "starts with" bonus and ties


@dataclass
class Results:
    query: str
    words: list
    total: int
    hits: list  # public product dicts, best first, at most LIMIT
    suggestions: list = field(default_factory=list)  # corrected queries when nothing matched


def _price_range(product: dict) -> tuple[int, int]:
    prices = [int(v["price"]) for v in product.get("variants") or []] or [int(product["price"])]
    return min(prices), max(prices)


def _public(product: dict, shop: dict) -> dict:
    low, high = _price_range(product)
    return {
        "id": product["id"],
        "title": product["title"],
        "url": product["url"],
        "price": low,
        "price_max": high,
        "unit": product.get("unit") or "",
        "category": product.get("category") or "",
        "category_url": product.get("category_url") or "",
        "stock": product.get("stock") or "tersedia",
        "image": product.get("image") or "",
        "shop": product["shop"],
        "shop_title": shop.get("title") or product["shop"],
        "shop_url": shop.get("url") or "",
        "kecamatan": shop.get("kecamatan") or "",
    }


class Index:
    """The catalog's products prepared for matching."""

    def __init__(self, shops: dict, products):
        self.entries = []
        vocabulary = set()
        for product in products:
            shop = shops.get(product.get("shop")) or {}
            fields = {
                "title": tuple(fold(product.get("title")).split()),
                "tags": tuple(w for tag in product.get("tags") or [] for w in fold(tag).split()),
                "category": tuple(fold(product.get("category")).split()),
                "shop": tuple(fold(shop.get("title") or product.get("shop")).split()),
            }
            for words in fields.values():
                vocabulary.update(words)
            self.entries.append(Entry(_public(product, shop), fields, fold(product.get("title"))))
        self.vocabulary = sorted(vocabulary)
        self.categories = sorted({(e.product["category"], e.product["category_url"])
                                  for e in self.entries if e.product["category"]})

    @classmethod
    def from_catalog(cls, catalog) -> "Index":
        """From a ``backend.catalog.Catalog`` (or any object with shops/products dicts)."""
        return cls(catalog.shops, catalog.products.values())

    def _score(self, entry: Entry, words: list[str], phrase: str) -> int:
        total = 0
        for word in words:
            best = 0
            for name, (whole, prefix) in WEIGHTS.items():
                for candidate in entry.fields[name]:
                    if candidate == word:
                        best = max(best, whole)
                    elif candidate.startswith(word):
                        best = max(best, prefix)
            if not best:
                return 0
            total += best
        if entry.title.startswith(phrase):
            total += TITLE_START_BONUS
        return total

    def suggest(self, words: list[str]) -> list[str]:
        """A corrected query when some words are close to catalog words."""
        fixed, changed = [], False
        for word in words:
            if any(v.startswith(word) for v in self.vocabulary):
                fixed.append(word)
                continue
            close = difflib.get_close_matches(word, self.vocabulary, n=1, cutoff=0.75)
            if not close:
                return []
            fixed.append(close[0])
            changed = True
        return [" ".join(fixed)] if changed else []

    def search(self, raw_query: str | None, limit: int = LIMIT) -> Results:
        query = clean_query(raw_query)
        words = query_words(query)
        if not words:
            return Results(query, [], 0, [])
        phrase = " ".join(words)
        scored = []
        for entry in self.entries:
            score = self._score(entry, words, phrase)
            if score:
                sold_out = entry.product["stock"] == "habis"
                scored.append((-score, sold_out, entry.title, entry.product["id"], entry))
        scored.sort(key=lambda item: item[:4])
        hits = [item[-1].product for item in scored[:limit]]
        suggestions = [] if scored else self.suggest(words)
        return Results(query, words, len(scored), hits, suggestions)
