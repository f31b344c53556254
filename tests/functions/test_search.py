"""The pure search engine: folding, AND matching, ranking, privacy, limits."""

import copy

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backend.catalog import Catalog
from search import engine
from tests.functions.conftest import TEST_CATALOG


@pytest.fixture
def index():
    return engine.Index.from_catalog(Catalog.from_json(copy.deepcopy(TEST_CATALOG)))


def ids(results):
    return [hit["id"] for hit in results.hits]


def test_fold_removes_case_accents_and_punctuation():
    assert engine.fold("  Kopi ARÁBIKA—Wanayasa!! ") == "kopi arabika wanayasa"
    assert engine.fold("Batik & Gerabah") == "batik gerabah"
    assert engine.fold("Café Crème") == "cafe creme"


def test_case_and_diacritic_insensitive(index):
    assert ids(index.search("kopi")) == ids(index.search("KÓPI"))
    assert "kopi-wanayasa/arabika" in ids(index.search("Arábika"))


def test_every_word_must_match(index):
    assert ids(index.search("kopi robusta")) == ["kopi-wanayasa/robusta"]
    assert ids(index.search("kopi batik")) == []


@pytest.mark.parametrize("query, expected", [
    ("pisang", "sayur-maniis/pisang"),          # title
    ("buah", "sayur-maniis/pisang"),            # tag
    ("pertanian", "sayur-maniis/pisang"),       # category
    ("maniis", "sayur-maniis/pisang"),          # shop title
    ("gerab", "batik-plered/pot-gerabah"),      # a word's start
])
def test_fields_that_match(index, query, expected):
    assert expected in ids(index.search(query))


def test_inside_a_word_does_not_match(index):
    assert index.search("sang").total == 0  # "pisang" does not start with it


def test_title_outranks_shop_and_sold_out_goes_last(index):
    # "kopi" is in the titles of all three coffees and in the shop's name.
    found = ids(index.search("kopi"))
    assert found[-1] == "kopi-wanayasa/luwak"  # habis
    assert set(found) == {"kopi-wanayasa/arabika", "kopi-wanayasa/robusta",
                          "kopi-wanayasa/luwak"}
    # "batik": title and tag of the cloth, only the shop name of the pot.
    assert ids(index.search("batik")) == ["batik-plered/kain-batik", "batik-plered/pot-gerabah"]


def test_results_carry_public_fields_only(index):
    for hit in index.search("a").hits + index.search("kopi").hits:
        assert "email" not in hit and "whatsapp" not in hit
        assert set(hit) == {"id", "title", "url", "price", "price_max", "unit", "category",
                            "category_url", "stock", "image", "shop", "shop_title",
                            "shop_url", "kecamatan"}
    arabika = index.search("arabika").hits[0]
    assert (arabika["price"], arabika["price_max"]) == (45000, 85000)
    assert arabika["shop_title"] == "Kopi Wanayasa"


def test_empty_and_long_queries(index):
    assert index.search("").total == 0 and index.search("   ").hits == []
    assert index.search(None).query == ""
    long = "kopi " * 100
    results = index.search(long)
    assert len(results.query) <= engine.MAX_QUERY
    assert results.words == ["kopi"] and results.total == 3


def test_suggestions_for_misspellings(index):
    results = index.search("kopu arabika")
    assert results.total == 0 and results.suggestions == ["kopi arabika"]
    assert index.search("zzzzqqq").suggestions == []


def test_limit_keeps_the_total():
    catalog = copy.deepcopy(TEST_CATALOG)
    base = catalog["products"][1]
    catalog["products"] = [{**base, "id": f"kopi-wanayasa/k{i}", "title": f"Kopi {i}"}
                           for i in range(engine.LIMIT + 7)]
    results = engine.Index.from_catalog(Catalog.from_json(catalog)).search("kopi")
    assert results.total == engine.LIMIT + 7 and len(results.hits) == engine.LIMIT


_WORDS = ["kopi", "KOPI", "arab", "batik", "gerabah", "pisang", "buah", "maniis", "é", "&", "x"]


@given(st.lists(st.sampled_from(_WORDS) | st.text(max_size=12), max_size=6).map(" ".join))
def test_every_hit_matches_every_word(query):
    index = engine.Index.from_catalog(Catalog.from_json(TEST_CATALOG))
    results = index.search(query)
    assert len(results.query) <= engine.MAX_QUERY
    assert results.total >= len(results.hits)
    products = {p["id"]: p for p in TEST_CATALOG["products"]}
    for hit in results.hits:
        product = products[hit["id"]]
        shop = TEST_CATALOG["shops"][product["shop"]]
        words = engine.fold(" ".join([product["title"], shop["title"], product["category"],
                                      *product["tags"]])).split()
        for word in results.words:
            assert any(w.startswith(word) for w in words), (word, hit["id"])
