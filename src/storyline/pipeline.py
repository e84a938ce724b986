"""Stages and the pipeline that runs them.

Each stage declares the document fields it ``requires`` and the ones it
``assigns`` (the idea of spaCy's component metadata). :class:`Pipeline`
checks the wiring when it is built, so a stage placed before the one that
feeds it fails at start-up with a clear message instead of producing empty
fields in the store.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from storyline.errors import PipelineError
from storyline.model import Document

#: Fields a reader fills in before any stage runs.
INPUT_FIELDS = frozenset({"source", "byte_hash", "hints", "html", "raw_text"})


@dataclass(frozen=True)
class Stage:
    name: str
    requires: frozenset[str]
    assigns: frozenset[str]
    run: Callable[[Document], None]

    def __call__(self, doc: Document) -> None:
        self.run(doc)


def stage(
    name: str, *, requires: Iterable[str], assigns: Iterable[str]
) -> Callable[[Callable[[Document], None]], Stage]:
    """Decorator that turns a function of a document into a declared stage."""

    def wrap(fn: Callable[[Document], None]) -> Stage:
        return Stage(name, frozenset(requires), frozenset(assigns), fn)

    return wrap


def check_stage(name: str, requires: Iterable[str], provided: Iterable[str]) -> None:
    """Refuse a stage whose inputs nothing before it assigns (also for store-level steps,
    like grouping into events, that run over stored articles after a batch)."""
    missing = set(requires) - set(provided)
    if missing:
        raise PipelineError(
            f"stage {name!r} requires {sorted(missing)}, which no earlier stage assigns",
            hint="reorder the stages or add the stage that assigns them",
        )


class Pipeline:
    """An ordered list of stages whose requirements are checked at build time."""

    def __init__(self, stages: Sequence[Stage], provided: Iterable[str] = INPUT_FIELDS) -> None:
        available = set(provided)
        for st in stages:
            check_stage(st.name, st.requires, available)
            available |= st.assigns
        self.stages = tuple(stages)
        self.assigns = frozenset(available)

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.stages]

    def __call__(self, doc: Document) -> Document:
        for st in self.stages:
            st(doc)
        return doc
