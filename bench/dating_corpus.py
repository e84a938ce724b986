"""Outlets, dates and timelines on our own dating corpus (issue 16), and the seeds' dates.

The corpus (bench/data/dating_corpus/, ten fictional articles in five languages) was
written by storyline's developers for issue 16: a regression set, not an independent
estimate. It is ingested into a fresh store (the whole pipeline: cleaning, analysis,
stories, dating) and scored against expected.json:

* outlet accuracy: the stored outlet equals the expected one;
* date accuracy: the stored publication date lies within the article's tolerance
  (0 days where the text states it, a day where only weekdays date it);
* timeline precision and recall: an expected entry is found when an entry of any story
  has its date and a sentence containing one of its phrases; an entry is right when it
  matches an expected one; entries at a forbidden date (a quote, a forecast) are wrong;
* entry outlets: the share of found entries whose outlets all state the date.

With ../shared/seeds present it also reports the seeds' publication dates.

Run: ``.venv/bin/python -m bench.dating_corpus``.
"""

from __future__ import annotations

import json
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from bench.common import ROOT, prf, save, shared
from storyline.ingest.job import ingest
from storyline.store import Store
from storyline.stories.timeline import TimelineEntry, build_timeline

CORPUS = ROOT / "bench" / "data" / "dating_corpus"


def _by_file(store: Store) -> dict[str, dict[str, Any]]:
    out = {}
    for art in store.iter_articles():
        for s in art["sources"]:
            out[Path(s["source"]).name] = art
    return out


def _days_apart(a: str | None, b: str) -> int | None:
    if not a or len(a) < 10:
        return None
    return abs((date.fromisoformat(a[:10]) - date.fromisoformat(b)).days)


def _matches(entry: TimelineEntry, want: dict[str, Any]) -> bool:
    text = entry.text.casefold()
    return entry.date == want["date"] and any(p.casefold() in text for p in want["phrases"])


def score(store: Store, expected: dict[str, Any]) -> dict[str, Any]:
    """The figures for a store holding the corpus (see the module docstring)."""
    arts = _by_file(store)
    rows = []
    for name, want in expected["articles"].items():
        art = arts.get(name, {})
        apart = _days_apart(art.get("published"), want["date"])
        rows.append(
            {
                "file": name,
                "outlet": art.get("outlet"),
                "outlet_ok": art.get("outlet") == want["outlet"],
                "published": art.get("published"),
                "source": art.get("published_source"),
                "date_ok": apart is not None and apart <= want["tolerance_days"],
                "agency_ok": art.get("agency") == want.get("agency"),
                "author_ok": art.get("author") == want.get("author"),
            }
        )
    stories = sorted({a["story"] for a in arts.values() if a.get("story")})
    entries = [e for s in stories for e in build_timeline(store, s)]
    wanted = expected["timeline"]
    found = [w for w in wanted if any(_matches(e, w) for e in entries)]
    right = [e for e in entries if any(_matches(e, w) for w in wanted)]
    wrong = [
        e
        for e in entries
        if e not in right or any(e.date.startswith(f) for f in expected["forbidden"])
    ]
    outlets_ok = 0
    for w in found:
        e = next(e for e in entries if _matches(e, w))
        said = {s["outlet"] for s in e.sources}
        outlets_ok += said <= set(w["outlets"])
    n = len(rows)
    removed = {r["line"] for a in arts.values() for r in a.get("removed", [])}
    junk = expected["junk"]
    return {
        "corpus": "bench/data/dating_corpus (written by us for issue 16: a regression set)",
        "articles": n,
        "outlet_accuracy": round(sum(r["outlet_ok"] for r in rows) / n, 3),
        "date_accuracy": round(sum(r["date_ok"] for r in rows) / n, 3),
        "agency_accuracy": round(sum(r["agency_ok"] for r in rows) / n, 3),
        "author_accuracy": round(sum(r["author_ok"] for r in rows) / n, 3),
        "timeline": {
            **prf(len(right), len(wrong), len(wanted) - len(found)),
            "entries": len(entries),
            "forbidden_entries": sum(
                any(e.date.startswith(f) for f in expected["forbidden"]) for e in entries
            ),
            "repeated_sentences": len(entries) - len({(e.text, e.story) for e in entries}),
            "entry_outlets_right": round(outlets_ok / len(found), 3) if found else 0.0,
        },
        "calls_to_action_removed": round(sum(j in removed for j in junk) / len(junk), 3),
        "per_article": rows,
        "wrong_entries": [f"{e.date}: {e.text[:90]}" for e in wrong],
        "missed_entries": [f"{w['date']}: {w['phrases'][0]}" for w in wanted if w not in found],
    }


def corpus(store_dir: Path | None = None) -> dict[str, Any]:
    """Ingest the corpus into a fresh store and score it."""
    expected = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(store_dir or tmp) / "dating_corpus.db"
        with Store(db) as store:
            ingest([str(CORPUS / n) for n in sorted(expected["articles"])], store)
            return score(store, expected)


def seeds() -> dict[str, Any] | None:
    """The seeds' publication dates as the whole pipeline dates them (None without seeds)."""
    folder = shared("seeds")
    if folder is None:
        return None
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "seeds.db") as store:
        ingest([str(folder)], store)
        return {
            name[:3]: {
                "outlet": art["outlet"],
                "published": art["published"],
                "source": art["published_source"],
                "confidence": art["published_confidence"],
            }
            for name, art in sorted(_by_file(store).items())
        }


def run() -> dict[str, Any]:
    result = {"corpus": corpus(), "seeds": seeds()}
    save("dating_corpus", result)
    return result


if __name__ == "__main__":
    json.dump(run(), sys.stdout, indent=2, ensure_ascii=False)
    print()
