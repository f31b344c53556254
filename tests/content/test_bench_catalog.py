"""bench/make_catalog.py writes content the real build accepts: every file
passes the seller rules, the counts are as asked, and the output is
deterministic (so benchmark runs compare the same catalog)."""

import hashlib
import sys
from pathlib import Path

from warung import rules

from .test_sample_catalog import read

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

import make_catalog  # noqa: E402


def digest(folder: Path) -> str:
    sha = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            sha.update(path.relative_to(folder).as_posix().encode())
            sha.update(path.read_bytes())
    return sha.hexdigest()


def test_generated_catalog_is_valid_and_deterministic(tmp_path):
    counts = make_catalog.generate(120, tmp_path / "a", photos=7)
    assert counts == {"shops": 5, "products": 120, "photos": 7}
    shops = tmp_path / "a" / "shops"
    problems, products, categories, photos = [], 0, set(), set()
    for folder in sorted(shops.iterdir()):
        meta, body = read(folder / "shop.md")
        problems += rules.validate_shop(meta)[1]
        assert body
        for product in folder.glob("*.md"):
            if product.name == "shop.md":
                continue
            meta, body = read(product)
            clean, found = rules.validate_product(meta)
            problems += found
            products += 1
            categories.add(clean["category"])
            image = folder / clean["image"]
            assert image.is_file()
            photos.add(hashlib.sha256(image.read_bytes()).hexdigest())
            assert body.count(".") >= 2
    assert problems == []
    assert products == 120
    assert categories == {"Makanan", "Minuman", "Kerajinan", "Fashion", "Pertanian"}
    assert len(photos) == 7, "products share the pool's distinct photos"
    make_catalog.generate(120, tmp_path / "b", photos=7)
    assert digest(tmp_path / "a" / "shops") == digest(tmp_path / "b" / "shops")
