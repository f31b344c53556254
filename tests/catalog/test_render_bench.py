"""bench/render_pages.py renders every catalog page of a generated catalog."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_render_bench_times_every_catalog_template(tmp_path):
    results = tmp_path / "render.json"
    subprocess.run([sys.executable, str(ROOT / "bench" / "render_pages.py"), "--products", "30",
                    "--rounds", "1", "--json", str(results)], check=True, capture_output=True,
                   timeout=300)
    timed = json.loads(results.read_text())
    assert timed["product.html"]["pages"] == 30
    assert {"home.html", "shop.html", "category.html", "cart.html"} <= set(timed)
    assert all(entry["fastest_ms"] > 0 for entry in timed.values())
