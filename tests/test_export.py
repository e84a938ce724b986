"""Exports: the named schema, the article keys, and a round trip back into a store."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from storyline.export import EXPORT_SCHEMA, write_export
from storyline.jobs.ingest import ingest
from storyline.model import Hints
from storyline.store import SCHEMA_VERSION, Store

Write = Callable[[str, "str | bytes"], Path]
ARTICLE_KEYS = {
    "id",
    "source",
    "title",
    "outlet",
    "outlet_evidence",
    "lang",
    "published",
    "published_source",
    "text",
    "removed",
    "duplicate_of",
}


@pytest.fixture
def filled(tmp_path: Path, write: Write, make_article: Callable[..., str], store: Store) -> Store:
    for i in range(4):
        write(f"pile/{i}.txt", make_article(i, before=["Teilen"], after=["Kommentar schreiben"]))
    write("pile/dup.txt", make_article(0, after=["Drucken"]))
    report = ingest([str(tmp_path / "pile")], store, Hints(outlet="Stadtkurier"))
    assert len(report.stored) == 5 and len(report.duplicates) == 1
    return store


def export(store: Store, fmt: str) -> str:
    out = io.StringIO()
    n = write_export(store, out, fmt)
    assert n == store.count()
    return out.getvalue()


def test_export_json_has_schema_and_article_keys(filled: Store) -> None:
    data = json.loads(export(filled, "json"))
    assert data["schema"] == EXPORT_SCHEMA == "storyline.export/1"
    assert data["store_schema_version"] == SCHEMA_VERSION
    assert data["article_count"] == 5
    assert data["generated_at"]
    assert len(data["articles"]) == 5
    for art in data["articles"]:
        assert set(art) >= ARTICLE_KEYS, ARTICLE_KEYS - set(art)
        assert art["outlet"] == "Stadtkurier"
        assert art["outlet_evidence"] == {"method": "metadata", "detail": "Stadtkurier"}
        assert isinstance(art["removed"], list) and art["removed"]
        for removed in art["removed"]:
            assert {"line", "reason"} <= set(removed)
            assert removed["line"] not in art["text"].split("\n\n")
    dups = [a for a in data["articles"] if a["duplicate_of"]]
    assert len(dups) == 1
    assert dups[0]["duplicate_of"] in {a["id"] for a in data["articles"]}


def test_export_json_removed_lines_carry_reasons(filled: Store) -> None:
    data = json.loads(export(filled, "json"))
    first = data["articles"][0]
    assert {"line": "Teilen", "reason": "share-bar", "position": 1} in first["removed"]
    assert any(r["reason"] == "comment-form" for r in first["removed"])


def test_export_jsonl_first_line_is_the_header(filled: Store) -> None:
    lines = export(filled, "jsonl").splitlines()
    header = json.loads(lines[0])
    assert header["schema"] == "storyline.export/1"
    assert header["article_count"] == 5
    assert "articles" not in header
    records = [json.loads(line) for line in lines[1:]]
    articles = [r for r in records if r["record"] == "article"]
    assert len(articles) == 5
    assert all(set(r) >= ARTICLE_KEYS for r in articles)
    # after the articles come the analysis records, each typed
    kinds = [r["record"] for r in records]
    assert kinds[:5] == ["article"] * 5
    assert set(kinds[5:]) <= {
        "entity", "mention", "quote", "date", "quantity", "event", "story", "timeline_entry",
        "claim",
    }


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_export_empty_store_is_valid(store: Store, fmt: str) -> None:
    text = export(store, fmt)
    if fmt == "json":
        data = json.loads(text)
        assert data["articles"] == [] and data["article_count"] == 0
    else:
        (line,) = text.splitlines()
        assert json.loads(line)["article_count"] == 0


def test_export_unknown_format(store: Store) -> None:
    with pytest.raises(ValueError, match="xml"):
        write_export(store, io.StringIO(), "xml")


def test_export_keeps_non_ascii_readable(filled: Store) -> None:
    assert "Straßenbau" in export(filled, "json")


def reingest(tmp_path: Path, text: str, name: str) -> tuple[Any, int, list[dict[str, Any]]]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with Store(tmp_path / f"{name}.db") as fresh:
        report = ingest([str(path)], fresh)
        return report, fresh.count(), list(fresh.iter_articles())


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_export_can_be_reingested(filled: Store, tmp_path: Path, fmt: str) -> None:
    original = {a["id"]: a for a in filled.iter_articles()}
    report, count, articles = reingest(tmp_path, export(filled, fmt), f"export.{fmt}")
    assert report.ok, [str(e) for e in report.errors]
    assert count == len(original)
    # every article comes back under its id, with its title, outlet, language and clean text
    for art in articles:
        before = original[art["id"]]
        assert art["title"] == before["title"]
        assert art["text"] == before["text"]
        assert art["outlet"] == before["outlet"]
        assert art["lang"] == before["lang"]
    assert {a["id"] for a in articles} == set(original)


def test_export_without_duplicates_reingests_to_same_count(
    store: Store, tmp_path: Path, write: Write, make_article: Callable[..., str]
) -> None:
    for i in range(6):
        write(f"pile/{i}.txt", make_article(i, after=["Teilen"]))
    ingest([str(tmp_path / "pile")], store)
    report, count, _ = reingest(tmp_path, export(store, "json"), "export.json")
    assert count == store.count() == 6
    assert len(report.stored) == 6


def test_export_with_duplicates_reingests_to_same_count(filled: Store, tmp_path: Path) -> None:
    _, count, _ = reingest(tmp_path, export(filled, "json"), "export.json")
    assert count == filled.count()


def test_export_json_has_analysis_sections_linked_to_articles(filled: Store) -> None:
    data = json.loads(export(filled, "json"))
    ids = {a["id"] for a in data["articles"]}
    for section in ("entities", "mentions", "quotes", "dates", "quantities"):
        assert isinstance(data[section], list)
    entity_ids = {e["id"] for e in data["entities"]}
    for m in data["mentions"]:
        assert m["article"] in ids
        assert m["entity"] is None or m["entity"] in entity_ids
        text = next(a["text"] for a in data["articles"] if a["id"] == m["article"])
        assert text[m["start"] : m["end"]] == m["text"]
    for q in data["quotes"]:
        assert q["kind"] in ("direct", "indirect") and q["article"] in ids
