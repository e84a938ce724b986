"""What the analysis finds in an article. Spans are character offsets into the text.

These objects are shared by the analysers (sentences, entities, quotes,
dates, figures), the store and the export, so all interfaces show the same
shapes. Every object has ``to_dict()`` giving its export form.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

EntityType = Literal["PER", "ORG", "LOC", "MISC"]
Precision = Literal["day", "month", "year", "decade", "range", "time"]


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Mention:
    """A named-entity mention; ``entity`` is the resolved entity id (or None)."""

    start: int
    end: int
    text: str
    label: EntityType
    entity: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Entity:
    """A person, organisation, place or other named thing, with its name variants."""

    id: str
    name: str
    type: EntityType
    aliases: list[str] = field(default_factory=list)
    descriptions: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Quote:
    """Direct or indirect speech with its speaker (an entity id when resolved)."""

    start: int
    end: int
    text: str
    kind: Literal["direct", "indirect"]
    speaker: str | None
    speaker_name: str | None
    cue: str | None
    speaker_start: int | None = None
    speaker_end: int | None = None
    via: str | None = None  # reporting chain as the text gives it ("dem US-Partner CBS der BBC")
    #: how sure the learned tagger is (0 to 1); None from the rules
    confidence: float | None = None
    #: "person", "organisation" or "document" (a report, proverb, medium); None when unknown
    speaker_kind: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class DateMention:
    """A temporal expression resolved to the calendar.

    ``value`` is ISO: "2024-06-18" (day), "2024-06" (month), "2024" (year),
    "2024-06-18/2024-06-19" (range). ``precision`` says which.
    """

    start: int
    end: int
    text: str
    value: str
    precision: Precision

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Quantity:
    """A figure: normalised value, unit, what is counted and any hedge ("rund", "bis zu")."""

    start: int
    end: int
    text: str
    value: float
    unit: str | None
    counted: str | None
    hedge: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Analysis:
    """Everything :func:`storyline.analyze` finds in one text."""

    text: str
    lang: str | None
    published: str | None
    published_inferred: tuple[str, float, str] | None = None
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    #: What was changed or cut before analysing (a lone surrogate replaced, a text cut to
    #: the analysers' limits), one description each; empty for ordinary text.
    repairs: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "lang": self.lang,
            "published": self.published,
            "published_inferred": (
                None
                if self.published_inferred is None
                else dict(
                    zip(("value", "confidence", "evidence"), self.published_inferred, strict=True)
                )
            ),
            "sentences": [s.to_dict() for s in self.sentences],
            "mentions": [m.to_dict() for m in self.mentions],
            "entities": [e.to_dict() for e in self.entities],
            "quotes": [q.to_dict() for q in self.quotes],
            "dates": [d.to_dict() for d in self.dates],
            "quantities": [q.to_dict() for q in self.quantities],
            "repairs": list(self.repairs),
        }


def _inferred_dict(inferred: tuple[str, float, str] | None) -> dict[str, Any] | None:
    if inferred is None:
        return None
    value, confidence, evidence = inferred
    return {"value": value, "confidence": confidence, "evidence": evidence}
