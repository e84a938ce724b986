"""The compare stage on a store: claims stored per story, kept current, exported, shown."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from tests.conftest import copy_store

from storyline.cli import main
from storyline.compare import compare
from storyline.compare.job import update_claims
from storyline.store import Store
from storyline.store.claims import stale_stories


def _largest_story(store: Store) -> str:
    return str(
        store.conn.execute(
            "SELECT e.story_id FROM articles a JOIN events e ON e.id = a.event_id "
            "GROUP BY e.story_id ORDER BY count(*) DESC, e.story_id LIMIT 1"
        ).fetchone()[0]
    )


def test_compare_job_ingest_leaves_every_story_current(examples_db: Path) -> None:
    with Store(examples_db) as store:
        assert stale_stories(store) == []
        n = store.conn.execute("SELECT count(*) FROM claims").fetchone()[0]
    assert n > 0


def test_compare_job_claims_cross_outlets_with_sources_in_order(examples_db: Path) -> None:
    with Store(examples_db) as store:
        result = compare(store, _largest_story(store))
    shared = [c for c in result["claims"] if len(c["outlets"]) >= 2]
    assert len(shared) >= 5
    for c in result["claims"]:
        assert 1 <= c["independent_sources"] <= len(c["sources"])
        assert c["echoes"] == len(c["sources"]) - c["independent_sources"]
        for s in c["sources"]:
            assert s["text"] and s["end"] > s["start"]
    weights = [c["weight"] for c in result["claims"]]
    assert weights == sorted(weights, reverse=True)


def test_compare_job_quality_gate_examples_denial_linked(examples_db: Path) -> None:
    """Our example corpus: the operator's spokesman rejects the union's strike-breaker
    accusation; the denial must dispute a claim about strike-breakers."""
    with Store(examples_db) as store:
        result = compare(store, _largest_story(store))
    by_id = {c["id"]: c for c in result["claims"]}
    denials = [c for c in result["claims"] if c["kind"] == "denial"]
    assert denials
    targets = [by_id[d] for c in denials for d in c["disputes"]]
    assert any(
        "Streikbrecher" in s["text"] or "strike" in s["text"] for t in targets for s in t["sources"]
    )


def test_compare_job_story_change_makes_claims_stale_and_rerun_fixes(
    examples_db: Path, tmp_path: Path
) -> None:
    db = tmp_path / "copy.db"
    copy_store(examples_db, db)
    with Store(db) as store:
        story = _largest_story(store)
        moved = store.conn.execute(
            "SELECT a.id FROM articles a JOIN events e ON e.id = a.event_id "
            "WHERE e.story_id = ? LIMIT 1",
            (story,),
        ).fetchone()[0]
        with store.transaction():
            store.conn.execute("UPDATE articles SET event_id = NULL WHERE id = ?", (moved,))
        assert story in stale_stories(store)
        assert update_claims(store) >= 1
        assert stale_stories(store) == []
        sources = {
            r[0]
            for r in store.conn.execute(
                "SELECT s.article_id FROM claim_sources s JOIN claims c ON c.id = s.claim_id "
                "WHERE c.story_id = ?",
                (story,),
            )
        }
    assert moved not in sources


def test_compare_job_cli_claims_and_export(examples_db: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    with Store(examples_db) as store:
        story = _largest_story(store)
    res = runner.invoke(main, ["claims", story[:6], "--db", str(examples_db), "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["id"] == story and data["claims"]
    res = runner.invoke(main, ["claims", story, "--db", str(examples_db), "--shared"])
    assert res.exit_code == 0 and "independent" in res.output
    res = runner.invoke(main, ["claims", "s-nothing", "--db", str(examples_db)])
    assert res.exit_code == 1 and "no story or event" in res.output
    out = tmp_path / "x.json"
    res = runner.invoke(main, ["export", "--db", str(examples_db), "-o", str(out)])
    assert res.exit_code == 0
    claims = json.loads(out.read_text())["claims"]
    assert claims and {
        "id",
        "story",
        "event",
        "kind",
        "sources",
        "independent_sources",
        "disputes",
        "text",
    } <= set(claims[0])


def test_compare_job_library_call_forms(examples_db: Path) -> None:
    import storyline

    with Store(examples_db) as store:
        story = _largest_story(store)
        direct = compare(store, story)
    by_path = storyline.compare(examples_db, story)
    assert by_path["claims"] == direct["claims"]
