"""`storyline report`: exit codes, stdout, -o files."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

from click.testing import Result

from storyline.store import Store

Cli = Callable[..., Result]


def _story(db: Path) -> str:
    with Store(db) as store:
        return str(store.conn.execute("SELECT id FROM stories ORDER BY id").fetchone()[0])


def test_report_cli_markdown_to_stdout(cli: Cli, examples_db: Path) -> None:
    result = cli("report", _story(examples_db)[:6], "--db", examples_db)
    assert result.exit_code == 0, (result.output, result.exception)
    assert result.stdout.startswith("# Lagebild: ")
    assert "## Zusammenfassung" in result.stdout and "![" not in result.stdout


def test_report_cli_html_to_file(cli: Cli, examples_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "briefing.html"
    result = cli("report", _story(examples_db), "--format", "html", "--lang", "en",
                 "-o", out, "--db", examples_db)  # fmt: skip
    assert result.exit_code == 0, (result.output, result.exception)
    assert result.stdout == ""
    assert str(out) in result.stderr
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and '<html lang="en">' in html


def test_report_cli_markdown_file_with_chart(cli: Cli, examples_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "lage.md"
    result = cli("report", _story(examples_db), "-o", out, "--db", examples_db)
    assert result.exit_code == 0, (result.output, result.exception)
    svg = tmp_path / "lage.timeline.svg"
    assert svg.is_file()
    ET.parse(svg)
    assert "](lage.timeline.svg)" in out.read_text(encoding="utf-8")


def test_report_cli_event_id(cli: Cli, examples_db: Path) -> None:
    with Store(examples_db) as store:
        event = str(store.conn.execute("SELECT id FROM events ORDER BY id").fetchone()[0])
    result = cli("report", event, "--db", examples_db)
    assert result.exit_code == 0, (result.output, result.exception)
    assert "Ereignis" in result.stdout


def test_report_cli_errors(cli: Cli, examples_db: Path, tmp_path: Path) -> None:
    missing = cli("report", "s-ffffffffffff", "--db", examples_db)
    assert missing.exit_code == 1 and "error:" in missing.stderr
    assert cli("report", "zz", "--db", examples_db).exit_code == 1
    no_db = cli("report", "s-1234", "--db", tmp_path / "none.db")
    assert no_db.exit_code == 1, no_db.output
    bad_dir = cli(
        "report", _story(examples_db), "-o", tmp_path / "no" / "x.md", "--db", examples_db
    )
    assert bad_dir.exit_code == 1 and "error:" in bad_dir.stderr
    assert cli("report", _story(examples_db), "--format", "pdf", "--db", examples_db).exit_code == 2
    assert cli("report", _story(examples_db), "--lang", "fr", "--db", examples_db).exit_code == 2
    assert cli("report", "--db", examples_db).exit_code == 2


def test_report_cli_help_has_an_example(cli: Cli) -> None:
    result = cli("report", "-h")
    assert result.exit_code == 0 and "Example" in result.output and "--format" in result.output
