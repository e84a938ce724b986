"""A learned line classifier beside the phrase list: junk the rules do not name.

Why: the phrase list and the hand-written line rules (:mod:`storyline.clean.junk`)
only know junk they were written for; on real German pages a share of the
boilerplate ("Schon gelesen?", "Zum Newsletter anmelden", a teaser headline, a
sidebar slogan) stayed in. A line's *shape* says much of what a rule would:
where it sits, how long it is, whether it ends like a sentence, whether it
opens with a call to action, how much of it was a link on the page, how often
the outlet has printed it before. A logistic regression over such features,
trained on ../shared/bench/trafilatura-de lines (tuning part) and the example
corpus (``make train-junk``, ``train/junk/train.py``), scores every line the
rules kept; a line at or above the shipped threshold is removed with its score
as the reason (``junk-model p=0.93``), so it can be audited like any other.

The weights are a small JSON file (``data/junk_model.json``); the model card is
``docs/junk_model.md``. Only numpy is needed.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
from numpy.typing import NDArray

from storyline.datafiles import data_rows

#: Feature names, in the order of the weight vector (the JSON file repeats them).
FEATURES: tuple[str, ...] = (
    "rel_position",
    "first_lines",
    "last_lines",
    "log_chars",
    "log_words",
    "punct_share",
    "digit_share",
    "upper_share",
    "capitalised_words",
    "sentence_end",
    "ends_colon",
    "ends_question",
    "ends_exclamation",
    "cta_start",
    "cta_words",
    "separators",
    "title_like",
    "short_neighbours",
    "outlet_repeats",
    "has_links",
    "link_density",
    "mean_word_len",
    "starts_lower",
    "follows_open_line",
    "next_starts_lower",
    "table_row",
    "list_item",
)

#: Lines a page's first and last few count as "near the edge" (mastheads, footers).
EDGE_LINES = 3
#: A neighbour line this short (characters) is likely a menu item or a widget line.
SHORT_LINE_CHARS = 40
#: Above this many characters a line is a paragraph, never a title.
TITLE_MAX_CHARS = 120

_WORD = re.compile(r"[\w'-]+")
_SEPARATORS = re.compile(r"[|»«›‹>•·]")
_PUNCT = re.compile(r"[^\w\s]")


@cache
def _cta_words() -> tuple[frozenset[str], frozenset[str]]:
    """Opening words of a call (verbs and leads) and words a call points to (nouns, targets).

    The table (``data/cta_words.tsv``) is the one :mod:`storyline.clean.cta` reads.
    """
    openers: set[str] = set()
    pointers: set[str] = set()
    for row in data_rows("storyline.clean", "cta_words.tsv"):
        if len(row) != 3:
            continue
        words = {w.replace("_", " ").split()[0] for w in row[2].split()}
        if row[1] in ("verb", "lead"):
            openers |= words
        elif row[1] in ("noun", "target"):
            pointers |= words
    return frozenset(openers), frozenset(pointers)


def _line_features(
    line: str,
    index: int,
    count: int,
    neighbours: tuple[str, str],
    repeats: int,
    links: float | None,
) -> list[float]:
    chars = max(len(line), 1)
    words = [w.casefold() for w in _WORD.findall(line)]
    n_words = max(len(words), 1)
    letters = max(sum(map(str.isalpha, line)), 1)
    openers, pointers = _cta_words()
    stripped = line.rstrip()
    capitalised = sum(1 for w in _WORD.findall(line) if w[:1].isupper()) / n_words
    sentence_end = stripped.endswith((".", "!", "?", "…", '"', "“", "”", "«", "»", ")"))
    return [
        index / max(count - 1, 1),
        1.0 if index < EDGE_LINES else 0.0,
        1.0 if index >= count - EDGE_LINES else 0.0,
        math.log1p(len(line)),
        math.log1p(len(words)),
        len(_PUNCT.findall(line)) / chars,
        sum(map(str.isdigit, line)) / chars,
        sum(map(str.isupper, line)) / letters,
        capitalised,
        1.0 if sentence_end else 0.0,
        1.0 if stripped.endswith(":") else 0.0,
        1.0 if stripped.endswith("?") else 0.0,
        1.0 if stripped.endswith("!") else 0.0,
        1.0 if words and words[0] in openers else 0.0,
        sum(1 for w in words if w in openers or w in pointers) / n_words,
        1.0 if _SEPARATORS.search(line) else 0.0,
        1.0 if len(line) <= TITLE_MAX_CHARS and not sentence_end and capitalised >= 0.5 else 0.0,
        ((len(neighbours[0]) < SHORT_LINE_CHARS) + (len(neighbours[1]) < SHORT_LINE_CHARS)) / 2.0,
        math.log1p(repeats),
        0.0 if links is None else 1.0,
        0.0 if links is None else links,
        sum(map(len, words)) / n_words / 10.0,
        # a line that starts in lower case, or follows a line that stopped mid-sentence,
        # continues a paragraph that an inline link split (text, not junk)
        1.0 if line[:1].islower() else 0.0,
        1.0
        if neighbours[0]
        and not _ends_sentence(neighbours[0])
        and len(neighbours[0]) > SHORT_LINE_CHARS
        else 0.0,
        1.0 if neighbours[1][:1].islower() else 0.0,
        1.0 if line.startswith("|") else 0.0,
        1.0 if line.startswith(("- ", "• ", "* ")) else 0.0,
    ]


def _ends_sentence(line: str) -> bool:
    return line.rstrip().endswith((".", "!", "?", "…", ":", '"', "“", "”", "«", "»", ")"))


def feature_matrix(
    lines: Sequence[str],
    repeats: Sequence[int] | None = None,
    links: Sequence[float | None] | None = None,
) -> NDArray[np.float64]:
    """One row of :data:`FEATURES` per line of one text (lines in their order).

    ``repeats``: how many other articles of the outlet have each line (the store's
    outlet line counts; zeros without a store). ``links``: the share of each line's
    characters that were link text on the HTML page (None where unknown).
    """
    n = len(lines)
    rows = []
    for i, line in enumerate(lines):
        before = lines[i - 1] if i > 0 else ""
        after = lines[i + 1] if i + 1 < n else ""
        rows.append(
            _line_features(
                line,
                i,
                n,
                (before, after),
                repeats[i] if repeats is not None else 0,
                links[i] if links is not None else None,
            )
        )
    return np.array(rows, dtype=np.float64).reshape(n, len(FEATURES))


#: A statement of at least this many words, ending with a full stop, is left to the rules.
STATEMENT_MIN_WORDS = 6


def is_statement(line: str) -> bool:
    """A plain declarative sentence that does not open with a call's word.

    Why: the model learned that call-to-action words ("jetzt", "App") mark junk, and
    would then remove a report such as "Die Regierung will jetzt eine neue App
    einführen."; a full sentence in the body is the rules' (and cta's) call, not a
    guess from its shape.
    """
    words = [w.casefold() for w in _WORD.findall(line)]
    return (
        line.rstrip().endswith(".")
        and not line.rstrip().endswith("...")
        and len(words) >= STATEMENT_MIN_WORDS
        and words[0] not in _cta_words()[0]
    )


#: A line after an unfinished line this long continues its sentence.
OPEN_LINE_MIN_CHARS = 40


def continues_sentence(previous: str | None, line: str) -> bool:
    """The line carries on a sentence the line before left open (an inline link split it).

    Why: trafilatura breaks a paragraph where a link sat ("… ein Appell an die" /
    "Berliner*innen und ihre Besucher."); the short piece looks like a menu item to the
    model, but removing it tears a sentence apart.
    """
    if line[:1].islower():
        return True
    if previous is None or len(previous) < OPEN_LINE_MIN_CHARS or _ends_sentence(previous):
        return False
    # a German heading ends on a noun (capitalised); a sentence cut at a link mostly on an
    # article, a preposition or a verb ("an die", "hat Strava ein")
    last = _WORD.findall(previous)[-1:] or [""]
    tail = previous.split()[-1]
    return (
        last[0][:1].islower()
        and not previous.lstrip().startswith(("|", "- ", "• "))
        and "://" not in tail  # a bare link ends no sentence
        and not tail.startswith("www.")
    )


#: A paragraph at least this long on both sides makes a short line between them a subheading.
PARAGRAPH_MIN_CHARS = 200
#: A subheading is a few words.
SUBHEADING_MAX_WORDS = 8


def is_subheading(previous: str | None, line: str, following: str | None) -> bool:
    """A short unpunctuated line between two full paragraphs: the text's own subheading.

    Why: short lines are the model's strongest cue, and a body subheading ("Vorbereitungen
    in Nordkorea") is as short as a menu item; between two paragraphs it is not one.
    """
    if previous is None or following is None:
        return False
    openers, pointers = _cta_words()
    words = [w.casefold() for w in _WORD.findall(line)]
    return (
        len(words) <= SUBHEADING_MAX_WORDS
        and not any(w in openers or w in pointers for w in words)  # "Zum Newsletter anmelden"
        and not _ends_sentence(line)
        and all(len(p) >= PARAGRAPH_MIN_CHARS and _ends_sentence(p) for p in (previous, following))
    )


@dataclass(frozen=True)
class JunkModel:
    """Standardised logistic regression: p = sigmoid(((x - mean) / scale) · w + b)."""

    mean: NDArray[np.float64]
    scale: NDArray[np.float64]
    weights: NDArray[np.float64]
    bias: float
    threshold: float

    def probabilities(self, x: NDArray[np.float64]) -> NDArray[np.float64]:
        z = ((x - self.mean) / self.scale) @ self.weights + self.bias
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))

    def to_dict(self) -> dict[str, object]:
        return {
            "features": list(FEATURES),
            "mean": self.mean.round(6).tolist(),
            "scale": self.scale.round(6).tolist(),
            "weights": self.weights.round(6).tolist(),
            "bias": round(self.bias, 6),
            "threshold": self.threshold,
        }


def model_from_dict(data: dict[str, object]) -> JunkModel:
    """A model from its JSON form; refuses weights trained on other features."""
    if data.get("features") != list(FEATURES):
        raise ValueError("junk_model.json was trained on other features; run make train-junk")

    def vec(key: str) -> NDArray[np.float64]:
        value = data[key]
        assert isinstance(value, list)
        return np.array(value, dtype=np.float64)

    bias, threshold = data["bias"], data["threshold"]
    assert isinstance(bias, float | int) and isinstance(threshold, float | int)
    return JunkModel(vec("mean"), vec("scale"), vec("weights"), float(bias), float(threshold))


@cache
def shipped_model() -> JunkModel | None:
    """The model in the package, or None when it has not been trained yet."""
    path = resources.files("storyline.clean").joinpath("data", "junk_model.json")
    if not path.is_file():
        return None
    return model_from_dict(json.loads(path.read_text("utf-8")))


def junk_scores(
    lines: Sequence[str],
    repeats: Sequence[int] | None = None,
    links: Sequence[float | None] | None = None,
) -> list[float]:
    """The model's junk probability of every line (zeros when no model is shipped)."""
    model = shipped_model()
    if model is None or not lines:
        return [0.0] * len(lines)
    return [float(p) for p in model.probabilities(feature_matrix(lines, repeats, links))]


__all__ = [
    "FEATURES",
    "JunkModel",
    "feature_matrix",
    "is_statement",
    "junk_scores",
    "shipped_model",
]
