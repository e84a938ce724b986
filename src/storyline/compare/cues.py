"""Words that make a sentence a denial, a hedge or an accusation, in German and English.

Why lexicons: the signal is carried by a small closed set of verbs and adverbs
("dementiert", "bestritten", "zurückgewiesen"; "möglicherweise", "Berichten zufolge",
"reportedly"), and an analyst must be able to see why a claim was marked. Matching is on
word starts so inflections ("wies ... zurück", "dementierte", "denies") are found.
"""

from __future__ import annotations

import re

_DENIAL = (
    r"dementi\w*|bestr(?:itt|itten|eitet|eiten)\w*|zurückgewiesen|zurückweis\w*|"
    r"wies\b[^.!?]{0,80}\bzurück|weis(?:t|en)\b[^.!?]{0,80}\bzurück|"
    r"abgestritten|abstreit\w*|in abrede gestellt|"
    r"als (?:falsch|unwahr|lüge|gelogen|erfunden)(?!\w)|"
    r"denie[sd]|deny\w*|denial|rejected the (?:claims?|allegations?|accusations?|reports?)|"
    r"dismissed the (?:claims?|allegations?|accusations?|reports?)|refuted|rebuffed"
)
_HEDGE = (
    r"möglicherweise|vermutlich|angeblich|mutmaßlich|offenbar|anscheinend|wahrscheinlich|"
    r"höchstwahrscheinlich|berichten zufolge|medienberichten zufolge|nach unbestätigten|"
    r"unbestätigt\w*|soll(?:en)?\b[^.!?]{0,60}\b(?:haben|sein)\b|könnte[n]?|dürfte[n]?|"
    r"reportedly|allegedly|purportedly|apparently|possibly|probably|likely|unconfirmed|"
    r"is said to|are said to|may have|might have|could have"
)
_ACCUSATION = (
    r"vorgeworfen|vorwurf|vorwürfe|beschuldig\w*|bezichtig\w*|anschuldigung\w*|"
    r"warnt\w*|gewarnt|behaupt\w*|"
    r"accus\w*|alleg\w*|blamed|charged that|warned"
)
#: Phrases that point back at an accusation made in an earlier sentence.
_ANAPHOR = (
    r"(?:die|diese|solche|derartige|alle) (?:vorwürfe|anschuldigungen|berichte|behauptungen)|"
    r"(?:the|these|such) (?:allegations|accusations|claims|reports)|dies\b|this\b"
)

DENIAL = re.compile(rf"(?<!\w)(?:{_DENIAL})", re.I)
HEDGE = re.compile(rf"(?<!\w)(?:{_HEDGE})(?!\w)", re.I)
ACCUSATION = re.compile(rf"(?<!\w)(?:{_ACCUSATION})", re.I)
ANAPHOR = re.compile(rf"(?<!\w)(?:{_ANAPHOR})", re.I)


def denial(text: str) -> str | None:
    """The words that make `text` a denial, or None."""
    m = DENIAL.search(text)
    return " ".join(m.group().split()) if m else None


def hedge(text: str) -> str | None:
    """The first hedging word or phrase of `text`, or None."""
    m = HEDGE.search(text)
    return " ".join(m.group().split()) if m else None


def accusation(text: str) -> bool:
    return ACCUSATION.search(text) is not None


def points_back(text: str) -> bool:
    """True when a denial refers to an earlier sentence ("die Vorwürfe", "the allegations")."""
    return ANAPHOR.search(text) is not None
