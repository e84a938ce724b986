"""Grouping a store: incremental placement, recluster, crash safety, dates from the story."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from tests.conftest import EXAMPLES, example_truth, truth_ids

from storyline.jobs.ingest import ingest
from storyline.store import Store
from storyline.stories import job
from storyline.stories.read import cluster_log, event_record


def _grouping(store: Store) -> dict[str, str | None]:
    return dict(store.conn.execute("SELECT id, event_id FROM articles").fetchall())


def test_job_new_articles_join_the_events_already_there(tmp_path: Path) -> None:
    first, rest = tmp_path / "first", tmp_path / "rest"
    first.mkdir()
    rest.mkdir()
    for f in sorted((EXAMPLES / "articles").iterdir()):
        shutil.copy(
            f,
            (first if f.name.startswith("hafenstreik-0") and f.name < "hafenstreik-03" else rest)
            / f.name,
        )
    with Store(tmp_path / "s.db") as store:
        ingest([str(first)], store)
        before = _grouping(store)
        assert len(set(before.values())) == 1  # two reports of the strike's first day
        ingest([str(rest)], store)
        after = _grouping(store)
        ids = truth_ids(store)
    assert all(after[a] == e for a, e in before.items())  # ids stay stable
    strike = before[ids["hafenstreik-01-rheinische-abendpost.txt"]]
    assert after[ids["hafenstreik-03-harbour-times.txt"]] == strike  # the English report joins


def test_job_recluster_keeps_ids_and_logs_it(examples_copy: Path) -> None:
    with Store(examples_copy) as store:
        before = _grouping(store)
        report = job.recluster(store)
        after = _grouping(store)
        log = cluster_log(store)
    assert after == before
    assert report.events == len(set(before.values()))
    assert any(row["action"] == "recluster" for row in log)


def test_job_recluster_logs_the_merge_of_a_wrongly_split_event(examples_copy: Path) -> None:
    with Store(examples_copy) as store:
        ids = truth_ids(store)
        moved = ids["hafenstreik-02-hansekurier-digital.txt"]
        old = store.conn.execute("SELECT event_id FROM articles WHERE id=?", (moved,)).fetchone()[0]
        story = store.conn.execute("SELECT story_id FROM events WHERE id=?", (old,)).fetchone()[0]
        store.conn.execute(
            "INSERT INTO events(id, story_id, title, created_at, updated_at) "
            "VALUES ('e-split', ?, 'x', '', '')",
            (story,),
        )
        store.conn.execute("UPDATE articles SET event_id='e-split' WHERE id=?", (moved,))
        store.conn.commit()
        job.recluster(store)
        log = cluster_log(store)
        event = store.conn.execute("SELECT event_id FROM articles WHERE id=?", (moved,)).fetchone()[
            0
        ]
    assert event == old
    merges = [r for r in log if r["action"] == "merge"]
    assert merges and "e-split" in merges[0]["evidence"]["from"]


def test_job_interrupted_grouping_leaves_the_store_as_it_was(
    examples_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store(examples_copy) as store:
        store.conn.execute("UPDATE articles SET event_id=NULL")
        store.conn.execute("DELETE FROM events")
        store.conn.execute("DELETE FROM stories")
        store.conn.commit()
        dates_before = store.conn.execute(
            "SELECT count(*), sum(length(value)) FROM dates"
        ).fetchone()

        def crash(*_a: object, **_k: object) -> None:
            raise RuntimeError("power cut")

        monkeypatch.setattr(job.db, "append_log", crash)
        with pytest.raises(RuntimeError):
            job.update_stories(store)
        assert store.conn.execute("SELECT count(*) FROM events").fetchone()[0] == 0
        assert set(_grouping(store).values()) == {None}
        assert (
            store.conn.execute("SELECT count(*), sum(length(value)) FROM dates").fetchone()
            == dates_before
        )
        monkeypatch.undo()
        report = job.update_stories(store)  # the next run completes it
        assert report.placed == store.count()
        assert None not in set(_grouping(store).values())


def test_job_undated_articles_are_dated_from_their_story(examples_db: Path) -> None:
    truth = {a["file"]: a for a in example_truth()["articles"]}
    with Store(examples_db) as store:
        ids = truth_ids(store)
        rows = {
            r["id"]: dict(r)
            for r in store.conn.execute("SELECT id, published, published_source FROM articles")
        }
    inferred = {f: rows[ids[f]] for f in truth if rows[ids[f]]["published_source"] == "inferred"}
    assert len(inferred) >= 5
    for name, row in inferred.items():
        off = abs(
            date.fromisoformat(row["published"]) - date.fromisoformat(truth[name]["published"])
        )
        assert off.days <= 1, (name, row["published"], truth[name]["published"])


def test_job_echo_and_independent_sources(examples_db: Path) -> None:
    with Store(examples_db) as store:
        ids = truth_ids(store)
        echo = store.get_article(ids["hafenstreik-03-harbour-times.txt"])
        assert echo["echo_of"] == ids["hafenstreik-01-rheinische-abendpost.txt"]
        assert echo["echo_evidence"]["names_outlet"] == "Rheinische Abendpost"
        echoes = store.conn.execute("SELECT count(*) FROM articles WHERE echo_of IS NOT NULL")
        assert echoes.fetchone()[0] == 1
        strike = event_record(store, echo["event"])
        settled = event_record(
            store, store.get_article(ids["hafenstreik-04-kpa-rheinische-abendpost.txt"])["event"]
        )
    # three reports of the strike, one of them an echo: two independent sources
    assert len(strike["articles"]) == 3 and strike["independent_sources"] == 2
    # the syndicated copy counts once
    assert len(settled["articles"]) == 3 and settled["independent_sources"] == 2


def test_job_syndicated_copy_takes_its_originals_date(examples_db: Path) -> None:
    with Store(examples_db) as store:
        ids = truth_ids(store)
        copy = store.get_article(ids["hafenstreik-05-kpa-hansekurier-digital.txt"])
        original = store.get_article(ids["hafenstreik-04-kpa-rheinische-abendpost.txt"])
    assert copy["duplicate_of"] == original["id"]
    assert copy["published"] == original["published"] == "2025-06-13"
    assert copy["published_source"] == "inferred"
    assert "copy of article" in copy["published_evidence"]["detail"]
