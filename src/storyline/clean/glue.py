"""Repair sentences that a scraper glued together.

Scrapers drop the break between paragraphs or sentences, leaving tokens such
as "RusslandDamit" or "stattals". A token is split only when the whole token
is not a word (word frequencies from the wordfreq package), the left part is
a common word, and the right part is a closed-class word that opens sentences
or clauses (``data/sentence_openers.tsv``). So real camel case survives:
McDonald, iPhone, eBay, YouTube are words; KnowledgeCamp and TennisBase end
in nouns, not sentence openers. Only German and English text is repaired.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from wordfreq import zipf_frequency

from storyline.datafiles import word_table

_UPPER_GLUE = re.compile(r"\b([A-ZÄÖÜ]?[a-zäöüß]{2,})([A-ZÄÖÜ][a-zäöüß]{0,})\b")
_CLAUSE_WORDS = {
    "de": ("als", "was", "dass", "weil", "wenn", "wie", "wobei", "womit", "sodass"),
    "en": ("which", "when", "because", "whereas"),
}
_KNOWN = 3.0
_UNKNOWN = 1.0


@cache
def sentence_openers() -> dict[str, frozenset[str]]:
    return word_table("storyline.clean", "sentence_openers.tsv")


@cache
def _lower_glue(lang: str) -> re.Pattern[str]:
    words = "|".join(_CLAUSE_WORDS[lang])
    return re.compile(r"\b([a-zäöüß]{3,})(" + words + r")\b(?=\s)")


@lru_cache(maxsize=65536)
def _freq(word: str, lang: str) -> float:
    return zipf_frequency(word.lower(), lang)


def _is_glue(left: str, right: str, lang: str) -> bool:
    whole = left + right
    return max(_freq(whole, lang), _freq(whole, "en")) < _UNKNOWN and _freq(left, lang) >= _KNOWN


def repair_glue(line: str, lang: str | None = "de") -> tuple[str, list[str]]:
    """Return the repaired line and a description of each repair made."""
    if lang not in _CLAUSE_WORDS:
        return line, []
    openers = sentence_openers().get(lang, frozenset())
    repairs: list[str] = []

    def upper(m: re.Match[str]) -> str:
        left, right = m.group(1), m.group(2)
        if right.lower() not in openers or not _is_glue(left, right, lang):
            return m.group(0)
        repairs.append(f"{left}{right} -> {left}. {right}")
        return f"{left}. {right}"

    def lower(m: re.Match[str]) -> str:
        left, right = m.group(1), m.group(2)
        if not _is_glue(left, right, lang):
            return m.group(0)
        repairs.append(f"{left}{right} -> {left}, {right}")
        return f"{left}, {right}"

    line = _UPPER_GLUE.sub(upper, line)
    line = _lower_glue(lang).sub(lower, line)
    return line, repairs
