"""``make laporan`` (``python -m report.main``): read, summarise, write ``laporan/``.

    python -m report.main [--port 8000] [--stack NAME] [--catalog output/katalog.json]
                          [--out laporan] [--page-size 500]

Without ``--stack``: the running ``make serve`` on ``--port``. The catalog
(for shops, kecamatan and categories) is the built public
``output/katalog.json``.
"""

import argparse
import json
import sys
from datetime import datetime, timezone
from pathlib import Path

from report import figures, rows, source, write


def build(db, table: str, catalog: dict, out: Path, now: datetime, label: str,
          page_size: int = source.PAGE, pages: list | None = None) -> list[Path]:
    found = []
    for order in source.orders(db, table, page_size, pages):
        row = rows.to_row(order, catalog)
        if row is not None:
            found.append(row)
    return write.write(out, found, figures.all_tables(found, catalog, now), now, label)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--stack", default="")
    parser.add_argument("--catalog", type=Path, default=Path("output/katalog.json"))
    parser.add_argument("--out", type=Path, default=Path("laporan"))
    parser.add_argument("--page-size", type=int, default=source.PAGE)
    args = parser.parse_args(argv)
    where = source.stack(args.stack) if args.stack else source.local(args.port)
    label = f"stack {args.stack}" if args.stack else f"make serve :{args.port}"
    catalog = json.loads(args.catalog.read_text(encoding="utf-8"))
    written = build(source.client(where), where.table, catalog, args.out,
                    datetime.now(timezone.utc), label, args.page_size)
    print(f"laporan: {len(written)} berkas di {args.out}/", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
