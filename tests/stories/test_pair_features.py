"""The learned similarity's feature code (storyline.stories.profile, pair_features) on
small hand-written inputs: windows, name keys, overlaps, the feature vector and the
shipped model's file. No model runs here except in the last test (one e5 batch).

Every text here was written for these tests; nothing is copied from ../shared.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from storyline.analyse.model import Analysis, DateMention, Entity, Quantity
from storyline.stories.pair_features import (
    FEATURES,
    Model,
    features,
    learned_score,
    set_overlap,
    shipped_model,
)
from storyline.stories.profile import (
    MAX_WINDOWS,
    WINDOW_CHARS,
    Profile,
    build,
    facts,
    name_key,
    profiles,
    windows,
)

DIM = 384


def _unit(seed: int) -> np.ndarray:
    v = np.random.default_rng(seed).standard_normal(DIM).astype(np.float32)
    return v / np.linalg.norm(v)


def _profile(lead: int, wins: list[int], **sets: object) -> Profile:
    return Profile(
        lead=_unit(lead),
        windows=np.vstack([_unit(w) for w in wins]),
        **sets,  # type: ignore[arg-type]
    )


def test_windows_keep_whole_sentences_up_to_the_size() -> None:
    sentence = "Die Fähre lief vor Helgoland auf eine Sandbank. "
    text = sentence * 30
    spans = [(i * len(sentence), (i + 1) * len(sentence) - 1) for i in range(30)]
    out = windows(text, spans)
    assert len(out) > 1
    assert all(w.endswith("Sandbank.") for w in out)
    assert all(len(w) <= WINDOW_CHARS for w in out)
    assert " ".join(out) == " ".join(text.split())


def test_windows_long_sentence_alone_and_at_most_max_windows() -> None:
    long = "x" * (WINDOW_CHARS * 2) + "."
    assert windows(long, [(0, len(long))]) == [long]
    sentence = "a" * (WINDOW_CHARS - 10) + "."
    text = " ".join([sentence] * (MAX_WINDOWS + 5))
    spans = [
        (i * (len(sentence) + 1), i * (len(sentence) + 1) + len(sentence))
        for i in range(MAX_WINDOWS + 5)
    ]
    assert len(windows(text, spans)) == MAX_WINDOWS
    assert windows("Nur ein Satz ohne Grenzen", []) == ["Nur ein Satz ohne Grenzen"]


def test_name_key_folds_case_accents_and_punctuation() -> None:
    assert name_key("Gütersloh") == name_key("GUTERSLOH") == "gutersloh"
    assert name_key("Nordrhein-Westfalen") == "nordrhein westfalen"
    assert name_key("  Olaf   Scholz ") == "olaf scholz"


def test_set_overlap_is_symmetric_and_bounded() -> None:
    assert set_overlap({"a", "b"}, {"a", "b"}) == 1.0
    assert set_overlap({"a"}, set()) == 0.0
    assert set_overlap({"a", "b", "c", "d"}, {"a"}) == pytest.approx(0.5)
    assert set_overlap({"a", "x"}, {"a", "y", "z"}) == set_overlap({"a", "y", "z"}, {"a", "x"})


def test_facts_take_names_days_years_and_figures_from_the_analysis() -> None:
    analysis = Analysis(
        text="",
        lang="de",
        published=None,
        entities=[
            Entity("e1", "Jens Ohlsen", "PER", aliases=["Ohlsen"]),
            Entity("e2", "Helgoland", "LOC"),
            Entity("e3", "Wattkurs", "ORG"),
            Entity("e4", "X", "LOC"),  # too short to compare
        ],
        dates=[
            DateMention(0, 5, "4. März 2025", "2025-03-04", "day"),
            DateMention(0, 5, "im Mai", "2025-05", "month"),
        ],
        quantities=[
            Quantity(0, 3, "214 Fahrgäste", 214.0, None, "Fahrgäste"),
            Quantity(0, 3, "zwei", 2.0, None, None),  # too small to tell events apart
            Quantity(0, 3, "96 Millionen Euro", 96e6, "EUR", None),
        ],
    )
    f = facts(analysis)
    assert f.people == {"jens ohlsen", "ohlsen"}
    assert f.surnames == {"ohlsen"}
    assert f.places == {"helgoland"}
    assert f.organisations == {"wattkurs"}
    assert f.days == {"2025-03-04"}
    assert f.years == {2025}
    assert f.figures == {"214", "9.6e+07 EUR"}
    prof = build(analysis, _unit(1), np.vstack([_unit(2), _unit(3)]), published=date(2025, 3, 4))
    assert prof.windows.shape == (2, DIM) and prof.language == "de"


def test_features_are_symmetric_and_named() -> None:
    a = _profile(
        1,
        [1, 2, 3],
        places=frozenset({"hamburg"}),
        people=frozenset({"helga marquardt"}),
        language="de",
        years=frozenset({2025}),
        figures=frozenset({"71.4"}),
    )
    b = _profile(
        4,
        [5, 2],
        places=frozenset({"hamburg", "bremen"}),
        language="en",
        surnames=frozenset({"marquardt"}),
        years=frozenset({2020}),
    )
    fa, fb = features(a, b), features(b, a)
    assert fa.shape == (len(FEATURES),)
    assert fa == pytest.approx(fb)
    named = dict(zip(FEATURES, fa, strict=True))
    assert named["window_best"] == pytest.approx(1.0, abs=1e-5)  # window 2 on both sides
    assert named["cross_lingual"] == 1.0
    assert named["places"] == pytest.approx(1 / np.sqrt(2))
    assert named["year_gap"] == 5.0
    assert named["figures"] == 0.0
    assert named["no_names"] == 0.0


def test_identical_profiles_have_full_overlaps() -> None:
    a = _profile(
        1,
        [2, 3],
        places=frozenset({"kiel"}),
        organisations=frozenset({"ghl"}),
        days=frozenset({"2025-03-04"}),
    )
    named = dict(zip(FEATURES, features(a, a), strict=True))
    for name in ("cos_lead", "cos_windows", "window_first", "window_best", "window_align"):
        assert named[name] == pytest.approx(1.0, abs=1e-5)
    assert named["places"] == named["organisations"] == named["days"] == 1.0
    assert named["people"] == 0.0 and named["cross_lingual"] == 0.0


def test_model_round_trips_and_clips() -> None:
    model = shipped_model()
    again = Model.from_json(model.to_json())
    x = np.vstack([np.full(len(FEATURES), 0.5), np.full(len(FEATURES), 5.0)])
    assert again.predict(x) == pytest.approx(model.predict(x))
    assert ((model.predict(x) >= 0) & (model.predict(x) <= 1)).all()
    assert model.card["pairs_trained"] > 0 and "held_out" in model.card
    bad = model.to_json() | {"features": ["cos_lead"]}
    with pytest.raises(ValueError):
        Model.from_json(bad)


def test_learned_score_translation_beats_unrelated() -> None:
    title_de = "Fähre vor Helgoland auf Grund gelaufen"
    ferry_de = (
        "Die Passagierfähre „Nordlicht“ ist am Dienstagmorgen vor Helgoland auf eine Sandbank "
        "gelaufen. Nach Angaben der Reederei Wattkurs waren 214 Fahrgäste an Bord. Kapitän "
        "Jens Ohlsen sprach von einem Ausfall der Steuerung."
    )
    title_en = "Ferry runs aground off Heligoland"
    ferry_en = (
        "The passenger ferry Nordlicht ran aground on a sandbank off Heligoland on Tuesday "
        "morning. According to the operator Wattkurs, 214 passengers were on board. Captain "
        "Jens Ohlsen spoke of a steering failure."
    )
    budget = (
        "Der Lübecker Stadtrat hat am Donnerstagabend den Haushalt verabschiedet. Die neuen "
        "Kredite summieren sich auf 96 Millionen Euro. Kämmerin Petra Sommerfeld verteidigte "
        "die Pläne."
    )
    de, en, other = profiles(
        [ferry_de, ferry_en, budget], [title_de, title_en, None], languages=["de", "en", "de"]
    )
    assert learned_score(de, en) >= 0.7
    assert learned_score(de, en) > learned_score(de, other) + 0.3
    assert learned_score(de, en) == pytest.approx(learned_score(en, de))
