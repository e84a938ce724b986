"""The record types (storyline/records.py) against what the code produces, and the docs.

The pin that keeps docs/export.md, the TypedDicts and the data in step: every record the
export (and the CLI's and API's fuller views) writes for the example corpus must have
exactly the keys its TypedDict names, required keys always, with values of the declared
types, nested records included; and every key the export writes is named in
docs/export.md. A key added to a record fails here until it is added to the type (and to
the docs).
"""

from __future__ import annotations

import re
import types
from collections.abc import Iterator
from pathlib import Path
from typing import (
    Any,
    ForwardRef,
    Literal,
    Union,
    get_args,
    get_origin,
    get_type_hints,
    is_typeddict,
)

import pytest
from tests.conftest import copy_store

from storyline import records as r
from storyline.compare.read import compare
from storyline.export import SECTIONS, export_records, header, section_rows
from storyline.search.engine import search
from storyline.store import Store
from storyline.store.analysis import article_analysis, explain_entity, quotes_by_speaker
from storyline.store.stories import event_ids, story_ids
from storyline.stories.read import cluster_log, event_record, list_stories, story_record

DOCS = Path(__file__).resolve().parents[1] / "docs" / "export.md"

#: export section -> the TypedDict of its rows
SECTION_TYPES: dict[str, Any] = {
    "entities": r.EntityRecord,
    "mentions": r.MentionRecord,
    "quotes": r.QuoteRecord,
    "dates": r.DateRecord,
    "quantities": r.QuantityRecord,
    "events": r.EventRecord,
    "stories": r.StoryRecord,
    "timeline": r.TimelineEntryRecord,
    "claims": r.ClaimRecord,
}


class Checker:
    """Collects where a value departs from a type (one message per place and kind)."""

    def __init__(self) -> None:
        self.problems: dict[str, str] = {}
        self.keys: set[str] = set()  # every TypedDict key met, for the docs check

    def _fail(self, path: str, message: str) -> None:
        self.problems.setdefault(re.sub(r"\[\d+\]", "[]", path) + ": " + message, path)

    def check(self, value: Any, tp: Any, path: str) -> None:
        if tp is Any or isinstance(tp, str | ForwardRef):
            return  # free-form (JSONValue)
        origin = get_origin(tp)
        if origin in (Union, types.UnionType):
            options = [a for a in get_args(tp) if a is not type(None)]
            if value is None and len(options) < len(get_args(tp)):
                return
            tries = []
            for option in options:
                sub = Checker()
                sub.check(value, option, path)
                if not sub.problems:
                    self.keys |= sub.keys
                    return
                tries.append(sub)
            self.problems.update(min(tries, key=lambda c: len(c.problems)).problems)
            return
        if origin is Literal:
            if value not in get_args(tp):
                self._fail(path, f"{value!r} is not one of {get_args(tp)}")
            return
        if is_typeddict(tp):
            self._record(value, tp, path)
        elif origin is list:
            if not isinstance(value, list):
                self._fail(path, f"{type(value).__name__}, not a list")
                return
            for i, item in enumerate(value):
                self.check(item, get_args(tp)[0], f"{path}[{i}]")
        elif origin is dict:
            if not isinstance(value, dict):
                self._fail(path, f"{type(value).__name__}, not a dict")
                return
            key_type, value_type = get_args(tp)
            for k, v in value.items():
                self.check(k, key_type, f"{path}<key>")
                self.check(v, value_type, f"{path}[{k!r}]")
        elif tp is float:
            if not isinstance(value, int | float) or isinstance(value, bool):
                self._fail(path, f"{value!r} is not a number")
        elif tp is int:
            if not isinstance(value, int) or isinstance(value, bool):
                self._fail(path, f"{value!r} is not an int")
        elif not isinstance(value, tp):
            self._fail(path, f"{value!r} is not {tp.__name__}")

    def _record(self, value: Any, tp: Any, path: str) -> None:
        if not isinstance(value, dict):
            self._fail(path, f"{type(value).__name__}, not a {tp.__name__}")
            return
        required, optional = set(tp.__required_keys__), set(tp.__optional_keys__)
        for key in sorted(required - set(value)):
            self._fail(path, f"{tp.__name__} requires {key!r}, the record lacks it")
        for key in sorted(set(value) - required - optional):
            self._fail(path, f"the record has {key!r}, {tp.__name__} lacks it")
        hints = get_type_hints(tp)
        for key in set(value) & set(hints):
            self.keys.add(key)
            self.check(value[key], hints[key], f"{path}.{key}")


def _assert_matches(value: Any, tp: Any, path: str) -> Checker:
    checker = Checker()
    checker.check(value, tp, path)
    assert not checker.problems, "\n".join(sorted(checker.problems))
    return checker


@pytest.fixture(scope="module")
def store(examples_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    path = copy_store(examples_db, tmp_path_factory.mktemp("records") / "ex.db")
    with Store(path) as opened:
        yield opened


def test_records_export_matches_the_types_and_the_docs(store: Store) -> None:
    keys = _assert_matches(header(store), r.ExportHeader, "header").keys
    articles = list(export_records(store))
    assert articles
    keys |= _assert_matches(articles, list[r.ArticleRecord], "articles").keys
    assert [name for name, _ in SECTIONS] == list(SECTION_TYPES)
    for name, tp in SECTION_TYPES.items():
        rows = list(section_rows(store, name))
        assert rows, f"the example corpus gives no {name}: the check would prove nothing"
        keys |= _assert_matches(rows, list[tp], name).keys
    docs = DOCS.read_text(encoding="utf-8")
    undocumented = sorted(k for k in keys if not re.search(rf"[`\"]{re.escape(k)}[`\"]", docs))
    assert not undocumented, (
        f"keys the export writes that docs/export.md does not name: {undocumented}"
    )


def test_records_full_views_match_the_types(store: Store) -> None:
    """What `storyline story --json`, `GET /events/{id}`, `storyline stories --json`, the
    comparison and the API's article and entity views give."""
    story = story_ids(store)[0]
    full = story_record(store, story, full=True)
    full["log"] = cluster_log(store, story)
    _assert_matches(full, r.StoryRecord, "story")
    assert {"event_details", "outlets", "languages", "timeline", "log"} <= set(full)
    events = [event_record(store, e, full=True) for e in event_ids(store)]
    _assert_matches(events, list[r.EventRecord], "event")
    _assert_matches(list_stories(store), list[r.StorySummary], "stories")
    _assert_matches(compare(store, story, refresh=False), r.Comparison, "compare")
    _assert_matches(compare(store, events[0]["id"], refresh=False), r.Comparison, "compare")
    article = next(iter(export_records(store)))
    view = {**article, **article_analysis(store, article["id"])}
    _assert_matches(view, r.AnalysedArticle, "article")
    _assert_matches(quotes_by_speaker(store), list[r.SpeakerQuote], "quotes")
    entities = explain_entity(store, "a")
    assert entities and any(e.get("merges") for e in entities)
    _assert_matches(entities, list[r.EntityListing], "entities")
    hits = search(store, "Hafen")
    assert hits
    _assert_matches(hits, list[r.SearchHit], "search")


def test_records_checker_finds_extra_and_missing_keys() -> None:
    good: r.TimelineSource = {"article": "a1", "outlet": None, "start": 0, "end": 4}
    _assert_matches(good, r.TimelineSource, "source")
    checker = Checker()
    checker.check({**good, "extra": 1}, r.TimelineSource, "source")
    assert any("'extra'" in p for p in checker.problems)
    checker = Checker()
    checker.check({"article": "a1", "start": 0, "end": 4}, r.TimelineSource, "source")
    assert any("requires 'outlet'" in p for p in checker.problems)
    checker = Checker()
    checker.check({**good, "start": "0"}, r.TimelineSource, "source")
    assert any("source.start" in p for p in checker.problems)
