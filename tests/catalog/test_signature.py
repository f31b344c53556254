"""Stat signatures: any change shows; within signed_once() a folder is listed once."""

import os

from warung_catalog import signature
from warung_catalog.signature import signed_once, tree_signature


def _tree(root):
    (root / "shops" / "kopi" / "images").mkdir(parents=True)
    (root / "shops" / "kopi" / "shop.md").write_text("Title: Kopi\n")
    (root / "shops" / "kopi" / "images" / "a.jpg").write_bytes(b"x")
    (root / "pages").mkdir()
    (root / "pages" / "tentang.md").write_text("Title: Tentang\n")


def test_an_edit_a_new_file_and_a_rename_change_the_signature(tmp_path):
    _tree(tmp_path)
    before = tree_signature(tmp_path)
    assert tree_signature(tmp_path) == before
    (tmp_path / "shops" / "kopi" / "shop.md").write_text("Title: Kopi Enak\n")
    edited = tree_signature(tmp_path)
    assert edited != before
    os.rename(tmp_path / "shops" / "kopi" / "images" / "a.jpg",
              tmp_path / "shops" / "kopi" / "images" / "b.jpg")
    renamed = tree_signature(tmp_path)
    assert renamed != edited
    deep = tmp_path / "shops" / "kopi" / "images" / "b.jpg"
    os.utime(deep, ns=(0, 12345))  # only the time of a file two folders down
    touched = tree_signature(tmp_path)
    assert touched != renamed
    deep.chmod(0o600)
    assert tree_signature(tmp_path) != touched
    (tmp_path / "shops" / "kopi" / "images" / "sub").mkdir()  # an empty folder counts too
    assert tree_signature(tmp_path) != touched
    assert tree_signature(tmp_path / "gone") == ""
    assert tree_signature(deep) not in ("", tree_signature(tmp_path))


def test_a_folder_is_listed_once_while_signed_once(tmp_path, monkeypatch):
    _tree(tmp_path)
    shop = tmp_path / "shops" / "kopi"
    fresh = tree_signature(shop)
    listed = []
    scandir = os.scandir
    monkeypatch.setattr(signature.os, "scandir", lambda path: listed.append(path) or scandir(path))
    with signed_once():
        whole = tree_signature(tmp_path)
        count = len(listed)
        assert tree_signature(shop) == fresh  # taken from the walk above
        assert len(listed) == count
    assert whole == tree_signature(tmp_path)
    assert len(listed) == 2 * count  # outside, every call lists again
