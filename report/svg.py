"""Horizontal bar charts as inline SVG (pure, no JavaScript, no fonts to load)."""

from html import escape

from warung.rupiah import format_rupiah

ROW = 26
LABEL_WIDTH = 190
BAR_WIDTH = 300
WIDTH = LABEL_WIDTH + BAR_WIDTH + 110


def _number(value, money: bool) -> str:
    if money:
        return format_rupiah(int(value))
    return f"{value:,}".replace(",", ".") if isinstance(value, int) else str(value)


def bars(title: str, items: list[tuple], money: bool = False) -> str:
    """``items``: (label, value) pairs -> one ``<svg>`` with a bar per item."""
    items = [(str(label), value) for label, value in items if isinstance(value, (int, float))]
    height = max(1, len(items)) * ROW + 10
    top = max([value for _, value in items] + [1])
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{WIDTH}" '
             f'height="{height}" viewBox="0 0 {WIDTH} {height}" class="chart">'
             f'<title>{escape(title)}</title>']
    for n, (label, value) in enumerate(items):
        y = 5 + n * ROW
        width = round(BAR_WIDTH * value / top) if value > 0 else 0
        shown = label if len(label) <= 28 else label[:27] + "…"
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 17}" text-anchor="end">{escape(shown)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{width}" height="{ROW - 8}" fill="#7a3e00"/>'
            f'<text x="{LABEL_WIDTH + width + 6}" y="{y + 17}">{escape(_number(value, money))}</text>')
    parts.append("</svg>")
    return "".join(parts)
