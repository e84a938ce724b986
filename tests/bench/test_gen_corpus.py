"""The benchmark corpus generator (bench/gen_corpus.py): deterministic, consistent labels."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import random
from collections import defaultdict
from pathlib import Path

import pytest
from bench.gen_corpus import generate, plan


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, str | None]]]:
    out = tmp_path_factory.mktemp("corpus")
    return out, generate(60, out, seed=7)


def test_same_seed_gives_identical_bytes(tmp_path: Path) -> None:
    generate(60, tmp_path / "a", seed=7)
    generate(60, tmp_path / "b", seed=7)
    first, second = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert len(first) == 61  # 60 articles and truth.jsonl
    assert first == second
    generate(60, tmp_path / "c", seed=8)
    assert _files(tmp_path / "c") != first


def test_truth_rows_match_files(corpus: tuple[Path, list[dict[str, str | None]]]) -> None:
    out, rows = corpus
    on_disk = sorted(p.name for p in (out / "articles").glob("*.txt"))
    assert [r["file"] for r in rows] == on_disk and len(rows) == 60
    lines = (out / "truth.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == rows
    for row in rows:
        assert set(row) == {"file", "story", "event", "outlet", "lang", "published",
                            "duplicate_of_file"}
        assert row["lang"] in {"de", "en", "fr", "es", "it"}
        assert str(row["event"]).startswith(f"{row['story']}-E")
        assert "2023-01-01" <= str(row["published"]) <= "2025-12-31"
        text = (out / "articles" / str(row["file"])).read_text(encoding="utf-8")
        title, blank, *_ = text.split("\n")
        assert title.strip() and blank == ""
        assert 150 <= len(text.split()) <= 700


def test_stories_have_spaced_events(corpus: tuple[Path, list[dict[str, str | None]]]) -> None:
    _, rows = corpus
    events: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        events[str(row["story"])].add(str(row["event"]))
    assert events and all(len(e) >= 2 for e in events.values())
    dates: dict[str, set[dt.date]] = defaultdict(set)
    for a in plan(60, random.Random(7)):  # the event dates themselves are not in the truth file
        dates[a.event.story.sid].add(a.event.date)
    assert set(dates) == set(events)
    for days in dates.values():
        ordered = sorted(days)
        assert all((b - a).days >= 20 for a, b in itertools.pairwise(ordered))


def test_duplicates_copy_an_original_of_the_same_event(
        corpus: tuple[Path, list[dict[str, str | None]]]) -> None:
    out, rows = corpus
    by_file = {r["file"]: r for r in rows}
    dups = [r for r in rows if r["duplicate_of_file"]]
    assert dups
    for dup in dups:
        source = by_file[dup["duplicate_of_file"]]
        assert source["event"] == dup["event"] and source["duplicate_of_file"] is None
        assert source["outlet"] != dup["outlet"] and source["lang"] == dup["lang"]
        read = [(out / "articles" / str(r["file"])).read_text(encoding="utf-8") for r in (dup, source)]
        assert read[0] != read[1]  # other debris around the same article
        assert read[0].split("\n")[0] == read[1].split("\n")[0]
        longest = max(read[1].split("\n\n"), key=len)
        assert longest in read[0]
