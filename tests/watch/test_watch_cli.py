"""`storyline watch` and `storyline alert` on the command line: JSON, exit codes, help with
examples, a killed run that loses and repeats nothing, status."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from watch_site import Reply, Request, Site, article_html, rss

from storyline.store import Store
from storyline.store import watch as db

Cli = Callable[..., Result]


def _site(site: Site, count: int) -> None:
    items = [(f"/k/{i}-meldung-aus-der-region", f"Meldung {i}") for i in range(count)]
    site.page("/feed.xml", rss(site.base, items))
    for i in range(count):
        site.page(f"/k/{i}-meldung-aus-der-region", article_html(i))


@pytest.mark.parametrize(
    "args",
    [
        ("watch", "add"),
        ("watch", "list"),
        ("watch", "remove"),
        ("watch", "run"),
        ("alert", "add"),
        ("alert", "list"),
        ("alert", "remove"),
    ],
)
def test_watch_cli_help_has_an_example(cli: Cli, args: tuple[str, ...]) -> None:
    result = cli(*args, "-h")
    assert result.exit_code == 0 and "Example:" in result.output


def test_watch_cli_add_list_run_remove(cli: Cli, site: Site, tmp_path: Path) -> None:
    _site(site, 2)
    dbp = tmp_path / "c.db"
    added = cli(
        "watch",
        "add",
        site.base + "/feed.xml?utm_source=x",
        "--every",
        "15m",
        "--name",
        "Test",
        "--db",
        dbp,
        "--json",
    )
    assert added.exit_code == 0, added.output
    assert json.loads(added.stdout)["url"] == site.base + "/feed.xml"
    listed = json.loads(cli("watch", "list", "--db", dbp, "--json").stdout)
    assert [s["name"] for s in listed] == ["Test"]
    run = cli("watch", "run", "--once", "--db", dbp)
    assert run.exit_code == 0, run.output
    assert "2 article(s) stored" in run.stdout
    assert "fetch 200 source" in run.stderr and run.stderr.count("fetch 200 article") == 2
    again = cli("watch", "run", "--once", "--db", dbp, "--json")
    assert json.loads(again.stdout)["sources"] == []  # not due again yet
    status = cli("status", "--db", dbp, "--json")
    assert json.loads(status.stdout)["watch"][0]["last_ok"]
    removed = cli("watch", "remove", site.base + "/feed.xml", "--db", dbp)
    assert removed.exit_code == 0 and "removed source 1" in removed.stdout
    assert json.loads(cli("watch", "list", "--db", dbp, "--json").stdout) == []


def test_watch_cli_exit_codes(cli: Cli, site: Site, tmp_path: Path) -> None:
    dbp = tmp_path / "e.db"
    assert cli("watch", "add", "ftp://x.example/", "--db", dbp).exit_code == 1
    assert cli("watch", "add", "https://x.example/", "--every", "nie", "--db", dbp).exit_code == 1
    assert cli("watch", "remove", "99", "--db", dbp).exit_code == 1
    assert cli("watch", "run", "--bogus", "--db", dbp).exit_code == 2
    assert cli("alert", "add", "--db", dbp).exit_code == 2  # none of entity, query, story
    assert cli("alert", "add", "--query", "a", "--entity", "b", "--db", dbp).exit_code == 2
    bad = cli("alert", "add", "--query", "a", "--deliver", "fax:123", "--db", dbp, "--json")
    assert bad.exit_code == 1 and json.loads(bad.stdout)["error"] == "config_error"
    site.page("/feed.xml", b"", status=404)
    cli("watch", "add", site.base + "/feed.xml", "--db", dbp)
    failed = cli("watch", "run", "--once", "--db", dbp)
    assert failed.exit_code == 1 and "1 failed" in failed.stdout


def test_watch_cli_alerts(cli: Cli, site: Site, tmp_path: Path) -> None:
    _site(site, 21)
    dbp = tmp_path / "a.db"
    out = tmp_path / "treffer.jsonl"
    added = cli(
        "alert", "add", "--query", "Hafen", "--deliver", f"jsonl:{out}", "--db", dbp, "--json"
    )
    assert added.exit_code == 0 and json.loads(added.stdout)["kind"] == "query"
    cli("watch", "add", site.base + "/feed.xml", "--db", dbp)
    assert cli("watch", "run", "--once", "--db", dbp).exit_code == 0
    assert len(out.read_text().splitlines()) == 1  # article 20 is the port-strike one
    listed = json.loads(cli("alert", "list", "--db", dbp, "--json").stdout)
    assert listed["recent"][0]["title"] == "Meldung 20"
    status = cli("status", "--db", dbp)
    assert "alert 1 matched Meldung 20" in status.stdout
    assert cli("alert", "remove", "1", "--db", dbp).exit_code == 0
    assert cli("alert", "remove", "1", "--db", dbp).exit_code == 1


def test_watch_cli_kill_9_loses_nothing_committed_and_repeats_nothing(
    site: Site, child_db: str
) -> None:
    count = 16
    _site(site, count)
    fetched: list[str] = []
    slow_down = [True]

    def slow(request: Request) -> Reply:  # slow pages after the first few, until the kill
        fetched.append(request.path)
        time.sleep(0.4 if slow_down[0] and len(fetched) > 6 else 0)
        n = int(request.path.split("/")[2].split("-")[0])
        return Reply(body=article_html(n))

    for i in range(count):
        site.routes[f"/k/{i}-meldung-aus-der-region"] = slow
    dbp = child_db
    env = {
        **os.environ,
        "STORYLINE_BATCH_SIZE": "2",
        "STORYLINE_PROFILE": "fast",
        "STORYLINE_WATCH_HOST_INTERVAL": "0",
    }
    exe = [sys.executable, "-c", "from storyline.cli import main; main()", "watch"]
    subprocess.run(
        [*exe, "add", site.base + "/feed.xml", "--db", dbp],
        env=env,
        check=True,
        capture_output=True,
    )
    proc = subprocess.Popen(
        [*exe, "run", "--once", "--db", dbp],
        env=env,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while len(fetched) < 10 and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    slow_down[0] = False
    with Store(dbp) as s:
        committed = s.count()
        items = db.counts(s).items
    assert 0 < committed < count  # killed in the middle
    assert committed == items  # every stored article has its item, and no item lacks one
    first_fetches = list(fetched)
    rerun = subprocess.run(
        [*exe, "run", "--once", "--all", "--db", dbp],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert rerun.returncode == 0, rerun.stderr
    with Store(dbp) as s:
        assert s.count() == count and db.counts(s).items == count
        ids = s.article_ids()
        assert len(set(ids)) == count
    refetched = fetched[len(first_fetches) :]
    stored_before = committed
    assert len(refetched) <= count - stored_before  # nothing committed was fetched again
