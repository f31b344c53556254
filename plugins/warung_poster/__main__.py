"""``make poster``: every shop's A5 poster in one printable HTML file.

    python -m warung_poster [--catalog output/katalog.json] [--out poster/semua-toko.html]
"""

import argparse
import sys
from pathlib import Path

from warung.text import texts

from .posters import ROOT, write_all


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--catalog", type=Path, default=Path("output/katalog.json"))
    parser.add_argument("--out", type=Path, default=Path("poster/semua-toko.html"))
    parser.add_argument("--theme", type=Path, default=ROOT / "theme")
    args = parser.parse_args(argv)
    count = write_all(args.catalog, args.out, args.theme)
    print(texts()["poster"]["selesai"].format(count=count, path=args.out), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
