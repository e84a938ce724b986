"""The learned pair scorer of claim grouping: how likely two sentences of two articles are
one claim.

Why learned: the hand-set score before it (a z-score of the sentence similarity plus
bonuses for shared words, names, figures and dates, one threshold) was right when it
linked two sentences but linked only one same-claim pair in fifteen on the hand-labelled
SemEval-2022 task 8 sentence pairs (bench/claims_eval.py), and none across German and
English, where no content word is shared. A logistic regression over the same evidence
plus where the pair stands among the two articles' other sentences (is each the other's
best match, by how much) weighs it from labelled pairs instead: ``make train-claims``
(train/claims/train.py) fits it on the tuning part of those labels and chooses the
threshold by cross-validation on that part only.

One model per vector backend (the cosines of e5 and of the static vectors live on other
scales), in ``data/claim_link.json``; only numpy is needed.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt

from storyline.compare.quantities import Quantity, aligned
from storyline.compare.units import Unit

F64 = npt.NDArray[np.float64]
Matrix = npt.NDArray[np.float32]

#: Feature names, in the order of the weight vectors (the JSON file repeats them).
FEATURES: tuple[str, ...] = (
    "cos",  # cosine of the two sentence vectors
    "z",  # that cosine's z-score within both sentences' rows (compare/group.py)
    "gap",  # margin over the runner-up in the other article, the smaller of both ways
    "mutual_best",  # each is the other's most similar sentence in the other article
    "cross_lingual",  # the two articles are in different languages
    "words",  # Jaccard overlap of content words (stems)
    "actors",  # Jaccard overlap of actors (names, capitals as their states)
    "shared_actor",  # at least one actor in common
    "same_value",  # a figure of 10 or more with the same value in both
    "close_figure",  # the same thing counted with close values (compare/quantities.py)
    "same_date",  # a date in common
    "same_speaker",  # both quote the same speaker
    "length_ratio",  # shorter over longer sentence, in characters
    "plain",  # one of them names nothing, gives no figure, quotes no one
)

#: A sentence alone in its article's row has no runner-up: its margin counts as this.
LONE_GAP = 0.05
#: Margins are clipped to this (beyond it a margin says nothing more).
MAX_GAP = 0.15


@dataclass(frozen=True)
class LinkModel:
    """Standardise, weigh, squash: the probability that a pair is one claim.

    ``threshold`` is the probability from which a pair links; ``merge`` the mean
    probability two groups' sentences must reach for the groups to merge.
    """

    mean: F64
    scale: F64
    coef: F64
    intercept: float
    threshold: float
    merge: float

    def logits(self, x: F64) -> F64:
        out: F64 = ((x - self.mean) / self.scale) @ self.coef + self.intercept
        return out

    def probabilities(self, x: F64) -> F64:
        out: F64 = 1.0 / (1.0 + np.exp(-np.clip(self.logits(x), -30, 30)))
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "features": list(FEATURES),
            "mean": [round(float(v), 6) for v in self.mean],
            "scale": [round(float(v), 6) for v in self.scale],
            "coef": [round(float(v), 6) for v in self.coef],
            "intercept": round(self.intercept, 6),
            "threshold": round(self.threshold, 4),
            "merge": round(self.merge, 4),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> LinkModel:
        if tuple(d["features"]) != FEATURES:
            raise ValueError("claim link model: its features differ from compare/link.py's")
        return cls(
            np.array(d["mean"], dtype=np.float64),
            np.array(d["scale"], dtype=np.float64),
            np.array(d["coef"], dtype=np.float64),
            float(d["intercept"]),
            float(d["threshold"]),
            float(d["merge"]),
        )


@cache
def shipped(backend: str) -> LinkModel:
    """The shipped model for vectors of `backend` ('e5' or 'static'), loaded once."""
    path = resources.files("storyline.compare").joinpath("data", "claim_link.json")
    doc = json.loads(path.read_text(encoding="utf-8"))
    return LinkModel.from_dict(doc["models"][backend])


def _margins(sim: Matrix, articles: npt.NDArray[np.str_]) -> tuple[Matrix, Matrix]:
    """Each unit's best and runner-up cosine among the units of every article:
    ``best[i, a]`` and ``second[i, a]`` for article index a (-inf where none)."""
    names = sorted(set(articles.tolist()))
    n = len(articles)
    best = np.full((n, len(names)), -np.inf, dtype=np.float32)
    second = np.full((n, len(names)), -np.inf, dtype=np.float32)
    for a, name in enumerate(names):
        cols = sim[:, articles == name]
        if cols.shape[1] >= 2:
            top = -np.partition(-cols, 1, axis=1)[:, :2]
            best[:, a], second[:, a] = top[:, 0], top[:, 1]
        else:
            best[:, a] = cols[:, 0]
    return best, second


def pair_features(
    units: Sequence[Unit],
    sim: Matrix,
    z: Matrix,
    langs: Sequence[str | None],
    words: Sequence[frozenset[str]],
    quantities: Sequence[Sequence[Quantity]],
    pairs: npt.NDArray[np.intp],
) -> F64:
    """Features (`FEATURES`) of the unit pairs `pairs` (rows i, j of units of two articles)."""
    out = np.zeros((len(pairs), len(FEATURES)), dtype=np.float64)
    if not len(pairs):
        return out
    articles = np.array([u.article for u in units])
    index = {name: k for k, name in enumerate(sorted(set(articles.tolist())))}
    art = np.array([index[a] for a in articles.tolist()])
    best, second = _margins(sim, articles)
    i, j = pairs[:, 0], pairs[:, 1]
    s = sim[i, j].astype(np.float64)

    def margin(x: npt.NDArray[np.intp], y: npt.NDArray[np.intp]) -> F64:
        # s against the best other sentence of y's article in x's row
        top, runner = best[x, art[y]], second[x, art[y]]
        other = np.where(s >= top, runner, top)
        m = np.where(np.isfinite(other), s - other, LONE_GAP)
        return np.clip(m, -MAX_GAP, MAX_GAP)

    gi, gj = margin(i, j), margin(j, i)
    out[:, 0] = s
    out[:, 1] = z[i, j]
    out[:, 2] = np.minimum(gi, gj)
    out[:, 3] = (gi > 0) & (gj > 0)
    for k, (x, y) in enumerate(pairs.tolist()):
        a, b = units[x], units[y]
        out[k, 4] = (langs[x] or "") != (langs[y] or "")
        out[k, 5] = _jaccard(words[x], words[y])
        out[k, 6] = _jaccard(a.actors, b.actors)
        out[k, 7] = bool(a.actors & b.actors)
        out[k, 8] = bool(
            {f.value for f in a.figures if f.value >= 10}
            & {f.value for f in b.figures if f.value >= 10}
        )
        out[k, 9] = any(aligned(p, q) for p in quantities[x] for q in quantities[y])
        out[k, 10] = bool(a.dates & b.dates)
        out[k, 11] = bool(a.speaker and a.speaker == b.speaker)
        out[k, 12] = min(len(a.text), len(b.text)) / max(len(a.text), len(b.text), 1)
        out[k, 13] = a.plain or b.plain
    return out


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0
