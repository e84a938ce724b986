"""Entity resolution inside one article: which mentions name the same entity.

Rules, in the order a reader applies them:

* titles are not names ("Herr Kim" is "Kim", "Dr. Jane Roe" is "Jane Roe");
* spelling and transliteration variants share a key (:mod:`storyline.analyse.names`):
  Kim Jong Un / Kim Jong-un, Schoigu / Shoigu, Wladimir / Vladimir;
* a genitive ("Putins", "Kims", "Russlands") is its base name when that is known;
* a single name part links to the most recently named entity whose first or
  last part it is ("Putin" → Wladimir Putin; "Kim" → the Kim named last), so
  Kim Jong Un, Kim Jong Il and Kim Yo Jong stay apart while "Kim" follows the text;
* roles next to a person's name ("Kremlsprecher Dmitri Peskow", "Kurt Campbell,
  der stellvertretende US-Außenminister,") are kept as descriptions.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field, replace

from storyline.analyse.model import Entity, EntityType, Mention, Sentence
from storyline.analyse.names import (
    is_role_noun,
    name_key,
    name_parts,
    part_key,
    strip_genitive,
    strip_titles,
)

_ARTICLES = frozenset("der die das des dem den ein eine einer eines einem einen the a an".split())
_WORD = re.compile(r"[\w][\w.'’-]*")
_APPOSITION_END = re.compile(r"[,;.:()–—]|\s[-–—]\s")


def entity_id(label: str, key: str) -> str:
    """Stable id for an entity first seen with this type and name key."""
    return "e" + hashlib.sha1(f"{label}:{key}".encode()).hexdigest()[:12]


@dataclass
class _Local:
    label_votes: Counter[str] = field(default_factory=Counter)
    names: Counter[str] = field(default_factory=Counter)
    key: str = ""
    parts: list[str] = field(default_factory=list)
    last_seen: int = 0
    descriptions: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        votes = self.label_votes.most_common()
        best = votes[0][1]
        tied = [lab for lab, n in votes if n == best]
        return "PER" if "PER" in tied else tied[0]


_POSSESSIVE = re.compile(r"(?<=\w)['’]s?$")


def _clean_name(text: str) -> str:
    name = " ".join(text.split()).strip(" ,.;:()\"'„“”»«")
    return strip_titles(_POSSESSIVE.sub("", name))  # English possessive: "HKB's" is "HKB"


def _compatible(a: str, b: str) -> bool:
    return a == b or "MISC" in (a, b)


class _Resolver:
    def __init__(self) -> None:
        self.entities: list[_Local] = []

    def _by_key(self, key: str, label: str) -> _Local | None:
        for ent in reversed(self.entities):
            if ent.key == key and _compatible(ent.label, label):
                return ent
        return None

    def _by_part(self, key: str, label: str) -> _Local | None:
        """Most recently seen multi-part entity whose first or last part is ``key``."""
        best: _Local | None = None
        for ent in self.entities:
            if (
                len(ent.parts) > 1
                and key in (ent.parts[0], ent.parts[-1])
                and _compatible(ent.label, label)
                and (best is None or ent.last_seen > best.last_seen)
            ):
                best = ent
        return best

    def merge_genitives(self) -> dict[int, _Local]:
        """Fold "Nordkoreas" into "Nordkorea" when the genitive came first in the text."""
        moved: dict[int, _Local] = {}
        for ent in list(self.entities):
            if len(ent.names) != 1:
                continue
            (name,) = ent.names
            base = strip_genitive(name)
            if base == name:
                continue
            bkey = name_key(base)
            target = next(
                (
                    e
                    for e in self.entities
                    if e is not ent and e.key == bkey and _compatible(e.label, ent.label)
                ),
                None,
            )
            if target is not None:
                target.label_votes.update(ent.label_votes)
                target.names[base] += ent.names[name]
                self.entities.remove(ent)
                moved[id(ent)] = target
        return moved

    def link(self, name: str, label: str, position: int) -> _Local:
        parts = [part_key(p) for p in name_parts(name)]
        key = "".join(parts)
        ent: _Local | None = None
        used = name
        if len(parts) > 1:
            ent = self._by_key(key, label)
            if ent is None:
                base = " ".join([*name.split()[:-1], strip_genitive(name.split()[-1])])
                if base != name:
                    ent = self._by_key(name_key(base), label)
                    used = base if ent else name
            if ent is None:
                # A fuller name for an entity first named by one part ("Putin" … "Wladimir Putin").
                for cand in reversed(self.entities):
                    if (
                        len(cand.parts) == 1
                        and cand.parts[0] in (parts[0], parts[-1])
                        and (_compatible(cand.label, label))
                    ):
                        ent, cand.key, cand.parts = cand, key, parts
                        break
        elif parts:
            ent = self._by_part(key, label) if label in ("PER", "MISC") else None
            ent = ent or self._by_key(key, label)
            if ent is None:
                base = strip_genitive(name)
                if base != name:
                    bkey = part_key(base)
                    ent = (self._by_part(bkey, label) if label in ("PER", "MISC") else None) or (
                        self._by_key(bkey, label)
                    )
                    used = base if ent else name
        if ent is None:
            ent = _Local(key=key, parts=parts)
            self.entities.append(ent)
        ent.label_votes[label] += 1
        ent.names[used] += 1
        ent.last_seen = position
        return ent


_ADJECTIVE = re.compile(r"[a-zäöüß-]+(?:e|en|er|es|em)")
# Past-tense verbs ("sagte", "reiste", "dauerte") look like adjectives in -e; role
# adjectives in -te are rare enough ("erste", "oberste") to give them up.
_VERB_LIKE = re.compile(r".*ten?")


def _description_before(sentence: str, offset: int) -> str | None:
    """Role words right before a name: "der stellvertretende US-Außenminister Kurt Campbell"."""
    words = _WORD.findall(sentence[:offset])
    if not words or not is_role_noun(words[-1]) or not words[-1][0].isupper():
        return None
    taken = [words[-1]]
    for w in reversed(words[:-1]):
        if w.lower() in _ARTICLES or len(taken) >= 5:
            break
        if w[0].islower() and _ADJECTIVE.fullmatch(w) and not _VERB_LIKE.fullmatch(w):
            taken.insert(0, w)
        elif w[0].isupper() and w.endswith("s") and len(taken) == 1:
            taken.insert(0, w)  # genitive: "Nordkoreas Führer"
        else:
            break
    return " ".join(taken)


def _description_after(sentence: str, offset: int) -> str | None:
    rest = sentence[offset:]
    if not rest.startswith(","):
        return None
    body = rest[1:]
    end = _APPOSITION_END.search(body)
    phrase = (body[: end.start()] if end else body).strip()
    words = phrase.split()
    if not words or len(words) > 14:
        return None
    had_article = words[0].lower() in _ARTICLES
    if had_article:
        words = words[1:]
    if not words or not any(is_role_noun(w.strip(".,")) for w in words[:4]):
        return None
    if words[0][0].islower() and not had_article:
        return None  # a verb or clause ("sagte er …"), not an apposition
    return " ".join(words)


def _sentence_at(sentences: list[Sentence], pos: int) -> Sentence | None:
    for s in sentences:
        if s.start <= pos < s.end:
            return s
    return None


def resolve_mentions(
    text: str, sentences: list[Sentence], mentions: list[Mention]
) -> tuple[list[Mention], list[Entity]]:
    """Link mentions to article-level entities; return mentions with entity ids and the entities."""
    resolver = _Resolver()
    links: list[_Local | None] = []
    for m in sorted(mentions, key=lambda m: m.start):
        name = _clean_name(m.text)
        if not name or not any(c.isalpha() for c in name):
            links.append(None)
            continue
        ent = resolver.link(name, m.label, m.start)
        links.append(ent)
        sent = _sentence_at(sentences, m.start)
        if sent is not None and "PER" in (ent.label, m.label):
            desc = _description_before(sent.text, m.start - sent.start) or _description_after(
                sent.text, m.end - sent.start
            )
            if desc and desc not in ent.descriptions:
                ent.descriptions.append(desc)
    moved = resolver.merge_genitives()
    links = [moved.get(id(link), link) if link is not None else None for link in links]
    ids: dict[int, str] = {}
    entities: list[Entity] = []
    for local in resolver.entities:
        label = local.label
        counts = local.names
        multi = [n for n in counts if len(n.split()) > 1]
        name = max(multi or list(counts), key=lambda n: (len(name_parts(n)), counts[n]))
        eid = entity_id(label, name_key(name))
        ids[id(local)] = eid
        aliases = sorted(n for n in counts if n != name)
        etype: EntityType = label  # type: ignore[assignment]
        entities.append(Entity(eid, name, etype, aliases, list(local.descriptions)))
    resolved = []
    for m, link in zip(sorted(mentions, key=lambda m: m.start), links, strict=True):
        resolved.append(replace(m, entity=ids[id(link)]) if link is not None else m)
    return resolved, entities
