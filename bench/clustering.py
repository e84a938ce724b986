"""Events and stories: pairwise precision/recall against labelled corpora, and dates.

Pairwise scoring (as in cross-document event coreference): every pair of articles is
"same event" or not, in the truth and in the store; precision and recall count pairs.
Two corpora: our example corpus (examples/truth.json, 15 articles, 5 events, 2 stories)
and the five seed articles, whose grouping the issue states (two events, one story).
Publication dates inferred for undated articles are scored against the truth in days.

Run: `python -m bench.clustering`.
"""

from __future__ import annotations

import itertools
import json
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from bench.common import ROOT, prf, save, shared
from storyline.jobs.ingest import ingest
from storyline.store import Store


def pairwise(predicted: dict[str, str | None], gold: dict[str, str]) -> dict[str, float]:
    """Pairwise precision/recall/F1 of a clustering (item -> cluster) against the truth."""
    items = sorted(gold)
    tp = fp = fn = 0
    for a, b in itertools.combinations(items, 2):
        same_gold = gold[a] == gold[b]
        same_pred = predicted.get(a) is not None and predicted.get(a) == predicted.get(b)
        tp += same_gold and same_pred
        fp += same_pred and not same_gold
        fn += same_gold and not same_pred
    return prf(tp, fp, fn)


def _ids(store: Store) -> dict[str, str]:
    out = {}
    for article, source in store.conn.execute("SELECT article_id, source FROM sources"):
        out[Path(source).name.replace(".jsonl:", ".jsonl#")] = article
    return out


def _assignments(store: Store) -> tuple[dict[str, str | None], dict[str, str | None]]:
    events = dict(store.conn.execute("SELECT id, event_id FROM articles").fetchall())
    story_of = dict(store.conn.execute("SELECT id, story_id FROM events").fetchall())
    return events, {a: story_of.get(e) for a, e in events.items()}


def examples(folder: Path | None = None) -> dict[str, Any]:
    truth = json.loads((ROOT / "examples" / "truth.json").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "ex.db") as store:
        ingest([str(folder or ROOT / "examples" / "articles")], store)
        ids = _ids(store)
        events, stories = _assignments(store)
        published = dict(store.conn.execute("SELECT id, published FROM articles").fetchall())
        source = dict(store.conn.execute("SELECT id, published_source FROM articles").fetchall())
    gold_event = {ids[a["file"]]: a["event"] for a in truth["articles"]}
    gold_story = {ids[a["file"]]: a["story"] for a in truth["articles"]}
    offsets = [
        abs(
            (
                date.fromisoformat(published[ids[a["file"]]]) - date.fromisoformat(a["published"])
            ).days
        )
        for a in truth["articles"]
        if source[ids[a["file"]]] == "inferred"
    ]
    return {
        "articles": len(gold_event),
        "events": pairwise(events, gold_event),
        "stories": pairwise(stories, gold_story),
        "inferred_dates": len(offsets),
        "inferred_dates_within_1_day": sum(o <= 1 for o in offsets),
        "inferred_dates_max_days_off": max(offsets, default=0),
    }


#: The grouping the issue states for the seeds: {002, 003} and {000, 001, 004}, one story.
SEED_EVENTS = {"000": "June 2024", "001": "June 2024", "004": "June 2024",
               "002": "Sept 2023", "003": "Sept 2023"}  # fmt: skip


def seeds() -> dict[str, Any] | None:
    folder = shared("seeds")
    if folder is None:
        return None
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "seeds.db") as store:
        ingest([str(folder)], store)
        ids = {
            Path(s).name[:3]: a
            for a, s in store.conn.execute("SELECT article_id, source FROM sources")
        }
        events, stories = _assignments(store)
        dates = {k: store.get_article(v)["published"] for k, v in ids.items()}
    gold = {ids[k]: v for k, v in SEED_EVENTS.items()}
    return {
        "events": pairwise(events, gold),
        "stories": pairwise(stories, dict.fromkeys(gold, "one story")),
        "published": dates,
    }


def run() -> dict[str, Any]:
    result = {"examples": examples(), "seeds": seeds()}
    save("clustering", result)
    return result


if __name__ == "__main__":
    print(json.dumps(run(), indent=2, ensure_ascii=False))
