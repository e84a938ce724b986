"""The learned junk line classifier beside the phrase list (issue 16)."""

from __future__ import annotations

import numpy as np

from storyline import clean_text
from storyline.clean.junk_model import FEATURES, feature_matrix, junk_scores, shipped_model
from storyline.ingest.extract import link_densities


def test_junk_model_is_shipped_and_matches_its_features() -> None:
    model = shipped_model()
    assert model is not None
    assert model.weights.shape == (len(FEATURES),) and 0.5 <= model.threshold < 1.0


def test_junk_model_features_one_row_per_line() -> None:
    lines = ["Jetzt den Newsletter abonnieren!", "Der Rat tagte am Montag.", "Menü"]
    x = feature_matrix(lines, [0, 0, 5], [1.0, None, 1.0])
    assert x.shape == (3, len(FEATURES))
    assert np.isfinite(x).all()
    assert x[2, FEATURES.index("outlet_repeats")] > 0
    assert x[1, FEATURES.index("has_links")] == 0.0


def test_junk_model_scores_calls_and_menus_above_sentences() -> None:
    lines = [
        "Gemeinderat beschließt neues Parkkonzept für die Altstadt",
        "Der Gemeinderat von Lindenfeld hat am Montagabend mit großer Mehrheit ein neues "
        "Parkkonzept für die Altstadt beschlossen, das ab dem Frühjahr gelten soll.",
        "Anwohner erhalten künftig vergünstigte Parkausweise, Besucher zahlen mehr.",
        "Zum Newsletter anmelden",
    ]
    scores = junk_scores(lines, None, [None, 0.0, 0.0, 1.0])
    assert scores[3] > scores[1] and scores[3] > scores[2]


def test_junk_model_reason_carries_the_score() -> None:
    text = "\n\n".join(
        [
            "Gemeinderat beschließt neues Parkkonzept",
            "Der Gemeinderat von Lindenfeld hat am Montagabend mit großer Mehrheit ein neues "
            "Parkkonzept für die Altstadt beschlossen, das ab dem Frühjahr gelten soll.",
            "Anwohner erhalten künftig vergünstigte Parkausweise. Besucher zahlen dagegen "
            "mehr als bisher, sagte die Bürgermeisterin.",
            "Jetzt Stromtarife vergleichen und sparen!",
            "Mehr lesen...",
        ]
    )
    result = clean_text(text)
    reasons = [r["reason"] for r in result.removed]
    model = [r for r in reasons if r.startswith("junk-model p=")]
    assert model, reasons
    assert all(0.5 <= float(r.split("=")[1]) <= 1.0 for r in model)
    assert "Parkausweise" in result.text


def test_link_densities_measure_link_text_per_block() -> None:
    html = (
        "<html><body><p>Der Rat tagte am Montag lange.</p>"
        "<p><a href='/a'>Mehr zum Thema</a></p>"
        "<li>Lesen Sie <a href='/b'>hier weiter</a></li></body></html>"
    )
    found = link_densities(html)
    assert found["Der Rat tagte am Montag lange."] == 0.0
    assert found["Mehr zum Thema"] == 1.0
    assert 0.3 < found["Lesen Sie hier weiter"] < 1.0
