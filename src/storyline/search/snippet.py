"""Plain-text snippets around the first matched word of an article.

Why not FTS5's snippet(): it works on the column it indexed, and ours holds stems
("streik haf hamburg"), which no reader should see. So the original text is scanned
word by word, each word keyed like the index keys it, until one matches the query.
"""

from __future__ import annotations

from storyline.search.normalise import key, spans

#: Characters of text shown; context before the match is about a third of it.
WIDTH = 200
BEFORE = 60


def _clean(text: str) -> str:
    return " ".join(text.split())


def _cut(text: str, start: int, end: int) -> str:
    """text[start:end], widened to whole words, with "…" where text was left out."""
    if start > 0:
        space = text.rfind(" ", 0, start)
        start = space + 1 if space >= 0 and start - space < 20 else start
    if end < len(text):
        space = text.find(" ", end)
        end = space if space >= 0 and space - end < 20 else end
    head = "…" if start > 0 else ""
    tail = "…" if end < len(text) else ""
    return head + text[start:end].strip() + tail


def first_match(text: str, lang: str | None, keys: set[str], prefixes: set[str]) -> int | None:
    """Offset of the first word of `text` whose key is in `keys` or starts with a prefix."""
    if not keys and not prefixes:
        return None
    lang = (lang or "").lower()
    prefix_tuple = tuple(prefixes)
    for start, _end, word in spans(text):
        k = key(word, lang)
        if k in keys or (
            prefix_tuple
            and (k.startswith(prefix_tuple) or key(word, None).startswith(prefix_tuple))
        ):
            return start
    return None


def snippet(
    text: str | None, lang: str | None, keys: set[str], prefixes: set[str], *, width: int = WIDTH
) -> str:
    """About `width` characters of `text` around its first matched word; the lead when
    no word matches (a match by meaning, or a match in the title only)."""
    flat = _clean(text or "")
    if len(flat) <= width:
        return flat
    at = first_match(flat, lang, keys, prefixes)
    if at is None or at < BEFORE:
        return _cut(flat, 0, width)
    start = at - BEFORE
    return _cut(flat, start, start + width)
