"""Decide, line by line, what is article text and what is scraper junk.

Three kinds of evidence, applied in this order:

1. the curated phrase list (``data/junk_phrases.tsv``): paywalls, cookie
   banners, share bars, comment forms, teasers, promos, credits;
2. line features: bare counters and links, all-caps teaser lines, a repeated
   headline, a bare outlet name, a section label above the headline, a byline, a call
   to action (:mod:`storyline.clean.cta`);
3. context: short fragments wedged between junk lines, and the run of short
   non-sentences after the last paragraph (widgets such as "Most Popular").

Repetition across articles of the same outlet is applied by the caller
(:mod:`storyline.clean`), which knows the store. Every decision carries a
reason so a user can audit it and undo it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from storyline.clean.cta import is_call_to_action
from storyline.clean.phrases import canonical_outlet, outlet_words, phrase_rules
from storyline.clean.published import is_metadata_line
from storyline.model import LineVerdict

_NUMERIC = re.compile(r"[\d\s.,:%+\-–|/()]{1,15}")
_URL = re.compile(r"(https?://|www\.)\S+", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?…:;\"“”»«„')\]]\s*$")
_WORD = re.compile(r"\w+")
_NAME = r"[A-ZÄÖÜ][\w.'-]+(?:\s+[A-ZÄÖÜ][\w.'-]+){0,3}"
_BYLINE = re.compile(
    r"(?i:von|by|text:|autor:|autorin:|author:)\s+"
    + _NAME
    + r"(?:\s*(?:,|und|and|&)\s*"
    + _NAME
    + r")*"
    + r"(?:\s*[,|–—-]\s*[^.!?]{1,60})?",
)


def words(line: str) -> list[str]:
    return _WORD.findall(line)


def is_sentence(line: str) -> bool:
    return _SENTENCE_END.search(line) is not None


def _is_caps_teaser(line: str) -> bool:
    # Counted with map (no Python loop per character): lines can be megabytes long.
    letters = sum(map(str.isalpha, line))
    if letters < 15 or len(words(line)) < 4:
        return False
    upper = sum(map(str.isupper, line))
    return upper / letters >= 0.8


def _phrase_reason(line: str) -> str | None:
    for rule in phrase_rules():
        if rule.matches(line):
            return rule.reason
    return None


def _feature_reason(line: str, index: int, title: str | None, outlet: str | None) -> str | None:
    if _NUMERIC.fullmatch(line) and not any(c.isalpha() for c in line):
        return "counter"
    if _URL.fullmatch(line.strip("<>()[] ")):
        return "link"
    if canonical_outlet(line) is not None or (outlet and line.casefold() == outlet.casefold()):
        return "outlet-name"
    if index < 6 and len(line) <= 80 and _BYLINE.fullmatch(line):
        return "byline"
    if is_call_to_action(line):
        return "call-to-action"
    if title and _repeats_title(line, title):
        return "repeated-title"
    if index > 0 and _is_caps_teaser(line):
        return "caps-teaser"
    return None


_MASTHEAD = re.compile(r"[A-ZÄÖÜ0-9][\w&.'-]*(?: [A-ZÄÖÜ0-9][\w&.'-]*){0,3}")


def _is_masthead(line: str) -> bool:
    if len(line) > 40 or _MASTHEAD.fullmatch(line) is None or line.endswith("."):
        return False
    return any(w.lower() in outlet_words() for w in words(line))


def _is_headline(line: str) -> bool:
    return (
        len(words(line)) <= 16
        and not line.rstrip().endswith((".", "!", ";", ","))
        and (len(line) <= 140)
    )


_CREDIT = re.compile(r"(foto|bild|quelle|photo|image|credit|©|\(c\)|/)", re.IGNORECASE)


def _repeats_title(line: str, title: str) -> bool:
    """The headline again, with an image credit or caption glued on (not a body sentence)."""
    if line == title or not line.startswith(title) or len(line) - len(title) > 80:
        return False
    rest = line[len(title) :]
    glued = rest[:1].isupper() and title[-1:].islower()
    if not (glued or not (rest[:1].isalnum() or rest[:1] == "_")):
        return False
    return _CREDIT.search(rest) is not None or not is_sentence(line)


def _is_fragment(line: str, max_words: int) -> bool:
    return len(words(line)) <= max_words and not is_sentence(line) and len(line) <= 60


def classify_lines(
    lines: Sequence[str],
    *,
    positions: Sequence[int] | None = None,
    title: str | None = None,
    outlet: str | None = None,
) -> list[LineVerdict]:
    """Classify each (stripped, non-empty) line; exactly one kept line is marked as title.

    ``title`` is a known headline (from metadata); without one the first kept
    line becomes the title, after skipping a section label above it.
    """
    reasons: list[str | None] = []
    for i, line in enumerate(lines):
        reason = _phrase_reason(line) or _feature_reason(line, i, title, outlet)
        reasons.append(reason)

    # Context: short fragments wedged between junk, e.g. "Total" / "0" / "Shares".
    for i, line in enumerate(lines):
        if reasons[i] is None and 0 < i < len(lines) - 1 and _is_fragment(line, 2):
            before, after = reasons[i - 1], reasons[i + 1]
            if before is not None and after is not None:
                reasons[i] = "junk-block"

    # Teaser headlines listed under a "Related"/"Lesen Sie auch" heading.
    for i, line in enumerate(lines):
        if reasons[i] == "related-teaser" and not is_sentence(line) and len(words(line)) <= 6:
            j = i + 1
            while j < len(lines) and reasons[j] is None and _is_headline(lines[j]):
                reasons[j] = "related-teaser"
                j += 1

    # Trailing widgets: short non-sentences after the last real paragraph.
    last_body = max(
        (
            i
            for i, r in enumerate(reasons)
            if r is None and (is_sentence(lines[i]) or len(lines[i]) > 120)
        ),
        default=-1,
    )
    if last_body >= 0:
        for i in range(last_body + 1, len(lines)):
            if reasons[i] is None and _is_fragment(lines[i], 6) and not is_metadata_line(lines[i]):
                reasons[i] = "trailing-widget"

    kept = [i for i, r in enumerate(reasons) if r is None]
    title_index: int | None = None
    if title is not None:
        norm = " ".join(title.split()).casefold()
        for i in kept[:3]:
            if " ".join(lines[i].split()).casefold() == norm:
                title_index = i
                break
    elif kept:
        title_index = kept[0]
        if len(kept) > 2 and len(words(lines[kept[0]])) <= 2 and len(lines[kept[0]]) <= 30:
            nxt = lines[kept[1]]
            if len(nxt) <= 200 and not nxt.rstrip().endswith("."):
                reasons[kept[0]] = "section-label"
                title_index = kept[1]
    if title_index is not None:
        # A bare name right under the headline is the outlet's masthead ("Harbour Times").
        below = [i for i in kept if i > title_index][:1]
        if below and reasons[below[0]] is None and _is_masthead(lines[below[0]]):
            reasons[below[0]] = "outlet-name"
        # The headline repeated further down with a credit glued on.
        for i in kept:
            if (
                i > title_index
                and reasons[i] is None
                and _repeats_title(lines[i], lines[title_index])
            ):
                reasons[i] = "repeated-title"
    pos = positions if positions is not None else range(len(lines))
    return [
        LineVerdict(pos[i], line, reasons[i], title=(i == title_index))
        for i, line in enumerate(lines)
    ]
