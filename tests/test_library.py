"""The library's one convention (storyline.library): a store first, open or by path."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import storyline
from storyline.errors import NotFoundError
from storyline.store import Store


def _largest_story(db: Path) -> str:
    with storyline.open(db, create=False) as store:
        from storyline.stories.read import list_stories

        return str(list_stories(store)[0]["id"])


def _undated(text: str) -> list[str]:
    return [line for line in text.splitlines() if "Generated" not in line]


def test_library_functions_take_a_store_or_a_path_alike(examples_db: Path) -> None:
    story = _largest_story(examples_db)
    with storyline.open(examples_db) as store:
        by_store = (
            storyline.search(store, "Hafen"),
            storyline.compare(store, story, refresh=False),
            storyline.report(store, story, format="md", lang="en"),
        )
        assert store.conn.execute("SELECT 1").fetchone()[0] == 1  # left open
    by_path = (
        storyline.search(examples_db, "Hafen"),
        storyline.compare(str(examples_db), story, refresh=False),
        storyline.report(examples_db, story, format="md", lang="en"),
    )
    assert by_store[0], "the examples mention the harbour"
    assert [h["id"] for h in by_store[0]] == [h["id"] for h in by_path[0]]
    assert by_store[1]["claims"] == by_path[1]["claims"]
    assert isinstance(by_path[2], str) and isinstance(by_store[2], str)
    # the same briefing but for the line saying when it was made (seconds may tick over)
    assert _undated(by_path[2]) == _undated(by_store[2]) and story in by_path[2]


def test_library_report_writes_a_file_when_asked(examples_db: Path, tmp_path: Path) -> None:
    story = _largest_story(examples_db)
    out = storyline.report(examples_db, story, format="html", out=tmp_path / "b.html")
    assert out == tmp_path / "b.html" and "<html" in out.read_text(encoding="utf-8")


def test_library_ingest_into_a_new_store_by_path(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(
        "Stadtrat beschließt neues Busnetz\n\nDer Stadtrat von Ortheim hat am Montag ein "
        "neues Busnetz beschlossen. Es soll im Herbst starten.\n",
        encoding="utf-8",
    )
    (src / "broken.txt").write_bytes(b"")
    report = storyline.ingest(tmp_path / "new.db", [src], stories=False)
    assert len(report.stored) == 1 and len(report.errors) == 1 and not report.ok
    with storyline.open(tmp_path / "new.db", create=False) as store:
        assert isinstance(store, Store) and store.count() == 1


def test_library_open_without_create_names_the_missing_store(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="no store"):
        storyline.open(tmp_path / "none.db", create=False)


def test_library_names_stay_functions_after_their_subpackages_are_imported() -> None:
    code = (
        "import storyline.search.engine, storyline.compare.read, storyline.report.build, "
        "storyline.jobs.ingest, storyline, types; "
        "print(all(isinstance(getattr(storyline, n), types.FunctionType) "
        "for n in ('search', 'compare', 'report', 'ingest')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"
