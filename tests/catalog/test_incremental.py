"""The incremental writer's manifest, directly: what must be written, what
only needs its build id swapped, what is skipped and what is stale."""

from warung_catalog.incremental import IncrementalWriter


def writer_for(tmp_path) -> IncrementalWriter:
    return IncrementalWriter(tmp_path / "output", tmp_path / "cache")


def write_page(tmp_path, relative: str, text="<p>x</p>"):
    target = tmp_path / "output" / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text)


def test_a_new_page_must_be_rendered(tmp_path):
    assert writer_for(tmp_path).needs("a/index.html", "h1", "") == ""


def test_an_unchanged_page_is_skipped(tmp_path):
    first = writer_for(tmp_path)
    write_page(tmp_path, "a/index.html")
    first.record("a/index.html", "h1", "")
    first.save()
    second = writer_for(tmp_path)
    assert second.needs("a/index.html", "h1", "build2") is None
    assert second.skipped == 1


def test_changed_inputs_or_a_missing_file_mean_rendering_again(tmp_path):
    first = writer_for(tmp_path)
    write_page(tmp_path, "a/index.html")
    first.record("a/index.html", "h1", "")
    first.record("b/index.html", "h1", "")  # never written to disk
    first.save()
    second = writer_for(tmp_path)
    assert second.needs("a/index.html", "h2", "") == ""
    assert second.needs("b/index.html", "h1", "") == ""


def test_a_page_showing_an_old_build_id_only_needs_it_swapped(tmp_path):
    first = writer_for(tmp_path)
    write_page(tmp_path, "p/index.html", "build=old1")
    first.record("p/index.html", "h1", "old1")
    first.save()
    second = writer_for(tmp_path)
    assert second.needs("p/index.html", "h1", "new2") == "old1"
    assert second.needs("p/index.html", "h1", "old1") is None


def test_written_and_refreshed_pages_are_counted_apart(tmp_path):
    writer = writer_for(tmp_path)
    writer.record("a/index.html", "h", "", refreshed=False)
    writer.record("b/index.html", "h", "b1", refreshed=True)
    assert (writer.written, writer.refreshed) == (["a/index.html"], 1)


def test_files_no_longer_made_are_removed_and_kept_ones_stay(tmp_path):
    first = writer_for(tmp_path)
    for relative in ("gone/index.html", "stays/index.html", "gambar/x.webp"):
        write_page(tmp_path, relative)
    first.record("gone/index.html", "h", "")
    first.record("stays/index.html", "h", "")
    first.keep("gambar/x.webp")
    first.save()
    second = writer_for(tmp_path)
    second.needs("stays/index.html", "h", "")
    second.keep("gambar/x.webp")
    assert second.remove_stale() == ["gone/index.html"]
    second.save()
    output = tmp_path / "output"
    assert not (output / "gone/index.html").exists()
    assert (output / "stays/index.html").exists() and (output / "gambar/x.webp").exists()


def test_each_output_folder_has_its_own_manifest(tmp_path):
    one = IncrementalWriter(tmp_path / "one", tmp_path / "cache")
    one.record("a/index.html", "h", "")
    one.save()
    other = IncrementalWriter(tmp_path / "other", tmp_path / "cache")
    assert other.manifest.get("a/index.html") is None


def test_photos_an_older_manifest_names_are_left_to_the_generator(tmp_path):
    """Photos are no longer listed; a manifest from before names them, and the
    first build after it must not delete the photos it still publishes."""
    first = writer_for(tmp_path)
    for relative in ("gone/index.html", "gambar/x.webp"):
        write_page(tmp_path, relative)
    first.record("gone/index.html", "h", "")
    first.keep("gambar/x.webp")  # as builds before this change did
    first.save()
    second = writer_for(tmp_path)
    assert second.remove_stale() == ["gone/index.html"]  # the page of a deleted product goes
    assert (tmp_path / "output" / "gambar/x.webp").exists()
