"""Shared fixtures: where the seed articles are, a fresh store per test, hand-made
articles and a CLI runner.

Every article text here was written for these tests (German and English); nothing
is copied from the seed articles or the benchmarks.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from storyline.store import Store

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
SEEDS = SHARED / "seeds"


@pytest.fixture
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.skip(f"seed articles not found at {SEEDS} (they live in ../shared/seeds)")
    return SEEDS


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    with Store(db_path) as s:
        yield s


# Each entry: (title, body paragraphs). Distinct titles and bodies, so that every
# one of them becomes its own article.
ARTICLES: list[tuple[str, list[str]]] = [
    (
        "Stadtrat beschließt neuen Haushalt",
        [
            "Der Stadtrat hat am Dienstag nach langer Debatte den Haushalt beschlossen.",
            "Die Opposition kritisierte die hohen Ausgaben für den Straßenbau.",
            "Der Kämmerer zeigte sich mit dem Ergebnis der Beratungen zufrieden.",
        ],
    ),
    (
        "Feuerwehr löscht Brand in der Altstadt",
        [
            "In der Nacht zum Mittwoch ist in einem Wohnhaus in der Altstadt Feuer ausgebrochen.",
            "Die Bewohner konnten sich nach Angaben der Polizei rechtzeitig in Sicherheit bringen.",
            "Die Ursache des Brandes ist noch unklar, die Ermittlungen dauern an.",
        ],
    ),
    (
        "Neue Buslinie verbindet die Vororte",
        [
            "Ab dem kommenden Montag fährt eine neue Buslinie zwischen den nördlichen Vororten.",
            "Die Verkehrsbetriebe rechnen mit mehreren tausend Fahrgästen am Tag.",
            "Anwohner hatten die Verbindung seit Jahren gefordert.",
        ],
    ),
    (
        "Schwimmbad bleibt im Sommer geschlossen",
        [
            "Das städtische Freibad wird wegen Bauarbeiten in diesem Sommer nicht öffnen.",
            "Die Sanierung der Becken soll bis zum nächsten Frühjahr abgeschlossen sein.",
            "Der Bürgerverein bedauerte die Entscheidung und kündigte Proteste an.",
        ],
    ),
    (
        "Harbour authority sets new rules for ships",
        [
            "The harbour authority on Monday announced stricter rules for container ships.",
            "Shipping companies said they would need time to adapt their schedules.",
            "The new rules are due to take effect at the beginning of next year.",
        ],
    ),
    (
        "Library extends its opening hours",
        [
            "The central library will stay open until ten in the evening from next month.",
            "Students had collected more than two thousand signatures for longer hours.",
            "The city council agreed to fund two additional members of staff.",
        ],
    ),
]


def article_text(index: int, *, before: Sequence[str] = (), after: Sequence[str] = ()) -> str:
    """A plain-text article (title first), with optional extra lines around the body."""
    title, body = ARTICLES[index]
    return "\n".join([title, *before, *body, *after]) + "\n"


@pytest.fixture
def make_article() -> Callable[..., str]:
    return article_text


@pytest.fixture
def article_parts() -> list[tuple[str, list[str]]]:
    """The hand-made articles as (title, body paragraphs)."""
    return [(title, list(body)) for title, body in ARTICLES]


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str | bytes], Path]:
    """Write text (utf-8) or bytes to a file under tmp_path and return its path."""

    def _write(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return _write


@pytest.fixture
def jsonl_line() -> Callable[..., str]:
    def _line(**record: Any) -> str:
        return json.dumps(record, ensure_ascii=False)

    return _line


@pytest.fixture
def cli() -> Callable[..., Result]:
    """Run the real `storyline` command line in-process; stdout and stderr kept apart."""

    from storyline.cli import main

    def _run(*args: str | Path, env: dict[str, str] | None = None, input: Any = None) -> Result:
        runner = CliRunner()
        return runner.invoke(
            main, [str(a) for a in args], env=env, input=input, catch_exceptions=True
        )

    return _run


EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _ingested(folder: Path, db: Path) -> Path:
    from storyline.jobs.ingest import ingest

    with Store(db) as s:
        report = ingest([str(folder)], s)
        assert report.ok and report.stories is not None
    return db


@pytest.fixture(scope="session")
def examples_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example corpus ingested once (with events and stories); copy it to change it."""
    return _ingested(EXAMPLES / "articles", tmp_path_factory.mktemp("examples") / "ex.db")


@pytest.fixture(scope="session")
def seeds_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not SEEDS.is_dir():
        pytest.skip(f"seed articles not found at {SEEDS} (they live in ../shared/seeds)")
    return _ingested(SEEDS, tmp_path_factory.mktemp("seeds") / "seeds.db")


@pytest.fixture
def examples_copy(examples_db: Path, tmp_path: Path) -> Path:
    target = tmp_path / "ex.db"
    shutil.copy(examples_db, target)
    return target


def truth_ids(store: Store) -> dict[str, str]:
    """Example-corpus file names as truth.json writes them ("feed.jsonl#2") -> article id."""
    out = {}
    for article, source in store.conn.execute("SELECT article_id, source FROM sources"):
        name = Path(source).name.replace(".jsonl:", ".jsonl#")
        out[name] = article
    return out


def example_truth() -> dict[str, Any]:
    return json.loads((EXAMPLES / "truth.json").read_text(encoding="utf-8"))
