"""Word lists and clause tense for the date finder and the figure finder.

Resolving "am Dienstag" needs the tense of the clause around it ("wird ab
Dienstag besuchen" is the coming Tuesday, "sagte am Dienstag" the past one), so
the tense guess lives here beside the closed word classes it uses. The words
themselves are in data files (tense_cues.tsv, number_words.tsv, units.tsv) so a
reader can extend them without touching code.
"""

from __future__ import annotations

import bisect
import re
from functools import cache, lru_cache

from wordfreq import zipf_frequency

from storyline.clean.published import MONTHS
from storyline.datafiles import data_rows

WEEKDAYS: dict[str, int] = {
    name: i
    for i, names in enumerate(
        (
            ("montag", "monday"),
            ("dienstag", "tuesday"),
            ("mittwoch", "wednesday"),
            ("donnerstag", "thursday"),
            ("freitag", "friday"),
            ("samstag", "sonnabend", "saturday"),
            ("sonntag", "sunday"),
        )
    )
    for name in names
}
# Full month names only: abbreviations ("Mär", "Jun") count only beside a day number.
_ABBREVIATIONS = frozenset(
    "jan feb mär mar mrz apr jun jul aug sep sept okt oct nov dez dec".split()
)
MONTH_NAMES: dict[str, int] = {k: v for k, v in MONTHS.items() if k not in _ABBREVIATIONS}
PAST, UNKNOWN, FUTURE = -1, 0, 1

_WORD = re.compile(r"[\w'’]+")
#: How far before and after a date :func:`clause_tense` reads (a long sentence is 600).
TENSE_WINDOW_CHARS = 600
_PERFECT_AHEAD = 12  # words :func:`_perfect_modals` looks ahead of a German modal
_CLAUSE_BREAK = re.compile(r"[,;:()\[\]–—\"„“”»«]|\s-\s")
_REPORTED = re.compile(r"\s*(so|hieß es|heißt es)\b", re.I)
_BE = frozenset("be been being is are am".split())
_PARTICIPLE_EN = frozenset("been done gone seen taken given spoken written met said told".split())


def _data(name: str) -> list[list[str]]:
    return data_rows("storyline.analyse", name)


@cache
def number_words() -> dict[str, int]:
    """Number words ("zwei", "twelve", "Dutzend") to their value."""
    return {row[0]: int(row[1]) for row in _data("number_words.tsv")}


@cache
def units() -> dict[str, tuple[str, str]]:
    """Unit surface forms (lower case) to (normalised unit or scale factor, kind)."""
    return {row[0]: (row[1], row[2]) for row in _data("units.tsv")}


@cache
def _cues() -> dict[tuple[str, str], frozenset[str]]:
    return {(row[0], row[1]): frozenset(row[2].split()) for row in _data("tense_cues.tsv")}


def cue_words(lang: str, kind: str) -> frozenset[str]:
    return _cues().get((lang, kind), frozenset())


def parse_count(word: str) -> int | None:
    """A count written in digits or as a number word ("24", "zwei", "einem", "two")."""
    if word.isdigit():
        return int(word)
    return number_words().get(word.lower())


@lru_cache(maxsize=1 << 16)  # word lists and frequencies are fixed: the same word, the same answer
def _word_tense(word: str, lang: str, has_participle: bool) -> int:
    low = word.lower()
    if low in cue_words(lang, "future"):
        return FUTURE
    if low in cue_words(lang, "notpast"):
        return UNKNOWN
    if low in cue_words(lang, "past"):
        return PAST
    if low in cue_words(lang, "aux"):
        return PAST if has_participle else UNKNOWN
    if word != low or len(word) < 5:
        return UNKNOWN
    if lang == "de":
        if low.startswith("ge") or low.endswith("sten"):
            return UNKNOWN
        return PAST if _weak_past(low) or _separable_past(low) else UNKNOWN
    return PAST if low.endswith("ed") else UNKNOWN


def _weak_past(low: str) -> str | None:
    """The ending of a weak past form ("sagte", "sagten" come from a verb "sagen"), or None.

    "erhalten", "letzte", "arbeitet" do not (no verb "erhalen", "letzen"; -tet
    is mostly present tense), nor "warten" or "beiseite": "waren" and "seien"
    are known forms of their own (cue words), not infinitives. A form far more
    common than its supposed infinitive is a word of its own: "halten"
    ("halen"), "zweiten" ("zweien"), "selten", "lauten", "meiste".
    """
    for ending in ("eten", "ete", "ten", "te"):  # "berichtete" ← "berichten"
        if not low.endswith(ending) or len(low) - len(ending) < 3:
            continue
        for infinitive in _infinitives(low[: -len(ending)]):
            if infinitive in cue_words("de", "past") or infinitive in cue_words("de", "aux"):
                continue
            if _attested_infinitive(low, infinitive, 2.5):
                return ending
    return None


def _infinitives(stem: str) -> tuple[str, ...]:
    """Infinitives a weak past stem may come from: "sag" → "sagen"; "änder" → "ändern" too."""
    return (stem + "en", stem + "n") if stem.endswith(("er", "el")) else (stem + "en",)


def _attested_infinitive(form: str, infinitive: str, floor: float) -> bool:
    """The infinitive is in the word list (zipf >= floor) and not much rarer than the form."""
    attested = zipf_frequency(infinitive, "de")
    return attested >= floor and zipf_frequency(form, "de") <= attested + 1.0


# After a particle, a rest starting like this (or ending in "-ierte") is mostly a participle
# used as an adjective ("ausverkauften", "umkämpften", "festgelegte", "ausrangierte").
_INSEPARABLE = ("be", "ge", "er", "ver", "zer", "ent", "emp", "miss")


@cache
def _particles() -> tuple[str, ...]:
    return tuple(sorted(cue_words("de", "particle"), key=len, reverse=True))


@cache
def _participle_de() -> re.Pattern[str]:
    """German past participles: "gesagt", "festgenommen", "niedergelegt", "kritisiert"."""
    particles = "|".join(_particles()) + "|über"
    return re.compile(rf"^({particles})?ge\w{{3,}}(t|en)$|\w{{3,}}iert$|^worden$")


@cache
def _strong_forms() -> frozenset[str]:
    strong = cue_words("de", "strong")
    return strong | {w + "en" for w in strong}


def _separable_past(low: str) -> bool:
    """Past of a separable verb written as one word, as in German subordinate clauses.

    "wie die Gewerkschaft bekanntgab", "als die Polizei ihn festnahm", "die er
    zurückwies": a separable particle glued to a strong past form (gab, nahm,
    wies; plural + "en"), or to a weak one whose compound verb is attested
    ("hochstufte": "stufen" is a verb and "hochstufen" in the word list, even if
    too rare for _weak_past on the whole word). Infinitives that merely end like
    a weak past ("einschreiten", "ausschalten") fail the second test: there is
    no "einschreien", and "ausschalen" is far rarer than "ausschalten". Only
    lower-case words get here, so the nouns that look the same ("Angaben",
    "Anstieg", "Vorstand", "Zustand") stay out.
    """
    for particle in _particles():
        rest = low[len(particle) :]
        if not low.startswith(particle) or len(rest) < 3:
            continue
        if rest in _strong_forms():
            return True
        if rest.startswith(_INSEPARABLE) or rest in cue_words("de", "notpast"):
            continue
        ending = _weak_past(rest)
        if ending is None or rest.endswith(("ierte", "ierten")):
            continue
        if any(_attested_infinitive(low, i, 1.0) for i in _infinitives(low[: -len(ending)])):
            return True
    return False


_MODALS_EN = frozenset("would could should might must".split())
_MODALS_DE = frozenset("würde würden".split())
_HAVE_DE = frozenset("haben sein".split())


def _perfect_modals(tokens: list[tuple[int, str]], lang: str) -> set[int]:
    """Positions of modals that make a conditional perfect, a past: not FUTURE cues.

    "would never have got above four per cent" and "could have won" speak of
    what did not happen then; so does "würde … erreicht haben". The perfect
    may sit behind a quotation mark ("would “never have got”"), which is a
    clause break, so this looks over the whole sentence, a few words ahead.
    """
    out: set[int] = set()
    lows = [w.lower().replace("’", "'") for _, w in tokens]
    for i, low in enumerate(lows):
        if lang == "en":
            base = low.removesuffix("n't").removesuffix("'ve")
            ahead = lows[i + 1 : i + 4]
            if base in _MODALS_EN and (low.endswith("'ve") or "have" in ahead):
                out.add(tokens[i][0])
        elif low in _MODALS_DE:
            ahead = lows[i + 1 : i + 12]
            if any(
                w in _HAVE_DE and j and _is_participle_de(ahead[j - 1]) for j, w in enumerate(ahead)
            ):
                out.add(tokens[i][0])
    return out


@lru_cache(maxsize=1 << 16)  # asked for every word near every date: the same word again
def _is_participle_de(low: str) -> bool:
    """A participle, also of verbs with an inseparable prefix ("erreicht", "verloren")."""
    return bool(_participle_de().match(low)) or (
        len(low) >= 6 and low.startswith(_INSEPARABLE) and low.endswith(("t", "en"))
    )


@lru_cache(maxsize=64)  # asked once per date, and a sentence can hold many dates
def _clause_breaks(sentence: str) -> list[int]:
    return [m.start() for m in _CLAUSE_BREAK.finditer(sentence)]


@lru_cache(maxsize=64)  # the same: a sentence's words found once, not once per date
def _words(sentence: str) -> tuple[list[int], list[tuple[int, int, str]]]:
    """The sentence's words as (start, end, word), and their starts (for bisect)."""
    found = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(sentence)]
    return [w[0] for w in found], found


def _between(
    sentence: str, lo: int, hi: int, limit: int | None = None
) -> list[tuple[int, int, str]]:
    """What ``_WORD.finditer(sentence, lo, hi)`` finds (a word the edges cut, cut there),
    at most `limit` of them, from the sentence's words found once."""
    starts, found = _words(sentence)
    at = bisect.bisect_left(starts, lo)
    out: list[tuple[int, int, str]] = []
    if at and found[at - 1][1] > lo:  # the word the lower edge cuts
        a, b, w = found[at - 1]
        e = min(b, hi)
        if e > lo:
            out.append((lo, e, w[lo - a : e - a]))
    while at < len(found) and found[at][0] < hi and (limit is None or len(out) < limit):
        a, b, w = found[at]
        e = min(b, hi)
        out.append((a, e, w[: e - a]))
        at += 1
    return out[:limit] if limit is not None else out


def clause_tense(sentence: str, start: int, end: int, lang: str) -> int:
    """Tense (PAST, FUTURE or UNKNOWN) of the clause holding sentence[start:end].

    The nearest tense cue in the same clause decides; failing that, the nearest
    one in the neighbouring clauses, nearer ones first. Present tense without a
    cue stays UNKNOWN: the caller picks the reading (news present mostly means
    the coming days, "Am Mittwoch beginnt der Gipfel").
    """
    lang = "en" if lang == "en" else "de"
    breaks = _clause_breaks(sentence)

    def clause_of(pos: int) -> int:
        return bisect.bisect_left(breaks, pos)  # breaks before pos

    def outside(a: int, b: int) -> bool:
        return b <= start or a >= end

    home = clause_of(start)
    home_start = breaks[home - 1] + 1 if home else 0
    near_start = start - home_start <= TENSE_WINDOW_CHARS
    if near_start and _REPORTED.match(sentence, home_start, start):
        return PAST  # "…, so die Beamten am Freitag", "…, hieß es am Montag"
    # Only the clauses home-3 … home+3 are read (breaks are never inside a word), and no
    # further than TENSE_WINDOW_CHARS from the date: reading the whole of a long sentence
    # once per date in it made dating quadratic. A few words after the window are read
    # for a conditional perfect ("would … have").
    lo = breaks[home - 4] + 1 if home >= 4 else 0
    hi = breaks[home + 3] + 1 if home + 3 < len(breaks) else len(sentence)
    if start - lo > TENSE_WINDOW_CHARS:  # cut at a space, so no word is halved
        lo = max(sentence.find(" ", start - TENSE_WINDOW_CHARS, start) + 1, lo)
    if hi - end > TENSE_WINDOW_CHARS:
        cut = sentence.rfind(" ", end, end + TENSE_WINDOW_CHARS)
        hi = cut if cut > end else end + TENSE_WINDOW_CHARS
    words = [(a, w) for a, b, w in _between(sentence, lo, hi) if outside(a, b)]
    ahead = [
        (a, w) for a, b, w in _between(sentence, hi, len(sentence), _PERFECT_AHEAD) if outside(a, b)
    ]
    perfect = _perfect_modals(words + ahead, lang)
    by_clause: dict[int, list[tuple[int, str]]] = {}
    for pos, w in words:
        by_clause.setdefault(clause_of(pos), []).append((pos, w))
    for dist in range(0, 4):
        found: list[tuple[int, int]] = []
        for clause in {home - dist, home + dist}:
            tokens = by_clause.get(clause, [])
            future = cue_words(lang, "future")
            participle = any(
                w not in future
                and (
                    _is_participle_de(w.lower())
                    if lang == "de"
                    else w.endswith("ed") or w in _PARTICIPLE_EN
                )
                for _, w in tokens
            )
            prev = ""
            for pos, w in tokens:
                tense = _word_tense(w, lang, participle)
                if lang == "en" and prev in _BE and w.endswith("ed"):
                    tense = UNKNOWN  # passive: "will be published", "is expected"
                prev = w.lower()
                if pos in perfect:
                    tense = PAST
                if tense != UNKNOWN:
                    found.append((abs(pos - start), tense))
        if found:
            return min(found)[1]
    return UNKNOWN


#: Dates of one sentence whose clause's tense is read; the tense of any further ones stays
#: unknown. A sentence with more dates is a table or a list (or hostile input: thousands of
#: "am 3. Oktober" on one line), where a clause's tense means little, and reading it for
#: each of them was most of such an input's analysis.
MAX_TENSE_READS = 40


class TenseReader:
    """clause_tense for the dates of one sentence, at most MAX_TENSE_READS times."""

    def __init__(self, sentence: str, lang: str) -> None:
        self.sentence, self.lang, self.left = sentence, lang, MAX_TENSE_READS

    def __call__(self, start: int, end: int) -> int:
        if self.left <= 0:
            return UNKNOWN
        self.left -= 1
        return clause_tense(self.sentence, start, end, self.lang)
