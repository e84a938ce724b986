"""Sentence splitting and tokenisation for German and English news text.

Our own, because the text is ours to get right: German ordinal dates
("13. September 2023", "18. und 19. Juni", "am 3. Oktober"), abbreviations
("Dr.", "Jr.", "z. B.", "u. a."), initials ("John F. Kennedy") and quotes that
end in a full stop must not end a sentence; a paragraph break always does.
It is a regex scanner, fast enough for tens of thousands of tokens a second,
and linear in the text: the patterns cannot backtrack over a run of full stops,
the look back for the word before a full stop is bounded, and sentences and
tokens are cut at the limits in :mod:`storyline.analyse.limits`.
"""

from __future__ import annotations

import re
from functools import cache

from storyline.analyse.limits import (
    MAX_LOOKBEHIND_CHARS,
    MAX_SENTENCE_CHARS,
    MAX_TOKEN_CHARS,
    analysed_part,
)
from storyline.analyse.model import Sentence, Token
from storyline.clean.published import MONTHS

ABBREVIATIONS = frozenset(
    """
    dr prof jr sr st nr mr mrs ms hr fr frl abs art bd bzw ca vgl etc usw inkl evtl ggf sog
    mio mrd tsd str tel dipl ing mag gen lt col capt sgt gov sen rep rev no vol fig ff
    jan feb febr mär apr jun jul aug sep sept okt oct nov dez dec mo di mi do fr sa so
    z b u a d h o ä v chr vs min max co corp inc ltd bzgl zzgl ehem sen jun geb gest
    """.split()
)
# Words before an ordinal number ("am 3. Oktober", "der 2. Platz").
_ORDINAL_CONTEXT = frozenset(
    "der die das dem den des am im vom zum zur beim ein eine einem einen seit bis ab vor nach um "
    "the on of".split()
)
_TOKEN = re.compile(
    r"\d+(?:[.,:]\d+)*(?:-\w+)*"  # numbers: 7.000, 4,8, 11:43, 122-mm
    r"|\w+(?:[-'’.]\w+)*"  # words with inner hyphens/apostrophes: Kim Jong-un, US-Außenminister
    r"|[^\w\s]"
)
# Possessive runs, tried only where a run of sentence marks starts: a long run of full
# stops or spaces costs one pass, not one pass per position in it.
_CANDIDATE = re.compile(r"(?<![.!?…])([.!?…]++)([\"'“”»«„)\]]*+)(\s++)(?=[\"'„“«»(\[]?[A-ZÄÖÜ0-9])")
_PREV_WORD = re.compile(r"(\S+)\s*$")
_SHORT_LOOKBEHIND_CHARS = 32
_NEXT_WORD = re.compile(r"^[\"'„“«»(\[]?(\w+)")


@cache
def _month_names() -> frozenset[str]:
    return frozenset(MONTHS)


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """Word, number and punctuation tokens with character offsets.

    A token longer than :data:`MAX_TOKEN_CHARS` (no word is) becomes pieces of that
    length, so features and lookups built from tokens stay small.
    """
    out: list[Token] = []
    for m in _TOKEN.finditer(text):
        start, end = m.span()
        if end - start <= MAX_TOKEN_CHARS:
            out.append(Token(start + offset, end + offset, m.group()))
            continue
        for a in range(start, end, MAX_TOKEN_CHARS):
            b = min(a + MAX_TOKEN_CHARS, end)
            out.append(Token(a + offset, b + offset, text[a:b]))
    return out


def _prev_word(text: str, end: int) -> re.Match[str] | None:
    """The non-space run before ``end`` (looking back a bounded stretch, not to the start).

    A short stretch first: the search tries every position of the stretch, and almost
    every word before a full stop is short.
    """
    short = _PREV_WORD.search(text, max(0, end - _SHORT_LOOKBEHIND_CHARS), end)
    if short is not None and short.start() > end - _SHORT_LOOKBEHIND_CHARS:
        return short  # the whole word is inside the short stretch
    return _PREV_WORD.search(text, max(0, end - MAX_LOOKBEHIND_CHARS), end)


def _is_boundary(text: str, punct_start: int, punct: str, after: int) -> bool:
    if punct != ".":
        return True
    before = _prev_word(text, punct_start)
    if before is None:
        return True
    word = before.group(1)
    bare = word.lstrip("(\"'„“«»[").rstrip(".")
    nxt_m = _NEXT_WORD.match(text[after : after + 40])
    nxt = nxt_m.group(1) if nxt_m else ""
    if bare.lower() in ABBREVIATIONS or (len(bare) == 1 and bare.isalpha()):
        return False
    if "." in bare and all(len(p) <= 2 for p in bare.split(".")):  # z.B., u.a., U.S.
        return False
    if bare.isdigit() and len(bare) <= 2:
        if nxt.lower() in _month_names():
            return False
        prev = _prev_word(text, before.start())
        prev_word = prev.group(1).lower() if prev else ""
        if prev_word in _ORDINAL_CONTEXT or prev_word.endswith(","):
            return False
    return True


def split_sentences(text: str) -> list[Sentence]:
    """Sentences with offsets; every line (paragraph) break is a boundary.

    Only the part of ``text`` that is analysed (:func:`~storyline.analyse.limits.analysed_part`)
    is split, so every reader of sentences (analysis, dating, timelines, claims) sees the
    same ones and none does work beyond the analysis limit.
    """
    return bounded_sentences(text)[0]


def bounded_sentences(text: str) -> tuple[list[Sentence], int]:
    """:func:`split_sentences`, and how many extra splits the sentence length limit made."""
    sentences: list[Sentence] = []
    forced = 0
    text = analysed_part(text)[0]
    for para in re.finditer(r"[^\n]+", text):
        p_start, chunk = para.start(), para.group()
        start = 0
        for m in _CANDIDATE.finditer(chunk):
            end = m.end(2)
            if _is_boundary(chunk, m.start(1), m.group(1), m.end()):
                forced += _add(sentences, chunk, start, end, p_start)
                start = m.end()
        forced += _add(sentences, chunk, start, len(chunk), p_start)
    return sentences, forced


def _add(out: list[Sentence], chunk: str, start: int, end: int, offset: int) -> int:
    """Add chunk[start:end] stripped, in pieces of at most MAX_SENTENCE_CHARS; extra splits."""
    forced = 0
    while end - start > MAX_SENTENCE_CHARS:
        cut = chunk.rfind(" ", start + MAX_SENTENCE_CHARS // 2, start + MAX_SENTENCE_CHARS)
        cut = cut + 1 if cut >= 0 else start + MAX_SENTENCE_CHARS
        if _add_piece(out, chunk, start, cut, offset):
            forced += 1
        start = cut
    _add_piece(out, chunk, start, end, offset)
    return forced


def _add_piece(out: list[Sentence], chunk: str, start: int, end: int, offset: int) -> bool:
    piece = chunk[start:end]
    stripped = piece.strip()
    if not stripped:
        return False
    lead = len(piece) - len(piece.lstrip())
    s = offset + start + lead
    out.append(Sentence(s, s + len(stripped), stripped))
    return True
