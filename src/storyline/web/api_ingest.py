"""``POST /api/v1/ingest``: files or JSON in, the ingest report out, through the CLI's job.

Why the same job as ``storyline ingest``: one code path reads, cleans, analyses, stores
and groups, so an upload and a CLI run of the same file give the same articles. Uploads
are written to a private temporary folder (each in its own numbered subfolder, so two
files may share a name) and ingested from there; afterwards the temporary paths are
replaced by the original file names in the store's provenance and in the report, so
``sources`` says ``bericht.txt``, not ``/tmp/storyline-upload-x1y2/3/bericht.txt``.

Limits: the token (before a byte of the body is read), the body size (``api_max_body``:
a too large Content-Length is refused at once, a body without one is counted while it
streams in and refused the moment it passes the limit), and one ingest at a time per
process (SQLite has one writer; a second request waits for its turn without holding a
worker thread, so readers are still served). With ``background=true`` the request is
answered 202 with a job at once and the ingest runs after it (web/api_jobs.py).

Status: 200 when no input failed, 207 (Multi-Status) when one or more inputs failed, even
all of them; the body is the report either way, its ``errors`` naming each failed input.
Why not 422 for "all failed": 422 is the API's error shape (a bad parameter, no files),
and a client should not have to guess which of two bodies it got.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import threading
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import Message, Receive

from storyline.config import Config
from storyline.jobs.ingest import ingest
from storyline.model import Hints
from storyline.settings import API_MAX_BODY, STORE_WAIT
from storyline.store import Store
from storyline.web.api_common import ApiError, Query
from storyline.web.api_jobs import jobs_of
from storyline.web.auth import bearer_matches
from storyline.web.deps import REQUEST_STORE_WAIT

#: Most files (and form fields) one request may carry.
MAX_FILES = 1000
#: Media type of the body -> file name it is ingested under (None: multipart files).
_BODY_NAMES: dict[str, str | None] = {
    "multipart/form-data": None,
    "application/json": "request.json",
    "application/x-ndjson": "request.jsonl",
    "application/jsonl": "request.jsonl",
}


def require_token(request: Request) -> None:
    """401 unless the request carries the server's token; 403 when the server has none."""
    token = getattr(request.app.state, "token", None)
    if not token:
        raise ApiError(
            403,
            "writes_disabled",
            "this server takes no writes: it was started without an API token",
            "start it with 'storyline serve', which creates one",
        )
    if not bearer_matches(request.headers.get("authorization"), token):
        raise ApiError(
            401,
            "unauthorized",
            "writing needs the API token",
            "send 'Authorization: Bearer <token>'; the token is in the file 'token' in "
            "storyline's config folder ('storyline serve' prints where)",
            {"WWW-Authenticate": 'Bearer realm="storyline"'},
        )


def _too_large(limit: int) -> ApiError:
    return ApiError(
        413,
        "too_large",
        f"the request body is over the limit of {limit:,} bytes",
        f"send fewer files at once, or raise {API_MAX_BODY.env_var}",
    )


def _limited(receive: Receive, limit: int) -> Receive:
    """`receive` that counts body bytes and stops the request once they pass `limit`."""
    seen = 0

    async def receive_limited() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise _too_large(limit)
        return message

    return receive_limited


def _media_type(request: Request) -> str:
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media not in _BODY_NAMES:
        raise ApiError(
            415,
            "unsupported_media_type",
            f"cannot ingest a body of type {media or '(none)'!r}",
            "send multipart/form-data (field 'files'), application/json or application/x-ndjson",
        )
    return media


def safe_name(raw: str | None, n: int) -> str:
    """A file name from an upload's name: no folders, no control characters, no leading
    dot, at most 200 characters with its suffix kept (the suffix picks the format)."""
    name = (raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip().lstrip(".").strip()
    if not name:
        return f"upload-{n}"
    if len(name) > 200:
        suffix = Path(name).suffix[:20]
        name = name[: 200 - len(suffix)] + suffix
    return name


def _save(uploads: list[UploadFile], root: Path) -> list[Path]:
    paths = []
    for n, upload in enumerate(uploads, start=1):
        folder = root / str(n)
        folder.mkdir()
        path = folder / safe_name(upload.filename, n)
        with path.open("wb") as fh:
            shutil.copyfileobj(upload.file, fh)
        paths.append(path)
    return paths


class _Names:
    """Maps the temporary paths of one request back to the names the client sent."""

    def __init__(self, root: Path) -> None:
        self.prefix = str(root) + os.sep
        self.pattern = re.compile(re.escape(self.prefix) + r"\d+" + re.escape(os.sep))

    def __call__(self, text: Any) -> Any:
        return self.pattern.sub("", text) if isinstance(text, str) else text

    def fix_store(self, store: Store) -> None:
        """Rename this request's sources and errors in the store. A source that the
        store already had under its original name is a duplicate record and is dropped."""
        store.rename_sources(self.prefix, self)


def _run(
    db_path: Path,
    config: Config,
    wait: float,
    paths: list[Path],
    root: Path,
    hints: Hints,
    stories: bool,
    stop: threading.Event,
) -> dict[str, Any]:
    """Ingest `paths` (in a worker thread: the job is blocking) and return the report;
    `stop` (the server stopping) ends it after the batch being written."""
    names = _Names(root)
    with Store(db_path, create=False, wait=wait, config=config) as store:
        try:
            report = ingest([str(p) for p in paths], store, hints, stories=stories, stop=stop)
        finally:
            names.fix_store(store)
        out = report.to_dict()
        out["errors"] = [{k: names(v) for k, v in e.to_dict().items()} for e in report.errors]
        out["articles_in_store"] = store.count()
    return out


def _wrote(request: Request) -> None:
    """This server wrote to the store: its kept answers are out of date now."""
    responses = getattr(request.app.state, "responses", None)
    if responses is not None:
        responses.expire()


def _status(report: dict[str, Any]) -> int:
    return 207 if report["errors"] else 200


async def ingest_endpoint(request: Request) -> JSONResponse:
    """Ingest uploaded files (multipart field ``files``) or a JSON / JSON Lines body.

    Query parameters as the CLI's options: ``outlet``, ``lang``, ``published``
    (YYYY-MM-DD) for every input, ``stories`` (default true: group into events).
    """
    require_token(request)
    q = Query(request)
    lang = q.text("lang")
    hints = Hints(
        outlet=q.text("outlet"), lang=lang.lower() if lang else None, published=q.day("published")
    )
    stories = q.flag("stories", default=True)
    background = q.flag("background", default=False)
    media = _media_type(request)
    config = request.app.state.config
    limit = config[API_MAX_BODY]
    declared = request.headers.get("content-length", "")
    if declared.isascii() and declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    body = Request(request.scope, _limited(request.receive, limit))
    jobs = jobs_of(request)
    root = Path(tempfile.mkdtemp(prefix="storyline-upload-"))
    handed_over = False
    try:
        paths = await _receive(body, media, root)
        db_path = request.app.state.db_path

        async def ingest_now(wait: float) -> dict[str, Any]:
            """The ingest in a worker thread; this server's kept answers expire after it."""
            try:
                return await run_in_threadpool(
                    _run, db_path, config, wait, paths, root, hints, stories, jobs.stopping
                )
            finally:
                _wrote(request)

        if background:
            job = jobs.start(lambda: ingest_now(config[STORE_WAIT]), cleanup=root)
            handed_over = True
            url = f"{request.scope.get('root_path', '')}/jobs/{job.id}"
            return JSONResponse(
                {**job.to_dict(), "url": url}, status_code=202, headers={"Location": url}
            )
        # one ingest at a time; a request waiting for its turn holds no worker thread
        async with jobs.turn:
            report = await ingest_now(REQUEST_STORE_WAIT)
    finally:
        if not handed_over:
            shutil.rmtree(root, ignore_errors=True)
    return JSONResponse(report, status_code=_status(report))


async def _receive(body: Request, media: str, root: Path) -> list[Path]:
    """The request's inputs saved under `root`, one numbered folder each."""
    name = _BODY_NAMES[media]
    if name is None:
        form = await body.form(max_files=MAX_FILES, max_fields=MAX_FILES)
        try:
            uploads = [v for v in form.getlist("files") if isinstance(v, UploadFile)]
            if not uploads:
                raise ApiError(
                    422, "no_input", "the request holds no files", "send them as field 'files'"
                )
            saved: list[Path] = await run_in_threadpool(_save, uploads, root)
            return saved
        finally:
            await form.close()
    data = await body.body()
    (root / "0").mkdir()
    path = root / "0" / name
    path.write_bytes(data)
    return [path]
