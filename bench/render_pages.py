"""Rendering time per catalog page, by template: the largest part of a cold build.

    python bench/render_pages.py [--products 1000] [--rounds 20]

Generates a catalog (bench/make_catalog.py) in a temporary folder, builds it
once with Pelican in this process (the project's settings and theme, as
`make html` does), then renders every page of each catalog template again
through the catalog generator's own ``render_page``, ``--rounds`` times,
and prints the median and fastest milliseconds per page. Nothing is
written. The machine is noisy: compare two versions of a template or of
the code in one run (or alternate runs), never milliseconds across days.
"""

import argparse
import json
import runpy
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for folder in (ROOT / "bench", ROOT / "functions", ROOT / "plugins", ROOT):
    sys.path.insert(0, str(folder))

import make_catalog  # noqa: E402


def built_generator(work: Path, products: int):
    """The catalog generator of a real build of ``products`` generated products."""
    from pelican import Pelican
    from pelican.settings import read_settings

    from warung_catalog import generator

    content = work / "content"
    make_catalog.generate(products, content, 24, pool=work / "pool")
    settings_file = ROOT / "pelicanconf.py"
    warung = {**runpy.run_path(str(settings_file)).get("WARUNG", {}),
              "PRIVATE_CATALOG": str(work / "private" / "katalog.json"),
              "IMAGE_CACHE": str(work / "cache" / "images")}
    settings = read_settings(str(settings_file), override={
        "PATH": str(content), "OUTPUT_PATH": str(work / "output"), "WARUNG": warung})
    made = []
    output = generator.CatalogGenerator.generate_output

    def keep(self, writer=None):
        made.append(self)
        return output(self, writer)

    generator.CatalogGenerator.generate_output = keep
    try:
        Pelican(settings).run()
    finally:
        generator.CatalogGenerator.generate_output = output
    return made[0]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--products", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--json", help="also write the results as JSON")
    args = parser.parse_args(argv)
    from warung_catalog.rendering import CatalogPages

    with tempfile.TemporaryDirectory(prefix="render-pages-") as folder:
        catalog_generator = built_generator(Path(folder), args.products)
        built = catalog_generator.built
        pages = CatalogPages(built.catalog, catalog_generator.warung["PER_PAGE"], None, "",
                             built.build, catalog_generator.context.get("pages", []))
        by_template: dict[str, list] = {}
        for template, url, _, context in pages:
            by_template.setdefault(template, []).append((url, context))
        results = {}
        print(f"{args.products} products; ms per page, median and fastest of {args.rounds} rounds")
        for template, jobs in by_template.items():
            times = []
            for _ in range(args.rounds):
                start = time.perf_counter()
                for url, context in jobs:
                    catalog_generator.render_page(template, url, context)
                times.append((time.perf_counter() - start) / len(jobs) * 1000)
            results[template] = {"pages": len(jobs), "median_ms": statistics.median(times),
                                 "fastest_ms": min(times)}
            print(f"  {template:14s} {len(jobs):6d} pages  {statistics.median(times):7.3f}"
                  f"  {min(times):7.3f}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
