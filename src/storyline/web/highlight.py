"""An article's clean text as HTML, with names, quotes, dates and figures marked.

Why built here and not in a template: the spans overlap (a quote holds names, dates and
figures; a name may straddle a quote's end), and HTML elements must nest. The text is cut
at every span boundary; each piece is escaped, and the marks open and close around the
pieces like a stack: when a span ends while spans opened after it are still open, those
are closed and reopened right after, so the markup always nests and every character keeps
all its marks. Only ``escape``d text and fixed tag strings reach the output.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from markupsafe import Markup, escape

from storyline.records import ArticleAnalysis

#: Nesting order for spans that start at the same place and are equally long.
_ORDER = {"quote": 0, "ent": 1, "date": 2, "fig": 3}


@dataclass(frozen=True)
class Mark:
    """One span to mark: character offsets into the text, the kind, the opening tag and
    its closing tag (both fixed markup built by :func:`marks_for`)."""

    start: int
    end: int
    kind: str
    open: str
    close: str


def _title(value: str) -> str:
    return str(escape(value))


def marks_for(
    analysis: ArticleAnalysis,
    entity_names: dict[str, str],
    entity_href: Callable[[str], str],
    labels: dict[str, str],
) -> list[Mark]:
    """Marks for the rows of :func:`storyline.store.analysis.article_analysis`.

    A mention of a resolved entity links to its page. Mentions that overlap an earlier
    mention are dropped (a link inside a link is not HTML).
    """
    out: list[Mark] = []
    last_end = -1
    for m in sorted(analysis.get("mentions", []), key=lambda r: int(r["start"])):
        start, end = int(m["start"]), int(m["end"])
        if start < last_end:
            continue
        last_end = end
        label = str(m["label"]).lower()
        entity = m.get("entity")
        title = labels.get(f"type.{m['label']}", str(m["label"]))
        if entity:
            title = f"{title}: {entity_names.get(str(entity), str(m['text']))}"
            opener = (
                f'<mark class="ent ent-{_title(label)}" title="{_title(title)}">'
                f'<a href="{_title(entity_href(str(entity)))}">'
            )
            out.append(Mark(start, end, "ent", opener, "</a></mark>"))
        else:
            opener = f'<mark class="ent ent-{_title(label)}" title="{_title(title)}">'
            out.append(Mark(start, end, "ent", opener, "</mark>"))
    for q in analysis.get("quotes", []):
        who = q.get("speaker") and entity_names.get(str(q["speaker"]))
        title = f"{labels.get('quote', 'quote')}: {who or q.get('speaker_name') or '?'}"
        if q.get("via"):
            title += f" ({labels.get('via', 'via')} {q['via']})"
        out.append(
            Mark(
                int(q["start"]),
                int(q["end"]),
                "quote",
                f'<mark class="quote quote-{_title(str(q["kind"]))}" title="{_title(title)}">',
                "</mark>",
            )
        )
    for d in analysis.get("dates", []):
        out.append(
            Mark(
                int(d["start"]),
                int(d["end"]),
                "date",
                f'<mark class="date" title="{_title(str(d["value"]))}">',
                "</mark>",
            )
        )
    for f in analysis.get("quantities", []):
        bits = [_number(f["value"]), f.get("unit"), f.get("counted"), f.get("hedge")]
        title = " · ".join(str(b) for b in bits if b)
        out.append(
            Mark(
                int(f["start"]),
                int(f["end"]),
                "fig",
                f'<mark class="fig" title="{_title(title)}">',
                "</mark>",
            )
        )
    return out


def _number(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return f"{int(value):,}".replace(",", " ")
    return str(value)


def render(text: str, marks: Iterable[Mark]) -> Markup:
    """`text` as escaped HTML with every mark applied; marks outside the text, empty or
    reversed, are ignored (offsets from an older analysis of other text)."""
    n = len(text)
    spans = [m for m in marks if 0 <= m.start < m.end <= n]
    if not spans:
        return Markup(escape(text))
    starts: dict[int, list[Mark]] = {}
    for m in spans:
        starts.setdefault(m.start, []).append(m)
    for group in starts.values():
        group.sort(key=lambda m: (-(m.end - m.start), _ORDER.get(m.kind, 9)))
    cuts = sorted({0, n, *(m.start for m in spans), *(m.end for m in spans)})
    out: list[str] = []
    stack: list[Mark] = []
    for i, pos in enumerate(cuts):
        ending = [k for k, m in enumerate(stack) if m.end == pos]
        if ending:
            low = ending[0]
            reopen = [m for m in stack[low:] if m.end != pos]
            out.extend(m.close for m in reversed(stack[low:]))
            del stack[low:]
            for m in reopen:
                out.append(m.open)
                stack.append(m)
        for m in starts.get(pos, []):
            out.append(m.open)
            stack.append(m)
        if i + 1 < len(cuts):
            out.append(str(escape(text[pos : cuts[i + 1]])))
    out.extend(m.close for m in reversed(stack))
    return Markup("".join(out))


def mark_words(text: str, lang: str | None, query: str) -> Markup:
    """A search snippet with the words that matched `query` in ``<mark class="hit">``,
    found the way the index found them (folded, stemmed, prefixes)."""
    from storyline.search.normalise import key, spans
    from storyline.search.query import parse_query

    parsed = parse_query(query)
    prefixes = tuple(parsed.prefixes)
    marks = []
    for start, end, word in spans(text):
        k = key(word, (lang or "").lower())
        if k in parsed.keys or (prefixes and key(word, None).startswith(prefixes)):
            marks.append(Mark(start, end, "hit", '<mark class="hit">', "</mark>"))
    return render(text, marks)
