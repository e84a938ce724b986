"""Claim units: the sentences of an article that state something comparable across outlets.

A unit is one sentence with what the analysis found in it: the entities it names, the
figures and dates it gives, who is quoted in it and through whom, and whether it denies,
hedges or accuses. Sentences that name nothing, give no figure and quote no one (scene
colour, transitions) are left out: they would group by topic alone and bury the claims.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Any

from storyline.analyse.sentences import split_sentences
from storyline.compare import cues
from storyline.compare.actors import actor_key
from storyline.records import FigureRecord

#: Shorter sentences are headings or fragments; longer ones are run-on junk from scraping.
MIN_CHARS = 40
MAX_CHARS = 700
MIN_DENIAL_CHARS = 15

#: Counted nouns that measure time: "zwei Tage", "18 Monaten" say when, not how much.
_TIME_NOUN = re.compile(
    r"^(?:uhr|tag|tage|tagen|stunde|stunden|minute|minuten|woche|wochen|monat|monate|monaten|"
    r"jahr|jahre|jahren|jahrzehnt\w*|sekunde\w*|day|days|hour|hours|minute|minutes|week|weeks|"
    r"month|months|year|years|decade|decades|seconds?)$",
    re.I,
)


@dataclass(frozen=True)
class Figure:
    text: str
    value: float
    unit: str | None
    counted: str | None
    hedge: str | None
    start: int
    end: int

    def to_dict(self) -> FigureRecord:
        return {
            "text": self.text,
            "value": self.value,
            "unit": self.unit,
            "counted": self.counted,
            "hedge": self.hedge,
            "start": self.start,
            "end": self.end,
        }


@dataclass(frozen=True)
class Unit:
    article: str
    index: int  # sentence number in the article, for "the sentence before"
    start: int
    end: int
    text: str
    kind: str  # statement | figure | denial | hedged
    hedge: str | None = None
    speaker: str | None = None
    speaker_name: str | None = None
    via: str | None = None
    entities: frozenset[str] = frozenset()
    #: who the sentence is about, capitals read as their states (compare/actors.py)
    actors: frozenset[str] = frozenset()
    figures: tuple[Figure, ...] = ()
    dates: frozenset[str] = frozenset()
    accuses: bool = False
    points_back: bool = False

    @property
    def key(self) -> tuple[str, int]:
        return (self.article, self.start)


def _kind(text: str, figures: tuple[Figure, ...]) -> tuple[str, str | None]:
    denied = cues.denial(text)
    hedged = cues.hedge(text) or next((f.hedge for f in figures if f.hedge in _VAGUE), None)
    if denied:
        return "denial", hedged
    if figures:
        return "figure", hedged
    if hedged:
        return "hedged", hedged
    return "statement", None


#: Figure hedges that make the claim itself uncertain ("bis zu", "schätzungsweise");
#: "rund" or "mehr als" only round a number.
_VAGUE = frozenset({"bis zu", "schätzungsweise", "up to", "as many as", "an estimated"})


class _Spans:
    """Rows with character spans, found by overlap with a sentence in logarithmic time.

    Scanning every row for every sentence was quadratic in the article's length (a long
    article has thousands of mentions and sentences). Rows come back in their given order.
    """

    def __init__(self, rows: list[dict[str, Any]]) -> None:
        order = sorted(range(len(rows)), key=lambda i: rows[i]["start"])
        self._rows = [rows[i] for i in order]
        self._index = order
        self._starts = [r["start"] for r in self._rows]
        self._longest = max((r["end"] - r["start"] for r in rows), default=0)

    def within(self, lo: int, hi: int) -> list[dict[str, Any]]:
        first = bisect.bisect_left(self._starts, lo - self._longest)
        last = bisect.bisect_left(self._starts, hi)
        hits = [k for k in range(first, last) if self._rows[k]["end"] > lo]
        return [self._rows[k] for k in sorted(hits, key=self._index.__getitem__)]


def _own_line(text: str, lo: int, hi: int) -> bool:
    """True when the sentence is a whole line of the text (a heading, a caption)."""
    before = text[:lo].rstrip(" \t")
    after = text[hi:].lstrip(" \t")
    return (not before or before.endswith("\n")) and (not after or after.startswith("\n"))


def article_units(article: dict[str, Any]) -> list[Unit]:
    """Units of one stored article.

    `article` holds ``id`` and ``text`` and the analysis rows ``mentions`` (start, end,
    entity_id, and the entity's ``name`` where known), ``quotes`` (start, end, speaker,
    speaker_name, via, kind), ``quantities`` (start, end, text, value, unit, counted,
    hedge) and ``dates`` (start, end, value).
    """
    text: str = article["text"]
    out: list[Unit] = []
    spans = {k: _Spans(article[k]) for k in ("mentions", "quantities", "quotes", "dates")}
    for index, sent in enumerate(split_sentences(text)):
        lo, hi = sent.start, sent.end
        denied = cues.denial(sent.text)
        # a short denial ("Er wies die Vorwürfe zurück.") is still a claim
        if not (MIN_CHARS if not denied else MIN_DENIAL_CHARS) <= hi - lo <= MAX_CHARS:
            continue
        if cues.not_a_claim(
            sent.text, own_line=_own_line(text, lo, hi), first_line=not text[:lo].strip()
        ):
            continue  # captions, bylines, teasers and subheadings are no claims
        named = [m for m in spans["mentions"].within(lo, hi) if m["entity_id"]]
        entities = frozenset(str(m["entity_id"]) for m in named)
        actors = frozenset(
            actor_key(m["name"]) if m.get("name") else str(m["entity_id"]) for m in named
        )
        figures = tuple(
            Figure(
                q["text"],
                float(q["value"]),
                q["unit"],
                q["counted"],
                q["hedge"],
                q["start"],
                q["end"],
            )
            for q in spans["quantities"].within(lo, hi)
            if not any(_TIME_NOUN.match(w) for w in f"{q['counted'] or ''} {q['text']}".split())
        )
        quotes = spans["quotes"].within(lo, hi)
        # the widest quote carries the speaker of the sentence (indirect quotes contain
        # the direct fragments they quote)
        quote = max(quotes, key=lambda q: q["end"] - q["start"], default=None)
        if not (entities or figures or quote or denied):
            continue
        kind, hedge = _kind(sent.text, figures)
        out.append(
            Unit(
                article=str(article["id"]),
                index=index,
                start=lo,
                end=hi,
                text=sent.text,
                kind=kind,
                hedge=hedge,
                speaker=quote["speaker"] if quote else None,
                speaker_name=quote["speaker_name"] if quote else None,
                via=quote["via"] if quote else None,
                entities=entities,
                actors=actors,
                figures=figures,
                dates=frozenset(str(d["value"]) for d in spans["dates"].within(lo, hi)),
                accuses=cues.accusation(sent.text),
                points_back=bool(denied) and cues.points_back(sent.text),
            )
        )
    return out
