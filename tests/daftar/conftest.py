"""Fixtures of the seller form's tests: the functions' moto fixtures, a
valid join submission and real photo uploads into the inbox bucket."""

import io

import pytest

from tests.functions.conftest import (aws, events, moto_endpoint,  # noqa: F401 (fixtures)
                                      test_catalog)

JPEG_HEAD = b"\xff\xd8\xff\xe0" + b"\x00" * 60


def jpeg_bytes(size=(64, 48)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buffer, "JPEG")
    return buffer.getvalue()


def upload(content: bytes, content_type: str = "image/jpeg") -> str:
    """Put ``content`` where a presigned POST would (the key it hands out)."""
    import os

    from backend import clients
    from daftar import photos

    key = photos.new_key(content_type if content_type in photos.TYPES else "image/jpeg")
    clients.s3().put_object(Bucket=os.environ["INBOX_BUCKET"], Key=key, Body=content,
                            ContentType=content_type)
    return key


def join_fields(photo_keys) -> dict:
    return {
        "title": "Keripik Maniis", "whatsapp": "0812-1111-2222", "email": "keripik@maniis.example",
        "kecamatan": "Maniis", "address": "Kp. Citamiang", "payment": ["cod", "transfer"],
        "delivery": ["ambil"], "delivery_fee": "", "nib": "", "pirt": "", "halal": "",
        "about": "Keripik singkong buatan ibu-ibu Maniis.",
        "product-1-title": "Keripik Singkong Pedas", "product-1-price": "15.000",
        "product-1-category": "Makanan", "product-1-unit": "bungkus 200 g",
        "product-1-stock": "tersedia", "product-1-variants": "", "product-1-about": "Renyah.",
        "product-1-photo": photo_keys[:1],
        "product-2-title": "Keripik Pisang", "product-2-price": "Rp12.000",
        "product-2-category": "Makanan", "product-2-stock": "po",
        "product-2-photo": photo_keys[1:2],
        "website": "",
    }


@pytest.fixture
def photo_keys(aws):  # noqa: F811
    return [upload(jpeg_bytes()), upload(jpeg_bytes())]


@pytest.fixture
def valid_join(photo_keys):
    return join_fields(photo_keys)
