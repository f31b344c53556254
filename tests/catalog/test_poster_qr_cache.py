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


def test_many_posters_are_made_on_every_core_with_their_codes(tmp_path):
    """(The codes equal segno's own choice of mask: test_qr_masking.py.)"""
    shops = [f"toko-{n}" for n in range(posters.POSTERS_PARALLEL_FROM + 10)]
    cache = tmp_path / "cache" / "qr.json"
    started = posters.ShopPosters(_catalog(tmp_path, shops), tmp_path / "out", ROOT_THEME, cache)
    assert started.rendering.children  # the workers are making them
    assert started.write() == len(shops)
    codes = json.loads(cache.read_text())["codes"]
    for shop in shops[::7]:
        url = f"http://127.0.0.1:8000/toko/{shop}/"
        assert codes[url] == posters.qr_svg.__wrapped__(url)
        assert codes[url] in (tmp_path / "out" / "toko" / shop / "poster" / "index.html"
                              ).read_text()
    assert sorted(codes) == sorted(f"http://127.0.0.1:8000/toko/{shop}/" for shop in shops)


def test_a_rebuild_renders_only_the_posters_whose_shop_changed(tmp_path, monkeypatch):
    cache = tmp_path / "cache" / "qr.json"
    output = tmp_path / "out"
    posters.write_shop_posters(_catalog(tmp_path, ["toko-a", "toko-b"]), output, ROOT_THEME, cache)
    before = _pages(output)
    rendered = []
    real_render = posters.render
    monkeypatch.setattr(posters, "render", lambda *a, **k: rendered.append(k["poster"]["id"])
                        or real_render(*a, **k))
    posters.write_shop_posters(_catalog(tmp_path, ["toko-a", "toko-b"]), output, ROOT_THEME, cache)
    assert rendered == [] and _pages(output) == before

    catalog = _catalog(tmp_path, ["toko-a", "toko-b"])
    data = json.loads(catalog.read_text())
    data["shops"]["toko-b"]["title"] = "Toko Baru"
    catalog.write_text(json.dumps(data))
    posters.write_shop_posters(catalog, output, ROOT_THEME, cache)
    assert rendered == ["toko-b"]
    assert "Toko Baru" in (output / "toko" / "toko-b" / "poster" / "index.html").read_text()

    monkeypatch.setattr(posters, "_templates_stamp", lambda theme: "a template changed")
    (output / "toko" / "toko-a" / "poster" / "index.html").unlink()
    posters.write_shop_posters(catalog, output, ROOT_THEME, cache)
    assert sorted(rendered[1:]) == ["toko-a", "toko-b"]


def test_a_poster_carries_the_shop_and_segno_s_code_for_its_page(tmp_path):
    catalog = tmp_path / "katalog.json"
    catalog.write_text(json.dumps({"site": {"url": "https://warung.example"}, "shops": {
        "kopi-wanayasa": {"id": "kopi-wanayasa", "title": "Kopi Wanayasa",
                          "url": "/toko/kopi-wanayasa/", "whatsapp": "6281234567890",
                          "kecamatan": "Wanayasa", "payment": ["cod", "qris"]}}}))
    posters.write_shop_posters(catalog, tmp_path / "out", ROOT_THEME)
    page = (tmp_path / "out" / "toko" / "kopi-wanayasa" / "poster" / "index.html").read_text()
    assert posters.qr_svg.__wrapped__("https://warung.example/toko/kopi-wanayasa/") in page
    assert "Kopi Wanayasa" in page and "0812-3456-7890" in page and "QRIS" in page


def test_posters_of_a_failed_build_stop_making_their_codes(tmp_path):
    """Started when the catalog is read; the build then failed: the workers
    making the codes are stopped, and nothing is written."""
    shops = [f"toko-{n}" for n in range(posters.POSTERS_PARALLEL_FROM + 10)]
    started = posters.ShopPosters(_catalog(tmp_path, shops), tmp_path / "out", ROOT_THEME,
                                  tmp_path / "cache" / "qr.json")
    workers = [process for process, _ in started.rendering.children]
    assert workers
    started.stop()
    assert all(not process.is_alive() for process in workers)
    assert not (tmp_path / "out").exists()
