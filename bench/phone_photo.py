"""A phone photo as sellers send them, for benches and tests: a 12 MP
(4000x3000) JPEG of about 5 MB, noisy like a real scene, carrying the
camera's make and GPS coordinates in its EXIF."""

import io
from pathlib import Path


def phone_jpeg(path: Path) -> Path:
    """Write the photo to ``path``; returns ``path``."""
    from PIL import ExifTags, Image

    noise = Image.effect_noise((4000, 3000), 40)
    ramp = Image.linear_gradient("L").resize((4000, 3000))
    image = Image.merge("RGB", (noise, ramp, noise))
    exif = Image.Exif()
    exif[0x010F] = "Samsung"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[1], gps[2], gps[3], gps[4] = "S", (6.0, 33.0, 12.0), "E", (107.0, 26.0, 3.0)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85, exif=exif)
    path.write_bytes(buffer.getvalue())
    return path
