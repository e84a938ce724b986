"""Name keys: how two written forms of a name are recognised as the same name.

A key folds case, diacritics, hyphens and spacing ("Kim Jong-un" = "Kim Jong
Un") and German/English transliteration habits for Russian, Korean and other
names (Wladimir/Vladimir, Schoigu/Shoigu, Peskow/Peskov, Pjöngjang/Pyongyang,
Sergej/Sergei). Keys compare whole names, so Kim Jong Un and Kim Jong Il stay
apart: only the full sequence of name parts must agree.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

from storyline.datafiles import word_table

# Ordered rewrite rules applied to a lower-cased, accent-folded name part.
_TRANSLIT: tuple[tuple[str, str], ...] = (
    ("ß", "ss"),
    ("tsch", "ch"),
    ("sch", "sh"),
    ("kh", "ch"),
    ("ph", "f"),
    ("w", "v"),
    ("j", "y"),
    ("ie", "i"),
    ("iy", "i"),
    ("yi", "i"),
    ("ey", "ei"),
    ("ck", "k"),
    ("dsh", "j"),
    ("zh", "sh"),
    ("ou", "u"),
    ("oo", "u"),
    ("ee", "i"),
    ("z", "s"),
)
_GENITIVE = re.compile(r"(?<=[a-zäöüß])(?:'s|’s|s|')$")
_PARTS = re.compile(r"[\w]+", re.UNICODE)


def fold(text: str) -> str:
    """Lower case without diacritics (ö → o, é → e); ß kept for the rewrite rules."""
    decomposed = unicodedata.normalize("NFKD", text.lower().replace("ß", "\0"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("\0", "ß")


@lru_cache(maxsize=65536)
def part_key(part: str) -> str:
    """Key of one name part (cached: articles repeat the same names many times)."""
    key = fold(part)
    for old, new in _TRANSLIT:
        key = key.replace(old, new)
    key = re.sub(r"(.)\1+", r"\1", key)  # doubled letters: Lankoff/Lankof, Kimm
    # Inflected adjectives in names: "Hanseatischen"/"Hanseatische", "Deutschen"/"Deutsche",
    # "Nationalen"/"Nationale" (after the rewrites above "sch" is "sh").
    key = re.sub(r"(ish|lich|sh|ig|al)e[nmrs]$", r"\1e", key)
    key = re.sub(r"(?<=[^aeiou])y$", "i", key)  # Sergey/Sergei, Dmitry/Dmitri
    return key


def name_parts(name: str) -> list[str]:
    return _PARTS.findall(name)


def name_key(name: str) -> str:
    """Key for a whole name: parts keyed and joined without separators."""
    return "".join(part_key(p) for p in name_parts(name))


def strip_genitive(word: str) -> str:
    """'Putins' → 'Putin', 'Kims' → 'Kim', "Williams'" → 'William' (caller checks it is known)."""
    return _GENITIVE.sub("", word)


@cache
def _table(name: str) -> dict[str, frozenset[str]]:
    return word_table("storyline.analyse", name)


def titles() -> frozenset[str]:
    return frozenset().union(*_table("titles.tsv").values())


def role_suffixes() -> tuple[str, ...]:
    return tuple(
        sorted(frozenset().union(*_table("role_nouns.tsv").values()), key=len, reverse=True)
    )


def strip_titles(name: str) -> str:
    """'Herr Kim' → 'Kim', 'Dr. Jane Roe' → 'Jane Roe'; a bare title stays as it is."""
    parts = name.split()
    known = titles()
    while len(parts) > 1 and parts[0].rstrip(".").lower() in known:
        parts = parts[1:]
    return " ".join(parts)


def is_role_noun(word: str) -> bool:
    w = word.lower()
    return any(w.endswith(s) for s in role_suffixes()) and len(w) >= 4
