"""Write ``laporan/``: ``pesanan.csv``, one CSV per summary, ``index.html``.

CSV: UTF-8 with a header row, comma separated (Python's ``csv``), amounts
in whole rupiah. ``index.html`` needs no JavaScript and nothing from the
network: the charts are inline SVG and the styles inline.
"""

import csv
from collections import Counter
from datetime import datetime
from pathlib import Path

from warung.rupiah import format_rupiah
from warung.text import texts

from report import svg
from report.figures import Table
from report.rows import COLUMNS, STATUSES, Row

TEMPLATES = Path(__file__).with_name("templates")
MONEY = {"nilai", "total"}


def write_csv(path: Path, columns: list, rows) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(columns)
        out.writerows(rows)


def chart(table: Table) -> str:
    if not table.chart or not table.rows:
        return ""
    label, value = table.chart
    money = table.columns[value] in MONEY
    return svg.bars(table.title, [(row[label], row[value]) for row in table.rows], money)


def render_html(rows: list[Row], tables: list[Table], now: datetime, source: str) -> str:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["rupiah"] = format_rupiah
    statuses = Counter(row.status for row in rows)
    words = {**texts()["status_pesanan"], "dikirim": texts()["laporan"]["status_dikirim"]}
    return env.get_template("index.html").render(
        L=texts()["laporan"], now=now.strftime("%Y-%m-%d %H:%M UTC"), source=source,
        count=len(rows), value=sum(row.total for row in rows),
        status_chart=svg.bars(texts()["laporan"]["status"],
                              [(words[s], statuses[s]) for s in STATUSES]),
        tables=[(table, chart(table)) for table in tables], money=MONEY)


def write(folder: Path, rows: list[Row], tables: list[Table], now: datetime,
          source: str) -> list[Path]:
    """Write every file; returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    written = [folder / "pesanan.csv"]
    write_csv(written[0], COLUMNS, (row.csv() for row in sorted(rows, key=lambda r: r.created)))
    for table in tables:
        path = folder / f"{table.name}.csv"
        write_csv(path, table.columns, table.rows)
        written.append(path)
    index = folder / "index.html"
    index.write_text(render_html(rows, tables, now, source), encoding="utf-8")
    written.append(index)
    return written
