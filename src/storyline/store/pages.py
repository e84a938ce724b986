"""The SQL behind the web pages: a few set-wise queries per page, every list limited.

Why not the CLI's record functions throughout: they build complete records (every
article id of an entity, one query per event), which is right for an export and too much
for a page that must render in a few hundred milliseconds on a store of 10,000 articles.
Here each page section is one query with a LIMIT, joined to the names it shows.
"""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict, cast

from storyline.records import ArticleHead, EntityMerge
from storyline.settings import QUOTE_MIN_CONFIDENCE
from storyline.store import Store
from storyline.store.analysis import QUOTE_SHOWN
from storyline.store.stories import story_row
from storyline.types import ArticleId, EntityId, EventId, IsoDate, StoryId

__all__ = ["story_row"]  # pages read a story whole, as the records do

#: Rows per page of a paged list.
PAGE = 50


class ArticleLine(ArticleHead):
    """An article in a story's list of articles."""


class EventLine(TypedDict):
    """An event in a story's list of events."""

    id: EventId
    story: StoryId
    title: str
    date_start: IsoDate | None
    date_end: IsoDate | None
    #: 1 when no article of the event states its publication date
    date_inferred: int
    #: counted from the story's articles by the page (web.story_page.with_sources)
    articles: NotRequired[int]
    outlets: NotRequired[list[str]]
    independent_sources: NotRequired[int]


class ActorLine(TypedDict):
    """An entity named in a story or event, with in how many of its articles."""

    id: EntityId
    name: str
    type: str
    articles: int
    mentions: int


class QuoteLine(TypedDict):
    """A quote with its article's outlet, date and title and its speaker's name."""

    article: ArticleId
    start: int
    text: str
    kind: str
    speaker: EntityId | None
    speaker_name: str | None
    via: str | None
    cue: str | None
    outlet: str | None
    published: IsoDate | None
    article_title: str | None
    speaker_entity: str | None


def rows(store: Store, sql: str, args: tuple[Any, ...] | list[Any] = ()) -> list[dict[str, Any]]:
    return [dict(r) for r in store.conn.execute(sql, args)]


def counts(store: Store) -> dict[str, int]:
    """Articles and stories in the store (for the header)."""
    row = store.conn.execute(
        "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM stories)"
    ).fetchone()
    return {"articles": int(row[0]), "stories": int(row[1])}


def headlines(store: Store, story_ids: list[str]) -> dict[str, str]:
    """Story id -> the title of its largest event (its first when tied): a headline that
    says what happened, beside the story's title made of names."""
    if not story_ids:
        return {}
    marks = ",".join("?" * len(story_ids))
    best: dict[str, tuple[int, str, str]] = {}
    for story, title, n, first in store.conn.execute(
        "SELECT e.story_id, e.title, count(a.id), coalesce(e.date_start, '9999') FROM events e "
        f"JOIN articles a ON a.event_id = e.id WHERE e.story_id IN ({marks}) GROUP BY e.id",
        story_ids,
    ):
        key = (-int(n), str(first), str(title))
        if story not in best or key < best[story]:
            best[story] = key
    return {story: key[2] for story, key in best.items()}


def story_articles(store: Store, story_id: str) -> list[ArticleLine]:
    found = rows(
        store,
        "SELECT a.id, a.title, a.outlet, a.lang, a.published, a.published_source, "
        "a.duplicate_of, a.echo_of, a.event_id AS event FROM articles a "
        "JOIN events e ON e.id = a.event_id WHERE e.story_id = ? "
        "ORDER BY a.published IS NULL, a.published, a.id",
        (story_id,),
    )
    return cast("list[ArticleLine]", found)


def story_events(store: Store, story_id: str) -> list[EventLine]:
    """The story's events, earliest first (undated last)."""
    found = rows(
        store,
        "SELECT e.id, e.story_id AS story, e.title, e.date_start, e.date_end, "
        "NOT EXISTS (SELECT 1 FROM articles a WHERE a.event_id = e.id "
        "AND a.published_source IN ('metadata', 'text')) AS date_inferred FROM events e "
        "WHERE e.story_id = ? ORDER BY e.date_start IS NULL, e.date_start, e.id",
        (story_id,),
    )
    return cast("list[EventLine]", found)


def event_page(
    store: Store, story_id: str | None, limit: int, offset: int
) -> tuple[list[str], int]:
    """A page of event ids (of one story, or all), earliest first, and how many in all."""
    where, args = ("", []) if story_id is None else (" WHERE story_id = ?", [story_id])
    total = int(store.conn.execute(f"SELECT count(*) FROM events{where}", args).fetchone()[0])
    ids = store.conn.execute(
        f"SELECT id FROM events{where} ORDER BY date_start, id LIMIT ? OFFSET ?",
        [*args, limit, offset],
    ).fetchall()
    return [str(r[0]) for r in ids], total


def key_actors(store: Store, story_id: str, limit: int = 16) -> list[ActorLine]:
    """Entities named in most of the story's articles."""
    found = rows(
        store,
        "SELECT n.id AS id, n.name, n.type, count(DISTINCT m.article_id) AS articles, "
        "count(*) AS mentions FROM events e JOIN articles a ON a.event_id = e.id "
        "JOIN mentions m ON m.article_id = a.id JOIN entities n ON n.id = m.entity_id "
        "WHERE e.story_id = ? GROUP BY n.id "
        "ORDER BY articles DESC, mentions DESC, n.name LIMIT ?",
        (story_id, limit),
    )
    return cast("list[ActorLine]", found)


_QUOTE_COLS = (
    "SELECT q.article_id AS article, q.start, q.text, q.kind, q.speaker, q.speaker_name, "
    "q.via, q.cue, a.outlet, a.published, a.title AS article_title, s.name AS speaker_entity "
    "FROM quotes q JOIN articles a ON a.id = q.article_id "
    "LEFT JOIN entities s ON s.id = q.speaker "
)


def story_quotes(store: Store, story_id: str, page: int) -> tuple[list[QuoteLine], int]:
    """One page of the story's quotes, oldest first, and how many there are."""
    where = f"WHERE a.event_id IN (SELECT id FROM events WHERE story_id = ?) AND {QUOTE_SHOWN} "
    least = store.config[QUOTE_MIN_CONFIDENCE]
    total = store.conn.execute(
        "SELECT count(*) FROM quotes q JOIN articles a ON a.id = q.article_id " + where,
        (story_id, least),
    ).fetchone()[0]
    found = rows(
        store,
        _QUOTE_COLS + where + "ORDER BY a.published IS NULL, a.published, q.article_id, q.start "
        "LIMIT ? OFFSET ?",
        (story_id, least, PAGE, (page - 1) * PAGE),
    )
    return cast("list[QuoteLine]", found), int(total)


def entity_quotes(store: Store, entity_id: str, limit: int = PAGE) -> list[QuoteLine]:
    found = rows(
        store,
        _QUOTE_COLS + "WHERE q.speaker = ? "
        "ORDER BY a.published IS NULL, a.published DESC, q.article_id, q.start LIMIT ?",
        (entity_id, limit),
    )
    return cast("list[QuoteLine]", found)


def event_quotes(store: Store, event_id: str, limit: int = PAGE) -> list[QuoteLine]:
    found = rows(
        store,
        _QUOTE_COLS + "WHERE a.event_id = ? ORDER BY a.published, q.article_id, q.start LIMIT ?",
        (event_id, limit),
    )
    return cast("list[QuoteLine]", found)


def event_actors(store: Store, event_id: str, limit: int = 12) -> list[ActorLine]:
    found = rows(
        store,
        "SELECT n.id AS id, n.name, n.type, count(DISTINCT m.article_id) AS articles, "
        "count(*) AS mentions FROM articles a JOIN mentions m ON m.article_id = a.id "
        "JOIN entities n ON n.id = m.entity_id WHERE a.event_id = ? GROUP BY n.id "
        "ORDER BY articles DESC, mentions DESC, n.name LIMIT ?",
        (event_id, limit),
    )
    return cast("list[ActorLine]", found)


def entity_page(
    store: Store, entity_id: str, page: int, month: str | None = None
) -> dict[str, Any]:
    """Everything the entity page shows except its quotes, each list limited; the
    articles (one page of them, plus one row telling whether there are more) only of
    `month` ("YYYY-MM") when given."""
    conn = store.conn
    ent = dict(conn.execute("SELECT * FROM entities WHERE id = ?", (entity_id,)).fetchone())
    ent["aliases"] = [
        r[0]
        for r in conn.execute(
            "SELECT alias FROM entity_aliases WHERE entity_id = ? AND alias <> ? ORDER BY alias",
            (entity_id, ent["name"]),
        )
    ]
    ent["descriptions"] = rows(
        store,
        "SELECT description, count(*) AS n FROM entity_descriptions WHERE entity_id = ? "
        "GROUP BY description ORDER BY n DESC, description LIMIT 20",
        (entity_id,),
    )
    ent["merges"] = rows(
        store,
        "SELECT alias, reason, article_id, created_at FROM entity_merges WHERE entity_id = ? "
        "ORDER BY created_at, alias LIMIT 100",
        (entity_id,),
    )
    total = conn.execute(
        "SELECT count(*), count(DISTINCT article_id) FROM mentions WHERE entity_id = ?",
        (entity_id,),
    ).fetchone()
    ent["mention_count"], ent["article_count"] = int(total[0]), int(total[1])
    ent["months"] = {
        str(r[0]): int(r[1])
        for r in conn.execute(
            "SELECT substr(a.published, 1, 7) AS ym, count(*) FROM mentions m "
            "JOIN articles a ON a.id = m.article_id WHERE m.entity_id = ? "
            "AND a.published IS NOT NULL GROUP BY ym",
            (entity_id,),
        )
        if r[0]
    }
    in_month = " AND substr(a.published, 1, 7) = ?" if month else ""
    ent["articles"] = rows(
        store,
        "SELECT a.id, a.title, a.outlet, a.lang, a.published, a.published_source, a.duplicate_of, "
        "a.echo_of, count(*) AS mentions FROM mentions m JOIN articles a ON a.id = m.article_id "
        f"WHERE m.entity_id = ?{in_month} GROUP BY a.id "
        "ORDER BY a.published IS NULL, a.published DESC, a.id LIMIT ? OFFSET ?",
        (entity_id, *([month] if month else []), PAGE + 1, (page - 1) * PAGE),
    )
    ent["stories"] = rows(
        store,
        "SELECT s.id, s.title, count(DISTINCT m.article_id) AS articles FROM mentions m "
        "JOIN articles a ON a.id = m.article_id JOIN events e ON e.id = a.event_id "
        "JOIN stories s ON s.id = e.story_id WHERE m.entity_id = ? GROUP BY s.id "
        "ORDER BY articles DESC, s.id LIMIT 20",
        (entity_id,),
    )
    return ent


def names(store: Store, ids: set[str]) -> dict[str, str]:
    """Entity id -> name for the given ids, in one query per 500."""
    wanted = sorted(ids)
    out: dict[str, str] = {}
    for i in range(0, len(wanted), 500):
        chunk = wanted[i : i + 500]
        marks = ",".join("?" * len(chunk))
        out.update(
            {
                str(r[0]): str(r[1])
                for r in store.conn.execute(
                    f"SELECT id, name FROM entities WHERE id IN ({marks})", chunk
                )
            }
        )
    return out


def titles(store: Store, table: str, ids: set[str]) -> dict[str, str]:
    """id -> title of articles, events or stories (one query), for link labels."""
    if table not in ("articles", "events", "stories") or not ids:
        return {}
    wanted = sorted(ids)[:500]
    marks = ",".join("?" * len(wanted))
    return {
        str(r[0]): str(r[1] or "")
        for r in store.conn.execute(f"SELECT id, title FROM {table} WHERE id IN ({marks})", wanted)
    }


def languages(store: Store) -> list[str]:
    return [
        str(r[0])
        for r in store.conn.execute(
            "SELECT DISTINCT lang FROM articles WHERE lang IS NOT NULL ORDER BY lang"
        )
    ]


def _like(value: str) -> str:
    """`value` anywhere in a LIKE pattern, its wildcards taken literally."""
    return "%" + value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def entity_list(
    store: Store,
    *,
    etype: str | None,
    name: str | None,
    name_ids: list[str],
    limit: int,
    offset: int,
) -> tuple[list[tuple[str, int]], int]:
    """A page of (entity id, mentions), most mentioned first, and how many match in all.

    `etype` keeps one type; `name` keeps the entities in `name_ids` (the spelling variants
    and name parts the caller matched) and those with an alias containing `name`.
    """
    where: list[str] = []
    args: list[Any] = []
    if etype:
        where.append("e.type = ?")
        args.append(etype)
    if name:
        where.append(
            f"(e.id IN ({','.join('?' * len(name_ids))}) OR e.id IN "
            "(SELECT entity_id FROM entity_aliases WHERE alias LIKE ? ESCAPE '\\'))"
        )
        args += [*name_ids, _like(name)]
    cond = " WHERE " + " AND ".join(where) if where else ""
    total = int(store.conn.execute(f"SELECT count(*) FROM entities e{cond}", args).fetchone()[0])
    found = store.conn.execute(
        "SELECT e.id, (SELECT count(*) FROM mentions m WHERE m.entity_id = e.id) AS n "
        f"FROM entities e{cond} ORDER BY n DESC, e.name LIMIT ? OFFSET ?",
        [*args, limit, offset],
    ).fetchall()
    return [(str(r[0]), int(r[1])) for r in found], total


def entity_mentions_and_merges(store: Store, entity_id: str) -> tuple[int, list[EntityMerge]]:
    """How often an entity is mentioned, and every merge behind it with its reason."""
    count = int(
        store.conn.execute(
            "SELECT count(*) FROM mentions WHERE entity_id = ?", (entity_id,)
        ).fetchone()[0]
    )
    merges = rows(
        store,
        "SELECT alias, reason, article_id, created_at FROM entity_merges "
        "WHERE entity_id = ? ORDER BY created_at, alias",
        (entity_id,),
    )
    return count, cast("list[EntityMerge]", merges)


#: Tables whose rows the status counts.
COUNTED = frozenset(
    {"articles", "events", "stories", "entities", "mentions", "quotes", "dates", "quantities"}
)


def table_count(store: Store, table: str) -> int:
    if table not in COUNTED:
        raise ValueError(f"no count of {table!r}")
    return int(store.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def largest_stories(store: Store, limit: int) -> list[str]:
    """The `limit` stories with the most articles."""
    return [
        str(r[0])
        for r in store.conn.execute(
            "SELECT e.story_id FROM events e JOIN articles a ON a.event_id = e.id "
            "GROUP BY e.story_id ORDER BY count(*) DESC, e.story_id LIMIT ?",
            (limit,),
        )
    ]
