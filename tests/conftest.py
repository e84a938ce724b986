"""Shared fixtures: where the seed articles are, a fresh store per test, hand-made
articles and a CLI runner.

Every article text here was written for these tests (German and English); nothing
is copied from the seed articles or the benchmarks.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from storyline.config import defaults
from storyline.errors import NotFoundError
from storyline.store import Store, postgres

#: Which engine the suite's stores use: "sqlite" (default) or "postgresql", with the
#: database in STORYLINE_TEST_PG (a URL). `make test` runs both halves when it can.
ENGINE = os.environ.get("STORYLINE_TEST_ENGINE", "sqlite")
PG_URL = os.environ.get("STORYLINE_TEST_PG", "postgresql:///storyline_test")
_SCHEMA_PREFIX = "t_"
_SCHEMAS: set[str] = set()


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(sql.encode())


def _pg_init(orig: Callable[..., None]) -> Callable[..., None]:
    """Store(path) opens a PostgreSQL schema of its own for every SQLite path a test
    names, so the same tests run against PostgreSQL unchanged."""

    def init(self: Store, path: Any, *, create: bool = True, **options: Any) -> None:
        if postgres.is_url(path) or str(path) in ("", ":memory:"):
            return orig(self, path, create=create, **options)
        file = Path(path).resolve()
        schema = _SCHEMA_PREFIX + hashlib.sha1(str(file).encode()).hexdigest()[:24]
        if schema not in _SCHEMAS:
            if not create and not file.exists():
                raise NotFoundError(
                    f"no store at {file}", hint="run 'storyline ingest' first or pass --db"
                )
            _admin(f"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}")
            _SCHEMAS.add(schema)
            if file.parent.is_dir() and not file.exists():
                file.touch()  # tests look for the store where they put it
        sep = "&" if "?" in PG_URL else "?"
        return orig(
            self, f"{PG_URL}{sep}options=-csearch_path%3D{schema}", create=create, **options
        )

    return init


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "sqlite_only(reason): tests SQLite's own files or pragmas; skipped in the PostgreSQL half",
    )
    config.addinivalue_line(
        "markers", "settings(**values): settings of the store or app a fixture makes for the test"
    )
    if ENGINE != "postgresql":
        return
    rows = []
    import psycopg

    with psycopg.connect(PG_URL, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT nspname FROM pg_namespace WHERE nspname LIKE %s", (_SCHEMA_PREFIX + "%",)
        ).fetchall()
        for (name,) in rows:
            conn.execute(f"DROP SCHEMA {name} CASCADE".encode())
    Store.__init__ = _pg_init(Store.__init__)  # type: ignore[method-assign]


#: Folders of analysers and their quality gates that never open a store: in the PostgreSQL
#: half their files run only when they name a store (the rest cannot differ by engine and
#: ran in the first half)
_STORE_FREE = ("analyse", "clean", "encoder", "quality", "train")
_NAMES_A_STORE = re.compile(
    r"\b(Store|store|db_path|examples_db|seeds_db|examples_copy|web_db|pg_url|ingest|"
    r"create_app|TestClient|cli|client)\b"
)


def _store_free(path: Path) -> bool:
    parts = path.relative_to(Path(__file__).parent).parts
    return (
        len(parts) > 1
        and parts[0] in _STORE_FREE
        and not _NAMES_A_STORE.search(path.read_text(encoding="utf-8"))
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if ENGINE != "postgresql":
        return
    free = {p for p in {Path(str(i.path)) for i in items} if _store_free(p)}
    if free:
        dropped = [i for i in items if Path(str(i.path)) in free]
        items[:] = [i for i in items if Path(str(i.path)) not in free]
        config.hook.pytest_deselected(items=dropped)
    for item in items:
        marker = item.get_closest_marker("sqlite_only")
        if marker is not None:
            why = marker.args[0] if marker.args else "tests SQLite itself"
            item.add_marker(pytest.mark.skip(reason=f"PostgreSQL half: {why}"))


def pg_available() -> str | None:
    """Why PostgreSQL cannot be used by the tests, or None when it can."""
    try:
        import psycopg

        psycopg.connect(PG_URL, connect_timeout=3).close()
    except Exception as exc:  # any reason at all: the message says it
        return f"{type(exc).__name__}: {exc}".strip()
    return None


@pytest.fixture
def child_db(tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """A store for a child process to open by itself (`--db`): a SQLite file, or in the
    PostgreSQL half a database schema of the test's own, by URL."""
    if ENGINE == "postgresql":
        return str(request.getfixturevalue("pg_url"))
    return str(tmp_path / "child.db")


@pytest.fixture
def pg_url(tmp_path: Path) -> str:
    """A URL of an empty PostgreSQL schema of this test's own. Skips loudly when no server
    can be reached, unless STORYLINE_REQUIRE_PG is set (as .ci/run sets it): then fails."""
    why = pg_available()
    if why is not None:
        message = f"PostgreSQL not reachable at {PG_URL} ({why}); set STORYLINE_TEST_PG"
        if os.environ.get("STORYLINE_REQUIRE_PG"):
            pytest.fail(message)
        pytest.skip(message)
    schema = _SCHEMA_PREFIX + hashlib.sha1(str(tmp_path).encode()).hexdigest()[:24]
    _admin(f"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}")
    sep = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{sep}options=-csearch_path%3D{schema}"


@pytest.fixture(autouse=True)
def _close_pools() -> Iterator[None]:
    """Each test's PostgreSQL connections go back when it ends (one pool per schema)."""
    yield
    postgres.POOLS.close_all()


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
    """A store with every setting at its default, whatever the environment says."""
    with Store(db_path, config=defaults()) as s:
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


def copy_store(source: Path, target: Path) -> Path:
    """A copy of the store at `source` at `target`: the file on SQLite, every row on
    PostgreSQL (the schema behind `source` copied into the one behind `target`)."""
    if ENGINE != "postgresql":
        shutil.copy(source, target)
        return target
    from storyline.search.index import reindex
    from storyline.store.transfer import copy_store as copy_rows

    with Store(source, create=False) as src, Store(target) as dst:
        copy_rows(src, dst)
        reindex(dst, full=True)
    return target


@pytest.fixture
def examples_copy(examples_db: Path, tmp_path: Path) -> Path:
    return copy_store(examples_db, tmp_path / "ex.db")


def truth_ids(store: Store) -> dict[str, str]:
    """Example-corpus file names as truth.json writes them ("feed.jsonl#2") -> article id."""
    out = {}
    for article, source in store.conn.execute("SELECT article_id, source FROM sources"):
        name = Path(source).name.replace(".jsonl:", ".jsonl#")
        out[name] = article
    return out


def example_truth() -> dict[str, Any]:
    return json.loads((EXAMPLES / "truth.json").read_text(encoding="utf-8"))
