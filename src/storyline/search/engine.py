"""`search`: full-text (normalised FTS5, bm25) and, on request, by meaning (e5), fused.

Why reciprocal rank fusion: bm25 scores and cosines live on scales that cannot be added
(bm25 is unbounded and depends on the corpus; e5-small's cosines crowd into 0.7-0.9), but
ranks can. RRF gives every article 1/(k + rank) per ranking it appears in, k = 60 as in
Cormack et al. (2009): agreement between the two rankings lifts an article, and neither
ranking's raw scores can swamp the other.
"""

from __future__ import annotations

import sqlite3
from datetime import date

from storyline.errors import QueryError
from storyline.records import SearchHit
from storyline.search.index import ensure_index
from storyline.search.query import ParsedQuery, parse_query
from storyline.search.semantic import semantic_ranking
from storyline.search.snippet import snippet
from storyline.store import Store
from storyline.store import search as tables
from storyline.store.analysis import matching_entity_ids
from storyline.store.search import SearchFilters

#: The k of reciprocal rank fusion.
RRF_K = 60

#: Column weights for bm25: (article_id, title, text). A word in the title says more
#: about what the article is about than one in the body.
BM25_WEIGHTS = (0.0, 3.0, 1.0)

MAX_LIMIT = 500
#: what can have found a hit (its ``matched_by``): the words, another spelling of a name
#: the query gives, the meaning (search by meaning); each has a label in storyline.i18n
MATCHED_BY = ("text", "name", "meaning")


def _day(value: str | date | None, name: str) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value.isoformat()[:10]
    try:
        return date.fromisoformat(str(value).strip()).isoformat()
    except ValueError:
        raise QueryError(f"{name} {value!r} is not a date", hint="use YYYY-MM-DD") from None


def build_filters(
    store: Store,
    *,
    outlet: str | None,
    lang: str | None,
    since: str | date | None,
    until: str | date | None,
    entity: str | None,
    story: str | None,
) -> SearchFilters:
    """The filters given, checked: dates parsed, entity and story ids resolved from
    unambiguous prefixes (NotFoundError otherwise)."""
    first, last = _day(since, "since"), _day(until, "until")
    if first and last and first > last:
        raise QueryError(f"since ({first}) is after until ({last})", hint="swap the dates")
    return SearchFilters(
        outlet=outlet or None,
        lang=lang.strip().lower() if lang else None,
        first=first,
        last=last,
        entity_id=store.resolve_prefix(
            "entities", "entity", entity, hint="see 'storyline entities'"
        )
        if entity
        else None,
        story_id=store.resolve_prefix("stories", "story", story, hint="see 'storyline stories'")
        if story
        else None,
    )


def text_ranking(
    store: Store, parsed: ParsedQuery, filters: SearchFilters, depth: int
) -> list[tuple[str, float]]:
    """(id, bm25) of matching articles, best first (lower bm25 is better)."""
    try:
        return tables.text_ranking(store, parsed.expression, filters, depth, BM25_WEIGHTS)
    except sqlite3.OperationalError as exc:  # parse_query should make this unreachable
        raise QueryError(
            f"the search could not be run ({exc})", hint="search for plain words"
        ) from exc


#: A query of at most this many words may be a name: it also finds the articles that
#: mention an entity written that way or in another spelling.
MAX_NAME_WORDS = 4


def name_ranking(
    store: Store, parsed: ParsedQuery, filters: SearchFilters, depth: int
) -> list[str]:
    """Articles mentioning an entity the query names, most mentions first.

    Why: the text index matches words, so "Peskov" misses articles that write "Peskow"
    and "Vereinigte Staaten" misses "USA". The entity store knows every written form
    of a name (:func:`storyline.store.analysis.matching_entity_ids`).
    """
    words = parsed.text.split()
    if not words or len(words) > MAX_NAME_WORDS:
        return []
    ids = matching_entity_ids(store, parsed.text)
    if not ids:
        return []
    return tables.articles_mentioning(store, ids, filters, depth)


def fuse(rankings: dict[str, list[str]], k: int = RRF_K) -> list[tuple[str, float, list[str]]]:
    """Reciprocal rank fusion: (id, score, names of the rankings it is in), best first.

    Ties go to the article with the better single rank, then to the id (stable output).
    """
    scores: dict[str, float] = {}
    best: dict[str, int] = {}
    seen: dict[str, list[str]] = {}
    for name, ids in rankings.items():
        for rank, article in enumerate(ids, start=1):
            scores[article] = scores.get(article, 0.0) + 1.0 / (k + rank)
            best[article] = min(best.get(article, rank), rank)
            seen.setdefault(article, []).append(name)
    order = sorted(scores, key=lambda a: (-scores[a], best[a], a))
    return [(a, scores[a], seen[a]) for a in order]


def _records(
    store: Store,
    fused: list[tuple[str, float, list[str]]],
    parsed: ParsedQuery,
    bm25: dict[str, float],
    sims: dict[str, float],
) -> list[SearchHit]:
    rows = tables.search_rows(store, [a for a, _, _ in fused])
    out: list[SearchHit] = []
    for article, score, matched in fused:
        r = rows.get(article)
        if r is None:  # deleted between ranking and reading
            continue
        text_hit = "text" in matched
        out.append(
            {
                "id": article,
                "title": r.title,
                "outlet": r.outlet,
                "lang": r.lang,
                "published": r.published,
                "score": round(score, 6),
                "snippet": snippet(
                    r.text,
                    r.lang,
                    parsed.keys if text_hit else set(),
                    parsed.prefixes if text_hit else set(),
                ),
                "matched_by": matched,
                "bm25": round(bm25[article], 4) if article in bm25 else None,
                "similarity": round(sims[article], 4) if article in sims else None,
                "event": r.event_id,
                "duplicate_of": r.duplicate_of,
            }
        )
    return out


def search(
    store: Store,
    query: str,
    *,
    semantic: bool = False,
    outlet: str | None = None,
    lang: str | None = None,
    since: str | date | None = None,
    until: str | date | None = None,
    entity: str | None = None,
    story: str | None = None,
    limit: int = 20,
) -> list[SearchHit]:
    """Articles matching `query`, best first, as dicts ready for JSON.

    Each result: id, title, outlet, lang, published, score (reciprocal-rank-fusion score,
    also in text-only mode, so scores compare across modes), snippet (plain text around
    the first matched word, or the lead), matched_by (a list: "text", "meaning" or both,
    or "name" for an article that mentions the entity named by the query in another
    spelling),
    bm25 and similarity (the raw scores, None where that ranking did not find it), event
    and duplicate_of (so a caller can group copies).

    `semantic=False` searches the normalised full-text index only; `semantic=True` adds
    the e5 ranking and fuses both. Filters: outlet (case-insensitive), lang, since/until
    (published date, inclusive, YYYY-MM-DD; undated articles are left out once either is
    given), entity and story (ids or unambiguous prefixes). Raises QueryError for a query
    without words or bad arguments, NotFoundError for an unknown entity or story.
    """
    if not isinstance(query, str):
        raise QueryError("the search must be text", hint="pass the query as a string")
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise QueryError(f"limit {limit!r} must be a whole number of at least 1")
    limit = min(limit, MAX_LIMIT)
    parsed = parse_query(query)
    filters = build_filters(
        store, outlet=outlet, lang=lang, since=since, until=until, entity=entity, story=story
    )
    ensure_index(store)
    depth = limit if not semantic else max(3 * limit, 50)
    text_hits = text_ranking(store, parsed, filters, depth)
    text, name, meaning_kind = MATCHED_BY
    rankings = {text: [a for a, _ in text_hits]}
    found = set(rankings[text])
    named = [a for a in name_ranking(store, parsed, filters, depth) if a not in found]
    if named:  # only what the words missed: another spelling of the name
        rankings[name] = named
    sims: dict[str, float] = {}
    if semantic:
        allowed = tables.allowed_articles(store, filters)
        meaning = semantic_ranking(store, parsed.text, allowed=allowed, depth=depth)
        rankings[meaning_kind] = [a for a, _ in meaning]
        sims = dict(meaning)
    fused = fuse(rankings)[:limit]
    return _records(store, fused, parsed, dict(text_hits), sims)
