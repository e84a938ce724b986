"""Features of an article pair and the learned similarity that combines them (issue 16).

Why learned: the lead cosine alone reaches Pearson ~0.69 on SemEval-2022 task 8; whole
article windows and exact overlaps of names, days and figures each carry part of what
it misses, and how much each counts is a fitting question, not a guess. The combination
is a ridge regression (numpy; trained by `make train-similarity`, train/similarity/) of
the gold "Overall" score on the features below, shipped as a small JSON file beside
this module. It predicts on the calibrated scale of stories/similarity.py: 1 = same
story, 0 = very dissimilar.

Every feature is symmetric in the two articles, so the score is too.
"""

from __future__ import annotations

import json
import math
from collections.abc import Set
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np

from storyline.stories.profile import Profile

MODEL_FILE = "similarity_model.json"
#: the year gap counted at most (a decade apart is as unrelated as a century)
MAX_YEAR_GAP = 10.0

#: feature names, in the order of the vector `features` returns
FEATURES: tuple[str, ...] = (
    "cos_lead",  # cosine of the stored title + lead vectors
    "cos_windows",  # cosine of the mean window vectors (the whole article)
    "window_first",  # cosine of the first windows (title and opening sentences)
    "window_best",  # best window-pair cosine (one passage about the same thing)
    "window_align",  # mean over windows of the best match on the other side, both ways
    "cross_lingual",  # 1 when the two languages differ (their cosines run lower)
    "places",  # overlap of place names
    "people",  # overlap of people's names (full names and surnames)
    "organisations",  # overlap of organisation names
    "days",  # overlap of the calendar days the texts name
    "figures",  # overlap of figures (value and unit)
    "year_gap",  # fewest years between a year one names and one the other names
    "no_names",  # 1 when one side names no place, person or organisation
)


def set_overlap(a: Set[Any], b: Set[Any]) -> float:
    """|A & B| / sqrt(|A| |B|): 1 for equal sets, 0 when disjoint or either is empty.
    Why not Jaccard: a short article naming 2 of a long one's 20 places still shares
    its whole geography; the geometric mean penalises the size gap less."""
    if not a or not b:
        return 0.0
    return len(a & b) / math.sqrt(len(a) * len(b))


def _cos(a: np.ndarray, b: np.ndarray) -> float:
    na, nb = float(np.linalg.norm(a)), float(np.linalg.norm(b))
    if na == 0.0 or nb == 0.0:
        return 0.0
    return float(np.dot(a, b) / (na * nb))


def _year_gap(a: Set[int], b: Set[int]) -> float:
    if not a or not b:
        return 0.0
    return min(MAX_YEAR_GAP, float(min(abs(x - y) for x in a for y in b)))


def features(a: Profile, b: Profile) -> np.ndarray:
    """The feature vector of a pair (order: `FEATURES`), float64."""
    grid = a.windows @ b.windows.T
    align = 0.5 * (float(grid.max(axis=1).mean()) + float(grid.max(axis=0).mean()))
    cross = 1.0 if a.language and b.language and a.language != b.language else 0.0
    people = max(set_overlap(a.people, b.people), set_overlap(a.surnames, b.surnames))
    named_a = a.places or a.people or a.organisations
    named_b = b.places or b.people or b.organisations
    return np.array(
        [
            _cos(a.lead, b.lead),
            _cos(a.windows.mean(axis=0), b.windows.mean(axis=0)),
            float(grid[0, 0]),
            float(grid.max()),
            align,
            cross,
            set_overlap(a.places, b.places),
            people,
            set_overlap(a.organisations, b.organisations),
            set_overlap(a.days, b.days),
            set_overlap(a.figures, b.figures),
            _year_gap(a.years, b.years),
            0.0 if named_a and named_b else 1.0,
        ],
        dtype=np.float64,
    )


@dataclass(frozen=True)
class Model:
    """Standardise, then a linear map; the output clipped to [0, 1].

    `mean`/`scale` standardise each feature, `coef`/`intercept` map to the target
    (Overall 1 -> 1.0 ... Overall 4 -> 0.0). `card` carries what it was trained on and
    how it scored (written by train/similarity/train.py).
    """

    names: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    card: dict[str, Any]

    def raw(self, x: np.ndarray) -> np.ndarray:
        """Unclipped predictions for rows of features [n, d] (for Pearson while fitting)."""
        z = (np.atleast_2d(x) - self.mean) / self.scale
        out: np.ndarray = z @ self.coef + self.intercept
        return out

    def predict(self, x: np.ndarray) -> np.ndarray:
        out: np.ndarray = np.clip(self.raw(x), 0.0, 1.0)
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "features": list(self.names),
            "mean": [round(float(v), 6) for v in self.mean],
            "scale": [round(float(v), 6) for v in self.scale],
            "coef": [round(float(v), 6) for v in self.coef],
            "intercept": round(self.intercept, 6),
            "card": self.card,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Model:
        names = tuple(data["features"])
        if names != FEATURES:
            raise ValueError(f"similarity model features {names} differ from {FEATURES}")
        return cls(
            names=names,
            mean=np.array(data["mean"], dtype=np.float64),
            scale=np.array(data["scale"], dtype=np.float64),
            coef=np.array(data["coef"], dtype=np.float64),
            intercept=float(data["intercept"]),
            card=dict(data.get("card", {})),
        )


@cache
def shipped_model() -> Model:
    """The model shipped in the package (storyline/stories/similarity_model.json)."""
    text = resources.files("storyline.stories").joinpath(MODEL_FILE).read_text("utf-8")
    return Model.from_json(json.loads(text))


def learned_score(a: Profile, b: Profile) -> float:
    """The learned similarity of two profiled articles, in [0, 1] (1 = same story)."""
    return float(shipped_model().predict(features(a, b))[0])
