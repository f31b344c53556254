"""Photos straight from today's phones (48 and 108 MP, up to 200 MP) build,
with bounded memory; decompression bombs are still refused from the header."""

import io
import struct
import sys
import zlib

import pytest
from warung_catalog.settings import DEFAULTS
from PIL import Image

from warung_catalog import content as content_module
from warung_catalog import images

from .helpers import ROOT, make_shop, product, run_pelican

sys.path.insert(0, str(ROOT / "bench"))
from photo_memory import peak_mb, uniform_jpeg  # noqa: E402

PATH = "content/shops/kopi-wanayasa"


def messages(content, warung):
    return [str(p) for p in content_module.load(content, warung).report.sorted()]


def test_48_and_108_megapixel_phone_jpegs_build(tmp_path):
    content = tmp_path / "content"
    base = make_shop(content / "shops", products={
        "a": product("Kopi 48", image="images/hp48.jpg"),
        "b": product("Kopi 108", image="images/hp108.jpg")})
    uniform_jpeg(base / "images" / "hp48.jpg", 8000, 6000)
    uniform_jpeg(base / "images" / "hp108.jpg", 12000, 9000)
    result = run_pelican(content, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    built = sorted((tmp_path / "output" / "gambar" / "kopi-wanayasa").iterdir())
    names = [p.name.rsplit("-", 2)[0] + "-" + p.name.rsplit("-", 1)[1] for p in built]
    assert names == sorted(f"{n}-{w}.{f}" for n in ("hp108", "hp48")
                           for w in DEFAULTS["IMAGE_WIDTHS"] for f in ("jpg", "webp"))
    with Image.open(next(p for p in built if p.name.endswith("-1024.jpg"))) as out:
        assert out.size == (1024, 768)
        assert out.getpixel((500, 400)) == pytest.approx((128, 128, 128), abs=2)


def test_a_108_megapixel_jpeg_is_decoded_at_reduced_size(tmp_path):
    photo = uniform_jpeg(tmp_path / "hp108.jpg", 12000, 9000)
    peak = peak_mb(photo, tmp_path / "cache")
    full = peak_mb(photo, tmp_path / "cache", full=True, limit=12000 * 9000 + 1)
    # Decoding 108 MP at full size needs >= 324 MB of RGB pixels alone.
    assert full > 324
    assert peak < 160, f"peak RSS {peak} MB for a 108 MP photo"


def _png_claiming(width, height) -> bytes:
    """A tiny PNG whose header claims ``width`` x ``height`` (a decompression bomb)."""
    buffer = io.BytesIO()
    Image.new("L", (8, 8)).save(buffer, "PNG")
    data = bytearray(buffer.getvalue())
    ihdr = bytearray(data[12:29])  # type + 13 bytes of IHDR data
    ihdr[4:12] = struct.pack(">II", width, height)
    data[12:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(ihdr)))
    return bytes(data)


def _gif_claiming(width, height) -> bytes:
    buffer = io.BytesIO()
    Image.new("P", (8, 8)).save(buffer, "GIF")
    data = bytearray(buffer.getvalue())
    data[6:10] = struct.pack("<HH", width, height)  # logical screen size
    return bytes(data)


def _jpeg_claiming(width, height) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16)).save(buffer, "JPEG")
    data = bytearray(buffer.getvalue())
    sof = data.index(b"\xff\xc0")
    data[sof + 5:sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


@pytest.mark.parametrize("name, data, shown", [
    ("bom.jpg", _jpeg_claiming(20000, 20000), "400,0 juta piksel; paling besar 200 juta piksel"),
    ("bom.png", _png_claiming(30000, 30000), "900,0 juta piksel; paling besar 200 juta piksel"),
    ("bom.png", _png_claiming(9000, 6000), "54,0 juta piksel; PNG, WebP dan GIF paling besar 40"),
])
def test_bombs_are_refused_from_their_header(content, warung, name, data, shown):
    base = make_shop(content / "shops", products={"arabika": product(image=f"images/{name}")})
    (base / "images" / name).write_bytes(data)
    assert len(data) < 2000
    found = messages(content, warung)
    assert len(found) == 1 and found[0].startswith(f"{PATH}/arabika.md, baris 4 (Image): Foto "
                                                   f"'images/{name}' terlalu besar")
    assert shown in found[0]


def test_gif_bombs_are_refused(tmp_path):
    for size in ((40000, 40000), (9000, 6000)):
        fake = tmp_path / "bom.gif"
        fake.write_bytes(_gif_claiming(*size))
        with pytest.raises(images.ImageProblem) as refused:
            images.inspect(fake, 200_000_000, 40_000_000)
        assert refused.value.kind in ("image_bomb", "image_too_big_not_jpeg")
