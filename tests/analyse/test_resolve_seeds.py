"""Issue 14 on the seed articles: every "Kim" goes to the right Kim, the issue's pairs
merge and its junk entities are gone.

Reads ../shared/seeds (skips with a message if absent) and never copies their text.
The Kim mentions are found by the analysis, not listed by offset; what each should
resolve to is derived from properties of the text a reader would check (see
:func:`_expected_kim`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.conftest import SEEDS

from storyline.analyse.model import Analysis
from storyline.analyse.names import name_key, name_parts, strip_titles
from storyline.analyse.run import analyze
from storyline.jobs.ingest import ingest
from storyline.settings import ENTITY_TAGGER
from storyline.store import Store
from storyline.store.analysis import list_entities

pytestmark = pytest.mark.seeds

LEADER = name_key("Kim Jong Un")
#: Words with which the seeds introduce a Kim who is not the leader: his father and his
#: sister (kin), and two vice ministers (office). A reader knows from them that these
#: Kims are named in passing, beside the leader the article is about.
_INTRODUCED_IN_PASSING = re.compile(r"Vater|Schwester|Bruder|Tochter|minister", re.IGNORECASE)


def _seeds() -> list[Path]:
    if not SEEDS.is_dir():
        pytest.skip(f"seed articles not found at {SEEDS} (they live in ../shared/seeds)")
    return sorted(SEEDS.glob("*.txt"))


@pytest.fixture(scope="module", params=["crf", "encoder"])
def analyses(request: pytest.FixtureRequest) -> Iterator[list[Analysis]]:
    """The seeds analysed with each entity tagger: resolution must hold for both."""
    paths = _seeds()
    saved = os.environ.get(ENTITY_TAGGER.env_var)
    os.environ[ENTITY_TAGGER.env_var] = request.param
    try:
        yield [analyze(p.read_text(encoding="utf-8")) for p in paths]
    finally:
        if saved is None:
            del os.environ[ENTITY_TAGGER.env_var]
        else:
            os.environ[ENTITY_TAGGER.env_var] = saved


def _sentence(a: Analysis, pos: int) -> str:
    return next(s.text for s in a.sentences if s.start <= pos < s.end)


def _expected_kim(a: Analysis, mention_text: str) -> str:
    """The name key the reader expects for one Kim mention.

    * A full name ("Kim Jong Un", "Kim Jong-il", "Kim Yo Jong") names that person.
    * A bare "Kim", "Herr Kim" or the genitive "Kims" names the North Korean leader
      Kim Jong Un. Why: each seed is about his meeting with Putin, and the test checks
      that the text says so (he is named in full in the first three sentences, more
      often than any other Kim); every other Kim is introduced in passing with a kin
      word or an office ("Kims Vater Kim Jong Il", "seine Schwester … Kim Yo Jong",
      "der stellvertretende Außenminister …, Kim Hong-kyun"), also checked below. A
      bare surname in running text then means the main Kim, as a reader reads it:
      "während Kim außer Landes ist" is the leader abroad, not his sister at home.
    """
    name = strip_titles(mention_text)
    if len(name_parts(name)) > 1:
        return name_key(name)
    return LEADER


def _full_kims(a: Analysis) -> list[tuple[str, int]]:
    return [
        (name_key(m.text), m.start)
        for m in a.mentions
        if m.label == "PER" and m.text.startswith("Kim") and len(name_parts(m.text)) > 1
    ]


def test_resolve_seeds_every_kim_resolves_to_the_right_kim(analyses: list[Analysis]) -> None:
    checked = []
    for a in analyses:
        names = {e.id: e.name for e in a.entities}
        full = _full_kims(a)
        bare = [m for m in a.mentions if m.label == "PER" and m.text in ("Kim", "Kims")]
        if bare:
            # The text's own support for reading a bare "Kim" as the leader:
            counts = {k: sum(1 for kk, _ in full if kk == k) for k, _ in full}
            assert counts.get(LEADER, 0) == max(counts.values()), counts
            lead = " ".join(s.text for s in a.sentences[:3])
            assert any(name_key(w) == LEADER for w in re.findall(r"Kim Jong[ -]Un", lead, re.I))
            for key, start in full:
                if key != LEADER:
                    assert _INTRODUCED_IN_PASSING.search(_sentence(a, start)), _sentence(a, start)
        for m in a.mentions:
            if m.label != "PER" or not any(w in ("Kim", "Kims") for w in m.text.split()):
                continue
            # A Kim glued to another name ("schickte Putin Kim") must have been split.
            assert m.text.startswith(("Kim", "Herr", "Herrn")), m.text
            got = name_key(names[m.entity or ""])
            want = _expected_kim(a, m.text)
            checked.append((m.text, names[m.entity or ""], _sentence(a, m.start)[:80]))
            assert got == want, (m.text, names[m.entity or ""], _sentence(a, m.start))
    bare_checked = [c for c in checked if len(name_parts(c[0])) == 1]
    # The seeds use the bare surname often (over 30 times); the analysis must find them.
    assert len(bare_checked) >= 30, checked


def test_resolve_seeds_kims_stay_apart(analyses: list[Analysis]) -> None:
    keys = {name_key(e.name) for a in analyses for e in a.entities if e.name.startswith("Kim ")}
    assert {LEADER, name_key("Kim Jong Il"), name_key("Kim Yo Jong")} <= keys


def test_resolve_seeds_no_description_of_another_person(analyses: list[Analysis]) -> None:
    for a in analyses:
        for e in a.entities:
            if name_key(e.name) == LEADER:
                # "als Präsident Kims verstorbenen Vater": the office is Putin's.
                assert "Präsident" not in e.descriptions, e.descriptions


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    _seeds()
    path = Path(tmp_path_factory.mktemp("seeds_resolve")) / "seeds.db"
    with Store(path) as store:
        report = ingest([str(SEEDS)], store)
        assert not report.errors
        yield store


def test_resolve_seeds_name_pairs_merge_across_the_store(seed_store: Store) -> None:
    entities = list_entities(seed_store)

    def owner(name: str) -> set[str]:
        key = name_key(name)
        return {
            e["id"] for e in entities if key in {name_key(n) for n in [e["name"], *e["aliases"]]}
        }

    for a, b in (("Südkorea", "Südkoreas"), ("USA", "Vereinigten Staaten")):
        assert owner(a) and owner(a) == owner(b), (a, b, owner(a), owner(b))
    kcna = owner("Korean Central News Agency")
    assert len(kcna) == 1
    assert not owner("KCNA") or owner("KCNA") == kcna
    assert len({e["id"] for e in entities if name_key(e["name"]) == name_key("TASS")}) <= 1


def test_resolve_seeds_junk_entities_are_gone(seed_store: Store) -> None:
    for e in list_entities(seed_store):
        # The examples: a common noun ("Brot und Salz"), a role with no person
        # ("Senior Fellow") and a fragment of "Carnegie Endowment for International Peace".
        assert e["name"] not in ("Salz", "Senior Fellow", "International Peace"), e
        if e["type"] == "PER":
            assert e["name"].split()[0] not in ("Herr", "Herrn", "Präsident"), e
