"""Grouping the store into events and stories: after each ingest, and from scratch.

`update_stories` places every article that has no event yet (the new ones), in
publication order; `recluster` forgets all events and stories and places every
article again, then gives each new cluster the id of the old cluster it shares the
most articles with, so ids survive a recluster wherever the grouping did. Both
log every decision (cluster_log), and both run inside one transaction.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from storyline.analyse.dates import find_dates
from storyline.analyse.model import Sentence
from storyline.analyse.sentences import split_sentences
from storyline.settings import INFER_MIN_CONFIDENCE
from storyline.store import Store, grouping
from storyline.store import stories as db
from storyline.stories.cluster import CONFIDENT, Clusters, Item, LogEntry
from storyline.stories.dating import (
    ContextDate,
    Fact,
    explicit_spans,
    facts_of,
    infer_from_story,
)
from storyline.stories.echo import find_echoes
from storyline.stories.embed import Encoder, backend_for
from storyline.stories.embed import article_text as embed_text
from storyline.stories.load import Details, load, set_dates

#: What grouping needs of a stored article and what it adds (checked by the ingest job
#: against the stages before it, as `Pipeline` checks the per-article stages).
REQUIRES = frozenset({"id", "title", "text", "lang", "outlet", "published", "analysis"})
ASSIGNS = frozenset({"event", "story", "echo_of", "published"})

_FACT_SOURCES = 15  # most similar dated articles whose dates are tried as facts
#: articles per encoder call: enough for full batches on every core (the encoder sorts them
#: by length), few enough that progress moves every few seconds
_EMBED_BATCH = 64
PRIMARY = 0.7  # an article dated this surely lends its relative dates to others
#: entities named by this share of a story's articles relate no two sentences (dating)
COMMON_SHARE = 0.8
COMMON_MIN_ARTICLES = 3


@dataclass
class StoriesReport:
    placed: int = 0
    redated: list[str] = field(default_factory=list)
    events: int = 0
    stories: int = 0
    log: list[LogEntry] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "placed": self.placed,
            "redated": self.redated,
            "events": self.events,
            "stories": self.stories,
            "changes": len(self.log),
        }


def embed_missing(
    store: Store,
    on_item: Callable[[str], None] | None = None,
    encode: Encoder | None = None,
    *,
    placed: bool = False,
) -> int:
    """Embed (title + lead) every unplaced article that has no vector yet (with `placed`,
    every article: after a change of profile, `recluster`); returns how many.

    Call it outside a transaction: the encoder runs with no lock held, and each batch's
    vectors are written in a short transaction of their own (other writers wait
    milliseconds, not minutes; a killed run keeps the vectors it finished). `encode` runs
    the profile's model elsewhere (the ray engine's actors)."""
    name = store.config.embed_backend
    todo = grouping.articles_without_vectors(store, name, placed=placed)
    if not todo:
        return 0
    run = encode if encode is not None else backend_for(store.config).encode
    for i in range(0, len(todo), _EMBED_BATCH):
        batch = todo[i : i + _EMBED_BATCH]
        vectors = run([embed_text(r["text"], r["title"]) for r in batch])
        with store.transaction(join=True):
            grouping.save_vectors(store, name, [(r["id"], vectors[k]) for k, r in enumerate(batch)])
        if on_item is not None:
            for r in batch:
                on_item(r["id"])
    return len(todo)


def _order(items: list[Item]) -> list[Item]:
    """Precisely dated articles first, oldest first: they give the others their dates."""
    return sorted(
        items,
        key=lambda i: (
            i.duplicate_of is not None,
            i.confidence < CONFIDENT,
            i.published or date.max,
            i.id,
        ),
    )


FactCache = dict[tuple[str, bool], list[Fact]]


def _date_from_story(
    store: Store,
    clusters: Clusters,
    item: Item,
    story: str,
    sims: dict[str, float],
    cache: FactCache,
    news: set[str] | None = None,
) -> bool:
    """Infer `item`'s publication date from its story; True when the store took it.

    With `news` (the articles dated surely in this run), only when one of them is among
    the articles it would be dated against: else they are those of its last try, which
    the run that placed them made (a retry that would read the same facts again is
    skipped: in a story of thousands it would be thousands of inferences per article)."""
    if item.confidence >= CONFIDENT:
        return False
    original = clusters.items.get(item.duplicate_of or "")
    if original is not None and original.published and original.confidence >= CONFIDENT:
        if news is not None and original.id not in news:
            return False
        # a syndicated copy appears the day its original does
        copy = ContextDate(
            original.published.isoformat(),
            round(original.confidence * 0.95, 2),
            f"copy of article {original.id}, published {original.published.isoformat()}",
        )
        return _take(store, item, copy, db.article_text(store, item.id), cache)
    dated = [
        a
        for a in sorted(clusters.story_articles(story), key=lambda a: -sims.get(a, 0.0))
        if a != item.id and clusters.items[a].confidence >= CONFIDENT
    ][:_FACT_SOURCES]
    if not dated or (news is not None and news.isdisjoint(dated)):
        return False
    facts = [f for a in dated for f in _facts(store, clusters, a, cache)]
    art = db.article_text(store, item.id)
    sentences = split_sentences(art["text"])
    near = [clusters.items[a].published for a in dated[:3]]
    found = infer_from_story(
        art["text"],
        sentences,
        art["lang"],
        art["mentions"],
        facts,
        [d for d in near if d],
        _common_entities(clusters, story, item),
    )
    if found is None or found.confidence < store.config[INFER_MIN_CONFIDENCE]:
        return False
    return _take(store, item, found, art, cache, sentences)


def _take(
    store: Store,
    item: Item,
    found: ContextDate,
    art: db.ArticleText,
    cache: FactCache,
    sentences: list[Sentence] | None = None,
) -> bool:
    """Store an inferred date (if surer than what the article has) and resolve the article's
    dates (`art`: its text, language and source of date) again against it."""
    if found.confidence <= item.confidence or art["published_source"] in ("metadata", "text"):
        return False
    if not store.set_inferred_published(item.id, found.value, found.confidence, found.evidence):
        return False
    if sentences is None:
        sentences = split_sentences(art["text"])
    dates = find_dates(art["text"], sentences, found.value, art["lang"])
    db.replace_dates(store, item.id, dates)
    cache.pop((item.id, True), None)
    cache.pop((item.id, False), None)
    item.published, item.confidence = date.fromisoformat(found.value), found.confidence
    set_dates(item, [(d.value, d.precision) for d in dates])
    return True


def _common_entities(clusters: Clusters, story: str, item: Item) -> frozenset[str]:
    """Those of `item`'s entities that at least `COMMON_SHARE` of a story's articles name
    (none for tiny stories): only the article's own entities matter to its dating."""
    if clusters.story_size(story) < COMMON_MIN_ARTICLES:
        return frozenset()
    return clusters.common_entities(story, item.entities, COMMON_SHARE)


def _facts(store: Store, clusters: Clusters, article: str, cache: FactCache) -> list[Fact]:
    """Dates the article states. Dates resolved from relative expressions ("am Mittwoch")
    count only where the article's own date is sure: else they would pass one guess on.
    Kept for the run: many articles of a story are dated against the same articles."""
    primary = clusters.items[article].confidence >= PRIMARY
    published = clusters.items[article].published
    key = (article, primary)
    if key not in cache:
        rows = db.date_rows(store, [article])
        keep = (
            None
            if primary or not rows
            else explicit_spans(rows[0]["article_text"], rows[0]["lang"])
        )
        cache[key] = facts_of(article, published, rows, keep)
    return cache[key]


def _place_all(
    store: Store,
    clusters: Clusters,
    items: list[Item],
    report: StoriesReport,
    details: Details,
    retry: bool = True,
) -> None:
    cache: FactCache = {}
    informed: set[str] = set()  # stories that gained a surely dated article
    news: set[str] = set()  # the articles dated surely that this run placed
    for item in _order(items):
        sims = clusters.similarities(item)
        story, why = clusters.choose_story(item, sims)
        if story is not None and details.joinable(story, sims):
            sims = clusters.similarities(item)  # the events it may join are loaded whole now
        if story is not None and _date_from_story(store, clusters, item, story, sims, cache):
            report.redated.append(item.id)
        event = clusters.add(item, sims, story, why)
        if item.confidence >= CONFIDENT:
            informed.add(clusters.story_of[event])
            news.add(item.id)
        report.placed += 1
    # Articles placed undated earlier may be datable now that their story knows more dates.
    if not retry:
        return
    for story in sorted(s for s in informed if clusters.story_events(s)):
        for a in clusters.story_articles(story):
            item = clusters.items[a]
            if item.confidence >= CONFIDENT or a in report.redated:
                continue
            sims = clusters.similarities(item)
            if details.joinable(story, sims):
                sims = clusters.similarities(item)
            if _date_from_story(store, clusters, item, story, sims, cache, news):
                report.redated.append(a)
                old = clusters.remove(a)
                new = clusters.add(
                    item,
                    sims,
                    story,
                    {"redated": item.published.isoformat() if item.published else None},
                )
                if new != old:
                    clusters.log.append(LogEntry("event", "move", new, a, {"from": old}))


def update_stories(
    store: Store,
    on_item: Callable[[str], None] | None = None,
    *,
    encode: Encoder | None = None,
) -> StoriesReport:
    """Place every article without an event into events and stories: embedding first,
    with no lock held (on `encode`'s workers when given), then the placing in one
    transaction."""
    report = StoriesReport()
    embed_missing(store, on_item, encode)
    with store.transaction():
        embed_missing(store)  # what another writer stored meanwhile (usually nothing)
        clusters, new, details = load(store, everything=False)
        _place_all(store, clusters, new, report, details)
        _save(store, clusters, report, details)
    return report


def recluster(store: Store, on_item: Callable[[str], None] | None = None) -> StoriesReport:
    """Recompute all events and stories from scratch, keeping ids where clusters survive."""
    report = StoriesReport()
    embed_missing(store, on_item, placed=True)  # e.g. every article after a profile change
    with store.transaction():
        embed_missing(store, placed=True)  # what another writer stored meanwhile
        before = grouping.event_assignments(store)
        old_story = grouping.story_of_events(store)
        db.clear_clusters(store)
        clusters, items, details = load(store, everything=True)
        _place_all(store, clusters, items, report, details, retry=False)
        _keep_ids(clusters, before, old_story)
        clusters.touched = set(clusters.events)
        _save(store, clusters, report, details, sweep=True)
    return report


def _keep_ids(clusters: Clusters, before: dict[str, str], old_story: dict[str, str]) -> None:
    """Rename new clusters after the old ones they overlap most; log merges and splits."""
    rename: dict[str, str] = {}
    pairs = Counter(
        (e, before[a]) for e, arts in clusters.events.items() for a in arts if a in before
    )
    taken: set[str] = set()
    for (new, old), _n in sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0])):
        if new not in rename and old not in taken:
            rename[new] = old
            taken.add(old)
    for new in sorted(clusters.events):
        if new not in rename:
            rename[new] = _fresh(new, taken)
            taken.add(rename[new])
    for new, arts in list(clusters.events.items()):
        olds = sorted({before[a] for a in arts if a in before})
        target = rename.get(new, new)
        if len(olds) > 1:
            clusters.log.append(LogEntry("event", "merge", target, None, {"from": olds}))
    for old in sorted(set(before.values())):
        news = sorted(
            {rename.get(e, e) for a, e in clusters.event_of.items() if before.get(a) == old}
        )
        if len(news) > 1:
            clusters.log.append(LogEntry("event", "split", old, None, {"into": news}))
    # stories: the old story most of the new story's (renamed) events belonged to
    story_rename: dict[str, str] = {}
    votes = Counter(
        (s, old_story[rename.get(e, e)])
        for e, s in clusters.story_of.items()
        if rename.get(e, e) in old_story
    )
    used: set[str] = set()
    for (new, old), _n in sorted(votes.items(), key=lambda kv: (-kv[1], kv[0])):
        if new not in story_rename and old not in used:
            story_rename[new] = old
            used.add(old)
    for new in sorted(set(clusters.story_of.values())):
        if new not in story_rename:
            story_rename[new] = _fresh(new, used)
            used.add(story_rename[new])
    clusters.rename(rename, story_rename)
    clusters.log.append(LogEntry("story", "recluster", "*", None, {"events": len(clusters.events)}))


def _fresh(name: str, taken: set[str]) -> str:
    """`name`, or `name-2`, `name-3`, … if an older cluster already goes by it."""
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = f"{name}-{n}"
    return candidate


def _save(
    store: Store,
    clusters: Clusters,
    report: StoriesReport,
    details: Details,
    *,
    sweep: bool = False,
) -> None:
    from storyline.stories.titles import event_title, story_title

    touched_events = {e for e in clusters.touched if e in clusters.events}
    details.complete(touched_events)  # titles, days and echoes read all of an event
    touched_stories = {clusters.story_of[e] for e in touched_events}
    events = {}
    for e in sorted(touched_events):
        members = [clusters.items[a] for a in clusters.events[e]]
        start, end = _event_days(members)
        events[e] = {
            "story": clusters.story_of[e],
            "title": event_title(clusters, e),
            "date_start": start,
            "date_end": end,
        }
    assignments: dict[str, str | None] = {a: e for e in touched_events for a in clusters.events[e]}
    # Story titles count entities over every article of the story, loaded or not: from
    # the store, once the assignments are written.
    db.save_clusters(
        store, events, {s: {"title": ""} for s in touched_stories}, assignments, sweep=sweep
    )
    db.set_story_titles(store, {s: story_title(store, s) for s in sorted(touched_stories)})
    echoes = {}
    for e in sorted(touched_events):
        echoes.update(find_echoes(store, [clusters.items[a] for a in clusters.events[e]]))
    db.save_echoes(store, echoes)
    db.append_log(store, clusters.log)
    report.log = list(clusters.log)
    report.events, report.stories = db.cluster_counts(store)


def _event_days(members: list[Item]) -> tuple[str | None, str | None]:
    """The days the happening takes: the days its dated articles name most, near their dates.

    Reports name the day of the happening again and again ("am Dienstag", "4. März",
    "morgen und übermorgen (18. und 19. Juni)"); publication days count half. Every
    day counts as much as the article's date is sure.
    """
    dated = [m for m in members if m.published is not None]
    if not dated:
        return None, None
    lo = min(m.published for m in dated if m.published) - timedelta(days=7)
    hi = max(m.published for m in dated if m.published) + timedelta(days=14)
    counts: dict[date, float] = {}
    for m in dated:  # surer dates weigh more
        assert m.published is not None
        counts[m.published] = counts.get(m.published, 0.0) + 0.5 * m.confidence
        for d in m.days:
            if lo <= d <= hi:
                counts[d] = counts.get(d, 0.0) + m.confidence
    top = max(counts.values())
    peak = sorted(d for d, n in counts.items() if n >= 0.6 * top)
    # keep the run of peak days around the top day, not a stray day weeks apart
    first = max(counts, key=lambda d: (counts[d], -d.toordinal()))
    run = [first]
    for d in peak:
        if d > run[-1] and (d - run[-1]).days <= 1:
            run.append(d)
    for d in reversed(peak):
        if d < run[0] and (run[0] - d).days <= 1:
            run.insert(0, d)
    return run[0].isoformat(), run[-1].isoformat()
