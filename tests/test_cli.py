"""The real `storyline` command line, run in-process on temporary files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from storyline.store import Store

Cli = Callable[..., Result]
Write = Callable[[str, "str | bytes"], Path]


@pytest.fixture
def pile(tmp_path: Path, write: Write, make_article: Callable[..., str]) -> Path:
    write("pile/a.txt", make_article(0, before=["Teilen"]))
    write("pile/b.txt", make_article(4, after=["Leave a reply"]))
    return tmp_path / "pile"


def ok(result: Result, code: int = 0) -> Result:
    assert result.exit_code == code, (result.exit_code, result.output, result.exception)
    return result


def ingest_json(cli: Cli, *args: Any) -> dict[str, Any]:
    result = cli("ingest", *args, "--json", "--no-progress")
    assert result.exit_code in (0, 1), (result.output, result.exception)
    return json.loads(result.stdout)


# -- help -----------------------------------------------------------------------------------


def test_cli_top_level_help(cli: Cli) -> None:
    result = ok(cli("-h"))
    assert "Example" in result.output
    for command in ("ingest", "list", "show", "export", "clean", "status", "settings"):
        assert command in result.output


def test_cli_every_subcommand_help_has_an_example(cli: Cli) -> None:
    from storyline.cli import main

    assert len(main.commands) >= 7
    for name in main.commands:
        result = ok(cli(name, "-h"))
        assert "Example" in result.output, name
        assert "--help" in result.output or "-h" in result.output


def test_cli_version(cli: Cli) -> None:
    from storyline import __version__

    assert __version__ in ok(cli("--version")).output


# -- usage errors exit 2 ----------------------------------------------------------------------


def test_cli_unknown_option_is_usage_error(cli: Cli, pile: Path, db_path: Path) -> None:
    result = cli("ingest", pile, "--db", db_path, "--schnell")
    assert result.exit_code == 2
    assert "--schnell" in result.output
    assert not db_path.exists()


def test_cli_unknown_command_is_usage_error(cli: Cli) -> None:
    assert cli("zusammenfassen").exit_code == 2


def test_cli_invalid_published_is_usage_error(cli: Cli, pile: Path, db_path: Path) -> None:
    result = cli("ingest", pile, "--db", db_path, "--published", "gestern")
    assert result.exit_code == 2
    assert "gestern" in result.output
    assert not db_path.exists()


def test_cli_ingest_without_paths_is_usage_error(cli: Cli, db_path: Path) -> None:
    assert cli("ingest", "--db", db_path).exit_code == 2


def test_cli_batch_size_zero_is_usage_error(cli: Cli, pile: Path, db_path: Path) -> None:
    assert cli("ingest", pile, "--db", db_path, "--batch-size", "0").exit_code == 2


# -- ingest: good and bad inputs ----------------------------------------------------------------


def test_cli_ingest_stores_and_reports(cli: Cli, pile: Path, db_path: Path) -> None:
    result = ok(cli("ingest", pile, "--db", db_path, "--no-progress"))
    assert "2 stored" in result.stdout
    assert "0 failed" in result.stdout
    with Store(db_path) as store:
        assert store.count() == 2


def test_cli_ingest_json_report(cli: Cli, pile: Path, db_path: Path) -> None:
    data = ingest_json(cli, pile, "--db", db_path)
    assert len(data["stored"]) == 2
    assert data["errors"] == []
    assert data["articles_in_store"] == 2


BAD_INPUTS: dict[str, tuple[str, bytes]] = {
    "binary": ("bild.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x03\x20\x00\x00"),
    "zero-bytes": ("leer.txt", b""),
    "whitespace": ("luft.txt", b"  \n\n\t  \n"),
    "undecodable": ("kaputt.txt", b"Hallo \x81\x8d\x8f\x90\x9d Welt\n" * 10),
    "invalid-json": ("kaputt.json", b'[{"title": "Bericht", "text": "Der Rat tagte."'),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_cli_ingest_bad_file_exits_1_and_stores_the_rest(
    case: str, cli: Cli, pile: Path, write: Write, db_path: Path
) -> None:
    name, content = BAD_INPUTS[case]
    bad = write(f"pile/{name}", content)
    result = cli("ingest", pile, "--db", db_path, "--no-progress")
    assert result.exit_code == 1
    assert f"error: {bad}: " in result.stderr
    assert "2 stored" in result.stdout and "1 failed" in result.stdout
    with Store(db_path) as store:
        assert store.count() == 2


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_cli_ingest_bad_file_json_errors(
    case: str, cli: Cli, pile: Path, write: Write, db_path: Path
) -> None:
    name, content = BAD_INPUTS[case]
    bad = write(f"pile/{name}", content)
    data = ingest_json(cli, pile, "--db", db_path)
    assert len(data["stored"]) == 2
    (err,) = data["errors"]
    assert err["source"] == str(bad)
    assert err["reason"] and err["error"] != "input_error"


def test_cli_ingest_file_over_limit_option(
    cli: Cli, pile: Path, write: Write, db_path: Path
) -> None:
    big = write("pile/gross.txt", "Titel\n" + "Ein langer Satz über den Rat. " * 100)
    result = cli("ingest", pile, "--db", db_path, "--no-progress", "--max-file-bytes", "1000")
    assert result.exit_code == 1
    assert f"error: {big}: is " in result.stderr and "over the limit" in result.stderr
    assert "2 stored" in result.stdout


def test_cli_ingest_file_over_limit_environment(
    cli: Cli, pile: Path, write: Write, db_path: Path
) -> None:
    big = write("pile/gross.txt", "Titel\n" + "Ein langer Satz über den Rat. " * 100)
    result = cli(
        "ingest", pile, "--db", db_path, "--no-progress", env={"STORYLINE_MAX_FILE_BYTES": "1000"}
    )
    assert result.exit_code == 1
    assert f"error: {big}: " in result.stderr


def test_cli_ingest_jsonl_bad_lines_named_with_line_numbers(
    cli: Cli, write: Write, db_path: Path
) -> None:
    feed = write(
        "feed.jsonl",
        "\n".join(
            [
                json.dumps(
                    {"title": "Erster Bericht", "text": "Die Feuerwehr löschte einen Brand."}
                ),
                "{kaputt",
                json.dumps({"title": "Ohne Text"}),
                json.dumps({"title": "Zweiter Bericht", "text": "Der Bürgermeister dankte allen."}),
            ]
        )
        + "\n",
    )
    result = cli("ingest", feed, "--db", db_path, "--no-progress")
    assert result.exit_code == 1
    assert f"error: {feed}:2: " in result.stderr
    assert f"error: {feed}:3: " in result.stderr
    assert "2 stored" in result.stdout and "2 failed" in result.stdout


def test_cli_ingest_nonexistent_path(cli: Cli, pile: Path, tmp_path: Path, db_path: Path) -> None:
    missing = tmp_path / "fehlt" / "nirgends.txt"
    result = cli("ingest", pile, missing, "--db", db_path, "--no-progress")
    assert result.exit_code == 1
    assert f"error: {missing}: does not exist" in result.stderr
    assert "2 stored" in result.stdout


def test_cli_ingest_stdin(cli: Cli, db_path: Path, make_article: Callable[..., str]) -> None:
    result = cli(
        "ingest",
        "-",
        "--db",
        db_path,
        "--no-progress",
        "--url",
        "https://www.taz.de/artikel/1",
        input=make_article(2).encode(),
    )
    ok(result)
    with Store(db_path) as store:
        (art,) = list(store.iter_articles())
    assert art["outlet"] == "taz"
    assert art["source"] == "https://www.taz.de/artikel/1"


def test_cli_ingest_hint_options(cli: Cli, pile: Path, db_path: Path) -> None:
    ok(
        cli(
            "ingest",
            pile,
            "--db",
            db_path,
            "--no-progress",
            "--outlet",
            "Stadtkurier",
            "--published",
            "17.06.2024",
            "--lang",
            "de",
        )
    )
    with Store(db_path) as store:
        for art in store.iter_articles():
            assert (art["outlet"], art["published"], art["lang"]) == (
                "Stadtkurier",
                "2024-06-17",
                "de",
            )


def test_cli_ingest_twice_stores_nothing_new(cli: Cli, pile: Path, db_path: Path) -> None:
    ok(cli("ingest", pile, "--db", db_path, "--no-progress"))
    second = ok(cli("ingest", pile, "--db", db_path, "--no-progress"))
    assert "0 stored" in second.stdout
    assert "2 already in the store" in second.stdout
    data = ingest_json(cli, pile, "--db", db_path)
    assert data["stored"] == [] and len(data["unchanged"]) == 2


PROMO = "Mehr aus der Region lesen Sie täglich im Stadtkurier."


def test_cli_repeated_outlet_line_removed_in_fourth_article(
    cli: Cli, write: Write, tmp_path: Path, db_path: Path, make_article: Callable[..., str]
) -> None:
    for i in range(4):
        write(f"kurier/{i}.txt", make_article(i, after=[PROMO]))
    ok(
        cli(
            "ingest",
            tmp_path / "kurier",
            "--db",
            db_path,
            "--no-progress",
            "--outlet",
            "Stadtkurier",
        )
    )
    with Store(db_path) as store:
        arts = list(store.iter_articles())
    assert [PROMO in a["text"] for a in arts] == [True, True, True, False]
    assert {"line": PROMO, "reason": "repeated-boilerplate"}.items() <= next(
        r for r in arts[3]["removed"] if r["line"] == PROMO
    ).items()


def test_cli_repeated_line_with_outlet_from_metadata(
    cli: Cli, write: Write, db_path: Path, article_parts: list[tuple[str, list[str]]]
) -> None:
    records = [
        {"title": title, "text": "\n".join([*body, PROMO]), "outlet": "Stadtkurier"}
        for title, body in article_parts[:4]
    ]
    feed = write("feed.jsonl", "\n".join(json.dumps(r, ensure_ascii=False) for r in records))
    ok(cli("ingest", feed, "--db", db_path, "--no-progress"))
    with Store(db_path) as store:
        arts = list(store.iter_articles())
    assert [PROMO in a["text"] for a in arts] == [True, True, True, False]


# -- store problems exit 1 ---------------------------------------------------------------------


@pytest.mark.sqlite_only("a file that is not SQLite")
def test_cli_non_sqlite_db_is_a_clear_error(cli: Cli, pile: Path, tmp_path: Path) -> None:
    bogus = tmp_path / "notizen.db"
    bogus.write_text("Einkaufsliste: Brot, Milch, Käse\n" * 100)
    for args in (("ingest", pile, "--no-progress"), ("list",), ("status",), ("export",)):
        result = cli(*args, "--db", bogus)
        assert result.exit_code == 1, args
        assert f"error: {bogus} is not a usable storyline store" in result.stderr
        assert "Traceback" not in result.output
    assert bogus.read_text().startswith("Einkaufsliste")


@pytest.mark.sqlite_only("a file that is not SQLite")
def test_cli_non_sqlite_db_json_error(cli: Cli, pile: Path, tmp_path: Path) -> None:
    bogus = tmp_path / "notizen.db"
    bogus.write_bytes(b"kein sqlite " * 200)
    result = cli("ingest", pile, "--db", bogus, "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["error"] == "store_error"


def test_cli_newer_schema_is_a_clear_error(cli: Cli, db_path: Path) -> None:
    Store(db_path).close()
    with Store(db_path) as store:
        store.conn.execute("INSERT INTO schema_migrations VALUES (999, 'neu', 'jetzt')")
    result = cli("status", "--db", db_path, "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["error"] == "schema_error" and "999" in data["message"]


def test_cli_missing_store_for_reading(cli: Cli, tmp_path: Path) -> None:
    missing = tmp_path / "fehlt.db"
    result = cli("list", "--db", missing)
    assert result.exit_code == 1
    assert "no store at" in result.stderr
    assert not missing.exists()


# -- reading commands ----------------------------------------------------------------------------


@pytest.fixture
def filled_db(cli: Cli, pile: Path, db_path: Path) -> Path:
    ok(cli("ingest", pile, "--db", db_path, "--no-progress"))
    return db_path


def test_cli_list_json(cli: Cli, filled_db: Path) -> None:
    rows = json.loads(ok(cli("list", "--db", filled_db, "--json")).stdout)
    assert {r["title"] for r in rows} == {
        "Stadtrat beschließt neuen Haushalt",
        "Harbour authority sets new rules for ships",
    }
    assert {"id", "title", "outlet", "lang", "published", "duplicate_of"} <= set(rows[0])
    en = json.loads(ok(cli("list", "--db", filled_db, "--json", "--lang", "en")).stdout)
    assert [r["lang"] for r in en] == ["en"]
    hits = json.loads(ok(cli("list", "--db", filled_db, "--json", "-q", "Kämmerer")).stdout)
    assert [r["lang"] for r in hits] == ["de"]


def test_cli_list_text(cli: Cli, filled_db: Path) -> None:
    result = ok(cli("list", "--db", filled_db))
    assert "Stadtrat beschließt neuen Haushalt" in result.stdout
    assert "2 article(s)" in result.stderr


@pytest.mark.sqlite_only("FTS5's query syntax; PostgreSQL's web-search syntax takes any text")
def test_cli_list_bad_query_exits_1(cli: Cli, filled_db: Path) -> None:
    result = cli("list", "--db", filled_db, "-q", '"offen')
    assert result.exit_code == 1
    assert "error:" in result.stderr


def test_cli_show_by_prefix(cli: Cli, filled_db: Path) -> None:
    rows = json.loads(ok(cli("list", "--db", filled_db, "--json")).stdout)
    art_id = next(r["id"] for r in rows if r["lang"] == "de")
    art = json.loads(ok(cli("show", art_id[:6], "--db", filled_db, "--json")).stdout)
    assert art["id"] == art_id
    assert art["title"] == "Stadtrat beschließt neuen Haushalt"
    assert {"line": "Teilen", "reason": "share-bar", "position": 1} in art["removed"]
    text = ok(cli("show", art_id, "--db", filled_db)).stdout
    assert "Der Stadtrat hat am Dienstag" in text
    assert "[share-bar] Teilen" in text
    hidden = ok(cli("show", art_id, "--db", filled_db, "--no-removed")).stdout
    assert "[share-bar]" not in hidden


def test_cli_show_unknown_id_exits_1(cli: Cli, filled_db: Path) -> None:
    result = cli("show", "ffffffff", "--db", filled_db)
    assert result.exit_code == 1
    assert "no article with id 'ffffffff'" in result.stderr
    data = json.loads(cli("show", "ffffffff", "--db", filled_db, "--json").stdout)
    assert data["error"] == "not_found"
    assert cli("show", "ab", "--db", filled_db).exit_code == 1


def test_cli_status_json(cli: Cli, filled_db: Path) -> None:
    data = json.loads(ok(cli("status", "--db", filled_db, "--json")).stdout)
    assert data["articles"] == 2
    assert data["schema_version"] >= 1
    assert data["migrations"][0]["version"] == 1
    assert sum(data["outlets"].values()) == 2


def test_cli_export_to_file_and_stdout(cli: Cli, filled_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "export.json"
    result = ok(cli("export", "--db", filled_db, "-o", out))
    assert "2 articles written" in result.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["schema"] == "storyline.export/1" and len(data["articles"]) == 2
    assert not Path(str(out) + ".part").exists()
    lines = ok(cli("export", "--db", filled_db, "--format", "jsonl")).stdout.splitlines()
    assert json.loads(lines[0])["schema"] == "storyline.export/1"
    kinds = [json.loads(line)["record"] for line in lines[1:]]
    assert kinds.count("article") == 2
    assert {"event", "story"} <= set(kinds)


def test_cli_export_into_missing_folder_is_a_clear_error(
    cli: Cli, filled_db: Path, tmp_path: Path
) -> None:
    result = cli("export", "--db", filled_db, "-o", tmp_path / "fehlt" / "export.json")
    assert result.exit_code == 1
    assert "error:" in result.stderr
    assert not isinstance(result.exception, OSError)


@pytest.mark.sqlite_only("a SQLite file in a folder that is not there")
def test_cli_db_in_missing_folder_is_a_store_error(cli: Cli, pile: Path, tmp_path: Path) -> None:
    result = cli("ingest", pile, "--db", tmp_path / "fehlt" / "x.db", "--no-progress")
    assert result.exit_code == 1
    assert "is not a usable storyline store" in result.stderr


def test_cli_exported_file_reingests(cli: Cli, filled_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "export.json"
    ok(cli("export", "--db", filled_db, "-o", out))
    fresh = tmp_path / "neu.db"
    data = ingest_json(cli, out, "--db", fresh)
    assert data["errors"] == [] and data["articles_in_store"] == 2


# -- clean and settings -----------------------------------------------------------------------


def test_cli_clean_json(cli: Cli, write: Write, make_article: Callable[..., str]) -> None:
    path = write(
        "a.txt",
        make_article(1, before=["Stand: 04.03.2025, 14:10 Uhr"], after=["Quelle: Stadtkurier"]),
    )
    data = json.loads(ok(cli("clean", path, "--json")).stdout)
    assert data["title"] == "Feuerwehr löscht Brand in der Altstadt"
    assert data["outlet"] == "Stadtkurier"
    assert data["published"] == "2025-03-04"
    assert data["language"] == "de"
    assert {r["reason"] for r in data["removed"]} == {"dateline", "source-line"}
    assert "Stand:" not in data["text"]


def test_cli_clean_text_output(cli: Cli, write: Write, make_article: Callable[..., str]) -> None:
    path = write("a.txt", make_article(1, before=["Teilen"]))
    out = ok(cli("clean", path)).stdout
    assert "- [share-bar] Teilen" in out
    assert "Feuerwehr löscht Brand" in out


def test_cli_clean_binary_file_exits_1(cli: Cli, write: Write) -> None:
    path = write("bild.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00")
    result = cli("clean", path)
    assert result.exit_code == 1
    assert f"error: {path}: looks like a binary file" in result.stderr


def test_cli_clean_missing_file_is_usage_error(cli: Cli, tmp_path: Path) -> None:
    assert cli("clean", tmp_path / "fehlt.txt").exit_code == 2


def test_cli_clean_malformed_url_is_not_a_crash(
    cli: Cli, write: Write, make_article: Callable[..., str]
) -> None:
    path = write("a.txt", make_article(1))
    result = cli("clean", path, "--url", "http://[kaputt")
    assert result.exit_code in (0, 1)
    assert not isinstance(result.exception, ValueError)


def test_cli_settings_lists_every_setting(cli: Cli) -> None:
    from storyline.settings import SETTINGS

    out = ok(cli("settings")).stdout
    for s in SETTINGS:
        assert s.name in out and s.env_var in out
    md = ok(cli("settings", "--markdown")).stdout
    assert md.startswith("# Settings") and "| name |" in md


def test_cli_settings_say_where_each_value_comes_from(cli: Cli, tmp_path: Path) -> None:
    toml = tmp_path / "team.toml"
    toml.write_text('batch_size = 3\nprofile = "fast"\n')
    env = {"STORYLINE_BATCH_SIZE": "5"}
    out = ok(cli("--config", str(toml), "settings", "--json", env=env)).stdout
    rows = {r["name"]: r for r in json.loads(out)}
    assert (rows["batch_size"]["value"], rows["batch_size"]["source"]) == (5, "environment")
    assert (rows["profile"]["value"], rows["profile"]["source"]) == ("fast", "file")
    assert rows["db"]["source"] == "default"
    bad = cli("--config", str(tmp_path / "missing.toml"), "settings")
    assert bad.exit_code == 1 and "missing.toml" in bad.output


def test_cli_settings_shows_environment_values(cli: Cli) -> None:
    out = ok(cli("settings", env={"STORYLINE_REPEAT_MIN_ARTICLES": "9"})).stdout
    line = next(x for x in out.splitlines() if x.startswith("repeat_min_articles"))
    assert " 9 " in f"{line} "


def test_cli_invalid_setting_in_environment_is_a_clear_error() -> None:
    env = {**os.environ, "STORYLINE_BATCH_SIZE": "viele"}
    proc = subprocess.run(
        [sys.executable, "-c", "from storyline.cli import main; main()", "settings"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert "Traceback" not in proc.stderr
    assert proc.returncode == 1
    assert "STORYLINE_BATCH_SIZE" in proc.stderr


def test_cli_stories_story_event_timeline(cli: Cli, examples_copy: Path) -> None:
    stories = json.loads(ok(cli("stories", "--db", examples_copy, "--json")).stdout)
    assert [s["events"] for s in stories] == [3, 2]
    assert stories[0]["articles"] == 9 and stories[0]["languages"] == ["de", "en"]
    story = stories[0]["id"]
    text = ok(cli("story", story[:6], "--db", examples_copy)).stdout
    assert "Events:" in text and "independent source" in text and "Timeline:" in text
    record = json.loads(ok(cli("story", story, "--db", examples_copy, "--json", "--log")).stdout)
    assert len(record["event_details"]) == 3 and record["timeline"] and record["log"]
    event = record["events"][0]
    shown = json.loads(ok(cli("event", event, "--db", examples_copy, "--json")).stdout)
    assert shown["independent_sources"] == 2 and len(shown["article_details"]) == 3
    assert "echoes" in ok(cli("event", event, "--db", examples_copy)).stdout
    entries = json.loads(ok(cli("timeline", story, "--db", examples_copy, "--json")).stdout)
    assert entries == record["timeline"]


def test_cli_unknown_story_is_an_error(cli: Cli, examples_copy: Path) -> None:
    result = cli("story", "s-nichtda", "--db", examples_copy, "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["error"] == "not_found"
    assert cli("timeline", "--db", examples_copy).exit_code == 2


def test_cli_recluster_keeps_the_grouping(cli: Cli, examples_copy: Path) -> None:
    before = json.loads(ok(cli("stories", "--db", examples_copy, "--json")).stdout)
    report = json.loads(ok(cli("recluster", "--db", examples_copy, "--json")).stdout)
    assert report["events"] == 5 and report["stories"] == 2
    assert json.loads(ok(cli("stories", "--db", examples_copy, "--json")).stdout) == before


def test_cli_ingest_without_stories(cli: Cli, tmp_path: Path, write: Callable[..., Path]) -> None:
    path = write(
        "a.txt", "Titel\n\nDer Stadtrat tagte am Dienstag in Bonn und beschloss den Haushalt."
    )
    result = json.loads(
        ok(cli("ingest", path, "--db", tmp_path / "s.db", "--no-stories", "--json")).stdout
    )
    assert result["stories"] is None
    assert json.loads(ok(cli("stories", "--db", tmp_path / "s.db", "--json")).stdout) == []
