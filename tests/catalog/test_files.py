"""files.write_text: a page lands whole wherever its folder is, made or not."""

import os

from warung_catalog.files import write_text


def test_a_page_is_written_in_a_new_folder_a_deep_one_and_over_an_old_page(tmp_path):
    write_text(tmp_path / "toko" / "index.html", "<p>toko</p>")  # one folder to make
    write_text(tmp_path / "a" / "b" / "c" / "index.html", "ü" * 70_000)  # several
    write_text(tmp_path / "toko" / "index.html", "<p>baru</p>")  # shorter: truncated
    assert (tmp_path / "toko" / "index.html").read_text() == "<p>baru</p>"
    assert (tmp_path / "a" / "b" / "c" / "index.html").read_text(encoding="utf-8") == "ü" * 70_000


def test_a_page_said_to_be_new_is_written_wherever_its_folder_is(tmp_path, monkeypatch):
    failed = []
    original = os.open

    def recording_open(*args, **kwargs):
        try:
            return original(*args, **kwargs)
        except FileNotFoundError:
            failed.append(args[0])
            raise

    monkeypatch.setattr(os, "open", recording_open)
    write_text(tmp_path / "toko" / "index.html", "<p>toko</p>", new=True)  # its folder made
    write_text(tmp_path / "toko" / "kopi.html", "<p>kopi</p>", new=True)  # its folder is there
    write_text(tmp_path / "a" / "b" / "index.html", "<p>b</p>", new=True)  # two folders
    write_text(tmp_path / "toko" / "index.html", "<p>baru</p>", new=True)  # it was not new
    assert (tmp_path / "toko" / "index.html").read_text() == "<p>baru</p>"
    assert (tmp_path / "toko" / "kopi.html").read_text() == "<p>kopi</p>"
    assert (tmp_path / "a" / "b" / "index.html").read_text() == "<p>b</p>"
    assert failed == []  # each folder was made before the page was opened
