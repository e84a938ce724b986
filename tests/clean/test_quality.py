"""Pages that are not articles get a quality flag with the reason, stay out of stories,
and are listed by `storyline status` (issue 16). The pages in tests/clean/pages/ are
fictional and written for these tests."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from storyline import clean_text
from storyline.clean.quality import assess
from storyline.jobs.ingest import ingest
from storyline.store import Store

PAGES = Path(__file__).resolve().parent / "pages"


def _clean(name: str) -> str | None:
    text = (PAGES / f"{name}.txt").read_text(encoding="utf-8")
    if name == "masthead":  # the page's own title and site name: the magazine's name
        return clean_text(text, title="Weitblick Magazin", outlet="Weitblick Magazin").quality
    return clean_text(text).quality


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("slogan", "repeated-text"),
        ("php", "error-output"),
        ("menu", "navigation-only"),
        ("short", "too-short"),
        ("masthead", "title-is-outlet"),
    ],
)
def test_quality_flags_each_kind_of_non_article(name: str, reason: str) -> None:
    flag = _clean(name)
    assert flag is not None and flag.startswith(reason + ":"), flag


def test_quality_leaves_an_article_unflagged() -> None:
    assert _clean("article") is None


def test_quality_a_brief_list_or_a_quoted_warning_is_an_article() -> None:
    text = (
        "Der Stadtrat hat am Dienstag den Haushalt beschlossen. Die Kämmerin warnte: "
        "„Warning: die Rücklagen reichen nur noch zwei Jahre.“ Die Opposition stimmte "
        "dagegen, weil die Schulsanierung erneut verschoben werde."
    )
    assert assess("Haushalt beschlossen", text, "Lindenfelder Bote") is None


def test_quality_every_example_article_is_an_article() -> None:
    examples = Path(__file__).resolve().parents[2] / "examples" / "articles"
    for path in sorted(examples.glob("*.txt")):
        assert clean_text(path.read_text(encoding="utf-8")).quality is None, path.name


def test_quality_flagged_pages_stay_out_of_stories_and_status_lists_them(
    tmp_path: Path, cli: Callable[..., Result]
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("slogan", "php", "menu", "article"):
        shutil.copy(PAGES / f"{name}.txt", folder / f"{name}.txt")
    db = tmp_path / "q.db"
    with Store(db) as store:
        report = ingest([str(folder)], store)
        assert report.ok
        rows = store.conn.execute("SELECT title, quality, event_id FROM articles").fetchall()
    flagged = [r for r in rows if r["quality"]]
    assert len(flagged) == 3 and all(r["event_id"] is None for r in flagged)
    assert [r["event_id"] is not None for r in rows if not r["quality"]] == [True]
    data = json.loads(cli("status", "--db", db, "--json").stdout)
    assert sorted(f["quality"].split(":")[0] for f in data["flagged"]) == [
        "error-output",
        "navigation-only",
        "repeated-text",
    ]
    text = cli("status", "--db", db).stdout
    assert "not articles (kept out of stories): 3" in text


def test_quality_clean_command_says_why(cli: Callable[..., Result]) -> None:
    out = cli("clean", PAGES / "slogan.txt").stdout
    assert "not an article (kept out of stories): repeated-text" in out
    data = json.loads(cli("clean", PAGES / "article.txt", "--json").stdout)
    assert data["quality"] is None
