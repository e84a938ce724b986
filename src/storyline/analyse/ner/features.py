"""Token features for the CRF tagger, shared by training (train/ner) and tagging.

Why these: with no pretrained word vectors available offline, what a tagger
knows about a word is its spelling (shape, affixes, capitals), its neighbours
and the name lists in ``names.tsv`` (first names, countries, cities). The same
function builds the features at training and at run time, so the two cannot
drift apart.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

from storyline.analyse.sentences import tokenize

HERE = Path(__file__).resolve().parent
_DIGITS = re.compile(r"\d")


@dataclass
class Gazetteer:
    """Name lists: single-token names by kind, and multi-token names by their first token."""

    single: dict[str, str] = field(default_factory=dict)
    multi: dict[str, list[tuple[tuple[str, ...], str]]] = field(default_factory=dict)

    def add(self, kind: str, name: str) -> None:
        words = tuple(t.text for t in tokenize(name))
        if not words:
            return
        if len(words) == 1:
            # a first name that is also a place stays FIRST: people are the harder case
            self.single.setdefault(words[0], kind)
        else:
            self.multi.setdefault(words[0], []).append((words, kind))


@cache
def gazetteer() -> Gazetteer:
    """The shipped name lists (loaded once, about 0.3 s)."""
    gaz = Gazetteer()
    for line in (HERE / "names.tsv").read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        kind, name = line.split("\t", 1)
        gaz.add(kind, name)
    for entries in gaz.multi.values():
        entries.sort(key=lambda e: -len(e[0]))
    return gaz


@cache
def _frequencies() -> tuple[dict[str, float], dict[str, float]]:
    """wordfreq's German and English word frequencies (about 100 MB, 0.4 s, loaded once)."""
    from wordfreq import get_frequency_dict

    return get_frequency_dict("de", wordlist="large"), get_frequency_dict("en", wordlist="large")


@lru_cache(maxsize=200_000)
def frequency_features(lower: str) -> tuple[str, ...]:
    """How common the word is in German and in English (Zipf, rounded down).

    Why: it is the only word knowledge from large corpora that ships offline. A
    capitalised German common noun ("Regierung") is frequent in German and absent
    in English; names ("Putin", "Toyota", "Campbell") are frequent in both or in
    English only; a rare word found in neither list is often a name.
    """
    if len(lower) < 2 or not lower.isalpha():
        return ()
    de, en = _frequencies()
    zde = int(math.log10(de[lower] * 1e9)) if lower in de else 0
    zen = int(math.log10(en[lower] * 1e9)) if lower in en else 0
    return (f"zde={zde}", f"zen={zen}", f"zd={max(-3, min(3, zen - zde))}")


@lru_cache(maxsize=200_000)
def shape(word: str) -> str:
    """Collapsed character classes: 'Putin' -> 'Xx', 'US-Außenminister' -> 'X-Xx', '2023' -> 'd'."""
    out: list[str] = []
    for ch in word:
        c = "X" if ch.isupper() else "x" if ch.isalpha() else "d" if ch.isdigit() else ch
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)[:6]


def _gaz_tags(words: list[str], gaz: Gazetteer) -> list[str]:
    """Per token: '' or the gazetteer kind it is part of, longest multi-token match first."""
    tags = [""] * len(words)
    i = 0
    while i < len(words):
        w = words[i]
        matched = 0
        for names, mkind in gaz.multi.get(w, ()):
            n = len(names)
            if tuple(words[i : i + n]) == names:
                for k in range(i, i + n):
                    tags[k] = ("B-" if k == i else "I-") + mkind
                matched = n
                break
        if matched:
            i += matched
            continue
        kind = gaz.single.get(w)
        if kind is None and len(w) > 3 and w.endswith("s"):
            base = gaz.single.get(w[:-1])  # genitive: Russlands, Putins
            kind = base + "s" if base else None
        if kind is None and w.isupper() and len(w) > 3:
            kind = gaz.single.get(w.capitalize())
        tags[i] = kind or ""
        i += 1
    return tags


def sentence_features(words: list[str]) -> list[list[str]]:
    """CRF attributes for each token of one sentence."""
    gaz = gazetteer()
    g = _gaz_tags(words, gaz)
    low = [_DIGITS.sub("0", w.lower()) for w in words]
    shp = [shape(w) for w in words]
    freq = [frequency_features(w) for w in low]
    n = len(words)
    feats: list[list[str]] = []
    for i, w in enumerate(words):
        lw = low[i]
        f = [
            "b",
            "w=" + lw,
            "sh=" + shp[i],
            "s2=" + lw[-2:],
            "s3=" + lw[-3:],
            "s4=" + lw[-4:],
            "p3=" + lw[:3],
            "g=" + g[i],
        ]
        f += freq[i]
        if freq[i]:  # capitals mean more when the word is rare in German (a linear CRF needs it)
            f.append("shz=" + shp[i] + "|" + freq[i][2] + ("|0" if i == 0 else ""))
            f.append("zz=" + freq[i][0] + "|" + freq[i][1])
        if len(w) == 1:
            f.append("len1")
        elif len(w) > 12:
            f.append("long")
        if i == 0:
            f.append("bos")
        else:
            f += ["w-1=" + low[i - 1], "sh-1=" + shp[i - 1], "g-1=" + g[i - 1]]
            f += [x + "-1" for x in freq[i - 1][2:]]
            f.append("ww-1=" + low[i - 1] + "|" + lw)
            if i > 1:
                f.append("w-2=" + low[i - 2])
        if i == n - 1:
            f.append("eos")
        else:
            f += ["w+1=" + low[i + 1], "sh+1=" + shp[i + 1], "g+1=" + g[i + 1]]
            f += [x + "+1" for x in freq[i + 1][2:]]
            f.append("ww+1=" + lw + "|" + low[i + 1])
            if i < n - 2:
                f.append("w+2=" + low[i + 2])
        feats.append(f)
    return feats
