"""Word lists for quote attribution: cue verbs (from data/quote_cues.tsv) and closed classes.

The cue verbs live in a data file so that a reader can add a verb without touching
code; the closed word classes (articles, pronouns, Konjunktiv I forms) are small,
fixed parts of the grammar and stay here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

from storyline.analyse.names import is_role_noun, titles
from storyline.datafiles import data_rows


@dataclass(frozen=True)
class CueLexicon:
    verbs: frozenset[str]
    weak: frozenset[str]
    separable: dict[str, frozenset[str]]  # verb form -> particles it may take
    label: frozenset[str]


@cache
def cues(lang: str) -> CueLexicon:
    """Cue verbs for ``lang`` ("de" or "en"), read once from the package data."""
    verbs: set[str] = set()
    weak: set[str] = set()
    label: set[str] = set()
    sep: dict[str, set[str]] = {}
    for row_lang, kind, forms, particle in data_rows("storyline.analyse", "quote_cues.tsv"):
        if row_lang != lang:
            continue
        words = forms.split()
        if kind == "verb":
            verbs.update(words)
        elif kind == "weak":
            weak.update(words)
        elif kind == "label":
            label.update(words)
        elif kind == "sep":
            for w in words:
                sep.setdefault(w, set()).add(particle)
    separable = {k: frozenset(v) for k, v in sep.items()}
    return CueLexicon(frozenset(verbs), frozenset(weak), separable, frozenset(label))


DETERMINERS = frozenset(
    "der die das den dem des ein eine einer eines einem einen kein keine sein seine seiner "
    "ihr ihre ihrer beide beiden mehrere zwei drei vier viele einige andere weitere "
    "the a an his her their its some several two three many other".split()
)
PRONOUNS = frozenset("er sie he she they".split())
SPEAKER_PLURALS = frozenset("sie they".split())
# Capitalised words that start sentences but never a speaker's name.
FUNCTION_CAPS = frozenset(
    """
    Der Die Das Den Dem Des Ein Eine Einer Eines Einem Einen Am Im In Auf Bei Mit Nach Vor Für
    Von Vom Zu Zum Zur Als Wie Wenn Während Seit Bis Laut Dies Diese Dieser Dieses Es Er Sie Wir
    Ich Man Doch Aber Und Oder Auch Noch Nun So Da Dort Hier Dabei Damit Dazu Daher Deshalb
    Jedoch Zudem Außerdem Allerdings Inzwischen Bereits Heute Gestern Dass Ob Weil Denn Nicht
    Kein Keine Sowohl Jeder Jede Alle Mehr Zuvor Zuletzt Erst Dann Später Anschließend
    The A An In On At For From With By As When While After Before Since It He She They We I This
    That These Those But And Or Yet So If Because Although Meanwhile However Also Still Then
    Montag Dienstag Mittwoch Donnerstag Freitag Samstag Sonntag Monday Tuesday Wednesday
    Thursday Friday Saturday Sunday Januar Februar März April Mai Juni Juli August September
    Oktober November Dezember January February March June July October December
    Uhr Jahr Jahren Woche Monat Prozent
    """.split()
)
# Adverbials that may stand between a cue verb and its (inverted) subject.
SKIP_AFTER_VERB = frozenset(
    "auch zudem außerdem jedoch aber dann nun bereits gestern heute noch zuvor weiter ferner "
    "später erneut damals demnach dazu dabei zuletzt laut zufolge also too later earlier "
    "then however".split()
)
CLAUSE_ADVERBS = frozenset("davor darauf daran dazu darüber dafür damit".split())
CONJ_DASS = frozenset("dass daß ob wonach that whether".split())
# Konjunktiv I (and common Konjunktiv II stand-ins) as the finite verb of reported speech.
KONJUNKTIV = frozenset(
    """
    sei seien habe werde könne müsse solle wolle dürfe möge gebe liege stehe gehe bleibe wisse
    verfüge handele handle fehle brauche lasse komme gelte bestehe drohe plane sehe trage
    hätten wären seiest
    """.split()
)
PREP_SOURCES = frozenset(
    "angaben ansicht meinung informationen berichten einschätzung darstellung auffassung "
    "aussagen worten schätzungen erkenntnissen".split()
)
_NAME_PARTICLES = frozenset("von van de da bin al el di du le".split())
_COMMON_SPEAKERS = frozenset(
    """
    beobachter quellen vertreter medien staatsmedien regierung polizei behörden analysten kreise
    sprecher experten beamte offizielle ermittler kritiker gegner befürworter zeitung agentur
    nachrichtenagentur ministerium außenministerium kreml weiße haus sender bericht erklärung
    mitteilung stellungnahme unternehmen konzern partei gericht staatsanwaltschaft armee militär
    officials sources observers analysts experts police government ministry agency
    """.split()
)


def is_cap(word: str) -> bool:
    return bool(word) and word[0].isupper() and any(c.isalpha() for c in word)


def is_adjective(word: str) -> bool:
    """German attributive adjective or participle: lower case, inflected ending."""
    if not word or not word[0].isalpha():
        return False
    lw = word.lower()
    if lw in DETERMINERS or lw in PRONOUNS:
        return False
    tail = word.rsplit("-", 1)[-1]
    lower_start = word[0].islower() or ("-" in word and tail[:1].islower() and tail.isalpha())
    return lower_start and tail.endswith(("e", "en", "er", "es", "em")) and len(tail) > 2


@lru_cache(maxsize=65536)
def is_common_noun(word: str) -> bool:
    """A role or group noun ("Kremlsprecher", "Beamte", "Beobachter"): not part of a name."""
    lw = word.lower()
    if lw.rstrip(".") in titles() or lw in _COMMON_SPEAKERS:
        return True
    for cut in ("", "n", "en", "innen", "s"):
        stem = lw[: len(lw) - len(cut)] if cut and lw.endswith(cut) else lw
        if (not cut or lw.endswith(cut)) and is_role_noun(stem):
            return True
    return lw.rsplit("-", 1)[-1] in _COMMON_SPEAKERS


def is_name_particle(word: str) -> bool:
    return word in _NAME_PARTICLES
