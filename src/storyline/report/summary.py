"""The briefing's extractive summary: a handful of source sentences, each cited.

Why extractive: a summary an analyst can trust must say nothing the sources do not say,
so every sentence is a passage of an article and carries the outlets that report it.
Why claims: the comparison (:mod:`storyline.compare`) already groups passages that say
the same thing across articles and counts the independent sources behind each, so the
best-corroborated statements are known; picking them one by one with maximal marginal
relevance (MMR: score minus word overlap with what is already chosen) keeps the summary
from saying the same thing twice. Every event gets its best sentence first, taken from
an article's lead where it can (the lead says what happened), so a story of three events
is not summarised by its loudest day only; the result is put back into event order so it
reads as a chronology, and within an event the best-sourced sentence comes first. The
briefing states exactly that order (it once said "ordered by independent sources" above
a first bullet with one source).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

MIN_SENTENCES = 5
MAX_SENTENCES = 8
MIN_CHARS = 40
MAX_CHARS = 350
MIN_WORDS = 6
MAX_WORDS = 60
LAMBDA = 0.7  # MMR balance: relevance against redundancy
REDUNDANT = 0.6  # word containment above which a candidate repeats a chosen sentence
LEAD_CHARS = 400  # a passage starting this early in its article belongs to the lead
COMMON_SHARE = 0.15  # a word in more of the claims than this is left out of the overlap
#: First words that point back to a sentence the summary may not have.
ANAPHORA = frozenset(
    "Das Dies Diese Dieser Dieses Er Sie Es Damit Daher Deshalb Dabei Dazu Demnach Zudem "
    "Außerdem Ebenso Zusätzlich Dafür Darauf Dort This That These Those It He She They "
    "Also However But And There".split()
)
SPREAD = 0.05  # MMR penalty per sentence already chosen from the same event

_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)
_JUNK = re.compile(r"https?://|www\.|@\w|©|\|| {3,}|\.{4,}|_{3,}|={3,}|(?i:cookie|newsletter)")
_START = re.compile(r"^[\"„“‚'»«(]?[A-ZÄÖÜ0-9]")
_END = re.compile(r"[.!?…][\"“”'»«)]*$|[\"“”»«]$")
_FOLD = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "s"})


def words(text: str) -> frozenset[str]:
    """Content words, case- and umlaut-folded and cut to a crude stem, for overlap."""
    return frozenset(w.lower().translate(_FOLD)[:6] for w in _WORD.findall(text))


def containment(a: frozenset[str], b: frozenset[str]) -> float:
    """Share of the smaller word set found in the other: 1.0 when one sentence is inside
    the other, which Jaccard would under-rate for a short sentence in a long one."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def usable(text: str) -> bool:
    """A passage that reads as a sentence: not a fragment, a caption, a link or a list."""
    text = text.strip()
    n_words = len(text.split())
    if not (MIN_CHARS <= len(text) <= MAX_CHARS and MIN_WORDS <= n_words <= MAX_WORDS):
        return False
    if _JUNK.search(text) or "\n" in text:
        return False
    letters = sum(c.isalpha() for c in text)
    if letters < 0.6 * len(text.replace(" ", "")) or text.upper() == text:
        return False
    return bool(_START.match(text) and _END.search(text)) and _balanced(text)


def _balanced(text: str) -> bool:
    """Quotation marks that open and close: a passage cut out of a quote ("… 2027", sagte
    er) reads as garbage on its own."""
    if text.count('"') % 2:
        return False
    if "„" in text:
        return text.count("„") == text.count("“")
    return text.count("“") == text.count("”")


def _is_lead(claim: Mapping[str, Any]) -> bool:
    return any(int(s.get("start") or 0) < LEAD_CHARS for s in claim.get("sources") or [])


def _score(claim: Mapping[str, Any], top_weight: float) -> float:
    """Independent sources first; echoes, the lead and the comparison's weight break
    ties; a hedged claim counts for less, a summary should state what is known."""
    base = float(claim.get("independent_sources") or 0) + 0.25 * float(claim.get("echoes") or 0)
    base += 0.5 * float(claim.get("weight") or 0.0) / top_weight if top_weight > 0 else 0.0
    if _is_lead(claim):
        base += 0.75  # an article's lead says what happened; later sentences add detail
    if claim.get("kind") == "hedged" or claim.get("hedge"):
        base *= 0.6
    first = str(claim.get("text") or "").lstrip("„“\"'»« ").split(" ", 1)[0]
    if first.rstrip(",") in ANAPHORA:
        base *= 0.6  # "Das teilte der Kreml mit": needs the sentence before it
    return base


def _display_text(
    claim: Mapping[str, Any], article_lang: Mapping[str, str] | None, lang: str | None
) -> str:
    """The claim's passage, or a source's passage in the reader's language when one of the
    sources is written in it (an English reader gets the English report's sentence)."""
    text = str(claim.get("text") or "").strip()
    if article_lang and lang:
        for src in claim.get("sources") or []:
            passage = str(src.get("text") or "").strip()
            if article_lang.get(str(src.get("article"))) == lang and usable(passage):
                return passage
    return text


def _first_seen(claim: Mapping[str, Any]) -> tuple[str, int]:
    sources = claim.get("sources") or []
    dated = sorted((str(s.get("published") or "9999"), int(s.get("start") or 0)) for s in sources)
    return dated[0] if dated else ("9999", 0)


def summarize(
    claims: Sequence[Mapping[str, Any]],
    events: Sequence[str],
    *,
    article_lang: Mapping[str, str] | None = None,
    lang: str | None = None,
    max_sentences: int = MAX_SENTENCES,
) -> list[dict[str, Any]]:
    """Up to ``max_sentences`` cited sentences in event order.

    ``claims`` are the comparison's claims, ``events`` the cluster's event ids in
    chronological order. Each result: ``{"claim", "event", "text", "outlets",
    "independent_sources", "articles"}``; ``outlets`` is never empty. Sentences come in
    event order, and within an event by independent sources, most first.
    """
    pool = []
    for c in claims:
        text = str(c.get("text") or "").strip()
        outlets = [str(o) for o in c.get("outlets") or [] if o]
        if outlets and usable(text):
            pool.append((c, text, outlets, words(text)))
    if not pool:
        return []
    # words in many claims (the story's protagonists, its topic) say nothing about
    # whether two sentences repeat each other; leave them out of the overlap
    df = Counter(w for *_, ws in pool for w in ws)
    common = {w for w, n in df.items() if n >= max(4, COMMON_SHARE * len(pool))}
    pool = [(c, text, outlets, ws - common) for c, text, outlets, ws in pool]
    top_weight = max(float(c.get("weight") or 0.0) for c, *_ in pool)
    scores = {id(c): _score(c, top_weight) for c, *_ in pool}
    top = max(scores.values()) or 1.0
    rank = {e: i for i, e in enumerate(events)}
    chosen: list[tuple[Mapping[str, Any], str, list[str], frozenset[str]]] = []

    def pick(cands: list[tuple[Mapping[str, Any], str, list[str], frozenset[str]]]) -> bool:
        best, best_value = None, -1e9
        for cand in cands:
            if any(cand[0] is ch[0] for ch in chosen):
                continue
            redundancy = max((containment(cand[3], ch[3]) for ch in chosen), default=0.0)
            if redundancy >= REDUNDANT:
                continue
            same_event = sum(ch[0].get("event") == cand[0].get("event") for ch in chosen)
            value = LAMBDA * scores[id(cand[0])] / top - (1 - LAMBDA) * redundancy
            value -= SPREAD * same_event  # a story's other events deserve a say too
            if value > best_value:
                best, best_value = cand, value
        if best is None:
            return False
        chosen.append(best)
        return True

    # five sentences for one event, one more per further event, never over the maximum
    budget = max(1, min(max_sentences, max(MIN_SENTENCES, len(events) + 4)))
    for event in events:  # every event first, told by a lead if it has one
        if len(chosen) >= budget:
            break
        own = [p for p in pool if p[0].get("event") == event]
        pick([p for p in own if _is_lead(p[0])] or own)
    while len(chosen) < budget and pick(pool):
        pass
    # the order the briefing states (i18n "summary_note"): events in time order, and
    # within an event the sentence with more independent sources first
    chosen.sort(
        key=lambda p: (
            rank.get(str(p[0].get("event")), len(rank)),
            -_independent(p[0]),
            _first_seen(p[0]),
        )
    )
    return [
        {
            "claim": c.get("id"),
            "event": c.get("event"),
            "text": _display_text(c, article_lang, lang),
            "outlets": outlets,
            "independent_sources": _independent(c),
            "articles": sorted({str(s.get("article")) for s in c.get("sources") or []}),
        }
        for c, _text, outlets, _words in chosen
    ]


def _independent(claim: Mapping[str, Any]) -> int:
    return max(1, int(claim.get("independent_sources") or 1))


def cite(sentence: Mapping[str, Any]) -> str:
    """``"text (BBC, CNN)"``: the sentence with its outlets, as both formats print it."""
    return f"{sentence['text']} ({', '.join(sentence['outlets'])})"
