"""Names that are the same entity although they share no letters: acronyms, other
languages, inflected forms.

Three sources, in the order a reader trusts them:

* the article states it: "Korean Central News Agency (KCNA)", "die KCNA (Korean
  Central News Agency)";
* the initials of a name in the same article spell an acronym used there
  ("Joint Chiefs of Staff" … "JCS");
* a shipped table of common states, agencies and organisations
  (``data/known_names.tsv``: USA = Vereinigte Staaten = United States, UN = UNO =
  Vereinte Nationen, KCNA, TASS …), which also knows derived forms ("Russe",
  "Russian", "Nordkoreaner"): people or things *of* a place, never the place.

German adjective endings in names ("Hanseatischen Kaibetriebe AG") are folded by the
name key (:func:`storyline.analyse.names.part_key`); participles ("Vereinigten
Staaten") by the table; a genitive -s ("Südkoreas") by :func:`strip_genitive_s`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from storyline.analyse.names import name_key
from storyline.datafiles import data_rows

#: Shortest acronym matched against initials ("EU" is two letters; one letter is noise).
MIN_ACRONYM = 2
#: Words skipped when taking a name's initials ("Joint Chiefs of Staff" is JCS).
_INITIAL_SKIP = frozenset(
    "of for the and de der die das des für und von zur zum du la le et".split()
)
_ACRONYM = re.compile(r"[A-ZÄÖÜ][A-ZÄÖÜ0-9.&-]*[A-ZÄÖÜ0-9.]")
# A genitive -s on a place or organisation name ("Südkoreas", "Russlands").
_GENITIVE_S = re.compile(r"(?<=[a-zäöüß])s$")


@dataclass(frozen=True)
class KnownName:
    """One row of the table: display names (German, English), its type and group key."""

    type: str
    german: str
    english: str
    key: str  # stable group key: "known:" + the German display name's key


@dataclass(frozen=True)
class _Table:
    names: dict[str, KnownName]  # name key of any listed form → its row
    derived: dict[str, KnownName]  # name key of a derived form (demonym, adjective) → row


@cache
def _table() -> _Table:
    names: dict[str, KnownName] = {}
    derived: dict[str, KnownName] = {}
    for row in data_rows("storyline.analyse", "known_names.tsv"):
        etype, forms = row[0], row[1].split("|")
        english = forms[1] if len(forms) > 1 else forms[0]
        known = KnownName(etype, forms[0], english, "known:" + name_key(forms[0]))
        for form in forms:
            names.setdefault(name_key(form), known)
        if len(row) > 2:
            for form in row[2].split("|"):
                derived.setdefault(name_key(form), known)
    return _Table(names, derived)


def known(name: str) -> KnownName | None:
    """The table row naming ``name`` ("Vereinigten Staaten" → USA), genitive -s allowed."""
    table = _table().names
    hit = table.get(name_key(name))
    if hit is None and _GENITIVE_S.search(name):
        hit = table.get(name_key(name[:-1]))
    return hit


def derived_from(name: str) -> KnownName | None:
    """The place a demonym or adjective is derived from ("Russen" → Russland), if listed."""
    return _table().derived.get(name_key(name))


def group_keys(name: str) -> set[str]:
    """Name keys of every form the table lists beside ``name`` (for store look-ups)."""
    row = known(name)
    if row is None:
        return set()
    return {k for k, v in _table().names.items() if v is row}


def strip_genitive_s(name: str) -> str | None:
    """'Südkoreas' → 'Südkorea' (single-word names only; caller checks the base is known)."""
    if " " in name or not _GENITIVE_S.search(name) or len(name) < 5:
        return None
    return name[:-1]


def is_acronym(name: str) -> bool:
    return bool(_ACRONYM.fullmatch(name)) and sum(c.isalpha() for c in name) >= MIN_ACRONYM


def initials(name: str) -> str:
    """'Korean Central News Agency' → 'KCNA'; 'Joint Chiefs of Staff' → 'JCS'."""
    words = [w for w in re.split(r"[\s-]+", name) if w and w.lower() not in _INITIAL_SKIP]
    return "".join(w[0] for w in words if w[0].isalpha()).upper()


def acronym_of(acronym: str, expansion: str) -> bool:
    """True when ``acronym`` spells the initials of the multi-word ``expansion``."""
    letters = "".join(c for c in acronym if c.isalnum()).upper()
    words = expansion.split()
    return (
        is_acronym(acronym)
        and len(words) >= MIN_ACRONYM
        and not is_acronym(expansion)
        and initials(expansion) == letters
    )


def stated_pairs(text: str, names: list[str]) -> list[tuple[str, str]]:
    """(acronym, expansion) pairs the text states with parentheses.

    "Korean Central News Agency (KCNA)" and "KCNA (Korean Central News Agency)"
    both count, whether or not the letters are the initials: a text that writes a
    name and a short form in parentheses says they are the same.
    """
    pairs = []
    for long in names:
        if is_acronym(long):
            continue
        for short in names:
            if short == long or not is_acronym(short):
                continue
            for a, b in ((long, short), (short, long)):
                if re.search(re.escape(a) + r"\s*\(\s*" + re.escape(b) + r"\s*\)", text):
                    pairs.append((short, long))
                    break
    return pairs
