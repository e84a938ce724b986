"""The entity page's chart (mentions per month) as inline SVG, made on the server.

Why SVG strings and not a chart library: the pages allow no script (CSP), and an SVG
built here is escaped like every other piece of text. Every label goes through
``escape``; styling is by class (the page's CSS), never ``style=``. The story page's
timeline chart is the briefing's (``storyline.report.chart``, via
:mod:`storyline.web.data`), so page and briefing draw the same picture.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from markupsafe import Markup, escape

WIDTH = 880
LEFT = 8
RIGHT = 8
#: Widest slot a month gets: an entity with one month of data once got one bar across
#: the whole chart, which read as a long period. A few months stay short bars at the left.
MAX_SLOT = 44.0


def _months(first: date, last: date) -> list[date]:
    out, cur = [], date(first.year, first.month, 1)
    while cur <= last:
        out.append(cur)
        cur = date(cur.year + (cur.month == 12), cur.month % 12 + 1, 1)
    return out


def _text(x: float, y: float, label: str, cls: str, anchor: str = "start") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" class="{cls}" text-anchor="{anchor}">{escape(label)}</text>'
    )


def month_bars(
    counts: dict[str, int], *, title: str, href: Callable[[str], str] | None = None
) -> Markup:
    """Bars per month ("YYYY-MM" -> count), months without any shown as gaps."""
    months = sorted(k for k in counts if len(k) == 7)
    if not months:
        return Markup("")
    first = date.fromisoformat(months[0] + "-01")
    last = date.fromisoformat(months[-1] + "-01")
    axis = _months(first, last)
    peak = max(counts.values()) or 1
    height, base, bar_top = 140, 110, 16
    slot = min((WIDTH - LEFT - RIGHT) / max(len(axis), 1), MAX_SLOT)
    step = max(1, len(axis) // 12)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart bars" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{LEFT}" y1="{base}" x2="{LEFT + slot * len(axis):.1f}" y2="{base}" '
        'class="axis"/>',
    ]
    for i, m in enumerate(axis):
        key = m.strftime("%Y-%m")
        n = counts.get(key, 0)
        bx = LEFT + i * slot
        if n:
            h = (base - bar_top) * n / peak
            bar = (
                f'<rect x="{bx + slot * 0.15:.1f}" y="{base - h:.1f}" width="{slot * 0.7:.1f}" '
                f'height="{h:.1f}" class="bar"><title>{escape(key)}: {n}</title></rect>'
            )
            parts.append(f'<a href="{escape(href(key))}">{bar}</a>' if href else bar)
        if i % step == 0:
            parts.append(_text(bx + slot / 2, base + 16, m.strftime("%m/%y"), "tick", "middle"))
    parts.append(_text(LEFT, 11, f"max {peak}", "tick"))
    parts.append("</svg>")
    return Markup("".join(parts))
