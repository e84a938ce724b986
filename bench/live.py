"""The web app served for real (uvicorn on a free 127.0.0.1 port, in a thread) and
Debian's Chromium driven by Playwright: shared by bench/screenshots.py and the browser
tests (tests/web/test_web_browser.py).

Why Debian's Chromium and not Playwright's download: nothing is downloaded at run time;
CI installs the distribution package (.ci/run).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn
from starlette.types import ASGIApp

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@contextmanager
def serving(app: ASGIApp) -> Iterator[str]:
    """Serve `app` on 127.0.0.1 (a port the OS picks) for the duration; yields its URL."""
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="storyline-web", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the web server did not start")
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Debian Chromium (Playwright Browser). Raises FileNotFoundError when
    /usr/bin/chromium is absent."""
    if not CHROMIUM.exists():
        raise FileNotFoundError(f"{CHROMIUM} is absent (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()
