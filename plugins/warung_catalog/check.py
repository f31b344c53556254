"""`make check`: validate sellers' content without building.

    python -m warung_catalog.check [content] [--settings pelicanconf.py] [--format github]

Same rules and messages as the build, but no page is rendered and no photo
is resized (only its header is read). Prints every problem and a summary in
Indonesian; exits 1 when there is any error. ``--format github`` prints each
problem as a GitHub Actions annotation (``::error file=…,line=…::…``), so a
pull request shows it on the file and line.
"""

import argparse
import runpy
import sys
from pathlib import Path

from . import content
from .settings import merge


def warung_settings(settings_file: Path | None) -> dict:
    """The WARUNG dict of a Pelican settings file (defaults when absent)."""
    if settings_file is None or not settings_file.exists():
        return merge(None)
    return merge(runpy.run_path(str(settings_file)).get("WARUNG"))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m warung_catalog.check",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("content", nargs="?", default="content", type=Path)
    parser.add_argument("--settings", type=Path, default=Path("pelicanconf.py"),
                        help="Pelican settings file holding WARUNG (default: pelicanconf.py)")
    parser.add_argument("--format", choices=("text", "github"), default="text",
                        help="github: one ::error/::warning annotation per problem")
    args = parser.parse_args(argv)

    loaded = content.load(args.content, warung_settings(args.settings))
    for line in loaded.report.lines(args.format):
        print(line)
    print(loaded.report.summary(loaded.shop_count, loaded.product_count))
    return 1 if loaded.report.errors else 0


if __name__ == "__main__":
    sys.exit(main())
