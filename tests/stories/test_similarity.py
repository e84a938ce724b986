"""Article similarity (storyline.stories.similarity): behaviour on hand-made German and
English articles, plus a quality gate on held-out SemEval-2022 task 8 pairs.

Every article text here was written for these tests; nothing is copied from ../shared.
The e5 model loads once per module (~1 s); each article costs ~0.2 s to embed.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

from storyline.stories.similarity import (
    ArticleEmbedding,
    EmbeddingIndex,
    embed_articles,
    score,
    similarity,
)

SEMEVAL = Path(__file__).resolve().parents[3] / "shared" / "bench" / "semeval2022-t8"

FERRY_DE_TITLE = "Fähre vor Helgoland auf Grund gelaufen"
FERRY_DE = (
    "Die Passagierfähre „Nordlicht“ ist am Dienstagmorgen vor Helgoland auf eine Sandbank "
    "gelaufen. Nach Angaben der Reederei Wattkurs waren 214 Fahrgäste und 12 "
    "Besatzungsmitglieder an Bord, verletzt wurde niemand. Zwei Seenotrettungskreuzer "
    "brachten die Passagiere nach Cuxhaven. Die Wasserschutzpolizei ermittelt, warum das "
    "Schiff bei ruhiger See von der Fahrrinne abkam. Kapitän Jens Ohlsen sprach von einem "
    "Ausfall der Steuerung."
)
FERRY_EN_TITLE = "Ferry runs aground off Heligoland"
FERRY_EN = (
    "The passenger ferry Nordlicht ran aground on a sandbank off Heligoland on Tuesday "
    "morning. According to the operator Wattkurs, 214 passengers and 12 crew members were "
    "on board and nobody was injured. Two lifeboats took the passengers to Cuxhaven. The "
    "water police are investigating why the ship left the channel in calm seas. Captain "
    "Jens Ohlsen spoke of a steering failure."
)
BUDGET_DE_TITLE = "Stadtrat von Lübeck beschließt Haushalt mit Rekordschulden"
BUDGET_DE = (
    "Der Lübecker Stadtrat hat am Donnerstagabend den Haushalt für das kommende Jahr "
    "verabschiedet. Die neuen Kredite summieren sich auf 96 Millionen Euro, so viel wie "
    "nie zuvor. Kämmerin Petra Sommerfeld verteidigte die Pläne mit steigenden Kosten für "
    "Schulen und Kitas. Die Opposition kritisierte fehlende Einsparungen bei der Verwaltung."
)
FERRY_DE_REWRITE_TITLE = "Sandbank vor Helgoland: „Nordlicht“ sitzt fest"
FERRY_DE_REWRITE = (
    "Auf einer Sandbank vor Helgoland ist am Dienstag die Fähre „Nordlicht“ festgelaufen. "
    "Alle 214 Passagiere und die zwölf Crewmitglieder blieben unverletzt, teilte das "
    "Unternehmen Wattkurs mit. Seenotretter holten die Fahrgäste ab und fuhren sie nach "
    "Cuxhaven. Warum das Schiff trotz ruhiger See die Fahrrinne verließ, untersucht nun die "
    "Wasserschutzpolizei; der Kapitän nannte eine defekte Steuerung als Ursache."
)
TENNIS_EN_TITLE = "Teenager wins first title at indoor tennis tournament in Rotterdam"
TENNIS_EN = (
    "A 19-year-old qualifier won her first professional title on Sunday, beating the "
    "second seed in three sets at the indoor tournament in Rotterdam. She saved four "
    "match points in the second set before taking the decider 6-2. Her coach said the "
    "win would lift her into the world's top 100 for the first time."
)


@pytest.fixture(scope="module")
def handmade() -> dict[str, ArticleEmbedding]:
    names = ["ferry_de", "ferry_en", "ferry_de_rewrite", "budget_de", "tennis_en"]
    texts = [FERRY_DE, FERRY_EN, FERRY_DE_REWRITE, BUDGET_DE, TENNIS_EN]
    titles = [
        FERRY_DE_TITLE,
        FERRY_EN_TITLE,
        FERRY_DE_REWRITE_TITLE,
        BUDGET_DE_TITLE,
        TENNIS_EN_TITLE,
    ]
    return dict(zip(names, embed_articles(texts, titles), strict=True))


def test_similarity_translation_beats_unrelated(handmade: dict[str, ArticleEmbedding]) -> None:
    translation = score(handmade["ferry_de"], handmade["ferry_en"])
    unrelated = [
        score(handmade["ferry_de"], handmade["budget_de"]),
        score(handmade["ferry_en"], handmade["tennis_en"]),
        score(handmade["budget_de"], handmade["tennis_en"]),
    ]
    assert translation > max(unrelated) + 0.3, (translation, unrelated)
    assert translation >= 0.7, translation


def test_similarity_translation_scores_like_german_rewrite(
    handmade: dict[str, ArticleEmbedding],
) -> None:
    """Same story: German rewrite and English translation both land high (measured 1.0 and
    0.80; the cross-lingual shift keeps the translation from falling to ~0.6)."""
    rewrite = score(handmade["ferry_de"], handmade["ferry_de_rewrite"])
    translation = score(handmade["ferry_de"], handmade["ferry_en"])
    cross_rewrite = score(handmade["ferry_en"], handmade["ferry_de_rewrite"])
    assert min(rewrite, translation, cross_rewrite) >= 0.7, (rewrite, translation, cross_rewrite)


def test_similarity_embeddings_are_normalised_float32(
    handmade: dict[str, ArticleEmbedding],
) -> None:
    for emb in handmade.values():
        assert emb.vector.dtype == np.float32
        assert emb.vector.shape == (384,)
        assert abs(float(np.linalg.norm(emb.vector)) - 1.0) < 1e-4
    assert handmade["ferry_de"].language == "de"
    assert handmade["ferry_en"].language == "en"


def test_similarity_identical_texts_score_one() -> None:
    assert similarity(FERRY_DE, FERRY_DE, title_a=FERRY_DE_TITLE, title_b=FERRY_DE_TITLE) > 0.99


def test_similarity_is_symmetric_and_in_unit_interval(
    handmade: dict[str, ArticleEmbedding],
) -> None:
    embs = list(handmade.values())
    for a in embs:
        for b in embs:
            s = score(a, b)
            assert 0.0 <= s <= 1.0
            assert s == pytest.approx(score(b, a), abs=1e-6)
    forward = similarity(BUDGET_DE, TENNIS_EN)
    backward = similarity(TENNIS_EN, BUDGET_DE)
    assert 0.0 <= forward <= 1.0
    assert forward == pytest.approx(backward, abs=1e-4)


def test_similarity_index_matches_pairwise_score(handmade: dict[str, ArticleEmbedding]) -> None:
    index = EmbeddingIndex()
    for emb in handmade.values():
        index.add(emb)
    query = handmade["ferry_en"]
    expected = [score(query, emb) for emb in handmade.values()]
    assert index.scores(query) == pytest.approx(expected, abs=1e-5)


def test_similarity_index_scores_10000_quickly() -> None:
    rng = np.random.default_rng(1)
    vectors = rng.standard_normal((10_001, 384)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    index = EmbeddingIndex()
    for i in range(10_000):
        index.add(ArticleEmbedding(vectors[i], "de"))
    index.matrix()
    started = time.perf_counter()
    scores = index.scores(ArticleEmbedding(vectors[10_000], "en"))
    assert time.perf_counter() - started < 0.5
    assert scores.shape == (10_000,)


#: Pearson on the 23 pairs with row % 6 == 0 (a subset of the bench's held-out part, never
#: used for fitting), measured 0.784 when this floor was set.
PEARSON_FLOOR = 0.75


def test_similarity_quality_gate_on_held_out_semeval_pairs() -> None:
    import csv

    path = SEMEVAL / "pairs-de-en.csv"
    if not path.exists():
        pytest.skip(f"SemEval-2022 task 8 pairs not found at {path} (they live in ../shared)")
    with path.open(encoding="utf-8", newline="") as fh:
        rows = [r for i, r in enumerate(csv.DictReader(fh)) if i % 6 == 0]
    texts = [r["text_1"] for r in rows] + [r["text_2"] for r in rows]
    langs: list[str | None] = [r["lang1"] for r in rows] + [r["lang2"] for r in rows]
    embs = embed_articles(texts, languages=langs)
    n = len(rows)
    predicted = np.array([score(embs[i], embs[n + i]) for i in range(n)])
    gold = -np.array([float(r["Overall"]) for r in rows])
    pearson = float(np.corrcoef(predicted, gold)[0, 1])
    assert pearson >= PEARSON_FLOOR, f"Pearson {pearson:.3f} on {n} held-out pairs"
