"""Datelines, bylines and source lines: who wrote an article, for whom, from where, when.

Why: scraped articles carry this furniture in many forms and languages, and when it was
not read the outlet stayed empty (two outlets counted as one source) and the text kept
"BERLIN (dpa) –" in its lead. Forms read here, at the top or the bottom of an article:

* dateline leads: "Roma, 3 marzo 2024 – …", "BERLIN (dpa) – …", "PARIS, 4 mars 2025
  (AFP) - …": the prefix is taken off the lead paragraph and kept as a removed line;
* "|" lines: "Outlet Name | May 2, 2024", "Jane Doe | The Outlet Post | 2. Mai 2024";
* source lines: "Quelle: dpa | Outlet Name", "Fonte: ANSA", "Source : AFP";
* bylines: "By Jane Doe, The Outlet Post", "Von Anna Muster", "Di Mario Rossi, ANSA",
  "Par Jean Dupont", "Por Juan Pérez".

Agencies (``data/agencies.tsv``) are kept apart from outlets: an agency is whom an
outlet took the report from. Every value comes with the line it was read from.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache

from storyline.clean.phrases import canonical_outlet, outlet_words
from storyline.clean.published import find_date
from storyline.datafiles import data_rows
from storyline.model import Evidence, LineVerdict

#: Lines from the top and the bottom of an article that may carry furniture.
TOP_LINES = 8
BOTTOM_LINES = 5
#: A furniture line is short; a longer one is text that happens to start "Von …".
MAX_LINE_CHARS = 160
#: What must remain of a lead after its dateline prefix for it to be a dateline at all.
MIN_LEAD_CHARS = 20
#: Words an outlet name may have ("The Northern Valley Evening Post").
MAX_NAME_WORDS = 6

_SEPARATORS = re.compile(r"\s+[|·•]\s+|\s*\|\s*")
_BY = r"(?:von|by|di|par|por|text|autor|autorin|author|auteur|autore)\s*:?"
_SOURCE = r"(?:quelle|source|sources|fonte|fuente|via|mit material von|with material from)\s*:"
_NAME_WORD = r"[A-ZÄÖÜÀ-ÝŁŚŻ][\w'’.-]*"
_PERSON = rf"{_NAME_WORD}(?:\s+(?:(?:van|von|de|del|della|di|da|le|la|y)\s+)?{_NAME_WORD}){{1,3}}"
_PEOPLE = rf"{_PERSON}(?:\s+(?:und|and|et|e|y|&)\s+{_PERSON})*"
_BYLINE = re.compile(rf"(?i:{_BY})\s+(?P<who>{_PEOPLE})(?:\s*[,/–—-]\s*(?P<rest>.+))?")
_SOURCE_LINE = re.compile(rf"(?i:{_SOURCE})\s*(?P<rest>.+)")
_PLACE = r"(?P<place>[A-ZÄÖÜÀ-Ý][\w'’.-]*(?:[ /-][A-ZÄÖÜÀ-Ý][\w'’.-]*){0,3})"
_DASH = r"\s*(?:[–—]|--?)\s+"
_LEAD = re.compile(
    rf"{_PLACE}\s*(?:\((?P<agency1>[^()]{{1,40}})\))?"
    rf"(?:\s*,\s*(?P<when>[^–—()]{{4,40}}?))?"
    rf"\s*(?:\((?P<agency2>[^()]{{1,40}})\))?\.?{_DASH}(?P<rest>\S.*)",
    re.DOTALL,
)


@dataclass(frozen=True)
class Furniture:
    """What the furniture says; each value with the evidence it was read from."""

    outlet: str | None = None
    outlet_evidence: Evidence | None = None
    author: str | None = None
    agency: str | None = None
    published: str | None = None
    published_evidence: Evidence | None = None

    def merged(self, other: Furniture) -> Furniture:
        """Fill what this one lacks from ``other`` (the earlier finding wins)."""
        return Furniture(
            self.outlet or other.outlet,
            self.outlet_evidence if self.outlet else other.outlet_evidence,
            self.author or other.author,
            self.agency or other.agency,
            self.published or other.published,
            self.published_evidence if self.published else other.published_evidence,
        )


@cache
def _agency_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for row in data_rows("storyline.clean", "agencies.tsv"):
        for alias in (row[0], *row[1].split("|")):
            if alias:
                index[alias if len(alias) <= 4 else alias.casefold()] = row[0]
    return index


def agency_of(text: str) -> str | None:
    """The canonical agency a name or a "dpa/AFP" list starts with, else None."""
    for part in re.split(r"\s*[/,;]\s*|\s+(?:und|and|et|e|y)\s+", text.strip(" .()")):
        part = part.strip()
        found = _agency_index().get(part) or (
            _agency_index().get(part.casefold()) if len(part) > 4 else None
        )
        if found:
            return found
    return None


def _all_agencies(text: str) -> bool:
    parts = [p for p in re.split(r"\s*[/,;]\s*|\s+(?:und|and|et|e|y)\s+", text.strip(" .()")) if p]
    return bool(parts) and all(agency_of(p) for p in parts)


def _date_of(text: str) -> str | None:
    """The date a short piece of text is (not merely contains)."""
    found = find_date(text)
    if found is None:
        return None
    rest = (text[: found[1]] + text[found[2] :]).strip(" ,.|–—-:")
    rest = re.sub(r"\d{1,2}[:.]\d{2}(\s*(uhr|h|am|pm|[a-z]{2,4}t))?", "", rest, flags=re.I)
    rest = re.sub(r"(?i)\b(am|on|le|il|el|du|del|den|the|de|stand|updated|published)\b", "", rest)
    return found[0] if not rest.strip(" ,.|–—-:") else None


#: Articles a publication's name starts with ("The Outlet Post", "El Diario del Puerto").
_ARTICLES = frozenset("the der die das le la les il lo el los las".split())


def _outlet_word(word: str) -> bool:
    """A publication word, alone or closing a compound ("Stadtkurier", "Westküsten-Echo")."""
    low = word.lower().strip(".,")
    return low in outlet_words() or any(
        low.endswith(w) for w in outlet_words() if len(w) >= _MIN_COMPOUND_TAIL
    )


#: The shortest publication word read as the tail of a compound ("-bote", not "-tv").
_MIN_COMPOUND_TAIL = 4


def _is_outlet_name(text: str) -> bool:
    """A short capitalised name, as an outlet's masthead is written."""
    text = text.strip()
    words = text.split()
    if not words or len(words) > MAX_NAME_WORDS or len(text) > 60 or text.endswith("."):
        return False
    if canonical_outlet(text) is not None:
        return True
    capitals = [w for w in words if w[:1].isupper() or w[:1].isdigit()]
    if len(capitals) < len(words) - 1 or not words[0][:1].isupper():
        return False  # "der Gazette" is text; "The Outlet Post", "Il Corriere di Roma" names
    return any(_outlet_word(w) for w in words) or (
        len(words) >= 2 and words[0].lower() in _ARTICLES
    )


def _name(text: str) -> str:
    text = " ".join(text.split()).strip(" ,;|–—-")
    return canonical_outlet(text) or text


def _parts(line: str, evidence: Evidence) -> Furniture | None:
    """A line of "|"-separated parts, each a date, an agency, a byline or an outlet."""
    found = Furniture()
    for raw in _SEPARATORS.split(line):
        part = raw.strip()
        if not part:
            continue
        source = _SOURCE_LINE.fullmatch(part)
        if source is not None:
            part = source.group("rest").strip()
        by = _BYLINE.fullmatch(part)
        when = _date_of(part)
        if when is not None:
            got = Furniture(published=when, published_evidence=evidence)
        elif _all_agencies(part):
            got = Furniture(agency=agency_of(part))
        elif by is not None and source is None:
            inner = _parts(by.group("rest"), evidence) if by.group("rest") else Furniture()
            if inner is None:
                return None
            got = Furniture(author=" ".join(by.group("who").split())).merged(inner)
        elif _is_outlet_name(part) or (source is not None and len(part.split()) <= 5):
            got = Furniture(outlet=_name(part), outlet_evidence=evidence)
        else:
            return None
        found = found.merged(got)
    return found if found != Furniture() else None


def _line_furniture(line: str) -> Furniture | None:
    """Furniture a whole line carries, or None when the line is anything else."""
    if len(line) > MAX_LINE_CHARS:
        return None
    has_bar = "|" in line or " · " in line or " • " in line
    byline = _BYLINE.match(line) is not None
    if not (has_bar or byline or _SOURCE_LINE.fullmatch(line)):
        return None
    evidence = Evidence("text:byline" if byline else "text:source-line", line)
    found = _parts(line, evidence)
    if found is None:
        return None
    if has_bar and found.outlet is None and found.author is None and found.agency is None:
        return None  # "Politik | 2. Mai 2024" is a section and a date: the dateline stage's
    return found


def _lead(line: str) -> tuple[Furniture, str, str] | None:
    """(furniture, prefix, rest) of a lead that opens with a dateline."""
    m = _LEAD.match(line[: MAX_LINE_CHARS + 400])
    if m is None or len(m.group("rest")) < MIN_LEAD_CHARS:
        return None
    agency_text = m.group("agency1") or m.group("agency2")
    agency = agency_of(agency_text) if agency_text and _all_agencies(agency_text) else None
    if agency_text and agency is None:
        return None  # "Berlin (Reuters-Bericht) –" or a parenthesis of the text
    when = _date_of(m.group("when")) if m.group("when") else None
    if m.group("when") and when is None:
        return None  # "Berlin, heute früh – …" is a sentence, not a dateline
    if agency is None and when is None:
        return None
    place = m.group("place")
    if not (place.isupper() or agency or when):
        return None
    prefix = line[: m.start("rest")].rstrip()
    evidence = Evidence("text:dateline", prefix)
    found = Furniture(agency=agency)
    if when is not None:
        found = replace(found, published=when, published_evidence=evidence)
    return found, prefix, line[m.start("rest") :]


#: Junk reasons whose lines still name an author, an agency or an outlet.
_READABLE = frozenset({"byline", "source-line", "source-link", "trailing-widget", "junk-block"})


#: Reasons given for a line's shape alone, which its furniture names better.
_RELABEL = frozenset({"trailing-widget", "junk-block"})


def read_furniture(verdicts: Sequence[LineVerdict]) -> tuple[list[LineVerdict], Furniture]:
    """Verdicts with furniture lines removed (and dateline prefixes split off), and what
    the furniture says. Lines already removed as junk are left as they are, except
    bylines and source lines, which are read for their names."""
    out = list(verdicts)
    found = Furniture()
    kept = [i for i, v in enumerate(out) if v.reason is None and not v.title]
    top = set(kept[:TOP_LINES])
    edge = top | set(kept[-BOTTOM_LINES:])
    split: tuple[int, str, str] | None = None
    leads_seen = 0
    title = next((i for i, v in enumerate(out) if v.title), None)
    if title is not None and out[title].reason is None:
        # "Northern Gazette | May 2, 2024" above the headline was taken for the headline
        got = _line_furniture(out[title].line)
        following = next((i for i in kept if i > title), None)
        if got is not None and following is not None:
            found = got
            out[title] = replace(out[title], reason="source-line", title=False)
            out[following] = replace(out[following], title=True)
            kept.remove(following)
            top = set(kept[:TOP_LINES])
            edge = top | set(kept[-BOTTOM_LINES:])
    for i, v in enumerate(out):
        if v.title or (v.reason is None and i not in edge):
            continue
        if v.reason is not None and v.reason not in _READABLE:
            continue
        got = _line_furniture(v.line)
        if got is not None:
            found = found.merged(got)
            if v.reason is None or v.reason in _RELABEL:
                out[i] = replace(v, reason="source-line" if got.outlet or got.agency else "byline")
            continue
        if v.reason is None and i in top and split is None and leads_seen < 2:
            leads_seen += 1
            lead = _lead(v.line)
            if lead is not None:
                found = found.merged(lead[0])
                split = (i, lead[1], lead[2])
    if split is not None:  # one dateline per article, split off once the indices are read
        i, prefix, rest = split
        v = out[i]
        out[i : i + 1] = [LineVerdict(v.position, prefix, "dateline"), replace(v, line=rest)]
    return out, found


__all__ = ["Furniture", "agency_of", "read_furniture"]
