"""Publication dates from metadata and from the datelines an article carries.

Only explicit dates count here ("Stand: 04.03.2025", "Published June 17,
2024", "Hamburg, 4. März 2025 –"). Dates inferred from relative expressions
in the body belong to the date analysis, which marks them ``inferred``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

MONTHS: dict[str, int] = {}
for _num, _names in enumerate(
    (
        ("januar", "jänner", "january", "jan"),
        ("februar", "feber", "february", "feb"),
        ("märz", "maerz", "march", "mär", "mar", "mrz"),
        ("april", "apr"),
        ("mai", "may"),
        ("juni", "june", "jun"),
        ("juli", "july", "jul"),
        ("august", "aug"),
        ("september", "sept", "sep"),
        ("oktober", "october", "okt", "oct"),
        ("november", "nov"),
        ("dezember", "december", "dez", "dec"),
    ),
    start=1,
):
    for _name in _names:
        MONTHS[_name] = _num

#: French, Italian and Spanish month names, for datelines only ("Roma, 3 marzo 2024 –"):
#: the body's date finder reads German and English (``MONTHS``).
DATELINE_MONTHS: dict[str, int] = {}
for _num, _names in enumerate(
    (
        ("janvier", "gennaio", "enero"),
        ("février", "fevrier", "febbraio", "febrero"),
        ("mars", "marzo"),
        ("avril", "aprile", "abril"),
        ("mai", "maggio", "mayo"),
        ("juin", "giugno", "junio"),
        ("juillet", "luglio", "julio"),
        ("août", "aout", "agosto"),
        ("septembre", "settembre", "septiembre", "setiembre"),
        ("octobre", "ottobre", "octubre"),
        ("novembre", "noviembre"),
        ("décembre", "decembre", "dicembre", "diciembre"),
    ),
    start=1,
):
    for _name in _names:
        DATELINE_MONTHS[_name] = _num
_ALL_MONTHS = {**DATELINE_MONTHS, **MONTHS}

_MONTH = "(?P<month>" + "|".join(sorted(_ALL_MONTHS, key=len, reverse=True)) + r")\.?"
_PATTERNS = (
    re.compile(r"(?P<year>\d{4})-(?P<mnum>\d{1,2})-(?P<day>\d{1,2})"),
    re.compile(r"(?<!\d)(?P<day>\d{1,2})\.\s?(?P<mnum>\d{1,2})\.\s?(?P<year>\d{4})"),
    re.compile(
        r"(?<!\d)(?P<day>\d{1,2})(?:er|º|°)?\.?\s+(?:de\s+)?"
        + _MONTH
        + r"\s+(?:de\s+|del\s+)?(?P<year>\d{4})",
        re.IGNORECASE,
    ),
    re.compile(_MONTH + r"\s+(?P<day>\d{1,2})(st|nd|rd|th)?,?\s+(?P<year>\d{4})", re.IGNORECASE),
    re.compile(r"(?P<mnum>\d{1,2})/(?P<day>\d{1,2})/(?P<year>\d{4})"),
)
_META_LINE = re.compile(
    r"(stand|veröffentlicht|aktualisiert|erschienen|zuletzt aktualisiert|datum|"
    r"published|updated|posted|last updated|first published|date)\b\s*(am|on|:)?",
    re.IGNORECASE,
)
_META_LINE_MAX_CHARS = 120  # a line that only carries a date is short
_DATELINE = re.compile(r"[A-ZÄÖÜ][\w./ -]{1,40},\s")
_PUBLISHED_WORDS = re.compile(r"(veröffentlicht|erschienen|published|posted)", re.IGNORECASE)


def _build(year: str, month: int, day: str) -> str | None:
    try:
        return date(int(year), month, int(day)).isoformat()
    except ValueError:
        return None


def find_date(text: str) -> tuple[str, int, int] | None:
    """First explicit calendar date in text: (ISO value, start, end)."""
    best: tuple[str, int, int] | None = None
    for pattern in _PATTERNS:
        for m in pattern.finditer(text):
            g = m.groupdict()
            month = _ALL_MONTHS[g["month"].lower()] if g.get("month") else int(g["mnum"])
            value = _build(g["year"], month, g["day"])
            if value and (best is None or m.start() < best[1]):
                best = (value, m.start(), m.end())
                break
    return best


def parse_date_value(raw: str) -> str | None:
    """Normalise a metadata date ("2024-06-17T10:00Z", "17.06.2024", "June 17, 2024")."""
    raw = raw.strip()
    found = find_date(raw)
    if found:
        return found[0]
    m = re.fullmatch(r"(\d{4})-(\d{2})", raw)
    if m and 1 <= int(m.group(2)) <= 12:
        return f"{m.group(1)}-{m.group(2)}"
    if re.fullmatch(r"\d{4}", raw):
        return raw
    return None


def is_metadata_line(line: str) -> bool:
    """A line that only states when the article was published or updated."""
    if len(line) > _META_LINE_MAX_CHARS:  # before searching: a line can be megabytes long
        return False
    found = find_date(line)
    if not found:
        return False
    rest = (line[: found[1]] + line[found[2] :]).strip(" ,|–—-:")
    rest = re.sub(r"\d{1,2}[:.]\d{2}(\s*(uhr|h|am|pm|[a-z]{2,4}t))?", "", rest, flags=re.IGNORECASE)
    rest = rest.strip(" ,|–—-:")
    return not rest or (bool(_META_LINE.match(rest)) and len(rest.split()) <= 6)


def find_dateline(lines: Sequence[str]) -> tuple[str, int, str] | None:
    """Publication date stated near the top or bottom: (value, line index, kind).

    kind is "metadata-line" for a line that only carries the date (the cleaner
    removes it) and "dateline" for a lead that starts "City, <date> –".
    """
    n = len(lines)
    candidates = [i for i in range(n) if i < 8 or i >= n - 3]
    chosen: tuple[str, int, str] | None = None
    for i in candidates:
        line = lines[i]
        if is_metadata_line(line):
            found = find_date(line)
            assert found is not None
            if chosen is None or _PUBLISHED_WORDS.search(line):
                chosen = (found[0], i, "metadata-line")
            if _PUBLISHED_WORDS.search(line):
                break
    if chosen:
        return chosen
    for i in candidates[:8]:
        line = lines[i]
        m = _DATELINE.match(line)
        found = find_date(line[:80])
        if (
            m
            and found
            and found[1] <= m.end() + 2
            and re.search(r"[–—-]", line[found[2] : found[2] + 4])
        ):
            return found[0], i, "dateline"
    return None
