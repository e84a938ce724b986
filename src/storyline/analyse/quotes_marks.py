"""Quotation-mark pairing: where the direct quotes of a text are.

News text mixes every style: German „…“ and »…«, Swiss/French «…», English
“…” and "…", single ‚…‘ and '…', and the mixed pairs that machine translation
leaves behind („…”, “…”, „…"). Marks are therefore not paired by glyph but by
position: a mark with a space (or line start) before it and a letter after it
opens, a mark after a letter with a space or punctuation after it closes, and
„ / ‚ always open. A quote that is still open at the end of its paragraph ends
there (news style opens every paragraph of a long quote anew and closes only
the last); a stray second opener inside an open quote is ignored, because
translated text often repeats „ where a closing mark is missing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MARKS = re.compile(r"[„“”\"»«‚‘’'‹›]")
_DOUBLE = frozenset('„“”"»«')
_ALWAYS_OPEN = frozenset("„‚")
_OPEN_LEFT = frozenset("([{–—-/:")
_CLOSE_RIGHT = frozenset(".,;:!?)]}–—-/…")
_PARAGRAPH = re.compile(r"[^\n]+")


@dataclass(frozen=True)
class QuoteSpan:
    """One quoted stretch: ``start``/``end`` include the marks, ``inner_*`` exclude them."""

    start: int
    end: int
    inner_start: int
    inner_end: int
    closed: bool

    def words(self, text: str) -> int:
        return len(re.findall(r"\w+", text[self.inner_start : self.inner_end]))


def _looks(text: str, i: int, lo: int, hi: int) -> tuple[bool, bool]:
    """(looks like an opener, looks like a closer) from the characters around ``text[i]``."""
    prev = text[i - 1] if i > lo else " "
    nxt = text[i + 1] if i + 1 < hi else " "
    left_free = prev.isspace() or prev in _OPEN_LEFT or prev in _DOUBLE
    right_free = nxt.isspace() or nxt in _CLOSE_RIGHT or nxt in _DOUBLE or nxt in "'’‘"
    return left_free and not nxt.isspace(), not prev.isspace() and right_free


def quote_spans(text: str, limits: list[tuple[int, int]] | None = None) -> list[QuoteSpan]:
    """Quoted spans of ``text``, paragraph by paragraph (or within the given ``limits``).

    A quote left open at the end of its block is closed there with ``closed=False``.
    """
    blocks = (
        limits if limits is not None else [(m.start(), m.end()) for m in _PARAGRAPH.finditer(text)]
    )
    spans: list[QuoteSpan] = []
    for lo, hi in blocks:
        spans.extend(_block(text, lo, hi))
    return spans


def _block(text: str, lo: int, hi: int) -> list[QuoteSpan]:
    out: list[QuoteSpan] = []
    open_at: int | None = None
    open_double = True
    for m in _MARKS.finditer(text, lo, hi):
        i, c = m.start(), m.group()
        opens, closes = _looks(text, i, lo, hi)
        double = c in _DOUBLE
        if c in "'’" and i > lo and text[i - 1].isalnum() and i + 1 < hi and text[i + 1].isalnum():
            continue  # apostrophe inside a word: don't, Kim's, O'Brien
        if open_at is None:
            if c in _ALWAYS_OPEN or (opens and not closes):
                if not double and c in "'’" and i > lo and text[i - 1].isalnum():
                    continue
                open_at, open_double = i, double
            continue
        if double != open_double:
            continue  # a single mark inside a double quote (or the reverse) is nested
        if c in _ALWAYS_OPEN or (opens and not closes):
            continue  # repeated opener: translated text often misses the closing mark
        if not double and c == "'" and not closes:
            continue
        if i > open_at + 1:
            out.append(QuoteSpan(open_at, i + 1, open_at + 1, i, True))
        open_at = None
    if open_at is not None:
        end = hi
        while end > open_at + 1 and text[end - 1].isspace():
            end -= 1
        if end > open_at + 1 and open_double:
            out.append(QuoteSpan(open_at, end, open_at + 1, end, False))
    return out
