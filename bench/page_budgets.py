"""Page weight budgets of the built site (tests/theme/test_pages.py enforces them):

    python bench/page_budgets.py [--output output]

Prints the heaviest product page's HTML + the stylesheet (budget 14 KB gzip)
and every script (budget 10 KB gzip in total), gzip -9 as a CDN sends them.
"""

import argparse
import gzip
import json
from pathlib import Path

KB = 1024
PRODUCT_BUDGET, JS_BUDGET = 14 * KB, 10 * KB


def gzip_size(data: bytes) -> int:
    return len(gzip.compress(data, 9, mtime=0))


def budgets(output: Path) -> dict:
    catalog = json.loads((output / "katalog.json").read_text(encoding="utf-8"))
    pages = [output / p["url"].strip("/") / "index.html" for p in catalog["products"]]
    html, heaviest = max((gzip_size(p.read_bytes()), p) for p in pages)
    css = gzip_size((output / "theme" / "css" / "site.css").read_bytes())
    scripts = {p.name: gzip_size(p.read_bytes()) for p in sorted((output / "theme" / "js").glob("*.js"))}
    return {"heaviest": heaviest.relative_to(output).as_posix(), "html": html, "css": css,
            "scripts": scripts, "js": sum(scripts.values())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=Path("output"))
    b = budgets(parser.parse_args().output)
    print(f"product page {b['heaviest']}: HTML {b['html']} + CSS {b['css']} = "
          f"{b['html'] + b['css']} B gzip (budget {PRODUCT_BUDGET})")
    print("JS " + ", ".join(f"{name} {size}" for name, size in b["scripts"].items())
          + f" = {b['js']} B gzip (budget {JS_BUDGET})")


if __name__ == "__main__":
    main()
