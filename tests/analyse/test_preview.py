"""Preview and forecast cues, and the own-text date of a preview (issue 16)."""

from __future__ import annotations

from storyline.analyse.dates import infer_published
from storyline.analyse.preview import is_forecast_sentence, is_preview_sentence


def test_preview_cues_in_five_languages() -> None:
    assert is_preview_sentence("Der Minister reist bald nach Lissabon.", "de")
    assert is_preview_sentence("Das Treffen soll am 4. März stattfinden.", "de")
    assert is_preview_sentence("The minister will visit Lisbon next week.", "en")
    assert is_preview_sentence("Le ministre se rendra à Lisbonne la semaine prochaine.", "fr")
    assert is_preview_sentence("Il ministro si recherà a Lisbona la prossima settimana.", "it")
    assert is_preview_sentence("El ministro viajará a Lisboa la próxima semana.", "es")
    assert not is_preview_sentence("Der Minister besuchte Lissabon am Montag.", "de")
    assert not is_preview_sentence("The minister visited Lisbon on Monday.", "en")


def test_forecast_cues() -> None:
    assert is_forecast_sentence("We won't wait until 2027 to act, she said.", "en")
    assert is_forecast_sentence("Bis 2030 soll der Anteil auf die Hälfte steigen.", "de")
    assert is_forecast_sentence("The ministry forecasts growth of 2 percent in 2026.", "en")
    assert not is_forecast_sentence("The bridge opened in 2019.", "en")


def test_an_announced_date_bounds_the_article_from_above() -> None:
    found = infer_published(
        "Der Gipfel in Rom soll am 12. März 2031 stattfinden. Das teilte die Regierung "
        "am Montag mit.",
        [],
        "de",
    )
    assert found is not None
    assert found[0] < "2031-03-12"
    assert found[0] == "2031-03-10"  # the Monday before
