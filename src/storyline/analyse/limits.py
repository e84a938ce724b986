"""Bounds on what the analysers read, so that no input can make analysis slow.

Every analyser is meant to be linear in its input, but a scraped page can hold
things no article holds: one "word" of 16,000 characters, a paragraph of
150,000 characters without a line break, a 10 MB text file on one line. The
limits below keep each analyser's work bounded whatever arrives; they are far
above what news text needs (a long read is 60,000 characters, a long German
sentence 1,000, a long compound 40), so ordinary articles are never cut.

A cut is never silent: :func:`storyline.analyze` lists each one in
``Analysis.repairs`` and the ingest job stores it on the article.
"""

from __future__ import annotations

import re
from collections import Counter

from storyline.analyse.model import Sentence

#: Characters of an article text that are analysed; the rest is stored, not analysed.
MAX_ANALYSE_CHARS = 200_000
#: A sentence longer than this is split (at the last space before the limit).
MAX_SENTENCE_CHARS = 3_000
#: A word or number token longer than this is split into pieces of this length.
MAX_TOKEN_CHARS = 100
#: How far back the sentence splitter looks for the word before a full stop.
MAX_LOOKBEHIND_CHARS = 2 * MAX_TOKEN_CHARS

#: A sentence is analysed at most this many times in one article; later copies of the same
#: text (a scraped page's repeated boilerplate, a line pasted hundreds of times) are not:
#: they would cost every analyser again and add nothing but copies of the same findings.
MAX_SENTENCE_REPEATS = 3

_LONG_WORD = re.compile(rf"\w{{{MAX_TOKEN_CHARS + 1},}}")


def analysed_part(text: str) -> tuple[str, list[str]]:
    """The prefix of ``text`` the analysers read, and a note when it is not all of it.

    The cut falls on the last line break (else space) before the limit, so no
    sentence or word is analysed half.
    """
    if len(text) <= MAX_ANALYSE_CHARS:
        return text, []
    cut = text.rfind("\n", 0, MAX_ANALYSE_CHARS + 1)
    if cut < MAX_ANALYSE_CHARS // 2:
        cut = text.rfind(" ", 0, MAX_ANALYSE_CHARS + 1)
    if cut < MAX_ANALYSE_CHARS // 2:
        cut = MAX_ANALYSE_CHARS
    note = (
        f"analysis: only the first {cut:,} of {len(text):,} characters analysed "
        f"(limit {MAX_ANALYSE_CHARS:,})"
    )
    return text[:cut], [note]


def long_word_note(text: str) -> list[str]:
    """A note when words in ``text`` exceed :data:`MAX_TOKEN_CHARS` (the tokenizer splits them)."""
    n = sum(1 for _ in _LONG_WORD.finditer(text))
    if not n:
        return []
    return [f"analysis: {n} word(s) over {MAX_TOKEN_CHARS} characters split into pieces"]


def long_sentence_note(splits: int) -> list[str]:
    """A note for sentences split because they exceeded :data:`MAX_SENTENCE_CHARS`."""
    if not splits:
        return []
    return [f"analysis: {splits} split(s) inside sentences over {MAX_SENTENCE_CHARS:,} characters"]


def unrepeated(text: str, sentences: list[Sentence]) -> tuple[str, list[Sentence], list[str]]:
    """``text`` with the copies of a sentence past :data:`MAX_SENTENCE_REPEATS` blanked out
    (spaces, line breaks kept, so every offset stays valid), the sentences left to analyse,
    and a note when any copy was left out."""
    seen: Counter[str] = Counter()
    kept: list[Sentence] = []
    left: list[Sentence] = []
    for s in sentences:
        seen[s.text] += 1
        (kept if seen[s.text] <= MAX_SENTENCE_REPEATS else left).append(s)
    if not left:
        return text, sentences, []
    parts: list[str] = []
    at = 0
    for s in left:
        parts += [text[at : s.start], re.sub(r"[^\n]", " ", text[s.start : s.end])]
        at = s.end
    parts.append(text[at:])
    distinct = len({s.text for s in left})
    note = (
        f"analysis: {len(left):,} repeated cop(ies) of {distinct:,} sentence(s) not analysed "
        f"(a sentence is analysed at most {MAX_SENTENCE_REPEATS} times per article)"
    )
    return "".join(parts), kept, [note]
