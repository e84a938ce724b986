"""Grouping claim units of different articles into claims, and linking denials to claims.

Why relative similarity: multilingual-e5 gives every pair of sentences about the same
story a cosine of 0.86-0.93, paraphrase or not. What marks a paraphrase is that the pair
stands out from each sentence's similarities to all other sentences of the story, so a
pair is scored by its z-score within both rows, plus the content words, entities,
figures and dates the two sentences share. Denials group with denials only (a denial
and the accusation it denies are worded alike but say opposite things).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from storyline.compare.quantities import aligned, unit_quantities
from storyline.compare.units import Unit
from storyline.search.normalise import key

Matrix = npt.NDArray[np.float32]

#: A pair of sentences from two articles is the same claim at this score (z-score of
#: their similarity + shared content); set on the seeds and the example corpus, and
#: checked on the tuning part of bench/claims_eval.py (a lower score or a weight on the
#: raw cosine bought recall there only at a precision under 0.3).
LINK_SCORE = 3.3
#: Pairs below this z-score are not scored further (denials link from 1.5 up).
CANDIDATE_Z = 1.0
#: Subtracted when two sentences come from different events and share no date or figure.
CROSS_EVENT_PENALTY = 0.8
#: Two clusters merge when their sentences score at least this on average (no chaining).
MERGE_MEAN = 2.6
#: Denials of the same story group at a lower score when they name the same entities.
DENIAL_SCORE = 1.5
#: Cosine of two sentences of one story under e5 (mean, spread), measured on the tuning
#: part of bench/data/claims_semeval_labels.json's article pairs (German pairs).
PRIOR_MEAN = 0.847
PRIOR_SD = 0.033
#: How many sentences' worth of weight that prior has against a story's own row.
PRIOR_WEIGHT = 20
#: German-English sentence pairs score this much lower at equal meaning (same data).
CROSS_LINGUAL_SHIFT = 0.043
#: Added when two sentences count the same thing with close values (not the same value).
ALIGNED_BONUS = 0.8
#: Passages this similar in two outlets are one text copied, not two reports.
COPY_SIMILARITY = 0.985
COPY_WORDS = 0.8

_STOP = frozenset(
    """
    aber alle als auch bei beim bereits dass dem den der des die dies diese diesem diesen
    dieser dieses durch eine einem einen einer eines einige gegen haben habe hatte hatten
    hier ihre ihrem ihren ihrer jedoch kein keine mehr nach nicht noch oder ohne seine seinem
    seinen seiner seit sich sind sowie sowohl über unter vom von wird werden wurde wurden
    zwischen with that this from have were will would their about after which there these
    they been said sagte sagt says also than into more most other some such them what when
    """.split()
)


def content_words(text: str, lang: str | None) -> frozenset[str]:
    return frozenset(key(w, lang) for w in re.findall(r"\w{4,}", text) if w.casefold() not in _STOP)


@dataclass
class Scores:
    """Pair scores of a story's units: z-scored similarity plus shared content."""

    sim: Matrix
    score: Matrix
    words: list[frozenset[str]]


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def score_units(
    units: Sequence[Unit],
    vectors: Matrix,
    langs: Sequence[str | None],
    events: Sequence[str | None] | None = None,
) -> Scores:
    n = len(units)
    sim = (vectors @ vectors.T).astype(np.float32)
    articles = np.array([u.article for u in units])
    other = articles[:, None] != articles[None, :]
    code = np.array([lang or "" for lang in langs])
    # a German and an English sentence score lower than two German ones saying the same
    level = sim + CROSS_LINGUAL_SHIFT * (code[:, None] != code[None, :])
    z = np.zeros_like(sim)
    for i in range(n):
        row = level[i][other[i]]
        if row.size:
            # a short story gives a row of a few values: its mean and spread are pulled
            # towards those of sentences of one story in general, so that two short
            # reports can still link (a row of six could never reach a z of 3)
            k = row.size
            mean = (k * float(row.mean()) + PRIOR_WEIGHT * PRIOR_MEAN) / (k + PRIOR_WEIGHT)
            var = (k * float(row.var()) + PRIOR_WEIGHT * PRIOR_SD**2) / (k + PRIOR_WEIGHT)
            z[i] = (level[i] - mean) / (var**0.5 or 1.0)
    z = ((z + z.T) / 2).astype(np.float32)
    words = [content_words(u.text, lang) for u, lang in zip(units, langs, strict=True)]
    score = np.full((n, n), -np.inf, dtype=np.float32)
    # only pairs that stand out at all are scored in detail (a big story has 10^6 pairs)
    denial = np.array([u.kind == "denial" for u in units])
    wanted = (z >= CANDIDATE_Z) | (denial[:, None] & denial[None, :])
    quantities = [unit_quantities(u, lang) for u, lang in zip(units, langs, strict=True)]
    for i, j in np.argwhere(np.triu(other & wanted, k=1)):
        a, b = units[i], units[j]
        lex = _jaccard(words[i], words[j])
        ent = _jaccard(a.actors, b.actors)
        # small counts ("drei Terminals") are shared by unrelated sentences
        values = {f.value for f in a.figures if f.value >= 10} & {
            f.value for f in b.figures if f.value >= 10
        }
        # the same thing counted with close values: two reports of one figure that
        # disagree a little ("3,000" and "3,200 evacuated") are still one claim
        close = not values and any(aligned(x, y) for x in quantities[i] for y in quantities[j])
        dates = a.dates & b.dates
        if not (lex > 0.05 or ent > 0 or values or close or dates):
            continue
        denials = a.kind == b.kind == "denial"  # denials of one accusation recur
        s = float(z[i, j]) + 2.0 * lex + 0.5 * ent + (1.0 if values else 0.0)
        s += ALIGNED_BONUS if close else 0.0
        s += 0.5 if dates else 0.0
        if a.speaker and a.speaker == b.speaker:
            s += 0.5
        if denials and not (a.actors & b.actors):
            s -= 1.0  # two parties each rejecting something are not one denial
        if events is not None and events[i] != events[j] and not (values or dates or denials):
            # a statement repeated at two happenings is two statements unless it is
            # background both give with the same date or figure
            s -= CROSS_EVENT_PENALTY
        score[i, j] = score[j, i] = s
    return Scores(sim, score, words)


def _denial_pair(a: Unit, b: Unit, s: float) -> bool:
    return a.kind == b.kind == "denial" and bool(a.actors & b.actors) and s >= DENIAL_SCORE


def group_units(units: Sequence[Unit], scores: Scores) -> list[list[int]]:
    """Clusters of unit indices; each cluster holds at most one unit per article."""
    n = len(units)
    cluster = list(range(n))
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    # candidate pairs found with array operations (a story of 2,000 units has 2 million
    # pairs); only denial pairs under LINK_SCORE need a look at their actors
    denial = np.array([u.kind == "denial" for u in units], dtype=bool)
    score = scores.score
    upper = np.triu(np.isfinite(score) & (denial[:, None] == denial[None, :]), k=1)
    linked = upper & (score >= LINK_SCORE)
    maybe = upper & ~linked & denial[:, None] & (score >= DENIAL_SCORE)
    pairs = [(float(score[i, j]), int(i), int(j)) for i, j in np.argwhere(linked)]
    pairs += [
        (float(score[i, j]), int(i), int(j))
        for i, j in np.argwhere(maybe)
        if _denial_pair(units[i], units[j], float(score[i, j]))
    ]
    for _s, i, j in sorted(pairs, reverse=True):
        a, b = cluster[i], cluster[j]
        if a == b:
            continue
        ma, mb = members[a], members[b]
        if {units[k].article for k in ma} & {units[k].article for k in mb}:
            continue
        cross = [float(scores.score[x, y]) for x in ma for y in mb]
        all_denials = all(units[k].kind == "denial" for k in ma + mb)
        if float(np.mean(cross)) < (DENIAL_SCORE if all_denials else MERGE_MEAN):
            continue
        for k in mb:
            cluster[k] = a
        members[a] = ma + mb
        del members[b]
    return [sorted(m) for m in members.values()]


def copies(units: Sequence[Unit], group: Sequence[int], scores: Scores) -> dict[int, int]:
    """Units of `group` that copy another unit of it: {copy: original}, by position."""
    out: dict[int, int] = {}
    for x in group:
        for y in group:
            if y >= x or y in out:
                continue
            close = float(scores.sim[x, y]) >= COPY_SIMILARITY
            if close and _jaccard(scores.words[x], scores.words[y]) >= COPY_WORDS:
                out[x] = y
                break
    return out


def dispute_links(
    units: Sequence[Unit], groups: Sequence[Sequence[int]], scores: Scores
) -> dict[int, dict[int, str]]:
    """{denying group: {denied group: evidence}}.

    A denial that points back ("die Vorwürfe", "the allegations") disputes what the
    sentences just before it in its article claim; any denial also disputes the accusation
    of the story it is most like, when that stands out from the rest.
    """
    group_of = {u: g for g, members in enumerate(groups) for u in members}
    by_position = {(units[i].article, units[i].index): i for i in range(len(units))}
    out: dict[int, dict[int, str]] = defaultdict(dict)
    for g, members in enumerate(groups):
        if units[members[0]].kind != "denial":
            continue
        for d in members:
            unit = units[d]
            if unit.points_back:
                # the nearest of the two sentences before that accuses, else the one
                # right before: "die Vorwürfe" refers to what was just reported
                before = [
                    p
                    for back in (1, 2)
                    if (p := by_position.get((unit.article, unit.index - back))) is not None
                    and units[p].kind != "denial"
                ]
                target = next((p for p in before if units[p].accuses), None)
                if target is None and before and units[before[0]].index == unit.index - 1:
                    target = before[0]
                if target is not None:
                    out[g][group_of[target]] = (
                        f"'{unit.text[:60]}…' refers back to an accusation just before it "
                        "in the same article"
                    )
            best, best_score = None, 2.0
            for t in range(len(units)):
                u = units[t]
                if u.kind == "denial" or (u.article == unit.article and u.index > unit.index):
                    continue
                if not u.accuses or not (u.actors & unit.actors):
                    continue
                s = float(scores.score[d, t]) if np.isfinite(scores.score[d, t]) else -1.0
                if u.article == unit.article:
                    s = float(_row_z(scores, d, t))
                if s > best_score:
                    best, best_score = t, s
            if best is not None and group_of[best] not in out[g]:
                out[g][group_of[best]] = (
                    f"most similar accusation in the story (score {best_score:.1f}), "
                    "naming the same entities"
                )
    return dict(out)


def _row_z(scores: Scores, i: int, j: int) -> float:
    row = scores.sim[i]
    sd = float(row.std()) or 1.0
    return (float(row[j]) - float(row.mean())) / sd
