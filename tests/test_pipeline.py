"""Pipeline wiring: a stage that lacks its inputs fails at build time, by name."""

from __future__ import annotations

import hashlib

import pytest

from storyline.api import clean_text, extract_html
from storyline.clean import clean_stages
from storyline.config import defaults
from storyline.errors import FormatError, PipelineError
from storyline.jobs.pipeline import build_pipeline
from storyline.model import Document, Hints
from storyline.pipeline import INPUT_FIELDS, Pipeline, Stage, stage


def noop(doc: Document) -> None:
    return None


def test_pipeline_missing_requirement_names_stage_and_field() -> None:
    needs_outlet = Stage("zusammenfassung", frozenset({"outlet", "text"}), frozenset(), noop)
    with pytest.raises(PipelineError) as info:
        Pipeline([needs_outlet])
    message = str(info.value)
    assert "zusammenfassung" in message
    assert "outlet" in message and "text" in message
    assert "source" not in message.split("requires")[1]  # only the missing fields are named


def test_pipeline_stage_placed_before_its_feeder_fails() -> None:
    feeder = stage("feeder", requires={"raw_text"}, assigns={"summary"})(noop)
    eater = stage("eater", requires={"summary"}, assigns=set())(noop)
    Pipeline([feeder, eater])  # right order builds
    with pytest.raises(PipelineError, match=r"'eater'.*summary"):
        Pipeline([eater, feeder])


def test_pipeline_reordered_clean_stages_fail_to_build() -> None:
    stages = clean_stages(defaults())
    with pytest.raises(PipelineError):
        Pipeline(list(reversed(stages)))


def test_pipeline_provided_fields_can_be_given() -> None:
    eater = stage("eater", requires={"summary"}, assigns=set())(noop)
    pipe = Pipeline([eater], provided={"summary"})
    assert pipe.names == ["eater"]


def test_pipeline_build_pipeline_builds_and_assigns_everything_stored() -> None:
    pipe = build_pipeline()
    assert pipe.names[0] == "extract"
    assert {"junk", "outlet", "published", "language", "identify"} <= set(pipe.names)
    for field in (
        "title",
        "text",
        "removed",
        "outlet",
        "lang",
        "published",
        "id",
        "text_hash",
        "repairs",
    ):
        assert field in pipe.assigns
    assert pipe.assigns >= INPUT_FIELDS


def test_pipeline_stages_run_in_order() -> None:
    calls: list[str] = []
    first = stage("first", requires=set(), assigns={"a"})(lambda d: calls.append("first"))
    second = stage("second", requires={"a"}, assigns=set())(lambda d: calls.append("second"))
    doc = Document("x", "0" * 64)
    assert Pipeline([first, second])(doc) is doc
    assert calls == ["first", "second"]


def doc_of(text: str, **hints: str) -> Document:
    data = text.encode()
    return Document("t.txt", hashlib.sha256(data).hexdigest(), Hints(**hints), raw_text=text)


TEXT = (
    "Stadtrat beschließt Haushalt\nTeilen\n"
    "Der Stadtrat hat am Dienstag den Haushalt für das nächste Jahr beschlossen.\n"
    "Die Opposition kritisierte die Ausgaben.\n"
)


def test_pipeline_fills_the_document() -> None:
    doc = build_pipeline()(doc_of(TEXT))
    assert doc.title == "Stadtrat beschließt Haushalt"
    assert doc.text == (
        "Der Stadtrat hat am Dienstag den Haushalt für das nächste Jahr "
        "beschlossen.\n\nDie Opposition kritisierte die Ausgaben."
    )
    assert [(r.position, r.reason) for r in doc.removed] == [(1, "share-bar")]
    assert doc.lang == "de"
    assert doc.id is not None and len(doc.id) == 16
    assert doc.text_hash is not None and len(doc.text_hash) == 64


def test_pipeline_id_ignores_spacing_and_case_but_not_words() -> None:
    a = build_pipeline()(doc_of(TEXT))
    b = build_pipeline()(
        doc_of(TEXT.replace("\n", " \n").replace("Stadtrat", "STADTRAT").replace(" ", "  "))
    )
    c = build_pipeline()(doc_of(TEXT.replace("Dienstag", "Mittwoch")))
    assert a.id == b.id != c.id


def test_pipeline_same_text_other_junk_same_text_hash() -> None:
    a = build_pipeline()(doc_of(TEXT))
    b = build_pipeline()(doc_of(TEXT + "Kommentar schreiben\n"))
    assert a.id != b.id
    assert a.text_hash == b.text_hash


def test_pipeline_empty_text_is_a_format_error() -> None:
    with pytest.raises(FormatError, match=r"t\.txt"):
        build_pipeline()(doc_of("\n  \n\n"))


def test_pipeline_nothing_left_is_a_format_error() -> None:
    with pytest.raises(FormatError, match="nothing is left"):
        build_pipeline()(doc_of("Teilen\nDrucken\nKommentar schreiben\n"))


def test_pipeline_clean_text_api() -> None:
    r = clean_text(TEXT, url="https://www.taz.de/x", published="17.06.2024")
    assert r.title == "Stadtrat beschließt Haushalt"
    assert r.outlet == "taz"
    assert r.published == "2024-06-17" and r.published_source == "metadata"
    assert r.language == "de"
    assert r.removed == [{"line": "Teilen", "reason": "share-bar", "position": 1}]


HTML = """<!DOCTYPE html><html lang="de"><head><title>Hafen: Neue Regeln | Stadtkurier</title>
<meta property="og:site_name" content="Stadtkurier">
<meta property="article:published_time" content="2024-06-17T08:00:00+02:00">
</head><body><nav><a href="/">Startseite</a></nav><article>
<h1>Hafen bekommt neue Regeln</h1>
<p>Die Hafenbehörde hat am Montag neue Regeln für Containerschiffe erlassen, die ab dem
kommenden Jahr gelten sollen. Die Reedereien reagierten zurückhaltend.</p>
<p>Ein Sprecher der Behörde sagte, man habe die Regeln lange mit den Unternehmen beraten und
rechne nicht mit größeren Verzögerungen im Hafenbetrieb.</p>
<p>Teilen</p>
</article><footer>© 2024 Stadtkurier</footer></body></html>"""


def test_pipeline_extract_html_api() -> None:
    r = extract_html(HTML, url="https://www.stadtkurier.example/hafen")
    assert r.title == "Hafen bekommt neue Regeln"
    assert "neue Regeln für Containerschiffe" in r.text
    assert "Teilen" not in r.text.split("\n")
    assert r.outlet == "Stadtkurier"
    assert r.published == "2024-06-17" and r.published_source == "metadata"
    assert r.language == "de"


def test_pipeline_html_without_article_text_is_a_format_error() -> None:
    with pytest.raises(FormatError, match=r"https://x\.example/"):
        extract_html("<html><body><nav>Startseite</nav></body></html>", url="https://x.example/")
    with pytest.raises(FormatError, match="no recognisable article text"):
        extract_html("<html><body></body></html>", url="https://x.example/")
