"""Entity resolution: pairwise precision and recall on a labelled set of our own.

``bench/data/resolution.json`` holds short German and English texts written
for storyline, with gold mentions and gold entities that are global across the
texts (traps: Kim Jong Un / Kim Jong Il / Kim Yo Jong, Petra vs Thomas Brandt,
Donald vs Ivanka Trump, transliterations). Mentions are given (gold spans and
labels), so this isolates resolution from tagging. Two scores:

* within article: every pair of mentions in one text, same entity or not;
* across the store: every pair of mentions in the whole set after linking each
  article's entities into one store.

Pairs whose gold entity ends in "-unresolved" or "-ambiguous" are skipped:
the text alone does not say who is meant.

Two sets: ``resolution.json`` (the development set the rules were written against)
and ``resolution_heldout.json`` (issue 14: salience, acronyms, the table of known
names, inflection, titles, junk spans; written after the resolver and scored once,
never tuned on). Resolution cleans spans and drops junk, so each gold mention is
matched to the resolved mention that overlaps it; a real mention dropped counts
against recall, and gold "-junk" spans are scored apart: how many were dropped
(junk_dropped) and how many real mentions were kept (real_kept).
"""

from __future__ import annotations

import json
import tempfile
from itertools import combinations
from pathlib import Path
from typing import Any

from bench.common import ROOT, prf, save
from storyline.analyse.model import Mention
from storyline.analyse.resolve import resolve_mentions
from storyline.analyse.sentences import split_sentences
from storyline.store import Store
from storyline.store.entities import link_entity

DATA = ROOT / "bench" / "data" / "resolution.json"
HELDOUT = ROOT / "bench" / "data" / "resolution_heldout.json"


def _mentions(text: str, rows: list[list[str]]) -> list[Mention]:
    out, pos = [], 0
    for surface, label, _gold in rows:
        i = text.index(surface, pos)
        out.append(Mention(i, i + len(surface), surface, label))  # type: ignore[arg-type]
        pos = i + len(surface)
    return out


_SKIP = ("-unresolved", "-ambiguous", "-junk")


def _aligned(gold: list[Mention], resolved: list[Mention]) -> list[str | None]:
    """For each gold mention, the entity of the resolved mention overlapping it (None:
    dropped as junk)."""
    out: list[str | None] = []
    for g in gold:
        hit = next((r for r in resolved if r.start < g.end and g.start < r.end), None)
        out.append(hit.entity if hit is not None else None)
    return out


def _pairs(items: list[tuple[str, str]]) -> tuple[int, int, int]:
    tp = fp = fn = 0
    for (g1, p1), (g2, p2) in combinations(items, 2):
        if g1.endswith(_SKIP) or g2.endswith(_SKIP):
            continue
        same_gold, same_pred = g1 == g2, p1 == p2
        tp += same_gold and same_pred
        fp += same_pred and not same_gold
        fn += same_gold and not same_pred
    return tp, fp, fn


def score(path: Path) -> dict[str, Any]:
    """Within-article and across-store pair scores and junk handling on one set."""
    docs = json.loads(path.read_text(encoding="utf-8"))["documents"]
    within = [0, 0, 0]
    across: list[tuple[str, str]] = []
    junk = [0, 0]  # dropped, total
    real = [0, 0]  # kept, total
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "res.db") as store:
        for n, doc in enumerate(docs):
            text = doc["text"]
            mentions = _mentions(text, doc["mentions"])
            resolved, entities = resolve_mentions(text, split_sentences(text), mentions)
            gold = [row[2] for row in doc["mentions"]]
            pred = _aligned(mentions, resolved)
            for g, p in zip(gold, pred, strict=True):
                counter = junk if g.endswith("-junk") else real
                counter[1] += 1
                counter[0] += (p is None) == (counter is junk)
            labels = [p if p is not None else f"dropped-{n}-{i}" for i, p in enumerate(pred)]
            for k, v in enumerate(_pairs(list(zip(gold, labels, strict=True)))):
                within[k] += v
            article = f"doc{n:03d}"
            store.conn.execute(
                "INSERT INTO articles(id, text, raw_text, text_hash, created_at) "
                "VALUES (?, ?, ?, ?, '')",
                (article, text, text, article),
            )
            ids = {e.id: link_entity(store, e, article) for e in entities}
            across += [(g, ids.get(p, p)) for g, p in zip(gold, labels, strict=True)]
    return {
        "dataset": f"{path.relative_to(ROOT)} ({len(docs)} texts, "
        f"{sum(len(d['mentions']) for d in docs)} mentions, German and English)",
        "within_article": prf(*within),
        "across_store": prf(*_pairs(across)),
        "junk_dropped": f"{junk[0]}/{junk[1]}",
        "real_kept": f"{real[0]}/{real[1]}",
    }


def run() -> dict[str, Any]:
    result = {"development": score(DATA), "held_out": score(HELDOUT)}
    save("resolution", result)
    return result


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
