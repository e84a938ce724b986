"""Echoes: articles that re-report another article of the same event.

Why these signals: an echo either says where it got the story ("told the Rheinische
Abendpost", "sagte … der BBC") or carries the other article's material: the same
speaker quoted, the same figures. Naming another outlet alone is not enough (outlets
cite each other's interviews in passing), so a named outlet must come with shared
material. Without a named outlet we do not call an article an echo: independent
reports of one event quote the same spokesman and give the same figures too. Only an
earlier (or same-day) article can be the source, and an
outlet never echoes itself. Syndicated copies are duplicates, not echoes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Protocol

from storyline.records import EchoEvidence
from storyline.store import Store
from storyline.store.stories import echo_material

_MIN_SHARED_FIGURES = 3


class _Member(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def outlet(self) -> str | None: ...
    @property
    def published(self) -> date | None: ...
    @property
    def duplicate_of(self) -> str | None: ...


def outlet_pattern(outlet: str) -> re.Pattern[str]:
    """The outlet's name in running text, inflected ("der Rheinischen Abendpost")."""
    words = [re.escape(w) for w in outlet.split()]
    body = r"\s+".join(w + r"(?:n|en|s|es)?" for w in words)
    return re.compile(rf"(?<![\w-]){body}(?![\w-])", re.IGNORECASE)


def find_echoes(
    store: Store, members: Sequence[_Member]
) -> dict[str, tuple[str | None, EchoEvidence | None]]:
    """For each member of one event: (the article it echoes, evidence), or (None, None)."""
    order = sorted(members, key=lambda m: (m.published or date.max, m.id))
    material = {m.id: echo_material(store, m.id) for m in order}
    out: dict[str, tuple[str | None, EchoEvidence | None]] = {m.id: (None, None) for m in order}
    for i, b in enumerate(order):
        if b.duplicate_of is not None:
            continue
        b_speakers, b_figures, b_text = material[b.id]
        best: tuple[int, str | None, EchoEvidence | None] = (0, None, None)
        for a in order[:i]:
            if a.duplicate_of is not None or not a.outlet or a.outlet == b.outlet:
                continue
            if a.published and b.published and a.published > b.published:
                continue
            a_speakers, a_figures, _ = material[a.id]
            named = bool(outlet_pattern(a.outlet).search(b_text))
            speakers = sorted(b_speakers & a_speakers)
            shared = sorted(b_figures & a_figures)
            figures = len(shared) >= _MIN_SHARED_FIGURES and len(shared) >= 0.6 * len(b_figures)
            strength = 2 * named + bool(speakers) + figures
            if named and (speakers or figures) and strength > best[0]:
                evidence: EchoEvidence = {
                    "names_outlet": a.outlet if named else None,
                    "same_speakers_quoted": speakers,
                    "shared_figures": shared,
                }
                best = (strength, a.id, evidence)
        if best[1] is not None:
            out[b.id] = (best[1], best[2])
    return out


def independent_sources(members: Sequence[_Member], echo_of: dict[str, str | None]) -> int:
    """Distinct origins behind the articles: copies and echoes count for their source."""
    by_id = {m.id: m for m in members}
    origins: set[str] = set()
    for m in members:
        seen, cur = set(), m
        while cur.id not in seen:
            seen.add(cur.id)
            up = cur.duplicate_of or echo_of.get(cur.id)
            if up is None or up not in by_id:
                break
            cur = by_id[up]
        origins.add(cur.outlet or cur.id)
    return len(origins)
