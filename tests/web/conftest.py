"""Fixtures of the web tests: the example corpus plus hostile articles, ingested once,
and the app serving it.

The hostile article (web_hostile_data.py) carries markup and script in its title, text,
outlet and URL that must reach every page as visible text and never run.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient
from tests.conftest import copy_store
from web_hostile_data import HOSTILE

from storyline.store import Store
from storyline.web.app import create_app


@pytest.fixture(scope="session")
def web_db(examples_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example corpus plus one hostile article (its own story), ingested once."""
    from storyline.jobs.ingest import ingest

    folder = tmp_path_factory.mktemp("web")
    db = folder / "web.db"
    copy_store(examples_db, db)
    feed = folder / "hostile.jsonl"
    feed.write_text(json.dumps(HOSTILE, ensure_ascii=False) + "\n", encoding="utf-8")
    with Store(db) as store:
        report = ingest([str(feed)], store)
        assert report.ok, report
    return db


@pytest.fixture(scope="session")
def ids(web_db: Path) -> dict[str, str]:
    """Ids to visit: the largest story, an event, a German article with quotes, the most
    named person, and the hostile article with its story and event."""
    reader = Store(web_db)
    con = reader.conn
    one = lambda sql, *args: con.execute(sql, args).fetchone()[0]  # noqa: E731
    story = one(
        "SELECT e.story_id FROM events e JOIN articles a ON a.event_id = e.id "
        "GROUP BY e.story_id ORDER BY count(*) DESC, e.story_id LIMIT 1"
    )
    hostile = one("SELECT id FROM articles WHERE title LIKE 'Giftige%'")
    out = {
        "story": story,
        "event": one("SELECT id FROM events WHERE story_id = ? ORDER BY id LIMIT 1", story),
        "article": one(
            "SELECT a.id FROM articles a JOIN quotes q ON q.article_id = a.id "
            "WHERE a.lang = 'de' GROUP BY a.id ORDER BY count(*) DESC, a.id LIMIT 1"
        ),
        "person": one(
            "SELECT m.entity_id FROM mentions m JOIN entities n ON n.id = m.entity_id "
            "WHERE n.type = 'PER' GROUP BY m.entity_id ORDER BY count(*) DESC LIMIT 1"
        ),
        "hostile": hostile,
        "hostile_event": one("SELECT event_id FROM articles WHERE id = ?", hostile),
        "hostile_story": one(
            "SELECT e.story_id FROM articles a JOIN events e ON e.id = a.event_id WHERE a.id = ?",
            hostile,
        ),
    }
    reader.close()
    return out


@pytest.fixture(scope="module")
def client(web_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(web_db), raise_server_exceptions=False) as c:
        yield c
