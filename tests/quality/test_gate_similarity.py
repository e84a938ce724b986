"""Quality gate for the learned article similarity (issue 16): pinned Pearson floors on
the held-out part of SemEval-2022 task 8 (row index % 3 == 0; never used for fitting or
choosing the model), German-German and German-English separately.

If a change lowers a figure below its floor, this fails; raise a floor when a change
improves it for good. Figures and commands: docs/benchmarks.md ("Learned similarity").
The issue's target is 0.75 for both; the published winner (large online models, official
test set) reached 0.850 / 0.860. The held-out part is small (29 and 16 pairs), so the
floors sit below the measured figures by about the noise of a small change.
About a minute: every held-out article is analysed and embedded in windows.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from storyline.stories.pair_features import FEATURES, features, shipped_model
from storyline.stories.profile import profiles
from storyline.stories.similarity import CALIBRATIONS

SEMEVAL = Path(__file__).resolve().parents[3] / "shared" / "bench" / "semeval2022-t8"

#: measured 2026-12-07 with the shipped model: de 0.685, de-en 0.697 (45 held-out pairs)
FLOORS = {"de": 0.65, "de-en": 0.65}
#: the learned score may not fall behind the calibrated lead cosine by more than this
BEHIND_CALIBRATED = 0.02


def test_gate_similarity_learned_on_held_out_semeval_pairs() -> None:
    import ftfy

    path = SEMEVAL / "pairs-de-en.csv"
    if not path.exists():
        pytest.skip(f"SemEval-2022 task 8 pairs not found at {path} (they live in ../shared)")
    with path.open(encoding="utf-8", newline="") as fh:
        rows = [r for i, r in enumerate(csv.DictReader(fh)) if i % 3 == 0]
    texts = [ftfy.fix_text(r["text_1"]) for r in rows] + [ftfy.fix_text(r["text_2"]) for r in rows]
    langs: list[str | None] = [r["lang1"] for r in rows] + [r["lang2"] for r in rows]
    profs = profiles(texts, languages=langs)
    n = len(rows)
    x = np.vstack([features(profs[i], profs[n + i]) for i in range(n)])
    learned = shipped_model().predict(x)
    cos, cross = x[:, FEATURES.index("cos_lead")], x[:, FEATURES.index("cross_lingual")]
    calibrated = CALIBRATIONS["e5"].apply(cos, cross)
    gold = -np.array([float(r["Overall"]) for r in rows])
    pair = np.array(["de" if r["lang1"] == r["lang2"] == "de" else "de-en" for r in rows])
    for name, floor in FLOORS.items():
        sel = pair == name
        got = float(np.corrcoef(learned[sel], gold[sel])[0, 1])
        base = float(np.corrcoef(calibrated[sel], gold[sel])[0, 1])
        assert got >= floor, f"{name}: Pearson {got:.3f} on {int(sel.sum())} held-out pairs"
        assert got >= base - BEHIND_CALIBRATED, f"{name}: learned {got:.3f}, calibrated {base:.3f}"
