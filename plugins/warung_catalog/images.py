"""Sellers' phone photos: checked, resized, rotated upright, stripped of metadata.

Three steps, each cheap to skip:

* ``inspect(path)`` reads the bytes and only the image header (size, EXIF
  orientation) and raises ``ImageProblem`` for what a seller must fix.
* ``plan(info, ...)`` decides the output files (widths never upscaled,
  WebP + JPEG) without decoding anything.
* ``process(...)`` decodes and encodes once per source photo, into the cache
  (``IMAGE_CACHE``) keyed by the photo's sha256, the widths and
  ``PIPELINE_VERSION``; a rebuild with unchanged photos decodes none.
"""

import hashlib
import io
import os
import re
import shutil
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError
# The formats sellers' photos come in and the build writes, registered now:
# saving a WebP would otherwise make Pillow import all of its ~50 format
# plugins first (80 ms, in every process that processes photos).
from PIL import JpegImagePlugin, PngImagePlugin, WebPImagePlugin  # noqa: F401

# Bump when the encoding below changes: cached outputs are then redone.
PIPELINE_VERSION = 3
QUALITY = 72  # JPEG, the fallback few browsers still take
# WebP, what phones download. Measured with a 12 MP phone photo
# (bench/photo_weight.py): at 768 px, 64 costs 20-25 % fewer bytes than 72
# and keeps a 360 px DPR-2 product page under 60 KB in total.
WEBP_QUALITY = 64
# WebP effort: 2 is about half the time of the default 4 for ~4 % larger files.
WEBP_METHOD = 2
FORMATS = ("webp", "jpg")
_ORIENTATION = 0x0112
_ROTATED = {5, 6, 7, 8}  # EXIF orientations that swap width and height
_BOMB_PIXELS = re.compile(r"\((\d+) pixels\)")


class ImageProblem(Exception):
    """A photo a seller must fix: ``kind`` names the text in ``[periksa]``."""

    def __init__(self, kind: str, **values):
        super().__init__(kind)
        self.kind = kind
        self.values = values


@dataclass(frozen=True)
class SourceInfo:
    sha256: str
    width: int  # upright, after EXIF orientation
    height: int


class Output(NamedTuple):
    """One file of a photo (a tuple: 40,000 of them are restored from the
    folders' snapshots on every rebuild at 10,000 products)."""

    width: int
    height: int
    format: str  # "webp" | "jpg"
    cache_name: str  # file name inside the photo's cache folder
    url: str  # site-absolute, under /gambar/


@dataclass(frozen=True)
class Plan:
    source_file: str  # a str, not a Path: 10,000 Paths cost ~0.3 s to unpickle
    info: SourceInfo
    outputs: tuple[Output, ...]
    cache_folder: str  # relative to IMAGE_CACHE

    @property
    def source(self) -> Path:
        return Path(self.source_file)

    def jpeg(self) -> list[Output]:
        return [o for o in self.outputs if o.format == "jpg"]

    def webp(self) -> list[Output]:
        return [o for o in self.outputs if o.format == "webp"]


def set_pixel_limit(max_pixels: int) -> None:
    PILImage.MAX_IMAGE_PIXELS = max_pixels


def _megapixels(pixels: int) -> str:
    return f"{pixels / 1_000_000:.1f}".replace(".", ",")


def _check_full_decode(image: PILImage.Image, max_full_decode: int | None) -> None:
    """Formats other than JPEG are decoded whole: refuse them above the limit."""
    pixels = image.size[0] * image.size[1]
    if image.format != "JPEG" and max_full_decode and pixels > max_full_decode:
        raise ImageProblem("image_too_big_not_jpeg", megapixels=_megapixels(pixels),
                           limit=_megapixels(max_full_decode).removesuffix(",0"))


def inspect(path: Path, max_pixels: int, max_full_decode: int | None = None) -> SourceInfo:
    """Hash the photo and read its header; never decodes the pixels.

    JPEGs up to ``max_pixels`` pass: the build decodes them at a reduced size
    (libjpeg's DCT scaling), so memory stays bounded. Other formats are
    decoded whole, so they must stay under ``max_full_decode``.
    """
    limit = _megapixels(max_pixels).removesuffix(",0")
    try:
        data = path.read_bytes()
    except OSError as err:
        raise ImageProblem("image_broken", reason=err.strerror or str(err)) from None
    set_pixel_limit(max_pixels)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", PILImage.DecompressionBombWarning)
            with PILImage.open(io.BytesIO(data)) as image:
                width, height = image.size
                if width * height > max_pixels:  # before getexif: a PNG's getexif decodes
                    raise ImageProblem("image_bomb", megapixels=_megapixels(width * height),
                                       limit=limit)
                _check_full_decode(image, max_full_decode)
                orientation = image.getexif().get(_ORIENTATION, 1)
    except PILImage.DecompressionBombError as err:
        found = _BOMB_PIXELS.search(str(err))
        pixels = int(found[1]) if found else max_pixels * 2
        raise ImageProblem("image_bomb", megapixels=_megapixels(pixels), limit=limit) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ImageProblem("image_not_image") from None
    if orientation in _ROTATED:
        width, height = height, width
    return SourceInfo(hashlib.sha256(data).hexdigest(), width, height)


def output_widths(source_width: int, widths: list[int]) -> list[int]:
    """The configured widths, capped at the photo's own width (never upscaled)."""
    return sorted({min(w, source_width) for w in widths})


def plan(source: Path, info: SourceInfo, shop_id: str, name: str, widths: list[int]) -> Plan:
    chosen = output_widths(info.width, widths)
    outputs = []
    for width in chosen:
        height = max(1, round(info.height * width / info.width))
        for fmt in FORMATS:
            url = f"/gambar/{shop_id}/{name}-{info.sha256[:8]}-{width}.{fmt}"
            outputs.append(Output(width, height, fmt, f"{width}.{fmt}", url))
    folder = (f"{info.sha256[:2]}/{info.sha256}-v{PIPELINE_VERSION}-q{QUALITY}-{WEBP_QUALITY}-"
              + "-".join(map(str, chosen)))
    return Plan(str(source), info, tuple(outputs), folder)


def is_cached(plan_: Plan, cache_root: Path) -> bool:
    return (cache_root / plan_.cache_folder / "done").exists()


def _upright_rgb(image: PILImage.Image, largest: tuple[int, int]) -> PILImage.Image:
    if image.format == "JPEG":
        # Let libjpeg decode at a power-of-two reduction no smaller than needed.
        orientation = image.getexif().get(_ORIENTATION, 1)
        wanted = largest[::-1] if orientation in _ROTATED else largest
        image.draft("RGB", wanted)
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "P", "PA") or "transparency" in image.info:
        image = image.convert("RGBA")
        background = PILImage.new("RGB", image.size, "white")
        background.paste(image, mask=image.getchannel("A"))
        return background
    return image.convert("RGB")


def process(plan_: Plan, cache_root: Path) -> str | None:
    """Decode once, write every output into the cache. Returns an error reason or None."""
    target = cache_root / plan_.cache_folder
    if (target / "done").exists():
        return None
    largest = max(plan_.outputs, key=lambda o: o.width)
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(dir=target.parent, prefix=".tmp-"))
    try:
        with PILImage.open(plan_.source) as original:
            image = _upright_rgb(original, (largest.width, largest.height))
            image.load()
        resized = None
        for output in sorted(plan_.outputs, key=lambda o: (-o.width, o.format)):
            if resized is None or resized.size != (output.width, output.height):
                # once per size, for both formats
                resized = image.resize((output.width, output.height), PILImage.LANCZOS,
                                       reducing_gap=3.0)
                resized.info = {}  # no EXIF, GPS, ICC or comments in what buyers download
            if output.format == "jpg":
                resized.save(work / output.cache_name, "JPEG", quality=QUALITY,
                             optimize=True, progressive=True)
            else:
                resized.save(work / output.cache_name, "WEBP", quality=WEBP_QUALITY,
                             method=WEBP_METHOD)
        (work / "done").write_text("ok")
        try:
            work.rename(target)
        except OSError:
            if not (target / "done").exists():  # someone else's half-done copy
                shutil.rmtree(target, ignore_errors=True)
                work.rename(target)
        return None
    except (OSError, ValueError, SyntaxError, PILImage.DecompressionBombError) as err:
        return str(err) or err.__class__.__name__
    finally:
        shutil.rmtree(work, ignore_errors=True)


def publish(plans: list[Plan], cache_root: Path, output_root: Path,
            present: set[str] | None = None) -> set[str]:
    """Put the plans' cached files into ``output_root``; returns every file
    they publish (relative to ``output_root``), added now or already there.

    Names carry the photo's hash, so a file already there is the right one
    (``present``: the files known to be there, relative to ``output_root``;
    None: look). Hard links cost no copying (10,000 products make 40,000
    files); a copy is the fallback when the cache is on another file system.
    Paths are plain strings and the already-published files one set
    difference: per-file Path objects and checks were most of a rebuild's
    publishing.
    """
    wanted = {output.url.lstrip("/"): (plan_.cache_folder, output.cache_name)
              for plan_ in plans for output in plan_.outputs}
    if present is None:
        missing = [relative for relative in wanted
                   if not os.path.exists(os.path.join(output_root, relative))]
    else:
        missing = wanted.keys() - present
    folders, output, cache = set(), os.fspath(output_root), os.fspath(cache_root)
    for relative in sorted(missing):
        cache_folder, cache_name = wanted[relative]
        # joined as strings: os.path.join was a third of publishing 80,000 files
        destination = f"{output}/{relative}"
        source = f"{cache}/{cache_folder}/{cache_name}"
        folder = destination.rpartition("/")[0]
        if folder not in folders:
            os.makedirs(folder, exist_ok=True)
            folders.add(folder)
        try:
            os.link(source, destination)
        except OSError:
            temporary = f"{folder}/.{destination.rpartition('/')[2]}.tmp"
            shutil.copyfile(source, temporary)
            os.replace(temporary, destination)
    return set(wanted)
