"""The posters' QR codes are kept between builds: a rebuild makes none for
shops it already has, and the posters' bytes do not change."""

import json

import pytest

from warung_poster import posters

ROOT_THEME = posters.ROOT / "theme"


def _catalog(tmp_path, shops):
    path = tmp_path / "katalog.json"
    path.write_text(json.dumps({"site": {"url": "http://127.0.0.1:8000"}, "shops": {
        shop: {"id": shop, "title": shop.title(), "url": f"/toko/{shop}/", "whatsapp": "",
               "payment": ["cod"]} for shop in shops}}))
    return path


def _pages(output):
    return {p.relative_to(output): p.read_bytes() for p in sorted(output.rglob("*.html"))}


def test_a_rebuild_makes_qr_codes_only_for_new_shops(tmp_path, monkeypatch):
    cache = tmp_path / "cache" / "qr.json"
    catalog = _catalog(tmp_path, ["toko-a", "toko-b"])
    fresh = tmp_path / "fresh"
    posters.write_shop_posters(catalog, fresh, ROOT_THEME)  # no cache: the reference
    kept = tmp_path / "kept"
    posters.write_shop_posters(catalog, kept, ROOT_THEME, cache)
    assert set(json.loads(cache.read_text())["codes"]) == {
        "http://127.0.0.1:8000/toko/toko-a/", "http://127.0.0.1:8000/toko/toko-b/"}

    made = []
    monkeypatch.setattr(posters, "qr_svg", lambda url: made.append(url) or pytest.fail(url))
    again = tmp_path / "again"
    posters.write_shop_posters(catalog, again, ROOT_THEME, cache)
    assert made == []
    assert _pages(fresh) == _pages(kept) == _pages(again)

    monkeypatch.undo()
    posters.write_shop_posters(_catalog(tmp_path, ["toko-b"]), again, ROOT_THEME, cache)
    assert set(json.loads(cache.read_text())["codes"]) == {"http://127.0.0.1:8000/toko/toko-b/"}


def test_many_new_codes_are_made_on_every_core_and_equal_segno_s(tmp_path):
    urls = [f"http://127.0.0.1:8000/toko/toko-{n}/" for n in range(posters.QR_PARALLEL_FROM + 10)]
    codes = posters.QrCache(None)
    codes.make(urls)
    assert codes.changed and sorted(codes.codes) == sorted(urls)
    assert all(codes.codes[url] == posters.qr_svg.__wrapped__(url) for url in urls[::7])
