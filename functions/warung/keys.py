"""The keys of sellers' files: their canonical names, how sellers write them
and their Indonesian aliases. One table for the rules, the build's messages,
``make check`` and the seller form.

Keys are matched case-insensitively, ignoring spaces, ``_`` and ``-``:
``DeliveryFee``, ``delivery fee`` and ``delivery_fee`` are one key, and so
are ``Nama Toko`` and ``namatoko``.
"""

import re
from functools import lru_cache

SHOP_KEYS = {
    # key: (required, example line shown in the fix)
    "title": (True, "Title: Kopi Wanayasa"),
    "whatsapp": (True, "WhatsApp: 0812-3456-7890"),
    "email": (True, "Email: pesanan@contoh.id"),
    "kecamatan": (True, "Kecamatan: Wanayasa"),
    "address": (False, "Address: Jl. Raya Wanayasa No. 5"),
    "payment": (False, "Payment: cod, transfer, qris"),
    "delivery": (False, "Delivery: ambil, antar"),
    "deliveryfee": (False, "DeliveryFee: Purwakarta=10000; Wanayasa=5000"),
    "nib": (False, "NIB: 1234567890123"),
    "pirt": (False, "PIRT: 206321401012325"),
    "halal": (False, "Halal: ID32110000123450822"),
    "logo": (False, "Logo: images/logo.jpg"),
}

PRODUCT_KEYS = {
    "title": (True, "Title: Kopi Arabika Wanayasa"),
    "price": (True, "Price: 45000"),
    "category": (True, "Category: Minuman"),
    "image": (True, "Image: images/arabika.jpg"),
    "images": (False, "Images: images/arabika-2.jpg, images/arabika-3.jpg"),
    "unit": (False, "Unit: bungkus 250 g"),
    "stock": (False, "Stock: tersedia"),
    "variants": (False, "Variants: 250 g=45000; 500 g=85000"),
    "tags": (False, "Tags: kopi, arabika"),
}

KEYS = {"shop": SHOP_KEYS, "product": PRODUCT_KEYS}

# Indonesian names, as sellers write them (shown on /daftar/ and in docs/).
ALIASES = {
    "shop": {"Judul": "title", "Nama Toko": "title", "Alamat": "address",
             "Pembayaran": "payment", "Pengiriman": "delivery", "Ongkir": "deliveryfee",
             "Foto": "logo"},
    "product": {"Judul": "title", "Harga": "price", "Kategori": "category", "Foto": "image",
                "Foto Lain": "images", "Satuan": "unit", "Stok": "stock", "Varian": "variants",
                "Label": "tags"},
}

_IGNORED = re.compile(r"[\s_-]+")


def fold(key: str) -> str:
    """The form keys are compared in: ``Nama Toko`` -> ``namatoko``."""
    return _IGNORED.sub("", str(key)).casefold()


_INDEX = {kind: {**{fold(alias): key for alias, key in ALIASES[kind].items()},
                 **{key: key for key in KEYS[kind]}}
          for kind in KEYS}


@lru_cache(maxsize=4096)
def canonical(key: str, kind: str) -> str | None:
    """The canonical key for what a seller wrote, or None when unknown
    (remembered: 10,000 files write the same few keys)."""
    return _INDEX[kind].get(fold(key))


def key_name(key: str) -> str:
    """How the docs write a canonical key: ``deliveryfee`` -> ``DeliveryFee``."""
    for table in KEYS.values():
        if key in table:
            return table[key][1].split(":", 1)[0]
    return key


def written_names(kind: str) -> list[str]:
    """Every name a seller may write for ``kind`` (canonical names, then aliases)."""
    return [key_name(key) for key in KEYS[kind]] + list(ALIASES[kind])


def aliases_of(key: str, kind: str) -> list[str]:
    return [alias for alias, target in ALIASES[kind].items() if target == key]
