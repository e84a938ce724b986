"""Readers under load while another process writes: `storyline serve` on a generated
store, CLIENTS concurrent readers over loopback, and a second process ingesting.

    python -m bench.load --n 10000 [--db /tmp/storyline-web-10000.db] [--seconds 60]

The store is built once by bench/web_latency.py's build() (kept at --db). The server runs
as its own process (`storyline serve` on a free 127.0.0.1 port) so its memory can be read
before and after; the writer is `storyline ingest --profile fast` of freshly generated
articles into the same store, started with the clients. Each client thread loops over the
reading targets of bench/web_latency.py (stories, story, event, article, entity and search
pages, the API's stories, story, claims and search) until the time is up. Reported:
requests/s, median and 99th percentile latency, errors (status >= 500 or no answer within
TIMEOUT_S), and the server's resident memory. Loopback only; bounded in time and count.
The aims (issue 13): 0 errors and p99 under 1 s with 50 clients.

``--spread N`` reads N pages drawn at random from the whole store instead (articles,
stories, events, entities, and searches for words of their titles, a fifth each), so that
nearly every request is the first for its page: what the server does when the response
cache cannot help.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from bench.common import save
from bench.web_latency import _targets, prepared

CLIENTS = 50
TIMEOUT_S = 10.0
#: at most this many requests in all, whatever the duration
MAX_REQUESTS = 200_000
STORYLINE = Path(sys.executable).with_name("storyline")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def _wait_for(url: str, deadline_s: float = 60.0) -> None:
    import httpx

    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/api/v1/status", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError("the server did not start")


def spread_targets(db: Path, n: int, seed: int = 13) -> list[str]:
    """`n` pages drawn at random from the store: a fifth each of articles, stories,
    events, entities and title-word searches."""
    import sqlite3
    from urllib.parse import quote

    rng = random.Random(seed)
    conn = sqlite3.connect(db)
    share = max(1, n // 5)

    def ids(sql: str) -> list[str]:
        found = [str(r[0]) for r in conn.execute(sql)]
        return rng.sample(found, min(share, len(found)))

    words = sorted(
        {
            w
            for (t,) in conn.execute("SELECT title FROM articles")
            for w in str(t).split()
            if len(w) > 4 and w.isalpha()
        }
    )
    paths = (
        [f"/articles/{i}" for i in ids("SELECT id FROM articles")]
        + [f"/stories/{i}" for i in ids("SELECT id FROM stories")]
        + [f"/events/{i}" for i in ids("SELECT id FROM events")]
        + [f"/entities/{i}" for i in ids("SELECT id FROM entities")]
        + [f"/search?q={quote(w)}" for w in rng.sample(words, min(share, len(words)))]
    )
    conn.close()
    return paths


def run(
    db: Path, seconds: float, clients: int, writer_articles: int, spread: int = 0
) -> dict[str, Any]:
    import httpx

    from bench.gen_corpus import generate

    if spread:
        paths = spread_targets(db, spread)
    else:
        paths = [p for group in _targets(db).values() for p in group]
    port = _free_port()
    env = {**os.environ, "STORYLINE_PROFILE": "fast"}
    # the server's tracebacks, for the 5xx answers (closed when the process ends)
    server_log = tempfile.TemporaryFile()  # noqa: SIM115
    server = subprocess.Popen(
        [str(STORYLINE), "serve", "--db", str(db), "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=server_log,
    )
    base = f"http://127.0.0.1:{port}"
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop = float("inf")
    try:
        _wait_for(base)
        for p in paths[: 0 if spread else None]:  # warm each page once (not when spread)
            httpx.get(base + p, timeout=120)
        rss_before = _rss_mb(server.pid)
        with tempfile.TemporaryDirectory() as tmp:
            generate(writer_articles, Path(tmp) / "more", seed=99)
            writer = subprocess.Popen(
                [
                    str(STORYLINE),
                    "ingest",
                    str(Path(tmp) / "more" / "articles"),
                    "--db",
                    str(db),
                    "--no-progress",
                    "--profile",
                    "fast",
                ],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )

            def client(seed: int) -> None:
                rng = random.Random(seed)
                with httpx.Client(base_url=base, timeout=TIMEOUT_S) as http:
                    while time.monotonic() < stop and len(latencies) < MAX_REQUESTS:
                        path = rng.choice(paths)
                        started = time.perf_counter()
                        try:
                            status = http.get(path).status_code
                            problem = f"{path}: HTTP {status}" if status >= 500 else None
                        except httpx.HTTPError as exc:
                            problem = f"{path}: {type(exc).__name__}"
                        with lock:
                            latencies.append(time.perf_counter() - started)
                            if problem:
                                errors.append(problem)

            threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
            started = time.monotonic()
            stop = started + seconds
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            elapsed = time.monotonic() - started
            writer_done = writer.poll() is not None
            writer.terminate()  # it ends after its batch or between grouping's articles
            try:
                writer.wait(timeout=60)
            except subprocess.TimeoutExpired:
                writer.kill()
                writer.wait()
        rss_after = _rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    latencies.sort()
    n = len(latencies)
    return {
        "pages": f"spread: {len(paths)} pages from the whole store" if spread else "hot",
        "clients": clients,
        "seconds": round(elapsed, 1),
        "requests": n,
        "requests_per_s": round(n / elapsed, 1),
        "median_ms": round(latencies[n // 2] * 1000, 1) if n else None,
        "p99_ms": round(latencies[min(n - 1, int(n * 0.99))] * 1000, 1) if n else None,
        "max_ms": round(latencies[-1] * 1000, 1) if n else None,
        "errors": len(errors),
        "error_examples": sorted(set(errors))[:5],
        "server_errors": _last_errors(server_log),
        "writer_finished_during_run": writer_done,
        "server_rss_mb_before": rss_before,
        "server_rss_mb_after": rss_after,
    }


def _last_errors(log: Any, keep: int = 5) -> list[str]:
    """The last lines naming an exception in the server's log."""
    log.seek(0)
    lines = log.read().decode("utf-8", "replace").splitlines()
    return [ln for ln in lines if ln and ln[0].isalpha() and "Error" in ln][-keep:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10000)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--clients", type=int, default=CLIENTS)
    parser.add_argument("--writer-articles", type=int, default=300)
    parser.add_argument("--spread", type=int, default=0, help="pages from the whole store")
    args = parser.parse_args()
    db, result = prepared(args.n, args.db)
    result.update(run(db, args.seconds, args.clients, args.writer_articles, args.spread))
    save(f"load_{args.n}" + ("_spread" if args.spread else ""), result)
    import json

    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
