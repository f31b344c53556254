"""Phone photos: header-only checks, upright, resized (never upscaled), WebP +
JPEG, no metadata left, cached by content hash."""

import os
import subprocess
import sys

import pytest
from PIL import Image

from warung_catalog import images
from warung_catalog.photos import Photos

from .helpers import phone_photo


def test_inspect_reads_upright_size_without_decoding(tmp_path):
    photo = phone_photo(tmp_path / "p.jpg", size=(1200, 900), orientation=6)
    info = images.inspect(photo, 40_000_000)
    assert (info.width, info.height) == (900, 1200)  # rotated by EXIF
    assert len(info.sha256) == 64


def test_inspect_rejects_text_files_and_bombs(tmp_path):
    fake = tmp_path / "fake.jpg"
    fake.write_text("bukan gambar")
    with pytest.raises(images.ImageProblem) as problem:
        images.inspect(fake, 40_000_000)
    assert problem.value.kind == "image_not_image"
    bomb = tmp_path / "bomb.png"
    Image.new("L", (2000, 2000)).save(bomb)
    with pytest.raises(images.ImageProblem) as problem:
        images.inspect(bomb, 1_000_000)
    assert problem.value.kind == "image_bomb"
    assert problem.value.values == {"megapixels": "4,0", "limit": "1"}


def test_widths_are_never_upscaled():
    assert images.output_widths(5000, [320, 640, 1024]) == [320, 640, 1024]
    assert images.output_widths(500, [320, 640, 1024]) == [320, 500]
    assert images.output_widths(200, [320, 640, 1024]) == [200]


def test_process_makes_upright_webp_and_jpeg_without_metadata(tmp_path):
    photo = phone_photo(tmp_path / "p.jpg", size=(1200, 900), orientation=6)
    info = images.inspect(photo, 40_000_000)
    plan = images.plan(photo, info, "kopi", "arabika", [320, 640, 1024])
    assert [(o.width, o.height, o.format) for o in plan.outputs] == [
        (320, 427, "webp"), (320, 427, "jpg"), (640, 853, "webp"), (640, 853, "jpg"),
        (900, 1200, "webp"), (900, 1200, "jpg")]
    assert plan.outputs[1].url == f"/gambar/kopi/arabika-{info.sha256[:8]}-320.jpg"
    cache = tmp_path / "cache"
    assert images.process(plan, cache) is None
    assert images.is_cached(plan, cache)
    output = tmp_path / "out"
    published = {item.url.lstrip("/") for item in plan.outputs}
    assert images.publish([plan], cache, output) == published
    inodes = {relative: (output / relative).stat().st_ino for relative in published}
    assert images.publish([plan], cache, output) == published  # already there: kept
    assert {relative: (output / relative).stat().st_ino for relative in published} == inodes
    for item in plan.outputs:
        with Image.open(output / item.url.lstrip("/")) as result:
            assert result.size == (item.width, item.height)
            assert result.format == {"jpg": "JPEG", "webp": "WEBP"}[item.format]
            assert not result.getexif(), "EXIF (and GPS) must be stripped"
            for key in ("exif", "icc_profile", "comment", "xmp"):
                assert key not in result.info, key
            if item.format == "jpg":
                assert result.info.get("progressive") or result.info.get("progression")


def test_each_size_is_resized_once_for_both_formats(tmp_path, monkeypatch):
    photo = phone_photo(tmp_path / "p.jpg", size=(1200, 900), orientation=6)
    plan = images.plan(photo, images.inspect(photo, 40_000_000), "kopi", "arabika",
                       [320, 640, 1024])
    resize, sizes = Image.Image.resize, []

    def counted(image, size, *args, **kwargs):
        sizes.append(size)
        return resize(image, size, *args, **kwargs)

    monkeypatch.setattr(Image.Image, "resize", counted)
    assert images.process(plan, tmp_path / "cache") is None
    assert sorted(sizes) == [(320, 427), (640, 853), (900, 1200)]
    for output in plan.outputs:  # both formats of each size, from the same pixels
        with Image.open(tmp_path / "cache" / plan.cache_folder / output.cache_name) as made:
            assert made.size == (output.width, output.height)


def test_photos_are_copied_when_the_cache_cannot_be_linked(tmp_path, monkeypatch):
    """A cache on another file system: no hard link, a copy (written beside
    and renamed, so a reader never sees half a photo)."""
    photo = phone_photo(tmp_path / "p.jpg", size=(800, 600))
    plan = images.plan(photo, images.inspect(photo, 40_000_000), "kopi", "arabika", [320])
    assert images.process(plan, tmp_path / "cache") is None

    def cross_device(source, destination):
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", cross_device)
    published = images.publish([plan], tmp_path / "cache", tmp_path / "out")
    assert published == {o.url.lstrip("/") for o in plan.outputs}
    for output in plan.outputs:
        copied = tmp_path / "out" / output.url.lstrip("/")
        cached = tmp_path / "cache" / plan.cache_folder / output.cache_name
        assert copied.read_bytes() == cached.read_bytes()
        assert copied.stat().st_ino != cached.stat().st_ino
    assert not list((tmp_path / "out").rglob(".*.tmp"))


def test_transparent_png_gets_a_white_background(tmp_path):
    photo = tmp_path / "logo.png"
    Image.new("RGBA", (400, 400), (0, 0, 0, 0)).save(photo)
    plan = images.plan(photo, images.inspect(photo, 40_000_000), "s", "logo", [320])
    assert images.process(plan, tmp_path / "cache") is None
    with Image.open(tmp_path / "cache" / plan.cache_folder / "320.jpg") as result:
        assert result.convert("RGB").getpixel((10, 10)) == (255, 255, 255)


def photos_of(tmp_path, *paths, known=None) -> Photos:
    photos = Photos(40_000_000, [320])
    photos.known.update(known or {})
    for number, photo in enumerate(paths):
        photos.add(photo, os.lstat(photo), "s", f"p{number}")
    return photos


def test_truncated_photo_is_a_clear_failure_not_a_crash(tmp_path):
    photo = tmp_path / "p.jpg"
    Image.effect_noise((1200, 900), 60).convert("RGB").save(photo, quality=95)
    data = photo.read_bytes()
    photo.write_bytes(data[: len(data) // 3])  # header intact, pixels cut off
    photos = photos_of(tmp_path, photo)  # the header alone looks fine
    processed = photos.start_processing(tmp_path / "cache").finish(lambda path: path.name)
    [problem] = processed.report.problems
    assert problem.path == "p.jpg"
    assert "p.jpg" in problem.message and "truncated" in problem.message
    [plan] = photos.plans.values()
    assert not images.is_cached(plan, tmp_path / "cache")


def test_processing_skips_cached_photos(tmp_path, monkeypatch):
    paths = [phone_photo(tmp_path / f"p{number}.jpg", size=(700, 500), color=(number * 40, 0, 0))
             for number in range(5)]
    first = photos_of(tmp_path, *paths).start_processing(tmp_path / "cache").finish(str)
    assert (first.report.problems, first.processed, first.cached) == ([], 5, 0)
    decoded = []
    monkeypatch.setattr(images, "process", lambda *a: decoded.append(a))
    again = photos_of(tmp_path, *paths).start_processing(tmp_path / "cache").finish(str)
    assert (again.report.problems, again.processed, again.cached) == ([], 0, 5)
    assert decoded == []


def test_photos_are_processed_while_the_caller_goes_on_and_can_be_stopped(tmp_path):
    paths = [phone_photo(tmp_path / f"p{number}.jpg", size=(700, 500), color=(0, number * 40, 0))
             for number in range(5)]
    processing = photos_of(tmp_path, *paths).start_processing(tmp_path / "cache")
    workers = [process for process, _ in processing.workers.children]
    assert len(workers) >= 2  # on every core, not in this process
    processing.stop()  # a build that failed meanwhile
    assert not any(process.is_alive() for process in workers)
    again = photos_of(tmp_path, *paths).start_processing(tmp_path / "cache").finish(str)
    assert again.report.problems == [] and again.processed + again.cached == 5


def test_a_known_photo_is_not_inspected_again(tmp_path, monkeypatch):
    photo = phone_photo(tmp_path / "p.jpg", size=(700, 500))
    first = photos_of(tmp_path, photo)
    inspected, original = [], images.inspect
    monkeypatch.setattr(images, "inspect", lambda *a: inspected.append(a) or original(*a))
    again = photos_of(tmp_path, photo, photo, known=first.used)
    assert inspected == [] and len(again.plans) == 2
    photo.write_bytes(photo.read_bytes() + b"\0")  # a new size: inspected again
    photos_of(tmp_path, photo, known=first.used)
    assert len(inspected) == 1


def test_processing_photos_imports_only_the_formats_it_needs(tmp_path):
    """Pillow imports every format plugin it has (80 ms) when asked for one
    it has not registered: a WebP save without images.py's imports."""
    photo = phone_photo(tmp_path / "p.jpg", size=(800, 600))
    script = ("import sys; from pathlib import Path; from warung_catalog import images; "
              f"plan = images.plan(Path({str(photo)!r}), images.inspect(Path({str(photo)!r}), "
              "40_000_000), 's', 'p', [320]); "
              f"assert images.process(plan, Path({str(tmp_path / 'cache')!r})) is None; "
              "print(sorted(m for m in sys.modules if m.startswith('PIL.') and "
              "m.endswith('ImagePlugin')))")
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True, env=environment)
    assert "PIL.DdsImagePlugin" not in result.stdout
    assert "PIL.WebPImagePlugin" in result.stdout
