"""Screenshots of the web UI's main pages, for docs/web.md and for looking at them.

    python -m bench.screenshots [--out docs/screenshots] [--db STORE]

Builds a store from examples/articles (or uses --db), serves it on 127.0.0.1 and has
Debian's Chromium (/usr/bin/chromium) save PNGs of the stories list, the largest story,
an article, an entity and a search. Takes about half a minute, most of it the ingest.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import tempfile
from pathlib import Path

from bench.live import chromium, serving
from storyline.jobs.ingest import ingest
from storyline.store import Store
from storyline.web.app import create_app

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "articles"
OUT = ROOT / "docs" / "screenshots"
WIDTH, HEIGHT = 1280, 900
#: A phone's width (issue 17: tables and charts must work at 390 px); saved as NAME-390.png.
PHONE_WIDTH, PHONE_HEIGHT = 390, 844
#: Longest screenshot (pixels): a story page runs to several screens.
MAX_HEIGHT = 2600


def _pages(db: Path) -> dict[str, str]:
    """Page name -> path: the largest story, its most quoted article, its best-named
    person, and a search for the story's main word."""
    con = sqlite3.connect(db)
    story = con.execute(
        "SELECT e.story_id FROM events e JOIN articles a ON a.event_id = e.id "
        "GROUP BY e.story_id ORDER BY count(*) DESC, e.story_id LIMIT 1"
    ).fetchone()[0]
    article = con.execute(
        "SELECT a.id FROM articles a JOIN events e ON e.id = a.event_id "
        "LEFT JOIN quotes q ON q.article_id = a.id WHERE e.story_id = ? AND a.lang = 'de' "
        "GROUP BY a.id ORDER BY count(q.start) DESC, a.id LIMIT 1",
        (story,),
    ).fetchone()[0]
    entity = con.execute(
        "SELECT m.entity_id FROM mentions m JOIN entities n ON n.id = m.entity_id "
        "WHERE n.type = 'PER' GROUP BY m.entity_id ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()[0]
    con.close()
    return {
        "stories": "/",
        "story": f"/stories/{story}",
        "article": f"/articles/{article}",
        "entity": f"/entities/{entity}",
        "search": "/search?q=Streik",
    }


def shoot(db: Path, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with serving(create_app(db)) as base, chromium() as browser:
        for width, height, suffix in ((WIDTH, HEIGHT, ""), (PHONE_WIDTH, PHONE_HEIGHT, "-390")):
            page = browser.new_page(viewport={"width": width, "height": height})
            for name, path in _pages(db).items():
                page.goto(base + path)
                target = out / f"{name}{suffix}.png"
                full = int(page.evaluate("document.body.scrollHeight"))
                page.screenshot(
                    path=str(target),
                    full_page=True,
                    clip={"x": 0, "y": 0, "width": width, "height": min(full, MAX_HEIGHT)},
                )
                print(f"{target.name}: page height {full} px")
                written.append(target)
            page.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--db", type=Path, help="an existing store (default: build one)")
    args = parser.parse_args()
    if args.db:
        paths = shoot(args.db, args.out)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "examples.db"
            os.chdir(ROOT)  # provenance shows "examples/articles/...", not this machine's path
            with Store(db) as store:
                ingest([str(EXAMPLES.relative_to(ROOT))], store)
            paths = shoot(db, args.out)
    for p in paths:
        print(p)


if __name__ == "__main__":
    main()
