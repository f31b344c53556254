"""The JSON file cache kept between builds, directly."""

import json

from warung_catalog.cache import JsonCache


def test_values_survive_a_save_and_reload(tmp_path):
    cache = JsonCache(tmp_path / "c.json", 1)
    assert cache.get("a") is None
    cache.set("a", [1, "x"])
    cache.save()
    assert JsonCache(tmp_path / "c.json", 1).get("a") == [1, "x"]


def test_another_version_starts_empty(tmp_path):
    cache = JsonCache(tmp_path / "c.json", 1)
    cache.set("a", 1)
    cache.save()
    assert JsonCache(tmp_path / "c.json", 2).get("a") is None


def test_entries_not_used_by_a_build_are_dropped_on_save(tmp_path):
    first = JsonCache(tmp_path / "c.json", 1)
    first.set("kept", 1)
    first.set("gone", 2)
    first.save()
    second = JsonCache(tmp_path / "c.json", 1)
    assert second.get("kept") == 1
    assert second.unused() == ["gone"]
    second.save()
    assert json.loads((tmp_path / "c.json").read_text())["entries"] == {"kept": 1}


def test_an_unchanged_cache_is_not_rewritten(tmp_path):
    cache = JsonCache(tmp_path / "c.json", 1)
    cache.set("a", 1)
    cache.save()
    before = (tmp_path / "c.json").stat().st_mtime_ns, (tmp_path / "c.json").stat().st_ino
    again = JsonCache(tmp_path / "c.json", 1)
    again.get("a")
    again.save()
    after = (tmp_path / "c.json").stat().st_mtime_ns, (tmp_path / "c.json").stat().st_ino
    assert after == before


def test_a_broken_file_is_an_empty_cache(tmp_path):
    (tmp_path / "c.json").write_text("{not json")
    cache = JsonCache(tmp_path / "c.json", 1)
    assert cache.get("a") is None
    cache.set("a", 1)
    cache.save()
    assert JsonCache(tmp_path / "c.json", 1).get("a") == 1
    assert [p.name for p in tmp_path.iterdir()] == ["c.json"]  # no temporary left
