"""Figures: numbers with what they count, their unit and any hedge.

"rund 12 Millionen Euro" is (12000000, EUR, hedge "rund"); "mehr als 9.000
russische Container" counts "Container" (adjectives skipped); "122-mm-Granaten"
is 122 mm counting "Granaten"; "650 Kilometer (400 Meilen)" is one figure, the
parenthetical conversion is skipped. Dates, years, clock times, ordinals
("13. September") and numbers inside names and ids ("G20", "Covid-19",
"Resolution 2231") are not figures. A number that counts nothing, has no
unit and no hedge is left out: on its own it tells an analyst nothing.

Number formats follow the article's language (German "7.000" and "4,8",
English "7,000" and "4.8"); several thousands groups ("1,234,567") are read
as thousands in either.
"""

from __future__ import annotations

import bisect
import re
from decimal import Decimal, InvalidOperation

from storyline.analyse.dates import date_spans
from storyline.analyse.dates_lex import number_words, units
from storyline.analyse.limits import MAX_TOKEN_CHARS
from storyline.analyse.model import Quantity, Sentence
from storyline.analyse.sentences import split_sentences

_WORDS = [w for w in number_words() if w not in ("dutzend", "dozen")]
_CANDIDATE = re.compile(
    r"(?P<cur>US\$|\$|€|£)?\s?(?P<num>\d+(?:[.,:]\d+)*)(?P<glue>[A-Za-z%²°€$-][\w%²°/-]*)?"
    rf"|(?<![\w-])(?P<word>{'|'.join(sorted(_WORDS, key=len, reverse=True))})(?![\w-])",
    re.I,
)
_TOKEN = re.compile(r"\s*([^\s()\[\]{},;:!?\"„“”»«]+)([,;:.!?)\"“”»«]*)")
_HEDGES = (
    "bis zu|mehr als|weniger als|mindestens|höchstens|schätzungsweise|rund|etwa|ca\\.|circa|"
    "ungefähr|knapp|fast|beinahe|über|unter|nahezu|annähernd|up to|more than|less than|"
    "fewer than|at least|at most|as many as|an estimated|about|around|roughly|approximately|"
    "nearly|almost|over|under|some"
)
_HEDGE = re.compile(rf"(?<![\w])({_HEDGES})\s*$", re.I)
_CONVERSION = re.compile(r"\s*\(\s*(?:(?:" + _HEDGES + r")\s+)?[\d.,]+\s*[^\s()]{1,20}\s*\)", re.I)
_ID_WORDS = frozenset(
    "artikel paragraf paragraph nr nummer resolution kapitel seite flug linie gleis route tel "
    "telefon version boeing airbus article no number page flight section platz zimmer haus "
    "hausnummer band heft".split()
)
_DE_STOP = frozenset(
    "eine einer einen einem eines keine keinen seine seinen ihre ihren diese diesen jene alle "
    "werden wurden haben hatten sollen können müssen wollen dürfen gegen wegen neben unter über "
    "hinter oder aber sowie oben unten wieder immer jeder jede jedes mehr weniger den dem der des "
    "die das pro je".split()
)
_EN_STOP = frozenset(
    "the a an of in to for and or with from by on at as were was are is be been have has had will "
    "would could should may might that which who than per each into over under about this these "
    "those it its their his her they we you said says more less".split()
)
#: How far after a number its unit and counted noun are looked for (six tokens).
_WINDOW_CHARS = 6 * (MAX_TOKEN_CHARS + 2)
_SEP = re.compile(r"\s+(?:und|oder|bis|and|or|to)\s+\d+-\w+-([\wäöüÄÖÜß]+)")


def _to_decimal(raw: str, lang: str) -> Decimal | None:
    """Parse "7.000", "4,8", "1,234,567", "4.8" by the article's conventions."""
    thousands, decimal = (".", ",") if lang == "de" else (",", ".")
    if re.fullmatch(r"\d{1,3}(?:,\d{3}){2,}(?:\.\d+)?", raw):
        thousands, decimal = ",", "."
    elif re.fullmatch(r"\d{1,3}(?:\.\d{3}){2,}(?:,\d+)?", raw):
        thousands, decimal = ".", ","
    elif lang == "de" and re.fullmatch(r"\d+\.\d{1,2}", raw):
        thousands, decimal = ",", "."  # "4.8" in translated German text
    parts = raw.split(decimal)
    if len(parts) > 2:
        return None
    whole = parts[0]
    if thousands in whole and not re.fullmatch(rf"\d{{1,3}}(?:\{thousands}\d{{3}})+", whole):
        return None
    try:
        return Decimal(whole.replace(thousands, "") + ("." + parts[1] if len(parts) == 2 else ""))
    except InvalidOperation:
        return None


def _prev_word(text: str, pos: int) -> str:
    m = re.search(r"([\wäöüß]+)\.?\s*$", text[max(0, pos - 30) : pos])
    return m.group(1).lower() if m else ""


def _counted(tokens: list[tuple[str, str, int]], lang: str) -> tuple[str, int] | None:
    """The counted noun after a number: skip adjectives, stop at anything else."""
    run: list[tuple[str, int]] = []
    for word, punct, end in tokens[:4]:
        low = word.lower()
        if lang == "de":
            if (
                word[:1].isupper()
                and re.fullmatch(r"[\wäöüÄÖÜß-]+", word)
                and not word[0].isdigit()
            ):
                return word, end
            adjective = low.endswith(("e", "en", "er", "es", "em")) and len(low) > 3
            if not adjective or low in _DE_STOP or punct:
                return None
            continue
        if not re.fullmatch(r"[A-Za-z][A-Za-z'-]*", word) or low in _EN_STOP:
            break
        if low.endswith(("ed", "ing", "ly")) and run:
            break
        if not low.endswith(("ed", "ly")):
            run.append((word, end))
        if punct:
            break
    return run[-1] if run else None


def _quantity(sent: Sentence, m: re.Match[str], lang: str) -> tuple[Quantity, int] | None:
    """The figure starting at a number match, and where its text (with any conversion) ends."""
    text = sent.text
    start = m.start("cur") if m.group("cur") else m.start("num") if m.group("num") else m.start()
    unit = units()[m.group("cur").lower()][0] if m.group("cur") else None
    glue = m.group("glue") or ""
    pos = m.end()
    counted: tuple[str, int] | None = None
    scale = Decimal(1)
    if m.group("word"):
        word = m.group("word")
        if word[0].isupper() and start > 0:
            return None  # "außer Acht", "Elf" as a name
        value = Decimal(number_words()[word.lower()])
    else:
        raw = m.group("num")
        before = text[max(0, start - 2) : start]
        if ":" in raw or re.search(r"[A-Za-zÄÖÜäöü]-?$", before) or before.endswith("/"):
            return None  # clock times, ids ("G20", "Covid-19")
        if _prev_word(text, start) in _ID_WORDS:
            return None
        if (
            lang == "de"
            and re.fullmatch(r"\d{1,3}", raw)
            and text[pos : pos + 2] in (". ", ".\u00a0")
        ):
            return None  # ordinal ("13. September", "der 2. Platz")
        parsed = _to_decimal(raw, lang)
        if parsed is None:
            return None
        value = parsed
        if glue.startswith("-"):
            parts = glue.split("-")
            if len(parts) < 2 or parts[1].lower() not in units():
                if not (len(parts) == 2 and parts[1][:1].isupper()):
                    return None
                counted = (parts[1], m.end())  # "18-Jährige"
            else:
                unit = units()[parts[1].lower()][0]
                if parts[-1]:
                    counted = (parts[-1], m.end())
                else:
                    sep = _SEP.match(text, m.end())
                    counted = (sep.group(1), m.end()) if sep else None
        elif glue:
            entry = units().get(glue.lower())
            if entry is None or glue.lower() in ("st", "nd", "rd", "th"):
                return None  # "5G", "1st"
            if entry[1].startswith("scale"):
                scale = Decimal(entry[0])
            else:
                unit = entry[0]
    tokens: list[tuple[str, str, int]] = []
    last_end = pos
    # The words after a number are looked for in a bounded window, so a run without
    # separators ("a/a/a/…") is not read to its end once per number word in it.
    for t in _TOKEN.finditer(text, pos, pos + _WINDOW_CHARS):
        if t.start() != (last_end if tokens else pos) or len(tokens) >= 6:
            break
        word = t.group(1).rstrip(".")
        tokens.append((word, t.group(2), t.start(1) + len(word)))
        last_end = t.end()
        if t.group(2):
            break
    i = 0
    if not glue and tokens and tokens[0][0].lower() in units():
        entry = units()[tokens[0][0].lower()]
        if entry[1] in ("scale", "scale-en") or (entry[1] == "scale-money" and unit):
            factor = entry[0]
            if entry[1] == "scale-en" and lang == "de" and tokens[0][0][0].isupper():
                factor = "1000000000000"  # German "Billion" is a million millions
            scale, pos, i = Decimal(factor), tokens[0][2], 1
    if unit is None and i < len(tokens):
        two = f"{tokens[i][0]} {tokens[i + 1][0]}".lower() if i + 1 < len(tokens) else ""
        for phrase, width in ((two, 2), (tokens[i][0].lower(), 1)):
            entry = units().get(phrase)
            if entry and not entry[1].startswith("scale"):
                unit, pos, i = entry[0], tokens[i + width - 1][2], i + width
                break
    if m.group("word") and value == 1 and scale == 1:
        return None  # "ein", "a", "one": an article, not a count
    if counted is None and unit is None:
        counted = _counted(tokens[i:], lang)
    end = max(pos, counted[1] if counted else pos)
    hedge_m = _HEDGE.search(text[max(0, start - 25) : start])
    hedge = hedge_m.group(1).lower() if hedge_m else None
    is_year = re.fullmatch(r"1[5-9]\d\d|20\d\d", m.group("num") or "")
    bare = counted is None and unit is None and (scale == 1 or m.group("word"))
    if bare and (hedge is None or is_year or m.group("word")):
        return None
    conversion = _CONVERSION.match(text, end) if unit else None
    q = Quantity(
        sent.start + start,
        sent.start + end,
        text[start:end],
        float(value * scale),
        unit,
        counted[0] if counted else None,
        hedge,
    )
    return q, sent.start + (conversion.end() if conversion else end)


class _Blocked:
    """Spans (dates) no figure may overlap, checked by bisection instead of a scan of all."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        spans = sorted(spans)
        self._starts = [a for a, _ in spans]
        self._max_end: list[int] = []  # greatest end among the spans up to each index
        for _, b in spans:
            self._max_end.append(max(b, self._max_end[-1]) if self._max_end else b)

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self._starts, end)  # spans [0, i) start before ``end``
        return i > 0 and self._max_end[i - 1] > start


def find_quantities(
    text: str, sentences: list[Sentence], lang: str | None = "de"
) -> list[Quantity]:
    """Figures in text: value, unit, what is counted and the hedge, with spans into text."""
    lang = "en" if lang == "en" else "de"
    if not sentences and text.strip():
        sentences = split_sentences(text)
    blocked = _Blocked(date_spans(text, sentences, lang))
    out: list[Quantity] = []
    for sent in sentences:
        covered = sent.start
        for m in _CANDIDATE.finditer(sent.text):
            s, e = sent.start + m.start(), sent.start + m.end()
            if s < covered or blocked.overlaps(s, e):
                continue
            found = _quantity(sent, m, lang)
            if found is not None:
                out.append(found[0])
                covered = found[1]
    return out
