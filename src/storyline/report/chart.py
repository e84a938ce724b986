"""The briefing's timeline chart: a hand-written inline SVG.

Why hand-written: the briefing must be one self-contained file with no scripts and no
external resources, readable on paper; a plotting library would bring fonts, scripts or
a raster image. The chart places every dated timeline entry on a time axis (a dot for a
day, a bar for a month, year or range), numbered like the entry list beside it, and
draws the events as shaded bands. Stories reach back decades ("seit 1945") while the
news happens in days, so long empty stretches between dated things are compressed to a
fixed gap marked "≈"; otherwise the recent days would shrink to one pixel.

All text (event titles, entry sentences) is hostile input and goes through
:func:`xml_text`: XML-escaped, with characters XML cannot hold removed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from storyline.i18n import MONTHS, translate
from storyline.stories.dating import interval

WIDTH = 960
LEFT, RIGHT = 24, 24
GAP_PX = 26  # a compressed stretch of time
LANE = 18  # height of one row of entry markers
LABEL_LANE = 16  # height of one row of event titles
MAX_LANES = 14
FONT = 11
CHAR_PX = 6.3  # mean glyph width at FONT px, for overlap checks
MIN_TICK_PX = 72
HALO = 'stroke="#ffffff" stroke-width="3" paint-order="stroke"'  # text stays legible over lines

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_text(value: object) -> str:
    """Text safe inside an SVG element or a double-quoted attribute."""
    text = _NOT_XML.sub("", str(value))
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def _clip(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


MIN_RUN_PX = 44  # a run of real time between two compressed gaps is never narrower


@dataclass(frozen=True)
class Mark:
    """A date on the chart: days [lo, hi) as ordinals; ``coarse`` for a month, a year or a
    long range, which places itself on the axis by its first day only (a year must not
    stretch the axis over twelve empty months) and is labelled ``label``."""

    lo: int
    hi: int
    coarse: bool
    label: str


def mark(value: object, lang: str) -> Mark | None:
    """The chart's reading of a stored date value; None for what it cannot place."""
    got = interval(str(value)) if value else None
    if got is None:
        return None
    lo, hi = got[0].toordinal(), got[1].toordinal() + 1
    coarse = hi - lo > 15
    months = MONTHS.get(lang, MONTHS["en"])
    text = str(value)
    if len(text) == 4:
        label = text
    elif len(text) == 7:
        label = f"{months[got[0].month - 1]} {got[0].year}"
    elif coarse:
        label = f"{got[0].year}–{got[1].year}" if got[0].year != got[1].year else str(got[0].year)
    else:
        label = f"{_day_label(got[0], lang)} {got[0].year}"
    return Mark(lo, hi, coarse, label)


class Axis:
    """Maps a day (ordinal) to x: linear within runs of real time, with the long empty
    stretches between them compressed to a fixed gap.

    The empty stretches between the marks are compressed largest first while one is
    longer than 45 days and a fifth of the time still shown, so the crowded days get the
    width; a run too short for its share gets ``MIN_RUN_PX``.
    """

    def __init__(self, marks: Sequence[Mark], x0: float, x1: float) -> None:
        merged: list[list[int]] = []
        for lo, hi in sorted((m.lo, m.lo + 1 if m.coarse else m.hi) for m in marks):
            if merged and lo <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], hi)
            else:
                merged.append([lo, hi])
        gaps = sorted(
            ((merged[i][0] - merged[i - 1][1], i) for i in range(1, len(merged))), reverse=True
        )
        shown = merged[-1][1] - merged[0][0]
        cut: set[int] = set()
        for empty, i in gaps:
            if empty <= max(45, 0.2 * shown):
                break
            cut.add(i)
            shown -= empty
        self.runs: list[tuple[int, int]] = []
        for i, (lo, hi) in enumerate(merged):
            if i and i not in cut:
                self.runs[-1] = (self.runs[-1][0], hi)
            else:
                self.runs.append((lo, hi))
        self.labels = {
            run: max((m for m in marks if run[0] <= m.lo < run[1]), key=lambda m: m.hi - m.lo).label
            for run in self.runs
        }
        self.x0 = x0
        avail = x1 - x0 - GAP_PX * (len(self.runs) - 1)
        days = [hi - lo for lo, hi in self.runs]
        small: set[int] = set()
        while True:  # runs too short for their share get the minimum width
            per_day = (avail - MIN_RUN_PX * len(small)) / max(
                sum(d for i, d in enumerate(days) if i not in small), 1
            )
            more = {i for i, d in enumerate(days) if i not in small and d * per_day < MIN_RUN_PX}
            if not more or len(small | more) == len(days):
                break
            small |= more
        if len(small | more) == len(days) and more:
            self.widths = [avail / len(days)] * len(days)
        else:
            self.widths = [MIN_RUN_PX if i in small else d * per_day for i, d in enumerate(days)]
        self.starts: list[float] = []
        pos = x0
        for w in self.widths:
            self.starts.append(pos)
            pos += w + GAP_PX

    def x(self, day: float) -> float:
        for i, (lo, hi) in enumerate(self.runs):
            if day <= hi or i + 1 == len(self.runs):
                if day <= lo:
                    return self.starts[i] - (
                        GAP_PX * min(1.0, (lo - day) / (lo - self.runs[i - 1][1])) if i else 0.0
                    )
                return self.starts[i] + self.widths[i] * min(1.0, (day - lo) / max(hi - lo, 1))
        return self.starts[-1] + self.widths[-1]

    def run_end(self, day: float) -> float:
        """x where the run holding ``day`` ends (a coarse bar is cut there)."""
        for i, (_lo, hi) in enumerate(self.runs):
            if day < hi:
                return self.starts[i] + self.widths[i]
        return self.starts[-1] + self.widths[-1]

    def scale(self, i: int) -> float:
        """Pixels per day in run ``i``."""
        lo, hi = self.runs[i]
        return self.widths[i] / max(hi - lo, 1)

    def breaks(self) -> list[float]:
        """x of the middle of each compressed stretch."""
        return [s + w + GAP_PX / 2 for s, w in zip(self.starts[:-1], self.widths[:-1], strict=True)]


def _month_starts(lo: date, hi: date, step: int) -> list[date]:
    out: list[date] = []
    y, m = lo.year, lo.month
    while True:
        d = date(y, m, 1)
        if d > hi:
            return out
        if d >= lo and (m - 1) % step == 0:
            out.append(d)
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


def _day_label(d: date, lang: str) -> str:
    months = MONTHS.get(lang, MONTHS["en"])
    return f"{d.day}. {months[d.month - 1]}" if lang == "de" else f"{months[d.month - 1]} {d.day}"


def _tick_candidates(lo: int, hi: int, px: float, lang: str) -> list[tuple[float, str]]:
    """(day, label) for one run of real time at ``px`` pixels per day: days, weeks, months
    or years, whichever is the finest that leaves room for its labels."""
    months = MONTHS.get(lang, MONTHS["en"])
    a, b = date.fromordinal(lo), date.fromordinal(max(lo, hi - 1))
    if px * 7 >= MIN_TICK_PX:
        days = [date.fromordinal(d) for d in range(lo, hi)]
        if px < MIN_TICK_PX:
            days = [d for d in days if d.weekday() == 0]
        return [(d.toordinal() + 0.5, _day_label(d, lang)) for d in days]
    if px * 30.4 * 6 >= MIN_TICK_PX:
        step = next(s for s in (1, 2, 3, 6) if px * 30.4 * s >= MIN_TICK_PX)
        return [
            (d.toordinal(), f"{months[d.month - 1]} {d.year}") for d in _month_starts(a, b, step)
        ]
    step = next((s for s in (1, 2, 5, 10, 25, 50, 100) if px * 365 * s >= MIN_TICK_PX), 250)
    return [
        (date(y, 1, 1).toordinal(), str(y))
        for y in range(a.year, b.year + 1)
        if y % step == 0 and date(y, 1, 1) >= a
    ]


def _ticks(axis: Axis, lang: str) -> list[tuple[float, str]]:
    """Tick positions and labels along the axis, never closer than a label's width; a run
    without a tick of its own is labelled with its first mark's date."""
    out: list[tuple[float, str]] = []
    for i, (lo, hi) in enumerate(axis.runs):
        if hi - lo <= 1:  # one day (or one coarse date's first day) at the minimum width
            cands = [(axis.starts[i] + axis.widths[i] / 2, axis.labels[(lo, hi)])]
        else:
            scale = axis.scale(i)
            cands = [(axis.x(d), label) for d, label in _tick_candidates(lo, hi, scale, lang)]
        if not cands:
            cands = [(axis.starts[i], axis.labels[(lo, hi)])]
        for x, label in cands:
            if not out or x - out[-1][0] >= MIN_TICK_PX * 0.9:
                out.append((x, label))
    return out


def _lane(occupied: list[float], start: float, end: float, limit: int) -> int:
    """The first row whose last occupant ends before ``start``; rows beyond ``limit`` are
    not opened (a crowded chart overlaps rather than growing without end)."""
    for i, last in enumerate(occupied):
        if last < start:
            occupied[i] = end
            return i
    if len(occupied) < limit:
        occupied.append(end)
        return len(occupied) - 1
    i = min(range(len(occupied)), key=lambda k: occupied[k])
    occupied[i] = max(occupied[i], end)
    return i


def _extent(axis: Axis, m: Mark) -> tuple[float, float, bool]:
    """(x0, x1, is_bar) of a mark: a day is a dot, a coarse date a bar cut at the end of
    its run (the compressed gap after it holds no real time to draw on)."""
    x0 = axis.x(m.lo)
    x1 = min(axis.x(m.hi), axis.run_end(m.lo)) if m.coarse else axis.x(m.hi)
    if x1 - x0 >= 8 and m.hi - m.lo > 1:
        return x0, x1, True
    mid = (x0 + x1) / 2
    return mid, mid, False


def timeline_svg(
    entries: Sequence[Mapping[str, Any]],
    events: Sequence[Mapping[str, Any]] = (),
    *,
    lang: str = "de",
) -> str:
    """The chart as an ``<svg>`` element ("" when nothing is dated).

    ``entries``: ``{"n", "date", "text", "outlets"}`` (timeline entries, numbered as in
    the list); ``events``: ``{"title", "date"}``. Dates are stored date values
    ("2025-03-04", "2025-03", "2025", "2025-03-04/2025-03-14").
    """
    dated = [(e, m) for e in entries if (m := mark(e.get("date"), lang))]
    bands = [(e, m) for e in events if (m := mark(e.get("date"), lang))]
    if not dated and not bands:
        return ""
    axis = Axis([m for _, m in dated] + [m for _, m in bands], LEFT, WIDTH - RIGHT)
    parts: list[str] = []

    label_rows: list[float] = []
    placed_events = []
    for ev, m in bands:
        title = _clip(str(ev.get("title") or ""), 48)
        x0, x1, _ = _extent(axis, m)
        x1 = max(x1, x0 + 6)
        width = len(title) * CHAR_PX
        lx, anchor = x0, "start"
        if x0 + width > WIDTH - RIGHT:  # ends at its band instead of running off the chart
            lx, anchor = min(x0 + 4, float(WIDTH - 4)), "end"
        left = lx - width if anchor == "end" else lx
        row = _lane(label_rows, left, left + width + 10, 4)
        placed_events.append((ev, x0, x1, title, lx, anchor, row))
    top = 8 + LABEL_LANE * len(label_rows)

    entry_rows: list[float] = []
    placed = []
    for e, m in dated:
        x0, x1, bar = _extent(axis, m)
        label = str(e.get("n") or "")
        start, end = x0 - 6, x1 + 10 + len(label) * 7
        placed.append((e, m, x0, x1, bar, label, _lane(entry_rows, start, end, MAX_LANES)))
    plot_top = top + 6
    axis_y = plot_top + LANE * max(len(entry_rows), 1) + 4
    height = axis_y + 30

    for i, (ev, x0, x1, title, lx, anchor, row) in enumerate(placed_events):
        fill = "#d6e2f0" if i % 2 == 0 else "#f0e2c8"
        ly = 8 + LABEL_LANE * row + 11
        parts.append(
            f'<g class="event"><title>{xml_text(ev.get("title") or "")}</title>'
            f'<rect x="{x0:.1f}" y="{top:.1f}" width="{x1 - x0:.1f}" height="{axis_y - top:.1f}" '
            f'fill="{fill}" stroke="#7f95ad" stroke-width="0.7"/>'
            f'<line x1="{x0:.1f}" y1="{ly + 3:.1f}" x2="{x0:.1f}" y2="{top:.1f}" '
            f'stroke="#7f95ad" stroke-width="0.7"/>'
            f'<text x="{lx:.1f}" y="{ly:.1f}" font-size="{FONT}" fill="#333" {HALO} '
            f'text-anchor="{anchor}">{xml_text(title)}</text></g>'
        )
    for bx in axis.breaks():
        parts.append(
            f'<rect x="{bx - GAP_PX / 2 + 4:.1f}" y="{top:.1f}" width="{GAP_PX - 8}" '
            f'height="{axis_y - top:.1f}" fill="#ffffff" stroke="#aaa" stroke-width="0.6" '
            f'stroke-dasharray="2 2"/>'
        )
    for e, m, x0, x1, bar, label, row in placed:
        y = plot_top + LANE * row + LANE / 2
        tip = f"{m.label}: {_clip(str(e.get('text') or ''), 200)}"
        outlets = e.get("outlets") or []
        if outlets:
            tip += f" ({', '.join(str(o) for o in outlets)})"
        if bar:
            fill = "#a9bed6" if m.coarse else "#3d6594"
            shape = (
                f'<rect x="{x0:.1f}" y="{y - 4:.1f}" width="{x1 - x0:.1f}" height="8" rx="3" '
                f'fill="{fill}" stroke="#1f3f66" stroke-width="0.8"/>'
            )
        else:
            shape = f'<circle cx="{x0:.1f}" cy="{y:.1f}" r="4.5" fill="#1f3f66"/>'
        parts.append(
            f'<g class="entry"><title>{xml_text(tip)}</title>{shape}'
            f'<text x="{x1 + 7:.1f}" y="{y + 4:.1f}" font-size="{FONT}" fill="#111" {HALO}>'
            f"{xml_text(label)}</text></g>"
        )

    pos = float(LEFT)
    for bx in [*axis.breaks(), WIDTH - RIGHT + GAP_PX / 2]:
        parts.append(
            f'<line x1="{pos:.1f}" y1="{axis_y:.1f}" x2="{bx - GAP_PX / 2:.1f}" '
            f'y2="{axis_y:.1f}" stroke="#333" stroke-width="1.2"/>'
        )
        pos = bx + GAP_PX / 2
    for bx in axis.breaks():
        parts.append(
            f'<text x="{bx:.1f}" y="{axis_y + 4:.1f}" font-size="14" text-anchor="middle" '
            f'fill="#333">≈</text>'
        )
    for x, label in _ticks(axis, lang):
        parts.append(
            f'<line x1="{x:.1f}" y1="{axis_y:.1f}" x2="{x:.1f}" y2="{axis_y + 5:.1f}" '
            f'stroke="#333"/><text x="{x:.1f}" y="{axis_y + 18:.1f}" font-size="{FONT}" '
            f'text-anchor="middle" fill="#222">{xml_text(label)}</text>'
        )
    name = xml_text(translate("report.timeline_chart", lang))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0f}" '
        f'width="{WIDTH}" height="{height:.0f}" role="img" font-family="sans-serif" '
        f'class="timeline-chart"><title>{name}</title>'
        f'<rect x="0" y="0" width="{WIDTH}" height="{height:.0f}" fill="#ffffff"/>'
        + "".join(parts)
        + "</svg>"
    )
