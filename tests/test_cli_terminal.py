"""Terminal output of article-controlled text carries no escape sequences or controls."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.cli import main
from storyline.cli.common import for_terminal

CLEAR = "\x1b[2J\x1b[H"
TITLE = "\x1b]0;owned\x07"  # sets the window title
RED = "\x1b[31m"
C1_CSI = "\x9b31m"  # the 8-bit form of ESC [
HOSTILE = f"Hafen{CLEAR} streikt{TITLE} wieder{RED} rot{C1_CSI} \x08\x07\r"
# Our own styling (bold, colours) is allowed; any other control character is not.
OWN_STYLE = re.compile(r"\x1b\[[0-9;]*m")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def run(*args: str | Path) -> Result:
    """The CLI as a colour terminal sees it (click strips nothing)."""
    result = CliRunner().invoke(main, [str(a) for a in args], color=True)
    assert result.exit_code in (0, 1), (result.output, result.exception)
    return result


def leftover(output: str) -> list[str]:
    """Control characters in ``output`` that are not our own colour codes."""
    return CONTROL.findall(OWN_STYLE.sub("", output))


@pytest.fixture
def store_with_escapes(tmp_path: Path) -> tuple[Path, str]:
    record = {
        "title": f"Streik im Hafen {CLEAR}{TITLE}",
        "outlet": f"Hafenblatt{RED}{C1_CSI}",
        "published": "2024-05-07",
        "text": (
            f"Die Hafenarbeiter in Bremen streiken seit Dienstag.{CLEAR} Anna Keller sagte: "
            f"„Wir bleiben hier.“{TITLE}\n\nDer Streik betrifft 1.200 Beschäftigte{RED}."
        ),
    }
    path = tmp_path / "feed.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    db = tmp_path / "t.db"
    result = run("ingest", path, "--db", db, "--no-stories", "--no-progress", "--json")
    (article_id,) = json.loads(result.stdout)["stored"]
    return db, article_id


def test_terminal_helper_removes_sequences_and_controls() -> None:
    assert for_terminal(HOSTILE) == "Hafen streikt wieder rot "
    assert (
        for_terminal("Zeile eins\n\tZeile zwei: Grüße 😀") == "Zeile eins\n\tZeile zwei: Grüße 😀"
    )
    assert for_terminal({"t": [f"a{RED}b", (f"c{TITLE}",)], "n": 3}) == {
        "t": ["ab", ("c",)],
        "n": 3,
    }


def test_terminal_helper_unterminated_sequence_keeps_the_text_after_it() -> None:
    assert for_terminal("\x1b]0;" + "Text " * 300) == "0;" + "Text " * 300


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from([*"ab ;[]0\n\t", "\x1b", "\x07", "\x9b", "\x9c", "\x90"])))
def test_terminal_helper_leaves_no_control_characters(text: str) -> None:
    out = for_terminal(text)
    assert not CONTROL.search(out)
    assert for_terminal(out) == out


@pytest.mark.parametrize("command", ["list", "show", "quotes", "entities", "status"])
def test_terminal_commands_print_no_escape_sequences(
    store_with_escapes: tuple[Path, str], command: str
) -> None:
    db, article_id = store_with_escapes
    args: list[Any] = [command, "--db", db]
    if command == "show":
        args.insert(1, article_id)
    result = run(*args)
    assert not leftover(result.output), repr(result.output)
    if command in ("list", "show"):
        assert "Streik im Hafen" in result.output


def test_terminal_json_output_escapes_every_control(store_with_escapes: tuple[Path, str]) -> None:
    db, article_id = store_with_escapes
    result = run("show", article_id, "--db", db, "--json")
    assert not CONTROL.search(result.stdout.replace("\n", ""))
    assert "\\u001b" in result.stdout and "\\u009b" in result.stdout
    assert json.loads(result.stdout)["title"] == f"Streik im Hafen {CLEAR}{TITLE}"


def test_terminal_clean_command_output_is_safe(tmp_path: Path) -> None:
    path = tmp_path / "seite.txt"
    path.write_text(
        f"Streik im Hafen{CLEAR}\n\nDie Hafenarbeiter streiken seit Dienstag.{TITLE}\n\n"
        + "Der Hafen bleibt geschlossen, Schiffe warten auf der Reede. " * 20,
        encoding="utf-8",
    )
    result = run("clean", path)
    assert "Streik im Hafen" in result.output and not leftover(result.output)


def test_terminal_error_names_are_safe(tmp_path: Path) -> None:
    folder = tmp_path / "stapel"
    folder.mkdir()
    (folder / f"leer{CLEAR}.txt").write_bytes(b"")
    result = run("ingest", folder, "--db", tmp_path / "t.db", "--no-progress", "--no-stories")
    assert result.exit_code == 1
    assert "leer[2J[H.txt" not in result.output  # the sequence is gone, not half-shown
    assert "leer.txt: is empty" in result.output
    assert not leftover(result.output)
