"""The ingest job: bad inputs reported by name, good ones stored, batches committed whole."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from storyline.config import defaults
from storyline.errors import (
    BinaryInputError,
    ConfigError,
    DecodeError,
    EmptyInputError,
    FormatError,
    InputError,
    InputTooLargeError,
)
from storyline.jobs.ingest import ingest
from storyline.model import Hints
from storyline.store import Store

Write = Callable[[str, "str | bytes"], Path]
MakeArticle = Callable[..., str]


def fails_on_call(
    method: Callable[..., None], n: int, error: BaseException | type[BaseException]
) -> Callable[..., None]:
    """`method` that raises `error` on its n-th call instead of running (a crash or a bug
    at a chosen point of an ingest)."""
    calls = 0

    def wrapped(self: Store, *args: object, **kw: object) -> None:
        nonlocal calls
        calls += 1
        if calls == n:
            raise error
        method(self, *args, **kw)

    return wrapped


@pytest.fixture
def pile(tmp_path: Path, write: Write, make_article: MakeArticle) -> Path:
    """A folder with two good articles."""
    write("pile/a.txt", make_article(0))
    write("pile/b.txt", make_article(1))
    return tmp_path / "pile"


def run(store: Store, *paths: Path | str, **kw: object) -> object:
    return ingest([str(p) for p in paths], store, **kw)  # type: ignore[arg-type]


def sources_of(store: Store) -> set[str]:
    return {s["source"] for a in store.iter_articles() for s in a["sources"]}


# -- bad inputs next to good ones -----------------------------------------------------

BAD_FILES: dict[str, tuple[str, bytes, type[InputError]]] = {
    "binary": (
        "bild.txt",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x02\x00",
        BinaryInputError,
    ),
    "zero-bytes": ("leer.txt", b"", EmptyInputError),
    "whitespace": ("luft.txt", b" \n\t\n   \n", EmptyInputError),
    "undecodable": ("kaputt.txt", b"Hallo \x81\x8d\x8f\x90\x9d Welt\n" * 8, DecodeError),
    "invalid-json": ("kaputt.json", b'{"title": "Bericht", "text": ', FormatError),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_job_bad_file_is_reported_and_good_ones_stored(
    case: str, pile: Path, write: Write, store: Store
) -> None:
    name, content, error = BAD_FILES[case]
    bad = write(f"pile/{name}", content)
    report = run(store, pile)
    assert len(report.stored) == 2
    assert store.count() == 2
    (err,) = report.errors
    assert isinstance(err, error)
    assert err.source == str(bad)
    assert str(bad) in str(err)
    assert not report.ok


def test_job_file_over_size_limit_via_argument(pile: Path, write: Write, store: Store) -> None:
    big = write("pile/gross.txt", "Titel\n" + "Ein langer Satz über den Stadtrat. " * 100)
    report = run(store, pile, max_bytes=1000)
    assert len(report.stored) == 2
    (err,) = report.errors
    assert isinstance(err, InputTooLargeError) and err.source == str(big)


def test_job_file_over_size_limit_from_the_settings(
    pile: Path, write: Write, db_path: Path
) -> None:
    big = write("pile/gross.txt", "Titel\n" + "Ein langer Satz über den Stadtrat. " * 100)
    with Store(db_path, config=defaults().replace(max_file_bytes=1000)) as store:
        report = run(store, pile)
    assert len(report.stored) == 2
    (err,) = report.errors
    assert isinstance(err, InputTooLargeError) and err.source == str(big)


def test_job_nonexistent_path_is_reported(pile: Path, tmp_path: Path, store: Store) -> None:
    missing = tmp_path / "gibt-es-nicht.txt"
    report = run(store, missing, pile)
    assert len(report.stored) == 2
    (err,) = report.errors
    assert err.source == str(missing) and "does not exist" in str(err)


def test_job_jsonl_with_bad_lines_between_good_records(write: Write, store: Store) -> None:
    lines = [
        json.dumps({"title": "Erster Bericht", "text": "Die Feuerwehr löschte einen Brand."}),
        "{das ist kein json",
        json.dumps({"title": "Ohne Text", "url": "https://taz.de/x"}),
        json.dumps({"title": "Zweiter Bericht", "text": "Der Bürgermeister dankte allen."}),
    ]
    feed = write("feed.jsonl", "\n".join(lines) + "\n")
    report = run(store, feed)
    assert len(report.stored) == 2
    assert [e.source for e in report.errors] == [f"{feed}:2", f"{feed}:3"]
    assert all(isinstance(e, FormatError) for e in report.errors)
    assert {a["title"] for a in store.iter_articles()} == {"Erster Bericht", "Zweiter Bericht"}


def test_job_errors_are_recorded_in_the_store(pile: Path, write: Write, store: Store) -> None:
    write("pile/leer.txt", b"")
    report = run(store, pile)
    rows = store.conn.execute(
        "SELECT source, kind FROM ingest_errors WHERE run_id=?", (report.run_id,)
    ).fetchall()
    assert [(r[0], r[1]) for r in rows] == [(str(pile / "leer.txt"), "empty_input")]
    run_row = store.conn.execute(
        "SELECT status, stored, failed, finished_at FROM ingest_runs WHERE id=?", (report.run_id,)
    ).fetchone()
    assert (run_row[0], run_row[1], run_row[2]) == ("partial", 2, 1)
    assert run_row[3] is not None


def test_job_article_that_is_all_junk_is_a_format_error(write: Write, store: Store) -> None:
    junk = write("junk.txt", "Teilen\nDrucken\nKommentar schreiben\n")
    report = run(store, junk)
    (err,) = report.errors
    assert isinstance(err, FormatError) and err.source == str(junk)
    assert store.count() == 0


def test_job_report_to_dict_is_json(pile: Path, write: Write, store: Store) -> None:
    write("pile/leer.txt", b"")
    data = run(store, pile).to_dict()
    json.dumps(data)
    assert len(data["stored"]) == 2
    assert data["errors"][0]["error"] == "empty_input"
    assert data["errors"][0]["source"].endswith("leer.txt")


# -- idempotence, provenance, duplicates ---------------------------------------------


def test_job_ingesting_twice_adds_nothing(pile: Path, store: Store) -> None:
    first = run(store, pile)
    second = run(store, pile)
    assert len(first.stored) == 2 and first.ok
    assert second.stored == [] and second.ok
    assert sorted(second.unchanged) == sorted(first.stored)
    assert store.count() == 2


def test_job_same_content_under_another_name_is_known(
    pile: Path, write: Write, store: Store, make_article: MakeArticle
) -> None:
    first = run(store, pile)
    copy = write("kopie/anderer-name.txt", make_article(0))
    second = run(store, copy)
    assert second.stored == []
    assert second.known == [first.stored[0]]
    assert store.count() == 2
    art = store.get_article(first.stored[0])
    assert {s["source"] for s in art["sources"]} == {str(pile / "a.txt"), str(copy)}
    # and a third run of the copy is unchanged, not known again
    third = run(store, copy)
    assert third.unchanged == [first.stored[0]] and third.known == []


def test_job_same_text_with_other_junk_is_a_duplicate(
    write: Write, store: Store, make_article: MakeArticle
) -> None:
    a = write("a.txt", make_article(2, before=["Teilen", "Drucken"]))
    b = write(
        "b.txt", make_article(2, after=["Kommentar schreiben", "Jetzt Newsletter abonnieren"])
    )
    first = run(store, a)
    second = run(store, b)
    (dup,) = second.stored
    assert dup != first.stored[0]
    assert second.duplicates == [(dup, first.stored[0])]
    assert store.get_article(dup)["duplicate_of"] == first.stored[0]
    assert store.get_article(first.stored[0])["duplicate_of"] is None


def test_job_duplicate_of_points_at_the_first_original(
    write: Write, store: Store, make_article: MakeArticle
) -> None:
    paths = [
        write("1.txt", make_article(3)),
        write("2.txt", make_article(3, before=["Teilen"])),
        write("3.txt", make_article(3, after=["Drucken"])),
    ]
    report = run(store, *paths)
    original, second, third = report.stored
    assert report.duplicates == [(second, original), (third, original)]


def test_job_hints_apply_to_every_input(pile: Path, store: Store) -> None:
    run(store, pile, hints=Hints(outlet="taz", published="2024-06-17", lang="de"))
    for art in store.iter_articles():
        assert art["outlet"] == "taz"
        assert art["published"] == "2024-06-17"
        assert art["published_source"] == "metadata"
        assert art["lang"] == "de"


def test_job_on_item_is_called_for_every_input(pile: Path, write: Write, store: Store) -> None:
    write("pile/leer.txt", b"")
    seen: list[str] = []
    run(store, pile, on_item=seen.append)
    assert sorted(Path(s).name for s in seen) == ["a.txt", "b.txt", "leer.txt"]


# -- crash safety -------------------------------------------------------------------------


@pytest.fixture
def five(tmp_path: Path, write: Write, make_article: MakeArticle) -> Path:
    for i in range(5):
        write(f"five/{i}.txt", make_article(i))
    return tmp_path / "five"


def test_job_interrupt_keeps_committed_batches(
    five: Path, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = Store.insert_article
    crashing = fails_on_call(original, 3, KeyboardInterrupt)
    with Store(db_path) as store:
        monkeypatch.setattr(Store, "insert_article", crashing)
        with pytest.raises(KeyboardInterrupt):
            ingest([str(five)], store, batch_size=2)
        monkeypatch.setattr(Store, "insert_article", original)
        assert store.count() == 2  # the first batch, none of the second
        assert store.conn.execute("SELECT count(*) FROM sources").fetchone()[0] == 2
        status = store.conn.execute("SELECT status FROM ingest_runs").fetchone()[0]
        assert status == "interrupted"

    with Store(db_path) as store:
        assert store.integrity_problems() == []
        assert store.count() == 2
        report = ingest([str(five)], store, batch_size=2)
        assert len(report.stored) == 3 and len(report.unchanged) == 2 and report.ok
        assert store.count() == 5
        ids = [a["id"] for a in store.iter_articles()]
        assert len(set(ids)) == 5
        assert sorted(Path(s).name for s in sources_of(store)) == [f"{i}.txt" for i in range(5)]
        if not store.is_postgres:  # SQLite's FTS5 table follows by triggers
            fts = store.conn.execute("SELECT count(*) FROM articles_fts").fetchone()[0]
            assert fts == 5


def test_job_internal_error_is_reported_and_batch_goes_on(
    five: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    flaky = fails_on_call(Store.insert_article, 2, RuntimeError("simulated bug"))
    monkeypatch.setattr(Store, "insert_article", flaky)
    report = ingest([str(five)], store, batch_size=10)
    assert len(report.stored) == 4
    (err,) = report.errors
    assert err.source.endswith("1.txt")
    assert "internal error" in err.reason and "simulated bug" in err.reason
    assert store.count() == 4


def test_job_failed_item_leaves_no_partial_rows(
    five: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    flaky = fails_on_call(
        Store.add_source, 2, RuntimeError("simulated bug after the article row was written")
    )
    monkeypatch.setattr(Store, "add_source", flaky)
    report = ingest([str(five)], store, batch_size=10)
    assert len(report.stored) == 4 and len(report.errors) == 1
    assert store.count() == 4
    orphans = store.conn.execute(
        "SELECT count(*) FROM articles WHERE id NOT IN (SELECT article_id FROM sources)"
    ).fetchone()[0]
    assert orphans == 0


def test_job_lone_surrogate_record_is_stored_repaired(
    pile: Path, write: Write, store: Store
) -> None:
    write(
        "pile/c.jsonl",
        '{"title": "Fest", "text": "Die Stadt feiert \\ud83d heute mit vielen Gästen."}\n',
    )
    report = run(store, pile)
    assert len(report.stored) == 3 and not report.errors
    (article,) = [a for a in store.iter_articles() if "\ufffd" in a["text"]]
    assert "text: 1 unpaired surrogate(s) replaced with U+FFFD" in article["repairs"]


# -- the repetition rule ------------------------------------------------------------------

PROMO = "Mehr aus der Region lesen Sie täglich im Stadtkurier."
LONG_SHARED = (
    "Hintergrund: Die Stadt hat in den vergangenen zehn Jahren ihre Verwaltung mehrfach "
    "umgebaut, zuletzt wurden die Ämter für Verkehr und Umwelt zusammengelegt, was nach "
    "Ansicht vieler Beobachter zu langen Wartezeiten bei Genehmigungen geführt hat. Die "
    "Opposition fordert seit Langem eine Rückkehr zu getrennten Zuständigkeiten, während "
    "die Verwaltungsspitze auf Einsparungen verweist, die durch die Reform erzielt worden "
    "seien. Eine unabhängige Prüfung der Reform steht noch aus und soll im Herbst beginnen."
)


def test_job_line_repeated_by_an_outlet_becomes_boilerplate(
    write: Write, store: Store, make_article: MakeArticle
) -> None:
    assert len(LONG_SHARED) > 400
    paths = [
        write(f"kurier/{i}.txt", make_article(i, after=[PROMO, LONG_SHARED])) for i in range(4)
    ]
    reports = [run(store, p, hints=Hints(outlet="Stadtkurier")) for p in paths]
    ids = [r.stored[0] for r in reports]
    for article_id in ids[:3]:
        art = store.get_article(article_id)
        assert PROMO in art["text"]
    fourth = store.get_article(ids[3])
    assert PROMO not in fourth["text"]
    assert {"line": PROMO, "reason": "repeated-boilerplate"}.items() <= next(
        r for r in fourth["removed"] if r["line"] == PROMO
    ).items()
    # the long paragraph is body text, however often it repeats
    assert LONG_SHARED in fourth["text"]
    assert all(r["line"] != LONG_SHARED for r in fourth["removed"])


def test_job_repetition_counts_only_the_same_outlet(
    write: Write, store: Store, make_article: MakeArticle
) -> None:
    for i, outlet in enumerate(["Stadtkurier", "Landbote", "Stadtkurier", "Landbote"]):
        path = write(f"mix/{i}.txt", make_article(i, after=[PROMO]))
        report = run(store, path, hints=Hints(outlet=outlet))
        assert PROMO in store.get_article(report.stored[0])["text"]


def test_job_mostly_repeated_article_is_left_to_duplicate_detection(
    write: Write, store: Store, make_article: MakeArticle
) -> None:
    shared = [
        "Der Verkehrsverbund erhöht zum Jahreswechsel die Preise für Monatskarten.",
        "Fahrgastverbände kritisierten die Erhöhung als unsozial.",
        "Die Landesregierung kündigte an, die Entscheidung zu prüfen.",
    ]
    for i in range(3):
        path = write(
            f"verbund/{i}.txt", "\n".join([f"Fahrpreise steigen, Meldung {i + 1}", *shared])
        )
    assert len(run(store, path.parent, hints=Hints(outlet="Stadtkurier")).stored) == 3
    update = write(
        "update.txt",
        "\n".join(
            [
                "Fahrpreise steigen, Aktualisierung",
                *shared,
                "Ein Sprecher bestätigte die Pläne am Abend.",
            ]
        ),
    )
    report = run(store, update, hints=Hints(outlet="Stadtkurier"))
    art = store.get_article(report.stored[0])
    assert all(line in art["text"] for line in shared)
    assert not any(r["reason"] == "repeated-boilerplate" for r in art["removed"])


# -- settings -------------------------------------------------------------------------------


@pytest.mark.parametrize(("size", "committed"), [(1, 2), (2, 2), (4, 0)])
def test_job_batch_size_from_the_settings(
    five: Path, db_path: Path, monkeypatch: pytest.MonkeyPatch, size: int, committed: int
) -> None:
    crashing = fails_on_call(Store.insert_article, 3, KeyboardInterrupt)
    monkeypatch.setattr(Store, "insert_article", crashing)
    with Store(db_path, config=defaults().replace(batch_size=size)) as store:
        with pytest.raises(KeyboardInterrupt):
            ingest([str(five)], store)
        assert store.count() == committed  # whole batches before the crash, nothing after


def test_job_batch_size_zero_is_refused(five: Path, db_path: Path) -> None:
    with Store(db_path, config=defaults().replace(batch_size=0)) as store:
        with pytest.raises(ConfigError, match="batch_size"):
            ingest([str(five)], store)
        assert store.count() == 0


def test_job_invalid_batch_size_in_environment(
    five: Path, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A library caller that gives no config gets the environment's settings, checked."""
    monkeypatch.setenv("STORYLINE_BATCH_SIZE", "zwei")
    with pytest.raises(ConfigError, match="STORYLINE_BATCH_SIZE"):
        Store(db_path)


def test_job_known_content_is_not_analysed_again(
    tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    import storyline.analyse.run as run

    calls: list[str] = []
    real = run.analyze

    def counting(text: str, **kw: object) -> object:
        calls.append(text)
        return real(text, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(run, "analyze", counting)
    body = "Hafen legt Pause ein\n\nDie Kräne im Hafen standen am Montag still, sagte eine Sprecherin.\n"
    (tmp_path / "a.txt").write_text(body, encoding="utf-8")
    first = ingest([str(tmp_path / "a.txt")], store)
    (tmp_path / "b.txt").write_text(body, encoding="utf-8")
    second = ingest([str(tmp_path / "b.txt")], store)
    assert len(first.stored) == 1 and second.known == first.stored
    assert len(calls) == 1


def test_job_grouping_needs_the_analysis(tmp_path: Path) -> None:
    from storyline.errors import PipelineError

    path = tmp_path / "a.txt"
    path.write_text("Titel\n\nDer Rat tagte am Dienstag in Bonn.", encoding="utf-8")
    with Store(tmp_path / "s.db") as store:
        with pytest.raises(PipelineError, match="stories"):
            ingest([str(path)], store, analyse=False, stories=True)
        report = ingest([str(path)], store, analyse=False)  # grouping follows the analysis
        assert report.ok and report.stories is None


def test_job_stop_ends_the_run_after_a_committed_batch_and_a_rerun_completes(
    tmp_path: Path, write: Write, make_article: MakeArticle
) -> None:
    import threading

    for i in range(6):
        write(f"many/{i}.txt", make_article(i))
    stop = threading.Event()
    with Store(tmp_path / "s.db") as store:
        report = ingest(
            [str(tmp_path / "many")],
            store,
            batch_size=2,
            stories=False,
            on_item=lambda _source: stop.set(),  # asked to stop during the first batch
            stop=stop,
        )
        assert report.stopped and len(report.stored) == 2
        runs = [r[0] for r in store.conn.execute("SELECT status FROM ingest_runs")]
        assert runs == ["interrupted"]
        again = ingest([str(tmp_path / "many")], store, batch_size=2, stories=False)
        assert not again.stopped and len(again.stored) == 4 and len(again.unchanged) == 2


def test_job_stop_during_grouping_leaves_it_to_the_next_run(
    tmp_path: Path, write: Write, make_article: MakeArticle
) -> None:
    import threading

    for i in range(4):
        write(f"g/{i}.txt", make_article(i))
    stop = threading.Event()
    with Store(tmp_path / "s.db") as store:
        report = ingest([str(tmp_path / "g")], store, on_group=lambda _a: stop.set(), stop=stop)
        assert report.stopped and len(report.stored) == 4 and report.stories is None
        ungrouped = "SELECT count(*) FROM articles WHERE event_id IS NULL"
        assert store.conn.execute(ungrouped).fetchone()[0] == 4
        again = ingest([str(tmp_path / "g")], store)
        assert not again.stopped and again.stories is not None
        assert store.conn.execute(ungrouped).fetchone()[0] == 0
