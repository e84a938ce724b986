"""Train the junk line classifier (src/storyline/clean/data/junk_model.json).

Why here and not at runtime: the labels come from ../shared/bench/trafilatura-de,
which is never shipped; only the weights (22 numbers and a threshold) are.

Labels, computed at train time (nothing from ../shared is stored):

* trafilatura-de, *tuning part only* (``bench.extraction.part_of``): each line of
  the text storyline extracts (and of a recall-favouring extraction, for more
  junk examples) that contains, or lies inside, a 'without' snippet is junk, one
  with a 'with' snippet is article text; other lines are not used.
* the example corpus (examples/truth.json): its ``junk_lines`` are junk, every
  other line except the metadata lines is article text; the repetition feature
  counts the other example articles of the same outlet that have the line.

The threshold is chosen on out-of-fold scores (five folds by page) so a removed
article line costs ``FALSE_REMOVAL_COST`` removed junk lines. Run: ``make train-junk``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import trafilatura
from bench.extraction import load_pages, part_of
from numpy.typing import NDArray

from storyline.clean import line_key
from storyline.clean.junk_model import (
    FEATURES,
    JunkModel,
    continues_sentence,
    feature_matrix,
    is_statement,
    is_subheading,
)
from storyline.errors import StorylineError
from storyline.ingest.extract import extract_html_fields, link_densities

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "src" / "storyline" / "clean" / "data" / "junk_model.json"
#: A removed article line costs this many removed junk lines when choosing the threshold.
FALSE_REMOVAL_COST = 3.0
#: L2 penalty on the standardised weights.
L2 = 1.0
FOLDS = 5
#: A line this short inside a long snippet is too generic to take the snippet's label.
MIN_INSIDE_CHARS = 25
#: Also learn from every short block of the HTML page, not only from extracted lines.
WITH_PAGE_BLOCKS = True
#: Thresholds tried (the model only removes lines it is fairly sure of).
THRESHOLDS = [round(t, 2) for t in np.arange(0.5, 0.991, 0.01)]


def _flat(text: str) -> str:
    return " ".join(text.split())


def _label(line: str, keep: list[str], junk: list[str]) -> int | None:
    def hit(snippets: list[str]) -> bool:
        return any(s in line or (len(line) >= MIN_INSIDE_CHARS and line in s) for s in snippets)

    is_keep, is_junk = hit(keep), hit(junk)
    if is_keep == is_junk:
        return None
    return 1 if is_junk else 0


Sample = tuple[NDArray[np.float64], NDArray[np.float64], str]  # features, labels, group


def _decidable(lines: list[str], i: int) -> bool:
    """Lines the cleaning stage lets the model remove (the guards in storyline.clean)."""
    previous = lines[i - 1] if i else None
    following = lines[i + 1] if i + 1 < len(lines) else None
    return not (
        is_statement(lines[i])
        or continues_sentence(previous, lines[i])
        or is_subheading(previous, lines[i], following)
    )


def _page_samples(url: str, html: str, truth: dict[str, Any]) -> list[Sample]:
    keep = [_flat(s) for s in truth.get("with", [])]
    junk = [_flat(s) for s in truth.get("without", [])]
    densities = link_densities(html)
    texts: list[str] = []
    with contextlib.suppress(StorylineError):  # a page with no text: nothing to label
        texts.append(extract_html_fields(html, url, url)["text"] or "")
    texts.append(trafilatura.extract(html, url=url, favor_recall=True, include_tables=True) or "")
    # the page's own blocks in document order: the junk trafilatura left out, for more
    # examples of what junk looks like (menus, teasers, footers)
    if WITH_PAGE_BLOCKS:
        texts.append("\n".join(densities))
    out: list[Sample] = []
    for text in texts:
        lines = [_flat(ln) for ln in text.split("\n") if ln.strip()]
        if not lines:
            continue
        x = feature_matrix(lines, None, [densities.get(ln) for ln in lines])
        labels = [_label(ln, keep, junk) for ln in lines]
        rows = [i for i, y in enumerate(labels) if y is not None and _decidable(lines, i)]
        if rows:
            y = np.array([labels[i] for i in rows], dtype=np.float64)
            out.append((x[rows], y, url))
    return out


def _example_samples() -> list[Sample]:
    truth = json.loads((ROOT / "examples" / "truth.json").read_text(encoding="utf-8"))
    items = [a for a in truth["articles"] if a["file"].endswith(".txt")]
    texts = {
        a["file"]: [
            _flat(ln)
            for ln in (ROOT / "examples" / "articles" / a["file"]).read_text("utf-8").split("\n")
            if ln.strip()
        ]
        for a in items
    }
    seen: dict[str, Counter[str]] = {}
    for a in items:
        seen.setdefault(a["outlet"], Counter()).update({line_key(ln) for ln in texts[a["file"]]})
    out: list[Sample] = []
    for a in items:
        lines = texts[a["file"]]
        own = {line_key(ln) for ln in lines}
        counts = seen[a["outlet"]]
        repeats = [counts[line_key(ln)] - (1 if line_key(ln) in own else 0) for ln in lines]
        junk = {_flat(x) for x in a["junk_lines"]}
        meta = {_flat(x) for x in a.get("meta_lines", [])}
        rows = [i for i, ln in enumerate(lines) if ln not in meta and _decidable(lines, i)]
        y = np.array([1.0 if lines[i] in junk else 0.0 for i in rows])
        out.append((feature_matrix(lines, repeats, None)[rows], y, a["file"]))
    return out


def fit(x: NDArray[np.float64], y: NDArray[np.float64]) -> JunkModel:
    """Class-balanced L2 logistic regression by Newton's method on standardised features."""
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    z = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    pos = y.sum()
    weight = np.where(y == 1, len(y) / (2 * max(pos, 1)), len(y) / (2 * max(len(y) - pos, 1)))
    w = np.zeros(z.shape[1])
    penalty = np.full(z.shape[1], L2)
    penalty[-1] = 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-np.clip(z @ w, -30, 30)))
        grad = z.T @ (weight * (p - y)) + penalty * w
        hess = (z * (weight * p * (1 - p))[:, None]).T @ z + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return JunkModel(mean, scale, w[:-1], float(w[-1]), 0.5)


def _choose_threshold(p: NDArray[np.float64], y: NDArray[np.float64]) -> tuple[float, float]:
    best = (1.0, 0.0)
    for t in THRESHOLDS:
        gain = float(((p >= t) & (y == 1)).sum() - FALSE_REMOVAL_COST * ((p >= t) & (y == 0)).sum())
        if gain > best[1]:
            best = (t, gain)
    return best


def _fold(name: str) -> int:
    return int(hashlib.sha256(name.encode("utf-8")).hexdigest(), 16) % FOLDS


def main() -> int:
    pages = load_pages()
    if pages is None:
        return 1
    samples = [
        s for url, html, t in pages if part_of(url) == "tune" for s in _page_samples(url, html, t)
    ]
    samples += _example_samples()
    x = np.vstack([s[0] for s in samples])
    y = np.concatenate([s[1] for s in samples])
    groups = np.array([_fold(s[2]) for s in samples for _ in range(len(s[1]))])
    oof = np.zeros(len(y))
    for fold in range(FOLDS):
        test = groups == fold
        oof[test] = fit(x[~test], y[~test]).probabilities(x[test])
    threshold, gain = _choose_threshold(oof, y)
    model = fit(x, y)
    final = JunkModel(model.mean, model.scale, model.weights, model.bias, threshold)
    removed = oof >= threshold
    report = {
        "lines": len(y),
        "junk_lines": int(y.sum()),
        "threshold": threshold,
        "out_of_fold_junk_recall": round(float((removed & (y == 1)).sum() / max(y.sum(), 1)), 3),
        "out_of_fold_precision": round(
            float((removed & (y == 1)).sum() / max(removed.sum(), 1)), 3
        ),
        "weights": dict(zip(FEATURES, [round(float(w), 3) for w in final.weights], strict=True)),
    }
    data = final.to_dict()
    data["trained_on"] = (
        "trafilatura-de tuning part (bench.extraction.part_of) lines + examples/truth.json; "
        "train/junk/train.py"
    )
    OUT.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=1))
    print(f"wrote {OUT.relative_to(ROOT)} (gain {gain:.0f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
