"""Quantities: what a figure counts, so that only the same quantity can "differ".

Why: flagging every two numbers of a claim as disagreeing misled analysts ("7,000
containers" against "4.8 million shells" is two quantities, not a dispute). A quantity
is (counted thing, unit, referent, time):

* the counted thing is the counted noun, read through a small German/English table of
  nouns that count the same thing ("Menschen", "people", "residents" count people;
  "Fälle" and "cases"), and German compound heads ("Schiffscontainer" counts
  "Container");
* the unit must be the same ("40 Mitarbeiter" is not "40 Millionen Franken");
* the referent is what the sentence says happened to the counted thing: two figures
  that count people are one quantity only inside one claim (the sentences were matched)
  or when the words around both figures share a predicate ("evacuated" in both);
  "41 people rescued" and "3,000 people evacuated" stay apart;
* the time: two sentences that both give dates and share none are about two times; of
  two separate statements, one dated and one not are not known to share a time.

Two figures of the same quantity with other values *differ*, and both values and both
sources are shown. Figures of other quantities stand side by side, unflagged.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from storyline.search.normalise import key

#: Characters on each side of a figure read as the words that say what happened to what
#: it counts ("were evacuated", "rescued ... who were trapped").
CONTEXT_CHARS = 45
#: Two values within this ratio count as aligned when matching claims (3,000 vs 3,200
#: evacuated are one claim with two figures; 41 vs 4,800 are not).
ALIGNED_RATIO = 1.35
#: Counts below this are too common to align claims on ("drei Schulen", "two days").
ALIGN_MIN = 10

#: Nouns that count the same thing, German and English; the class name is the key.
_CLASSES = {
    "people": (
        "menschen personen leute einwohner bewohner bürger zivilisten anwohner betroffene "
        "people persons residents inhabitants citizens civilians individuals locals"
    ),
    "dead": "tote todesopfer todesfälle opfer dead deaths fatalities victims",
    "injured": "verletzte verwundete injured wounded casualties",
    "cases": "fälle infektionen infizierte neuinfektionen cases infections infected",
    "employees": "mitarbeiter beschäftigte angestellte arbeiter employees workers staff",
    "soldiers": "soldaten truppen soldiers troops",
    "containers": "container schiffscontainer containers",
    "shells": "granaten artilleriegranaten geschosse artilleriegeschosse shells rounds",
    "votes": "stimmen votes",
    "percent": "prozent percent",
}
_CLASS_OF = {w: name for name, words in _CLASSES.items() for w in words.split()}

_WORD = re.compile(r"[^\W\d_]{4,}")
_STOP = frozenset(
    """
    about after also been before being from have into more most other over said says some
    than that their them they this were what when which while will with would around nearly
    aber alle auch beim bereits dass denn diese dieser durch einem einen einer eines haben
    hatte hatten mehr nach noch oder rund seit sich sind über unter wird wurde wurden etwa
    people menschen personen
    """.split()
)


class HasFigure(Protocol):
    value: float
    unit: str | None
    counted: str | None
    start: int
    end: int


@dataclass(frozen=True)
class Quantity:
    """One figure read as a quantity: its value and what makes it comparable."""

    value: float
    unit: str | None
    thing: str | None  # class name or case-folded counted noun
    context: frozenset[str]  # stemmed words around the figure
    dates: frozenset[str]  # dates the sentence gives


def thing(counted: str | None) -> str | None:
    """The counted thing's key: a class from the table, else the case-folded noun."""
    if not counted:
        return None
    low = counted.casefold()
    if low in _CLASS_OF:
        return _CLASS_OF[low]
    for word, name in _CLASS_OF.items():  # German compounds: "Schiffscontainer"
        if len(word) >= 5 and low.endswith(word):
            return name
    return low


def context(
    sentence: str, offset: int, figure: HasFigure, lang: str | None = None
) -> frozenset[str]:
    """Stemmed content words near a figure in its sentence (offset: sentence start)."""
    lo, hi = figure.start - offset, figure.end - offset
    near = (
        sentence[max(0, lo - CONTEXT_CHARS) : max(0, lo)] + " " + sentence[hi : hi + CONTEXT_CHARS]
    )
    # lower-case words carry the predicate; names ("Millbrook") are shared by every
    # figure of a story and would make all of them one quantity
    return frozenset(key(w, lang) for w in _WORD.findall(near) if w.islower() and w not in _STOP)


def quantity(
    figure: HasFigure, sentence: str, offset: int, dates: Iterable[str], lang: str | None = None
) -> Quantity:
    return Quantity(
        value=float(figure.value),
        unit=figure.unit,
        thing=thing(figure.counted),
        context=context(sentence, offset, figure, lang),
        dates=frozenset(dates),
    )


def _same_thing(a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return a is b
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    return len(short) >= 5 and long.endswith(short)


def same_quantity(a: Quantity, b: Quantity, *, same_claim: bool) -> bool:
    """True when `a` and `b` measure one thing at one time (their values may differ)."""
    if a.unit != b.unit or not _same_thing(a.thing, b.thing):
        return False
    if a.thing is None and not same_claim:
        return False  # bare numbers ("mehr als 50") compare only inside one claim
    if a.dates and b.dates and not (a.dates & b.dates):
        return False
    if same_claim:
        return True
    # two separate statements: one dated and one not ("23 ships on Tuesday evening",
    # "at times more than 60 ships") are not known to be about the same time
    return a.dates == b.dates and bool(a.context & b.context)


def aligned(a: Quantity, b: Quantity) -> bool:
    """Figures that support matching two sentences: the same thing, close values."""
    if a.thing is None or a.unit != b.unit or not _same_thing(a.thing, b.thing):
        return False
    low, high = sorted((a.value, b.value))
    return low >= ALIGN_MIN and high <= low * ALIGNED_RATIO


def pairs(
    left: Sequence[Quantity], right: Sequence[Quantity], same: Callable[[int, int], bool]
) -> list[tuple[int, int]]:
    """Same-quantity pairs between two articles' figures, one partner per figure.

    `same(i, j)` says whether left[i] and right[j] are one quantity. Equal values pair
    first (a report that repeats a figure agrees with it), then the closest values:
    "3,000 evacuated, 41 rescued" against "3,200 evacuated, 38 rescued" pairs 3,000 with
    3,200 and 41 with 38; "71.4 per cent backed it, turnout 78.2 per cent" against
    "71,4 Prozent" pairs the 71.4s and leaves the turnout alone.
    """
    candidates = [
        (0 if x.value == y.value else 1, abs(x.value - y.value) / max(x.value, y.value, 1.0), i, j)
        for i, x in enumerate(left)
        for j, y in enumerate(right)
        if same(i, j)
    ]
    used_l: set[int] = set()
    used_r: set[int] = set()
    out: list[tuple[int, int]] = []
    for _eq, _gap, i, j in sorted(candidates):
        if i in used_l or j in used_r:
            continue
        used_l.add(i)
        used_r.add(j)
        out.append((i, j))
    return out


def unit_quantities(unit: Any, lang: str | None = None) -> list[Quantity]:
    """Quantities of a claim unit's figures (storyline.compare.units.Unit)."""
    return [quantity(f, unit.text, unit.start, unit.dates, lang) for f in unit.figures]
