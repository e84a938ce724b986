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
from storyline.store.analysis import link_entity

DATA = ROOT / "bench" / "data" / "resolution.json"


def _mentions(text: str, rows: list[list[str]]) -> list[Mention]:
    out, pos = [], 0
    for surface, label, _gold in rows:
        i = text.index(surface, pos)
        out.append(Mention(i, i + len(surface), surface, label))  # type: ignore[arg-type]
        pos = i + len(surface)
    return out


def _pairs(items: list[tuple[str, str]]) -> tuple[int, int, int]:
    tp = fp = fn = 0
    for (g1, p1), (g2, p2) in combinations(items, 2):
        if g1.endswith(("-unresolved", "-ambiguous")) or g2.endswith(("-unresolved", "-ambiguous")):
            continue
        same_gold, same_pred = g1 == g2, p1 == p2
        tp += same_gold and same_pred
        fp += same_pred and not same_gold
        fn += same_gold and not same_pred
    return tp, fp, fn


def run() -> dict[str, Any]:
    docs = json.loads(DATA.read_text(encoding="utf-8"))["documents"]
    within = [0, 0, 0]
    across: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "res.db") as store:
        for n, doc in enumerate(docs):
            text = doc["text"]
            mentions = _mentions(text, doc["mentions"])
            resolved, entities = resolve_mentions(text, split_sentences(text), mentions)
            gold = [row[2] for row in doc["mentions"]]
            for k, v in enumerate(
                _pairs(list(zip(gold, [m.entity or "" for m in resolved], strict=True)))
            ):
                within[k] += v
            article = f"doc{n:03d}"
            store.conn.execute(
                "INSERT INTO articles(id, text, raw_text, text_hash, created_at) "
                "VALUES (?, ?, ?, ?, '')",
                (article, text, text, article),
            )
            ids = {e.id: link_entity(store, e, article) for e in entities}
            across += [
                (g, ids.get(m.entity or "", "")) for g, m in zip(gold, resolved, strict=True)
            ]
    result = {
        "dataset": f"bench/data/resolution.json ({len(docs)} texts, "
        f"{sum(len(d['mentions']) for d in docs)} mentions, German and English)",
        "within_article": prf(*within),
        "across_store": prf(*_pairs(across)),
    }
    save("resolution", result)
    return result


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
