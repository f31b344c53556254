"""Shop folders restored from their snapshot: only changed folders are read,
and a restored folder gives the same shop, problems and photos."""

import pytest

from warung_catalog import content as content_module
from warung_catalog import sources

from .helpers import SHOP, make_shop, phone_photo, product, write_md


def two_shops(content):
    make_shop(content / "shops", products={"arabika": product()})
    make_shop(content / "shops", folder="keripik", shop={**SHOP, "Title": "Keripik"},
              products={"singkong": product("Keripik Singkong", "15000", "Makanan",
                                            "images/singkong.jpg")})
    # A shop without products yet: a warning, shown on every build.
    write_md(content / "shops" / "kosong" / "shop.md", {**SHOP, "Title": "Kosong"})


def reads(monkeypatch) -> list:
    read = []
    original = sources.SourceFiles.read
    monkeypatch.setattr(sources.SourceFiles, "read",
                        lambda self, path: read.append(path.name) or original(self, path))
    return read


def test_an_unchanged_tree_reads_no_file_and_gives_the_same_catalog(content, warung,
                                                                      monkeypatch):
    two_shops(content)
    first = content_module.load(content, warung)
    read = reads(monkeypatch)
    again = content_module.load(content, warung)
    assert read == []
    assert [p.public_dict() for p in again.catalog.products] == [
        p.public_dict() for p in first.catalog.products]
    assert again.report.lines() == first.report.lines() != []  # the warning stays shown
    assert sorted(p.cache_folder for p in again.plans) == sorted(
        p.cache_folder for p in first.plans)
    assert (again.shop_count, again.product_count) == (3, 2)


def test_only_the_edited_folder_is_read_again(content, warung, monkeypatch):
    two_shops(content)
    content_module.load(content, warung)
    write_md(content / "shops" / "keripik" / "singkong.md",
             product("Keripik Singkong", "17000", "Makanan", "images/singkong.jpg"))
    read = reads(monkeypatch)
    loaded = content_module.load(content, warung)
    assert sorted(read) == ["shop.md", "singkong.md"]
    assert {p.id: p.price for p in loaded.catalog.products} == {
        "kopi-wanayasa/arabika": 45000, "keripik/singkong": 17000}


def test_a_replaced_photo_is_seen(content, warung):
    two_shops(content)
    before = content_module.load(content, warung)
    phone_photo(content / "shops" / "keripik" / "images" / "singkong.jpg", color=(1, 2, 3))
    after = content_module.load(content, warung)
    assert {p.cache_folder for p in after.plans} != {p.cache_folder for p in before.plans}


def test_a_new_problem_in_one_folder_fails_the_load(content, warung):
    two_shops(content)
    content_module.load(content, warung)
    write_md(content / "shops" / "keripik" / "singkong.md", product(price="murah"))
    loaded = content_module.load(content, warung)
    assert loaded.catalog is None
    assert {p.path for p in loaded.report.errors} == {"content/shops/keripik/singkong.md"}


def test_a_removed_folder_is_gone_from_the_catalog(content, warung):
    import shutil
    two_shops(content)
    content_module.load(content, warung)
    shutil.rmtree(content / "shops" / "keripik")
    loaded = content_module.load(content, warung)
    assert [s.id for s in loaded.catalog.shops] == ["kopi-wanayasa", "kosong"]
    snapshots = list((content.parent / "cache" / "folders").iterdir())
    assert len(snapshots) == 2


@pytest.fixture
def on_every_core(monkeypatch):
    """Changed folders read by workers; a load left started is stopped."""
    monkeypatch.setattr(content_module, "PARALLEL_FOLDERS_FROM", 2)
    yield
    content_module.stop_started()


def test_a_started_load_is_taken_by_the_next_load_of_the_same_tree(content, warung,
                                                                     on_every_core, tmp_path):
    """``make html`` starts reading before Pelican starts up; the generator's
    load takes it, and gives what a load of its own, from no cache, gives."""
    two_shops(content)
    content_module.start_loading(content, warung)
    started = content_module._started
    assert started.reading.children  # the workers are reading
    taken = content_module.load(content, warung)
    assert content_module._started is None
    fresh = content_module.load(content, {**warung, "IMAGE_CACHE": str(tmp_path / "x" / "i")})
    assert [p.public_dict() for p in taken.catalog.products] == [
        p.public_dict() for p in fresh.catalog.products] != []
    assert [p.fingerprint for p in taken.catalog.products] == [
        p.fingerprint for p in fresh.catalog.products]
    assert taken.report.lines() == fresh.report.lines() != []


def test_a_load_with_other_settings_stops_the_started_one(content, warung, on_every_core):
    two_shops(content)
    content_module.start_loading(content, warung)
    workers = [process for process, _ in content_module._started.reading.children]
    other = {**warung, "PER_PAGE": warung["PER_PAGE"] + 1}
    loaded = content_module.load(content, other)
    assert content_module._started is None
    assert all(not process.is_alive() for process in workers)
    assert len(loaded.catalog.products) == 2


def test_a_snapshot_of_the_earlier_format_is_read_again_not_misread(content, warung):
    """Format 3 kept the parsed documents beside the photos' inspection."""
    import pickle

    two_shops(content)
    first = content_module.load(content, warung)
    snapshots = list((content_module.cache_dir(warung) / "folders").iterdir())
    assert snapshots
    for snapshot in snapshots:
        key, version, signature, result, _ = pickle.loads(snapshot.read_bytes())
        # Another key (other code), and the parts of format 3 under this version.
        old = (key + "-old", version, signature, result,
               pickle.dumps(({"sha": "document"}, {"stamp": "info"})))
        snapshot.write_bytes(pickle.dumps(old))
    again = content_module.load(content, warung)
    assert [p.public_dict() for p in again.catalog.products] == [
        p.public_dict() for p in first.catalog.products]
