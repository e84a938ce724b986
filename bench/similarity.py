"""Article similarity on SemEval-2022 task 8 (German-German and German-English pairs).

Metric: Pearson correlation between our similarity and the gold "Overall" score (1 = very
similar ... 4 = very dissimilar, so the sign is flipped), per language pair, on a FIXED
held-out part: every 3rd pair in row order (row index % 3 == 0). The calibration in
storyline.stories.similarity is fitted on the other pairs only (`--fit` prints it).
Calibration is monotone, so Pearson of the raw cosine and of the calibrated score differ
only where clipping bites.

Texts are repaired with ftfy and embedded as title + lead up to 1,000 characters (the CSV
texts are ~1,000 characters already, so little is cut). Speed: articles embedded per second
(the encoder, storyline.encoder) and the time to score one article against 10,000 stored
embeddings.

The learned similarity (issue 16, storyline.stories.pair_features: profiles of the whole
article in windows, names, days and figures, combined by a ridge model trained with
`make train-similarity` on the tuning split) is scored on the same held-out part, with a
bootstrap 95 % interval for every held-out Pearson (28 and 17 pairs: the intervals are
wide). Its profiles are cached in build/similarity/ by train/similarity/data.py.

    .venv/bin/python -m bench.similarity          # evaluate, save bench/results/similarity.json
    .venv/bin/python -m bench.similarity --fit    # refit the calibration on the tuning split
"""

from __future__ import annotations

import csv
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from bench.common import save, shared
from storyline.stories.embed import get_backend
from storyline.stories.similarity import (
    CALIBRATIONS,
    ArticleEmbedding,
    EmbeddingIndex,
    embed_articles,
)

PUBLISHED = {"HFL (winner, large online models; official test set)": {"de": 0.850, "de-en": 0.860}}
HELD_OUT_EVERY = 3
BOOTSTRAP = 2000


def load_pairs(path: Path) -> list[dict[str, Any]]:
    """Pairs with row index, language pair ("de" or "de-en"), texts and flipped gold."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return [
        {
            "row": i,
            "pair": "de" if r["lang2"] == r["lang1"] == "de" else f"{r['lang1']}-{r['lang2']}",
            "text_1": r["text_1"],
            "text_2": r["text_2"],
            "lang_1": r["lang1"],
            "lang_2": r["lang2"],
            "gold": -float(r["Overall"]),
        }
        for i, r in enumerate(rows)
    ]


def is_held_out(row: int) -> bool:
    return row % HELD_OUT_EVERY == 0


def pearson(x: np.ndarray, y: np.ndarray) -> float:
    if len(x) < 3 or float(np.std(x)) == 0.0 or float(np.std(y)) == 0.0:
        return float("nan")
    return float(np.corrcoef(x, y)[0, 1])


def bootstrap_ci(pred: np.ndarray, gold: np.ndarray, seed: int = 16) -> list[float]:
    """95 % percentile interval of Pearson over pairs resampled with replacement."""
    rng = np.random.default_rng(seed)
    values = []
    for _ in range(BOOTSTRAP):
        pick = rng.integers(0, len(gold), len(gold))
        r = pearson(pred[pick], gold[pick])
        if np.isfinite(r):
            values.append(r)
    if not values:
        return [float("nan"), float("nan")]
    lo, hi = np.percentile(values, [2.5, 97.5])
    return [round(float(lo), 3), round(float(hi), 3)]


def learned(pairs: list[dict[str, Any]]) -> dict[str, Any]:
    """Held-out Pearson (with bootstrap CI) of the learned similarity, per language pair."""
    from train.similarity.data import pair_profiles  # imports this module: import late

    from storyline.stories.pair_features import features as pair_features
    from storyline.stories.pair_features import shipped_model

    held = [p for p in pairs if is_held_out(p["row"])]
    model = shipped_model()
    x = np.vstack([pair_features(a, b) for a, b in pair_profiles(held)])
    pred = model.predict(x)
    gold = np.array([p["gold"] for p in held])
    out: dict[str, Any] = {"features_used": model.card.get("features_used")}
    for pair in ("de", "de-en"):
        mask = np.array([p["pair"] == pair for p in held])
        out[f"held_out_{pair}"] = {
            "pairs": int(mask.sum()),
            "pearson": round(pearson(pred[mask], gold[mask]), 3),
            "ci95": bootstrap_ci(pred[mask], gold[mask]),
        }
    return out


def embed_pairs(
    pairs: list[dict[str, Any]], backend: str
) -> tuple[list[ArticleEmbedding], list[ArticleEmbedding], float]:
    """Embeddings of both sides (languages from the CSV) and seconds spent embedding."""
    texts = [p["text_1"] for p in pairs] + [p["text_2"] for p in pairs]
    langs = [p["lang_1"] for p in pairs] + [p["lang_2"] for p in pairs]
    started = time.perf_counter()
    embs = embed_articles(texts, languages=langs, backend=backend)
    seconds = time.perf_counter() - started
    return embs[: len(pairs)], embs[len(pairs) :], seconds


def cosines(a: list[ArticleEmbedding], b: list[ArticleEmbedding]) -> np.ndarray:
    return np.array([float(np.dot(x.vector, y.vector)) for x, y in zip(a, b, strict=True)])


def scored(pairs: list[dict[str, Any]], backend: str) -> dict[str, Any]:
    """Held-out and tuning Pearson per language pair for raw cosine and calibrated score."""
    from storyline.stories.similarity import score

    left, right, seconds = embed_pairs(pairs, backend)
    cos = cosines(left, right)
    sim = np.array([score(x, y) for x, y in zip(left, right, strict=True)])
    gold = np.array([p["gold"] for p in pairs])
    out: dict[str, Any] = {"articles_per_s": round(2 * len(pairs) / seconds, 2)}
    for split, keep in (("held_out", True), ("tuning", False)):
        for pair in ("de", "de-en"):
            mask = np.array([p["pair"] == pair and is_held_out(p["row"]) == keep for p in pairs])
            out[f"{split}_{pair}"] = {
                "pairs": int(mask.sum()),
                "pearson": round(pearson(sim[mask], gold[mask]), 3),
                "pearson_raw_cosine": round(pearson(cos[mask], gold[mask]), 3),
            }
            if keep:
                out[f"{split}_{pair}"]["ci95"] = bootstrap_ci(sim[mask], gold[mask])
    return out


def fit(pairs: list[dict[str, Any]], backend: str = "e5") -> dict[str, float]:
    """Fit the calibration on the tuning split only.

    cross_lingual_shift: regress cosine on gold and a cross-lingual indicator (the gap at
    equal gold score). low/high: least squares of gold Overall on the shifted cosine; the
    cosines where it predicts 4 (very dissimilar) and 1 (very similar).
    """
    tune = [p for p in pairs if not is_held_out(p["row"])]
    left, right, _ = embed_pairs(tune, backend)
    cos = cosines(left, right)
    overall = -np.array([p["gold"] for p in tune])
    cross = np.array([1.0 if p["lang_1"] != p["lang_2"] else 0.0 for p in tune])
    design = np.c_[np.ones_like(cos), overall, cross]
    coef = np.linalg.lstsq(design, cos, rcond=None)[0]
    shift = -float(coef[2])
    shifted = cos + shift * cross
    slope, intercept = np.polyfit(shifted, overall, 1)
    low = (4.0 - intercept) / slope
    high = (1.0 - intercept) / slope
    return {
        "low": round(float(low), 4),
        "high": round(float(high), 4),
        "cross_lingual_shift": round(shift, 4),
    }


def index_speed(n: int = 10_000, queries: int = 200) -> dict[str, float]:
    """Seconds to score one article against n stored e5 embeddings (random unit vectors)."""
    rng = np.random.default_rng(0)
    dim = get_backend("e5").dim
    vectors = rng.standard_normal((n + queries, dim)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    index = EmbeddingIndex("e5")
    for i in range(n):
        index.add(ArticleEmbedding(vectors[i], "de" if i % 2 else "en"))
    index.matrix()
    index.scores(ArticleEmbedding(vectors[n], "de"))  # warm the language cache
    started = time.perf_counter()
    for q in range(queries):
        index.scores(ArticleEmbedding(vectors[n + q], "de"))
    per_query = (time.perf_counter() - started) / queries
    return {"stored": n, "ms_per_query": round(per_query * 1000, 3)}


def run() -> dict[str, Any] | None:
    path = shared("bench", "semeval2022-t8", "pairs-de-en.csv")
    if path is None:
        return None
    pairs = load_pairs(path)
    result: dict[str, Any] = {
        "dataset": "semeval2022-t8 pairs-de-en.csv",
        "held_out": f"row index % {HELD_OUT_EVERY} == 0 (never used for fitting)",
        "text": "ftfy-repaired, first ~1000 characters (article_text)",
        "calibration": {k: vars(v) for k, v in CALIBRATIONS.items()},
        "published": PUBLISHED,
    }
    for backend in ("e5", "static"):
        result[backend] = scored(pairs, backend)
    result["learned"] = learned(pairs)
    result["score_vs_10000_stored"] = index_speed()
    save("similarity", result)
    return result


def main() -> None:
    if "--fit" in sys.argv[1:]:
        path = shared("bench", "semeval2022-t8", "pairs-de-en.csv")
        if path is not None:
            pairs = load_pairs(path)
            for backend in ("e5", "static"):
                print(backend, fit(pairs, backend))
        return
    import json

    print(json.dumps(run(), indent=2))


if __name__ == "__main__":
    main()
