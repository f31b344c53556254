"""Peak memory of turning one huge phone photo into the site's photos.

    .venv/bin/python bench/photo_memory.py                 # 108 MP (12000 x 9000)
    .venv/bin/python bench/photo_memory.py --megapixels 200 --full-decode

Writes a baseline YCbCr 4:2:0 JPEG of the given size (``uniform_jpeg``: a
real, fully decodable JPEG made without ever holding its pixels, so making a
108 MP photo costs 2 MB and milliseconds), then runs the build's own
``images.inspect`` and ``images.process`` in a fresh child process and prints
the child's peak resident memory (``ru_maxrss``). ``--full-decode`` also
measures decoding the same photo at full size, for comparison.
"""

import argparse
import io
import json
import math
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# One 16x16 MCU of a 4:2:0 baseline JPEG with the standard Huffman tables:
# four luma blocks (DC diff 0 = "00", EOB = "1010") then Cb and Cr (DC "00",
# EOB "00"): 32 bits, no 0xFF byte, so no byte stuffing.
_GREY_MCU = bytes([0b00101000, 0b10100010, 0b10001010, 0b00000000])


def _segments(data: bytes):
    """(marker, start, end) of each marker segment before the scan data."""
    position = 2  # after SOI
    while True:
        marker = data[position + 1]
        length = struct.unpack(">H", data[position + 2:position + 4])[0]
        yield marker, position, position + 2 + length
        if marker == 0xDA:  # SOS: entropy-coded data follows
            return
        position += 2 + length


def uniform_jpeg(path: Path, width: int, height: int) -> Path:
    """Write a grey ``width`` x ``height`` baseline JPEG (4:2:0, standard tables)."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), (128, 128, 128)).save(buffer, "JPEG", quality=90, subsampling=2)
    template = buffer.getvalue()
    head = bytearray()
    for marker, start, end in _segments(template):
        segment = bytearray(template[start:end])
        if marker == 0xC0:  # SOF0: precision, height, width
            segment[5:9] = struct.pack(">HH", height, width)
        head += segment
    mcus = math.ceil(width / 16) * math.ceil(height / 16)
    with open(path, "wb") as out:
        out.write(b"\xff\xd8" + bytes(head))
        chunk = _GREY_MCU * 65536
        for _ in range(mcus // 65536):
            out.write(chunk)
        out.write(_GREY_MCU * (mcus % 65536) + b"\xff\xd9")
    return path


_CHILD = """
import json, resource, sys
from pathlib import Path
sys.path[:0] = [{functions!r}, {plugins!r}]
from PIL import Image
from warung_catalog import images
photo, cache, full = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3] == "full"
images.set_pixel_limit({limit})
if full:
    with Image.open(photo) as image:
        image.load()
else:
    info = images.inspect(photo, {limit})
    plan = images.plan(photo, info, "toko", "foto", [320, 640, 1024])
    assert images.process(plan, cache) is None
print(json.dumps(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024))
"""


def peak_mb(photo: Path, cache: Path, full: bool = False, limit: int = 200_000_000) -> int:
    """Peak RSS (MB) of a fresh Python that inspects and processes ``photo``."""
    code = _CHILD.format(functions=str(ROOT / "functions"), plugins=str(ROOT / "plugins"),
                         limit=limit)
    result = subprocess.run([sys.executable, "-c", code, str(photo), str(cache),
                             "full" if full else "build"],
                            capture_output=True, text=True, timeout=600, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--megapixels", type=int, default=108)
    parser.add_argument("--full-decode", action="store_true")
    args = parser.parse_args()
    width = int(math.sqrt(args.megapixels * 1_000_000 * 4 / 3))
    height = width * 3 // 4
    with tempfile.TemporaryDirectory() as work:
        photo = uniform_jpeg(Path(work) / "foto.jpg", width, height)
        size = photo.stat().st_size
        print(f"photo: {width} x {height} ({width * height / 1e6:.1f} MP), {size / 1e6:.1f} MB file")
        print(f"build (inspect + process, JPEG draft): peak RSS {peak_mb(photo, Path(work))} MB")
        if args.full_decode:
            print(f"full-size decode for comparison: peak RSS "
                  f"{peak_mb(photo, Path(work), full=True, limit=width * height + 1)} MB")


if __name__ == "__main__":
    main()
