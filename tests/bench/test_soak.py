"""The watch soak benchmark (bench/soak.py), small: nothing lost, nothing doubled, the
corrections stored as new versions, one request at a time, the dead feed paused."""

from __future__ import annotations

from bench.soak import run


def test_soak_small_run_loses_and_doubles_nothing() -> None:
    result = run(n=60, feeds=4, budget=120, profile="fast")
    assert result["published"] == 60 and result["items_stored"] == 60
    assert result["lost"] == 0 and result["doubled"] == 0 and result["extra_items"] == 0
    assert result["versions_expected"] >= 1 and result["versions_missing"] == 0
    assert result["max_concurrent_requests"] == 1
    assert [u.rsplit("/", 1)[-1] for u in result["paused_sources"]] == ["dead.xml"]
    assert result["items_per_s"] > 0 and result["rss_mib_over_time"]
