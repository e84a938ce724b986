"""Dating an article from its story: relative dates matched against what other articles date.

Why: an article's own text often pins no year ("am Mittwoch", "ab Dienstag", "vor 24
Jahren"), but other articles of the same story do: "18. und 19. Juni" in one article
and "ab Dienstag" in another agree only if the second was written in the days before
Tuesday 18 June. So we try publication dates `p` around the story's known dates,
resolve the article's relative expressions against each `p`, and keep the `p` under
which most of them land on dates the story already knows (its facts).

A match counts for more when it is precise (a day beats a month beats a year) and
when the expression's sentence names an entity that the fact's sentence names too.
Tense orders the two: "plant, diesen Monat nach Russland zu reisen" matched with a
trip on 13 September puts `p` before the 13th. Weekdays named in the text should lie
within days of `p` (news names weekdays only for the last and next few days), and an
article that would come after a month two other articles date things in, yet names
nothing from it nor later, was probably written before it (news recalls a story's
recent milestones). Among equally good `p`, the finest matched fact decides: the day
next to a matched day (news is written close to what it reports), the middle of the
window for a month, and the publication dates of the most similar dated articles
when only a year matched.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta
from statistics import median

from storyline.analyse.dates_find import Expr, find_expressions
from storyline.analyse.dates_infer import explicit_bounds, weekday_cost
from storyline.analyse.dates_lex import FUTURE, PAST
from storyline.analyse.dates_resolve import resolve
from storyline.analyse.model import Sentence
from storyline.analyse.preview import is_preview, preview_sentences
from storyline.analyse.sentences import split_sentences
from storyline.stories.facts import ContextDate, Fact, day_of, facts_of, interval

#: Facts, their intervals and days live in stories/facts.py; they are named here too, where
#: the rest of the package has always imported them from.
__all__ = [
    "ContextDate",
    "Fact",
    "day_of",
    "explicit_spans",
    "facts_of",
    "infer_from_story",
    "interval",
]

#: How many days around a known date a publication date is looked for.
SEARCH_DAYS = 21
#: The most a date gets that only weekdays ("am Dienstag") support: below the 0.5 at
#: which a date counts as sure, so it neither lends its days to other articles nor pins
#: an event precisely.
WEEKDAYS_ONLY_CONFIDENCE = 0.45
#: An article recalling a full date in the past was written at least this much later.
RECALLED_AFTER_DAYS = 7
#: What a match of each kind of expression is worth: how unlikely it is by chance. A day
#: and month ("4. März") lands on a known day about once a year; a weekday once a week.
#: "vor 24 Jahren" is a computed reference: it lands on a known year rarely by chance,
#: while "in diesem Jahr" or "Anfang des Jahres" always contains something.
_KIND_GAIN = {"date": 1.0, "range": 1.0, "month": 0.4, "weekday": 0.3, "relday": 0.3}
_SHIFT_GAIN = {"day": 0.3, "week": 0.3, "month": 0.4, "year": 0.6, "decade": 0.3}
_RELUNIT_GAIN = {"week": 0.2, "weekend": 0.2, "month": 0.3, "year": 0.15}
_FACT_GAIN = {"day": 1.0, "month": 0.9, "year": 0.8}  # finer facts pin more
_RANK = {"day": 0, "month": 1, "year": 2}
_UNRELATED = 0.6  # weight of a match whose sentences share no distinctive entity
_WEEKDAY_COST = 0.05
_MISS_COST = 0.3
_UNAWARE_COST = 0.35  # per day that a named past/future weekday lies from `p`


def explicit_spans(text: str, lang: str | None) -> set[tuple[int, int]]:
    """Spans of the dates that carry their year: true whatever the article's own date."""
    return {
        (e.start, e.end)
        for e in find_expressions(text, split_sentences(text), lang)
        if not _depends_on_publication(e)
    }


def _depends_on_publication(e: Expr) -> bool:
    return e.year is None and e.kind not in ("decade",)


def _match(e: Expr, got: tuple[date, date, str], p: date, f: Fact, related: bool) -> float:
    lo, hi, prec = got
    if hi < f.lo or lo > f.hi:
        return 0.0
    if e.kind == "weekday" and e.tense == FUTURE and p >= lo:
        return 0.0  # a weekday told in the future is not today ("ab Dienstag" on a Tuesday)
    if _RANK[prec] < _RANK[f.precision]:
        return 0.0  # a weekday inside "September 2023" says nothing about the month
    if prec == "year" and lo.year != f.lo.year:
        return 0.0
    if prec != "day" and f.precision == "day":
        # a coarse expression holding a precise fact: tense says on which side p lies
        if e.tense == FUTURE and not p < f.lo:
            return 0.0
        if e.tense == PAST and not p > f.hi:
            return 0.0
    return _gain(e) * _FACT_GAIN[f.precision] * (1.0 if related else _UNRELATED)


def _gain(e: Expr) -> float:
    if e.kind == "shift":
        return _SHIFT_GAIN.get(e.unit or "", 0.2)
    if e.kind == "relunit":
        return _RELUNIT_GAIN.get(e.unit or "", 0.2)
    return _KIND_GAIN.get(e.kind, 0.2)


def _near_misses(e: Expr, got: tuple[date, date, str], facts: Sequence[Fact]) -> bool:
    """A computed year ("vor 24 Jahren") one off a year the story dates: `p` is a year off."""
    if e.kind != "shift" or e.unit != "year":
        return False
    year = got[0].year
    years = {f.lo.year for f in facts}
    return year not in years and bool({year - 1, year + 1} & years)


def _sentence_entities(
    sentences: Sequence[Sentence], mentions: Sequence[tuple[int, int, str]]
) -> list[frozenset[str]]:
    out: list[set[str]] = [set() for _ in sentences]
    for start, _end, entity in mentions:
        for i, s in enumerate(sentences):
            if s.start <= start < s.end:
                out[i].add(entity)
                break
    return [frozenset(s) for s in out]


def infer_from_story(
    text: str,
    sentences: Sequence[Sentence],
    lang: str | None,
    mentions: Sequence[tuple[int, int, str]],
    facts: Sequence[Fact],
    neighbour_dates: Sequence[date] = (),
    common: frozenset[str] = frozenset(),
) -> ContextDate | None:
    """The publication date under which the article's relative dates agree best with `facts`.

    `mentions` are (start, end, entity id) of the article's entity mentions;
    `neighbour_dates` the publication dates of the most similar dated articles (they
    anchor the search but are no facts to match: a weekday that happens to fall on
    another article's publication day says nothing); `common` the entities nearly
    every article of the story names, which make no two sentences related.
    None when no expression matches any fact.
    """
    sents = list(sentences)
    every = find_expressions(text, sents, lang)
    exprs = [e for e in every if _depends_on_publication(e)]
    if not exprs or not facts:
        return None
    floor, ceiling, _ = explicit_bounds(every, text, frozenset(preview_sentences(sents, lang)))
    before = _announced_ceiling(sents, lang, mentions, facts, common)
    if before is not None and (ceiling is None or before < ceiling):
        ceiling = before
    recalled = _recalled(every)
    if recalled is not None and (floor is None or recalled > floor):
        floor = recalled
    explicit = [d for e in every if not _depends_on_publication(e) for d in [_first(e)] if d]
    told = max(explicit) if explicit else date.min
    ents = [es - common for es in _sentence_entities(sents, mentions)]
    salient = _salient_months(facts)
    anchors = sorted({f.lo for f in facts if f.precision == "day"} | set(neighbour_dates))
    if neighbour_dates and all(e.kind in _WEEKDAY_KINDS for e in exprs):
        # Only weekdays and "gestern"/"heute": they fit any week, so a background date one
        # report recalls would do as well as the story's own days. Stay near the dated
        # reports or the story's milestones (months two articles date things in).
        near = set(neighbour_dates)
        anchors = [
            a
            for a in anchors
            if any(abs((a - n).days) <= SEARCH_DAYS for n in near)
            or any(lo <= a <= hi for lo, hi in salient)
        ]
    candidates: set[date] = set()
    for a in anchors:
        candidates.update(a + timedelta(days=k) for k in range(-SEARCH_DAYS, SEARCH_DAYS + 1))
    if floor is not None:
        candidates = {p for p in candidates if p >= floor}
    if ceiling is not None:
        candidates = {p for p in candidates if p <= ceiling}
    named_day = _named_days(every, text)
    weekdays = [
        e for e in exprs if e.kind == "weekday" and not e.strict and e.start not in named_day
    ]
    scored: list[tuple[float, date, list[tuple[Expr, Fact, float]]]] = []
    for p in sorted(candidates):
        per_span: dict[tuple[date, date], tuple[float, Expr, Fact]] = {}
        own: list[tuple[date, date, str]] = []
        misses = 0
        for e in exprs:
            got = resolve(e, p)
            span = interval(got[0]) if got else None
            if span is None:
                continue
            pair = named_day.get(e.start)
            if pair is not None:
                named = resolve(pair, p)
                named_span = interval(named[0]) if named else None
                if named_span is None or named_span[0] != span[0]:
                    continue  # "am Mittwoch (9. April)": the weekday is that day or nothing
            own.append(span)
            if _near_misses(e, span, facts):
                misses += 1
            for f in facts:
                related = e.sentence < len(ents) and bool(ents[e.sentence] & f.entities)
                gain = _match(e, span, p, f, related)
                key = (span[0], span[1])
                if gain > per_span.get(key, (0.0,))[0]:
                    per_span[key] = (gain, e, f)
        if per_span:
            total = (
                sum(g for g, _, _ in per_span.values())
                - _WEEKDAY_COST * (weekday_cost(p, weekdays) + _named_cost(p, named_day))
                - _unaware(p, own, told, salient)
                - _MISS_COST * misses
            )
            scored.append((total, p, [(e, f, g) for g, e, f in per_span.values()]))
    if not scored:
        return _preview_only(before, weekdays, sents, lang)
    top = max(s[0] for s in scored)
    window = [s for s in scored if s[0] >= top - 1e-9]
    days = [w[1] for w in window]
    close = [
        n for n in neighbour_dates if days[0] - _NEAR <= n <= days[-1] + _NEAR
    ]  # a dated report a year away says nothing about where in this window `p` lies
    target = _target(days, window[0][2], close)
    _, p, matched = min(window, key=lambda s: (abs((s[1] - target).days), s[1]))
    return ContextDate(p.isoformat(), _confidence(matched), _evidence(matched, sents))


#: Expressions that fit any week: dated by them alone, an article stays near its story.
_WEEKDAY_KINDS = frozenset({"weekday", "relday"})
#: How far a dated report may lie from the window of candidate dates to pull `p` to it.
_NEAR = timedelta(days=SEARCH_DAYS)


def _announced_ceiling(
    sents: Sequence[Sentence],
    lang: str | None,
    mentions: Sequence[tuple[int, int, str]],
    facts: Sequence[Fact],
    common: frozenset[str],
) -> date | None:
    """The day before the earliest event the article announces, when it is a preview.

    Why: "Putin reist bald nach Nordkorea" was written before the visit that other
    reports date ahead of their own publication ("am 18. und 19. Juni") or report as
    their news. The event is such a fact whose sentence shares with the article's lead or
    preview sentences a distinctive entity, or two of any: the announced visit is about
    the story's main actors, whom nearly every article names.
    """
    if not is_preview(sents, lang):
        return None
    ents = _sentence_entities(sents, mentions)
    named: set[str] = set()
    for i in {*preview_sentences(sents, lang), *range(min(_LEAD, len(sents)))}:
        named |= ents[i]
    found: date | None = None
    for f in facts:
        if not (f.announced or f.recent) or f.precision != "day":
            continue
        shared = f.entities & named
        if (shared - common or len(shared) >= 2) and (found is None or f.lo < found):
            found = f.lo
    return found - timedelta(days=1) if found is not None else None


#: Sentences that make an article's lead (what it announces is named there).
_LEAD = 3
#: A preview is looked for this many days before the event it announces.
PREVIEW_LEAD_DAYS = 14
#: Confidence of a preview dated only by the event it announces and its weekdays.
PREVIEW_ONLY_CONFIDENCE = 0.3


def _preview_only(
    before: date | None, weekdays: list[Expr], sents: Sequence[Sentence], lang: str | None
) -> ContextDate | None:
    """A preview none of whose dates match the story: the days before the event it
    announces, the weekdays it names picking the day ("sagte am Freitag" on a Friday)."""
    if before is None:
        return None
    best = min(
        (before - timedelta(days=k) for k in range(PREVIEW_LEAD_DAYS)),
        key=lambda p: (weekday_cost(p, weekdays), (before - p).days),
    )
    lead = preview_sentences(sents, lang)
    where = sents[lead[0]].text if lead else ""
    return ContextDate(
        best.isoformat(),
        PREVIEW_ONLY_CONFIDENCE,
        f"{where} [a preview, dated before the event it announces ({before + timedelta(days=1)})]",
    )


#: The most a weekday tied to a date costs (in days, see _named_cost).
_NAMED_MAX_COST = 7
#: What may stand between a weekday and the date that names it ("Mittwoch (9. April)",
#: "Dienstag, 4. März", "Tuesday, March 4").
_WEEKDAY_DATE_GAP = re.compile(r"\s*(?:\(|,|den|the)?\s*")


def _named_days(every: Sequence[Expr], text: str) -> dict[int, Expr]:
    """Weekday expressions (by start) that a date right after them names: the weekday
    must resolve to that date's day. Why: counted on its own, "am Mittwoch" in "am
    Mittwoch (9. April)" matched any Wednesday a story knows, and with an entity shared
    by the two sentences it outweighed the date itself (an April article dated August)."""
    out: dict[int, Expr] = {}
    dates = sorted((d for d in every if d.kind == "date"), key=lambda d: d.start)
    for e in every:
        if e.kind != "weekday":
            continue
        after = next((d for d in dates if d.start >= e.end), None)
        if after is not None and _WEEKDAY_DATE_GAP.fullmatch(text[e.end : after.start]):
            out[e.start] = after
    return out


def _named_cost(p: date, named_day: dict[int, Expr]) -> int:
    """Days between `p` and each date a weekday names (a week at most, more than any bare
    weekday can cost): news writes "am Dienstag (4. März)" within days of that Tuesday."""
    cost = 0
    for pair in named_day.values():
        got = resolve(pair, p)
        span = interval(got[0]) if got else None
        cost += _NAMED_MAX_COST if span is None else min(abs((p - span[0]).days), _NAMED_MAX_COST)
    return cost


def _salient_months(facts: Sequence[Fact]) -> list[tuple[date, date]]:
    """Months that at least two articles of the story date something in."""
    sources: dict[tuple[date, date], set[str]] = {}
    for f in facts:
        if f.precision == "year":
            continue
        month = (f.lo.replace(day=1), _month_end(f.lo))
        if f.hi <= month[1]:
            sources.setdefault(month, set()).add(f.article)
    return sorted(m for m, arts in sources.items() if len(arts) >= 2)


def _month_end(d: date) -> date:
    nxt = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return nxt - timedelta(days=1)


def _recalled(exprs: list[Expr]) -> date | None:
    """A week after the latest full date (with its year) told in the past after the lead.

    "Zur Erinnerung: Am 2. April 2025 hatte die Gewerkschaft … gefordert" recalls a
    happening of some time ago; news tells this week's days by their weekday. The lead
    is left out: a dateline or "am 4. März 2025 begann" there is the news itself.
    """
    days = [
        d + timedelta(days=RECALLED_AFTER_DAYS)
        for e in exprs
        if e.kind == "date" and e.tense == PAST and e.sentence > 0
        for d in [_first(e)]
        if d is not None
    ]
    return max(days, default=None)


def _first(e: Expr) -> date | None:
    try:
        return date(e.year, e.month or 1, e.day or 1) if e.year else None
    except ValueError:
        return None


def _unaware(
    p: date, own: list[tuple[date, date, str]], told: date, salient: list[tuple[date, date]]
) -> float:
    """Penalty for a `p` under which the article ignores what the story had dated before it.

    News about a story recalls its recent milestones: an article that would come after
    a month the story's articles date things in, yet names nothing from that month nor
    after it, was more likely written before it.
    """
    missed = 0
    for lo, hi in salient:
        named = any(a <= hi and b >= lo for a, b, _ in own)
        if told < lo and hi < p - timedelta(days=7) and not named:
            missed += 1
    return min(missed, 2) * _UNAWARE_COST


def _day_level(e: Expr) -> bool:
    return e.kind in ("date", "range", "weekday", "relday") or (
        e.kind == "shift" and e.unit in ("day", "week")
    )


def _target(
    days: list[date], matched: list[tuple[Expr, Fact, float]], near: Sequence[date]
) -> date:
    # only a day told as a day places p near it; "vor zwei Monaten" holding a day does not
    finest = [f for e, f, _ in matched if f.precision == "day" and _day_level(e)]
    if finest:
        return min(days, key=lambda p: min(abs((p - f.lo).days) for f in finest))
    if any(f.precision == "month" for _, f, _ in matched) or not near:
        return date.fromordinal((days[0].toordinal() + days[-1].toordinal()) // 2)
    return date.fromordinal(int(median(d.toordinal() for d in near)))


def _confidence(matched: list[tuple[Expr, Fact, float]]) -> float:
    conf = min(0.85, 0.3 + 0.35 * sum(g for _, _, g in matched))
    if all(e.kind in ("weekday", "relday") for e, _, _ in matched):
        # weekdays alone: one in seven lands on a known day by chance
        conf = min(conf, WEEKDAYS_ONLY_CONFIDENCE)
    return round(conf, 2)


def _evidence(matched: list[tuple[Expr, Fact, float]], sents: list[Sentence]) -> str:
    e, f, _ = max(matched, key=lambda m: m[2])
    where = sents[e.sentence].text if e.sentence < len(sents) else e.text
    return f'{where} ["{e.text}" matches "{f.text}" in article {f.article[:12]}]'
