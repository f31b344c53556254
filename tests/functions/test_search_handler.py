"""The search handler through real Function URL events, the catalog read
from (moto's) S3: HTML in the theme's look, JSON on request, escaping."""

import json

from search.handler import handler


def test_html_results_page(aws, events):
    response = handler(events.get("/api/search", {"q": "kopi"}), None)
    assert response["statusCode"] == 200
    assert response["headers"]["content-type"] == "text/html; charset=utf-8"
    page = response["body"]
    assert '<html lang="id">' in page and 'href="/theme/css/site.css"' in page
    assert 'class="brand" href="/"' in page and 'href="/keranjang/"' in page
    assert "3 produk ditemukan" in page
    assert 'href="/toko/kopi-wanayasa/robusta/"' in page
    assert "Rp30.000" in page and "Rp45.000 – Rp85.000" in page
    assert "Kopi Wanayasa" in page and "Stok habis" in page
    assert 'value="kopi"' in page
    assert "@" not in page  # no seller email


def test_json_by_accept_or_format(aws, events):
    for event in (events.get("/api/search", {"q": "batik"}, headers={"accept": "application/json"}),
                  events.get("/api/search", {"q": "batik", "format": "json"})):
        response = handler(event, None)
        assert response["statusCode"] == 200
        assert response["headers"]["content-type"].startswith("application/json")
        data = json.loads(response["body"])
        assert data["query"] == "batik" and data["total"] == 2
        assert [r["id"] for r in data["results"]] == ["batik-plered/kain-batik",
                                                     "batik-plered/pot-gerabah"]
        assert "email" not in response["body"]


def test_no_results_page_with_suggestions(aws, events):
    page = handler(events.get("/api/search", {"q": "kopu"}), None)["body"]
    assert "Tidak ada hasil untuk “kopu”" in page
    assert 'href="/api/search?q=kopi"' in page
    assert 'href="/kategori/minuman/"' in page  # categories as suggestions


def test_empty_query_is_the_form(aws, events):
    response = handler(events.get("/api/search"), None)
    assert response["statusCode"] == 200
    assert '<form class="search big"' in response["body"] and "ditemukan" not in response["body"]


def test_query_is_escaped(aws, events):
    page = handler(events.get("/api/search", {"q": '<script>alert("x")</script>'}), None)["body"]
    assert "<script>alert" not in page and "&lt;script&gt;" in page


def test_methods_and_paths(aws, events):
    post = handler(events.raw("POST", "/api/search", body="q=kopi"), None)
    assert post["statusCode"] == 405 and post["headers"]["allow"] == "GET, HEAD"
    assert handler(events.get("/api/search/lain"), None)["statusCode"] == 404
    head = handler(events.raw("HEAD", "/api/search", query={"q": "kopi"}), None)
    assert head["statusCode"] == 200 and head["body"] == ""


def test_catalog_updates_reach_the_index(aws, events, test_catalog, tmp_path):
    data = json.loads(test_catalog.path.read_text())
    data["products"].append({**data["products"][1], "id": "kopi-wanayasa/lemon",
                             "title": "Kopi Lemon Segar", "url": "/toko/kopi-wanayasa/lemon/"})
    assert json.loads(handler(events.get("/api/search", {"q": "lemon", "format": "json"}),
                              None)["body"])["total"] == 0
    aws.upload_catalog(data, tmp_path)
    found = json.loads(handler(events.get("/api/search", {"q": "lemon", "format": "json"}),
                               None)["body"])
    assert [r["id"] for r in found["results"]] == ["kopi-wanayasa/lemon"]


def test_unreachable_catalog_is_a_503(aws, events, monkeypatch):
    from backend import warm

    warm.reset()
    monkeypatch.setenv("CATALOG_BUCKET", "no-such-bucket")
    response = handler(events.get("/api/search", {"q": "kopi"}), None)
    assert response["statusCode"] == 503
    assert "Pencarian sedang tidak bisa dipakai" in response["body"]
