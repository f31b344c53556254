"""files.write_text: a page lands whole wherever its folder is, made or not."""

from warung_catalog.files import write_text


def test_a_page_is_written_in_a_new_folder_a_deep_one_and_over_an_old_page(tmp_path):
    write_text(tmp_path / "toko" / "index.html", "<p>toko</p>")  # one folder to make
    write_text(tmp_path / "a" / "b" / "c" / "index.html", "ü" * 70_000)  # several
    write_text(tmp_path / "toko" / "index.html", "<p>baru</p>")  # shorter: truncated
    assert (tmp_path / "toko" / "index.html").read_text() == "<p>baru</p>"
    assert (tmp_path / "a" / "b" / "c" / "index.html").read_text(encoding="utf-8") == "ü" * 70_000
