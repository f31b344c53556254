"""warung_catalog.safety: only regular files inside their shop folder are read."""

import os
from pathlib import Path

import pytest

from warung_catalog import safety


@pytest.fixture
def shop(tmp_path):
    folder = tmp_path / "shops" / "kopi"
    (folder / "images").mkdir(parents=True)
    (folder / "shop.md").write_text("Title: Kopi\n")
    (folder / "images" / "Foto.JPG").write_bytes(b"x")
    return folder


def test_regular_files_inside_are_read(shop):
    assert safety.read_file(shop / "shop.md", shop.parent).data == b"Title: Kopi\n"
    assert safety.is_within(shop / "images" / "Foto.JPG", shop)
    assert not safety.is_within(shop / ".." / "lain" / "x.jpg", shop)


def test_links_and_fifos_are_refused_unread(shop, tmp_path):
    (shop / "environ.md").symlink_to("/proc/self/environ")
    os.mkfifo(shop / "pipa.md")
    (shop / "curian").symlink_to(tmp_path)
    (shop / "folder.md").mkdir()
    for name, kind in (("environ.md", "file_symlink"), ("pipa.md", "file_not_regular")):
        for folder in (shop.parent, shop):  # a file below its folder, and one directly in it
            with pytest.raises(safety.Refused) as refused:
                safety.read_file(shop / name, folder)
            assert refused.value.kind == kind
    for name in ("..", ".", ""):  # not an entry of the folder: checked as any path
        with pytest.raises(safety.Refused):
            safety.read_file(Path(os.path.join(shop, name)), shop)
    assert not safety.is_within(shop / "curian" / "x.jpg", shop)
    files, refused = safety.markdown_files(shop)
    assert files == [shop / "shop.md"]
    assert refused == [(shop / "environ.md", "file_symlink"), (shop / "pipa.md", "file_not_regular")]


def test_locate_photo(shop, tmp_path):
    assert safety.locate_photo(shop, "images/Foto.JPG") == (shop / "images/Foto.JPG", None, None)
    assert safety.locate_photo(shop, "images/foto.jpg") == (shop / "images/Foto.JPG", "case",
                                                            "images/Foto.JPG")
    assert safety.locate_photo(shop, "images/Fota.JPG")[1:] == ("image_missing_close",
                                                                "images/Foto.JPG")
    assert safety.locate_photo(shop, "images/zzzzzzzz.png")[1:] == ("image_missing", None)
    (shop / "luar").symlink_to(tmp_path)
    assert safety.locate_photo(shop, "luar/x.jpg")[1] == "image_outside"
    assert safety.photo_files(shop) == ["images/Foto.JPG"]


def test_only_links_below_the_folder_count(shop, tmp_path):
    """The folder may itself be reached through a link (a project under a
    linked home); any link below it, even one pointing back inside, is refused."""
    (tmp_path / "rumah").symlink_to(shop.parent)
    linked = tmp_path / "rumah" / "kopi"
    assert safety.read_file(linked / "shop.md", tmp_path / "rumah").data == b"Title: Kopi\n"
    (shop / "images" / "sama").symlink_to(shop / "images")
    assert not safety.is_within(shop / "images" / "sama" / "Foto.JPG", shop)
    assert not safety.is_within(shop / "images" / ".." / "shop.md", shop)  # never taken as written
    assert safety.is_within(shop / "belum-ada" / "foto.jpg", shop)  # missing: reported as such


def test_a_folder_named_through_dot_dot_is_still_read(shop, monkeypatch):
    """`make check CONTENT=../x`: the folder's own path may climb; only what
    lies below it may not."""
    monkeypatch.chdir(shop / "images")
    folder = Path("..") / ".." / "kopi"
    assert safety.read_file(folder / "shop.md", folder.parent).data == b"Title: Kopi\n"
    assert safety.is_within(folder / "images" / "Foto.JPG", folder)
    assert not safety.is_within(folder / ".." / "lain" / "x.jpg", folder)
    assert safety.is_within(shop / "images" / "Foto.JPG", folder)  # another spelling: real paths


def test_only_a_shop_folder_s_own_files_skip_the_walk(shop, tmp_path):
    """SourceFiles takes the O_NOFOLLOW shortcut only for <shops>/<shop>/<file>."""
    from warung_catalog.sources import SourceFiles

    (tmp_path / "rahasia.md").write_text("Title: Rahasia\n")
    sources = SourceFiles(shop.parent)
    document, modified = sources.read(shop / "shop.md")
    assert document.meta and modified == (shop / "shop.md").stat().st_mtime
    for outside in (shop / ".." / ".." / "rahasia.md", shop.parent / ".." / "rahasia.md"):
        document, modified = sources.read(outside)
        assert not document.meta and document.issues and modified == 0.0


def test_shop_photos_locate_as_locate_photo_does(shop, tmp_path):
    """The listings' shortcut gives locate_photo's answer for every kind of
    name, and the stat of the file it found."""
    (shop / "images" / "dalam").mkdir()
    (shop / "images" / "dalam" / "b.png").write_bytes(b"y")
    (shop / "a.webp").write_bytes(b"z")
    (shop / "images" / "tautan.jpg").symlink_to(shop / "images" / "Foto.JPG")
    (shop / "images" / "sama").symlink_to(shop / "images")
    (shop / "luar").symlink_to(tmp_path)
    os.mkfifo(shop / "images" / "pipa.jpg")
    names = ["images/Foto.JPG", "images/foto.jpg", "images/dalam/b.png", "a.webp",
             "images/tautan.jpg", "images/sama/Foto.JPG", "luar/x.jpg", "images/pipa.jpg",
             "images/dalam", "images/../a.webp", "./a.webp", "images//Foto.JPG",
             "/etc/passwd", "tidak/ada.jpg", "images/Fota.JPG", "shop.md/x.jpg"]
    photos = safety.ShopPhotos(shop)
    for written in names:
        photo, how, found, info = photos.locate(written)
        assert (photo, how, found) == safety.locate_photo(shop, written), written
        if how in (None, "case"):
            assert (info.st_ino, info.st_size) == (os.stat(photo).st_ino, os.stat(photo).st_size)
        else:
            assert info is None
