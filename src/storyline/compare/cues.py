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


#: Captions, credits and "seen here" lines: they describe a photo, not what happened.
_CAPTION = (
    r"^\W*(?:foto|fotos|photo|photos|bild|bilder|image|grafik|video|symbolbild|quelle|credit)"
    r"\s*[:/]|\((?:links|rechts|mitte|vorne|hinten|left|right|centre|center)\)|"
    r"\b(?:sind|ist|wird|werden) hier\b[^.!?]{0,160}\bzu sehen\b|"
    r"\b(?:is|are) (?:seen|pictured|shown) here\b|\(symbolbild\)|\(archivbild\)|\(file photo\)"
)
#: "By Helen Marsh, Riverside Courier", "Von Anna Schmidt": who wrote it, not a claim.
_BYLINE = r"^(?:by|von)\s+\w[\w.'-]*(?:\s+\w[\w.'-]*){0,3}\s*(?:[,|/–-][^.!?]{0,60})?\W*$"
#: Links to other articles, newsletters, paywalls and contact boxes.
_TEASER = (
    r"^\W*(?:read more|read also|see also|more on this|related:|watch:|listen:|"
    r"lesen sie (?:auch|hier|mehr|in unserem)|mehr zum thema|mehr dazu|auch interessant|"
    r"das könnte sie auch interessieren|hier können sie|weitere informationen|rückfragen|"
    r"mit dem kauf|melden sie sich|werden sie mitglied|sie haben die maximale|abonnieren|"
    r"jetzt abonnieren|sign up|subscribe|alle bisherigen entwicklungen|den vollständigen artikel)"
)
CAPTION = re.compile(_CAPTION, re.I)
BYLINE = re.compile(_BYLINE, re.I)
TEASER = re.compile(_TEASER, re.I)
#: A line of its own that does not end like a sentence is a heading (or a teaser).
_SENTENCE_END = tuple(".!?…:;\"'»«“”)")


def not_a_claim(text: str, *, own_line: bool = False, first_line: bool = False) -> str | None:
    """Why `text` is no claim ("caption", "byline", "teaser", "subheading"), or None.

    Captions, bylines, teasers and subheadings were grouped like claims and gave outlets
    ticks they had not earned (a photo caption matching a report of a visit). A heading
    is a line of its own without a sentence end; the article's first line (its title)
    stays a claim.
    """
    body = " ".join(text.split())
    if CAPTION.search(body):
        return "caption"
    if TEASER.search(body):
        return "teaser"
    if BYLINE.match(body):
        return "byline"
    if own_line and not first_line and not body.endswith(_SENTENCE_END):
        return "subheading"
    return None
