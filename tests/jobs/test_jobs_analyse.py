"""`storyline analyse` (jobs/analyse.py) on the local engine: a re-analysis is a queue that
a killed or limited run leaves for the next one; failures are reported by article."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from storyline.analyse import run as analyse_run
from storyline.config import defaults
from storyline.jobs.ingest import ingest
from storyline.store import Store
from storyline.store.analysis import pending_reanalysis

FAST = defaults().replace(profile="fast", analyse_workers=1)


@pytest.fixture
def stored(tmp_path: Path, make_article: Callable[[int], str]) -> Path:
    pile = tmp_path / "pile"
    pile.mkdir()
    for i in range(4):
        (pile / f"a{i}.txt").write_text(make_article(i), encoding="utf-8")
    db = tmp_path / "s.db"
    with Store(db, config=FAST) as store:
        assert ingest([str(pile)], store, stories=False).ok
    return db


def test_redo_with_a_limit_leaves_the_rest_queued_for_the_next_run(
    stored: Path, cli: Callable[..., Any]
) -> None:
    first = cli("analyse", "--profile", "fast", "--redo", "--limit", "3", "--db", stored, "--json")
    assert first.exit_code == 0, first.output
    assert json.loads(first.stdout)["analysed"] == 3
    with Store(stored, config=FAST) as store:
        assert len(pending_reanalysis(store)) == 1
    # without --redo the queued re-analysis is finished, and nothing else is redone
    second = cli("analyse", "--profile", "fast", "--db", stored, "--json")
    assert json.loads(second.stdout)["analysed"] == 1
    third = cli("analyse", "--profile", "fast", "--db", stored, "--json")
    assert json.loads(third.stdout)["analysed"] == 0


def test_a_failed_article_is_reported_stays_queued_and_exits_1(
    stored: Path, cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    real = analyse_run.analyze

    def fragile(text: str, **kwargs: Any) -> Any:
        if "Freibad" in text:
            raise ValueError("broken model")
        return real(text, **kwargs)

    monkeypatch.setattr(analyse_run, "analyze", fragile)
    result = cli("analyse", "--profile", "fast", "--redo", "--db", stored, "--json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["analysed"] == 3 and len(report["failed"]) == 1
    assert "broken model" in report["failed"][0]["message"]
    with Store(stored, config=FAST) as store:
        assert len(pending_reanalysis(store)) == 1  # tried again by the next run
