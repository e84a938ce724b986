"""Tagged spans made into names before resolution: what a reader would not call a name.

The tagger's spans are taken as evidence, not as names. Before mentions are linked:

* a name the tagger cut in two around "for"/"of"/"für" ("Carnegie Endowment" +
  "for" + "International Peace") is one name again, so the fragment is no entity;
* a name cut after its adjective ("Vereinten" + "Nationen") gets its noun back;
* a leading article ("The Hafenverband"), an English genitive owner ("Acme's John
  Smith") and a title or role ("Bundesrichter Anna Roth", "Mayor Okonkwo") are cut
  from the span; a role becomes a description, and a title makes the rest a person
  ("Mayor Okonkwo" is a man, not an organisation);
* a span made only of role words ("Senior Fellow", "Präsident") names no one;
* a one-word place or organisation named once, coordinated with a capitalised word
  the tagger saw no name in ("Brot und Salz") and found in no name list, is a
  common noun;
* two people's short names run together ("Putin Kim") are two mentions; a one-word
  name takes the type the article gives it elsewhere ("Panda" is Ankit Panda);
* a demonym or place adjective ("Russen", "Hamburger") is not the place: it is
  kept as MISC, so there are never two cities.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from functools import cache

from storyline.analyse.model import EntityType, Mention
from storyline.analyse.names import name_parts, part_key, role_suffixes, titles
from storyline.analyse.resolve_known import derived_from, known

#: Words that join two halves of one organisation name ("Carnegie Endowment for
#: International Peace", "Bank of England", "Stiftung für Wissenschaft und Politik").
_JOINERS = frozenset({"for", "of", "of the", "for the", "für", "für die", "für den", "on"})
_LEADING_ARTICLES = frozenset("the der die das des dem den".split())
#: Titles that are courtesy only: cut from a name but not worth a description.
_HONORIFICS = frozenset("herr herrn frau mr mrs ms miss sir lady lord dr prof".split())
#: Words that modify a role ("Senior Fellow", "Deputy Director"): alone with a role
#: noun they still name no one.
_ROLE_MODIFIERS = frozenset(
    "senior junior chief deputy vice acting former assistant associate executive general "
    "leitender leitende leitenden stellvertretender stellvertretende stellvertretenden "
    "ehemaliger ehemalige ehemaligen oberster oberste obersten erster erste ersten".split()
)
#: Kin words are role nouns for descriptions ("Kims Schwester") but, as suffixes,
#: also end surnames (Johnson, Mendelssohn): they count only as whole words here.
_KIN = frozenset(
    "schwester bruder vater mutter sohn tochter sister brother father mother son daughter".split()
)
#: Role nouns that also begin organisation names ("General Motors", "General Electric").
_NOT_A_PERSON_TITLE = frozenset({"general", "gen"})
_OWNER = re.compile(r"^.+?['’]s\s+(?=[A-ZÄÖÜ])")
_STRIP = " ,.;:()\"'„“”»«"
#: Characters looked at on either side of a mention for a coordinated word.
_CONTEXT = 60


@dataclass(frozen=True)
class Cleaned:
    """A mention with its name made clean: ``role`` is a title or role cut from the span."""

    mention: Mention
    name: str
    role: str | None = None


def _is_role_word(word: str) -> bool:
    w = word.lower().rstrip(".")
    if w in _KIN:
        return True
    if w in titles():
        return True
    return len(w) >= 4 and any(w.endswith(s) for s in role_suffixes() if s not in _KIN)


def _is_person_title(word: str) -> bool:
    w = word.lower().rstrip(".")
    return w not in _NOT_A_PERSON_TITLE and _is_role_word(word) and word[:1].isupper()


@cache
def _gazetteer_kind(word: str) -> str | None:
    """The shipped name lists' kind for one word (FIRST, COUNTRY, CITY), if any."""
    from storyline.analyse.ner.features import gazetteer

    return gazetteer().single.get(word)


def _place_like(name: str) -> bool:
    """A known place or organisation, also in the genitive ("Russlands", "Hamburgs")."""
    if known(name) is not None:
        return True
    for form in (name, name[:-1] if name.endswith("s") else name):
        if _gazetteer_kind(form) in ("COUNTRY", "CITY"):
            return True
    return False


def _known_place(name: str, label: str) -> bool:
    """Known as a place or organisation: the table, a country, or a city when the tagger
    also took it for a place (a city list knows "Panda" too, but "sagte Panda" beside
    "Ankit Panda" is the man)."""
    if known(name) is not None or _gazetteer_kind(name) == "COUNTRY":
        return True
    return label == "LOC" and _place_like(name)


def join_fragments(text: str, mentions: list[Mention]) -> list[Mention]:
    """Mentions in text order with organisation names the tagger cut in two joined."""
    out: list[Mention] = []
    for m in sorted(mentions, key=lambda m: m.start):
        prev = out[-1] if out else None
        if prev is not None and prev.label == "ORG" and m.label in ("ORG", "MISC"):
            between = text[prev.end : m.start]
            if " ".join(between.split()) in _JOINERS and between.startswith(" "):
                out[-1] = replace(prev, end=m.end, text=text[prev.start : m.end])
                continue
        out.append(m)
    return out


def _cut(m: Mention, text: str, drop: int) -> Mention:
    """The mention without its first ``drop`` characters (and the spaces after them)."""
    start = m.start + drop
    while start < m.end and text[start].isspace():
        start += 1
    return replace(m, start=start, text=text[start : m.end])


def clean_mention(text: str, m: Mention) -> Cleaned | None:
    """The name in a mention, or None when the span names nothing."""
    # Trim punctuation the tagger took along.
    lead = len(m.text) - len(m.text.lstrip(_STRIP))
    if lead:
        m = _cut(m, text, lead)
    tail = len(m.text) - len(m.text.rstrip(_STRIP))
    if tail:
        m = replace(m, end=m.end - tail, text=m.text[: len(m.text) - tail])
    words = m.text.split()
    if not words:
        return None
    if len(words) > 1 and words[0].lower() in _LEADING_ARTICLES and words[1][:1].isupper():
        m = _cut(m, text, len(words[0]))
        words = words[1:]
    owner = _OWNER.match(m.text)
    if owner and m.label in ("PER", "MISC"):
        m = _cut(m, text, owner.end())  # "Acme's John Smith" is John Smith
        words = m.text.split()
    role: list[str] = []
    whole, whole_words = m, words
    while len(words) > 1 and _is_role_word(words[0]) and words[0][:1].isupper():
        if m.label != "PER" and not _is_person_title(words[0]):
            break
        role.append(words[0])
        m = _cut(m, text, len(words[0]))
        words = words[1:]
    if role and m.label != "PER":
        if _place_like(m.text) or len(words) > 3:  # "Präsident Russlands" is no person
            m, words, role = whole, whole_words, []
        else:
            m = replace(m, label="PER")  # "Mayor Okonkwo": a title before a name names a person
    name = re.sub(r"(?<=\w)['’]s?$", "", " ".join(words))  # "HKB's" is "HKB"
    desc = " ".join(w for w in role if w.lower().rstrip(".") not in _HONORIFICS) or None
    return Cleaned(m, name, desc)


def _person_by_title_before(text: str, c: Cleaned) -> Cleaned:
    """A one-word non-person right after a person's title ("Mayor Okonkwo") is a person."""
    m = c.mention
    if m.label == "PER" or len(c.name.split()) != 1 or _place_like(c.name):
        return c
    if derived_from(c.name) is not None or c.name.isupper():
        return c
    before = re.search(r"([\w.-]+)\s+$", text[max(0, m.start - 40) : m.start])
    if before and _is_person_title(before.group(1)) and before.group(1).lower() not in _KIN:
        return replace(c, mention=replace(m, label="PER"))
    return c


def _only_roles(name: str) -> bool:
    words = name.split()
    return all(_is_role_word(w) or w.lower() in _ROLE_MODIFIERS for w in words) and not any(
        _gazetteer_kind(w) == "FIRST" and not _is_role_word(w) for w in words
    )


def _derived(name: str, places: set[str]) -> bool:
    """'Russen', 'Nordkoreaner' (table) or 'Hamburger' from a place of the article or lists."""
    if derived_from(name) is not None:
        return True
    for suffix in ("er", "ern", "erin"):
        if name.endswith(suffix) and len(name) > len(suffix) + 2:
            base = name[: -len(suffix)]
            if base in places or _gazetteer_kind(base) in ("CITY", "COUNTRY"):
                return True
    return False


def _common_noun(text: str, c: Cleaned, tagged: set[int], count: int) -> bool:
    """'Brot und Salz': one word named once, coordinated with an untagged capitalised
    noun, and in no name list, is a common noun the tagger took for a name."""
    if count > 1 or " " in c.name or c.mention.label == "PER" or _place_like(c.name):
        return False
    m = c.mention
    lo = max(0, m.start - _CONTEXT)
    left = re.search(r"(?:^|[\s(])([A-ZÄÖÜ][\w-]*)\s+(?:und|oder|and|or)\s+$", text[lo : m.start])
    right = re.match(r"\s+(?:und|oder|and|or)\s+([A-ZÄÖÜ][\w-]*)", text[m.end : m.end + _CONTEXT])
    for hit, start in (
        (left, lo + left.start(1) if left else -1),
        (right, m.end + right.start(1) if right else -1),
    ):
        if hit is None or start in tagged:
            continue
        prev = text[:start].rstrip()
        if prev and prev[-1] not in ".!?:\n":  # not sentence-initial, so capitalised as a noun
            return True
    return False


def _person_parts(cleaned: list[Cleaned]) -> dict[str, Counter[str]]:
    """First and last name parts (keys) of the article's full person names → how often
    each full name (key) carrying that part is written."""
    out: dict[str, Counter[str]] = {}
    for c in cleaned:
        parts = [part_key(p) for p in name_parts(c.name)]
        if c.mention.label == "PER" and len(parts) > 1:
            for p in {parts[0], parts[-1]}:
                out.setdefault(p, Counter())["".join(parts)] += 1
    return out


def _split_glued(text: str, cleaned: list[Cleaned]) -> list[Cleaned]:
    """'schickte Putin Kim eine Limousine': two people's short names the tagger took as one
    ("Putin Kim") are two mentions when each word is a part of a different full name
    of the article and the pair itself is no one's full name."""
    persons = _person_parts(cleaned)
    # Last parts of multi-part person names: a full name does not begin with another
    # person's surname, a first name may be shared ("Anna Roth" beside "Anna Schmidt").
    surnames = {
        part_key(c.name.split()[-1])
        for c in cleaned
        if c.mention.label == "PER" and len(c.name.split()) > 1
    }
    out: list[Cleaned] = []
    for c in cleaned:
        words = c.mention.text.split()
        if c.mention.label != "PER" or len(words) != 2:
            out.append(c)
            continue
        keys = [part_key(w) for w in words]
        own = "".join(keys)
        # Full names carrying each word, other than this span itself (written once).
        others = [
            {k for k, n in persons.get(key, Counter()).items() if k != own or n > 1} for key in keys
        ]
        if (
            all(others)
            and not others[0] & others[1]
            and persons[keys[0]][own] <= 1
            and keys[0] in surnames
            and _gazetteer_kind(words[0]) != "FIRST"
        ):
            m = c.mention
            second = m.start + m.text.index(words[1], len(words[0]))
            a = replace(m, end=m.start + len(words[0]), text=words[0])
            b = replace(m, start=second, text=text[second : m.end])
            out += [Cleaned(a, words[0]), Cleaned(b, words[1])]
        else:
            out.append(c)
    return out


def _label_from_article(
    c: Cleaned, cleaned: list[Cleaned], persons: dict[str, Counter[str]]
) -> Cleaned:
    """A one-word name takes the type the article gives it elsewhere: "Panda" typed ORG is
    Ankit Panda when the article names him in full, "Pjöngjangs" typed PER is the city
    the article names; "Wladiwostok-Treffen" (a place and a noun) is no person."""
    m = c.mention
    if " " in c.name:
        return c
    key = part_key(c.name)
    if m.label == "PER" and key not in persons:
        base = c.name[:-1] if c.name.endswith("s") else c.name
        other = next(
            (
                o.mention.label
                for o in cleaned
                if o.mention.label in ("LOC", "ORG") and o.name in (c.name, base)
            ),
            None,
        )
        if other is not None:
            return replace(c, mention=replace(m, label=other))
        head = c.name.split("-")[0]
        if "-" in c.name and head != c.name and _place_like(head):
            return replace(c, mention=replace(m, label="MISC"))
    elif m.label in ("ORG", "LOC") and key in persons and not _known_place(c.name, m.label):
        return replace(c, mention=replace(m, label="PER"))
    return c


_NEXT_WORD = re.compile(r" ([A-ZÄÖÜ][\w-]*)")
_ADJECTIVE_FORM = re.compile(r"[A-ZÄÖÜ][a-zäöüß]+(?:e|en|er|es|em)")


def extend_cut_names(text: str, mentions: list[Mention]) -> list[Mention]:
    """'Vereinten' + 'Nationen', 'Gemeinsame' + 'Stabschefs': a name the tagger cut after
    its adjective gets its untagged noun back, when the mention is an organisation or
    the two words together are in the table of known names."""
    starts = {m.start for m in mentions}
    out = []
    for m in mentions:
        nxt = _NEXT_WORD.match(text, m.end)
        if (
            nxt is not None
            and " " not in m.text
            and _ADJECTIVE_FORM.fullmatch(m.text)
            and nxt.start(1) not in starts
        ):
            joined = text[m.start : nxt.end(1)]
            row = known(joined)
            if row is not None or m.label == "ORG":
                label = row.type if row is not None else m.label
                m = replace(m, end=nxt.end(1), text=joined, label=label)  # type: ignore[arg-type]
        out.append(m)
    return out


def clean_mentions(text: str, mentions: list[Mention]) -> list[Cleaned]:
    """Every mention that still names something, cleaned, in text order."""
    joined = extend_cut_names(text, join_fragments(text, mentions))
    cleaned = [c for m in joined if (c := clean_mention(text, m)) is not None]
    genitives = {c.name + "s" for c in cleaned if c.mention.label in ("ORG", "LOC")}
    cleaned = [c if c.name in genitives else _person_by_title_before(text, c) for c in cleaned]
    cleaned = _split_glued(text, cleaned)
    persons = _person_parts(cleaned)
    cleaned = [_label_from_article(c, cleaned, persons) for c in cleaned]
    tagged = {c.mention.start for c in cleaned} | {m.start for m in mentions}
    counts: dict[str, int] = {}
    for c in cleaned:
        counts[c.name] = counts.get(c.name, 0) + 1
    places = {c.name for c in cleaned if c.mention.label == "LOC"}
    out = []
    for c in cleaned:
        if not any(ch.isalpha() for ch in c.name):
            continue
        if c.mention.label == "PER" and _only_roles(c.name):
            continue  # "Senior Fellow", "Präsident": a role, not a person
        if _common_noun(text, c, tagged, counts[c.name]):
            continue
        if c.mention.label != "PER" and " " not in c.name and _derived(c.name, places):
            label: EntityType = "MISC"
            c = replace(c, mention=replace(c.mention, label=label))
        out.append(c)
    return out
