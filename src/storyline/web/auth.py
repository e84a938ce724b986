"""The write token of the HTTP API: where it lives, how it is made, how a request proves it.

Why a token at all: the server listens on 127.0.0.1, but every page the user's browser
opens can send requests to localhost. Reads are harmless; writes (ingest) must come from
someone who could read a file in the user's config directory. The token is made once
(``secrets.token_urlsafe(32)``, 256 bits), kept in ``<config dir>/token`` with mode 0600
in a 0700 directory, and read again on later starts, so scripts keep working across
restarts. It is never logged or printed; :func:`masked` is what may be shown.
"""

from __future__ import annotations

import hmac
import os
import secrets
import stat
import tempfile
from pathlib import Path

from storyline.errors import ConfigError

TOKEN_FILE = "token"
CONFIG_DIR_ENV = "STORYLINE_CONFIG_DIR"

#: Characters `secrets.token_urlsafe` produces; a token file holding anything else was
#: edited by hand or damaged.
_TOKEN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
MIN_TOKEN_CHARS = 32


def config_dir() -> Path:
    """``$STORYLINE_CONFIG_DIR``, else ``$XDG_CONFIG_HOME/storyline``, else
    ``~/.config/storyline`` (the XDG default)."""
    explicit = os.environ.get(CONFIG_DIR_ENV)
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_CONFIG_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".config"
    return base / "storyline"


def _read(path: Path) -> str:
    if stat.S_IMODE(path.stat().st_mode) & 0o077:
        # Readable by others: tighten rather than refuse, so the server still starts.
        path.chmod(0o600)
    token = path.read_text(encoding="ascii", errors="replace").strip()
    if len(token) < MIN_TOKEN_CHARS or not set(token) <= _TOKEN_CHARS:
        raise ConfigError(
            f"the API token file {path} does not hold a valid token",
            hint="delete the file; a new token is made on the next start",
        )
    return token


def _create(path: Path) -> bool:
    """Write a new token to `path` unless another process got there first.

    The token goes to a private temporary file that is then hard-linked into place:
    the link fails if the file exists, and nobody ever reads a half-written token.
    """
    fd, tmp = tempfile.mkstemp(prefix=".token-", dir=path.parent)  # mode 0600
    try:
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(secrets.token_urlsafe(32) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.link(tmp, path)
    except FileExistsError:
        return False
    finally:
        os.unlink(tmp)
    return True


def load_or_create_token(directory: Path | None = None) -> tuple[str, Path, bool]:
    """The API token, its file, and whether it was created just now.

    Raises ConfigError when the directory cannot be made or the file cannot be read.
    """
    folder = directory if directory is not None else config_dir()
    path = folder / TOKEN_FILE
    try:
        if not folder.is_dir():
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            folder.chmod(0o700)  # mkdir's mode is reduced by the umask
        created = False if path.exists() else _create(path)
        return _read(path), path, created
    except OSError as exc:
        raise ConfigError(
            f"cannot use the API token file {path} ({exc.strerror or exc})",
            hint=f"check the folder's permissions or set {CONFIG_DIR_ENV}",
        ) from exc


def masked(token: str) -> str:
    """What of a token may appear on screen or in a log: its first four characters."""
    return token[:4] + "…"


def bearer_matches(header: str | None, token: str | None) -> bool:
    """Whether an ``Authorization`` header carries `token` as a Bearer credential.

    Compared in constant time, so response timing does not reveal how much of a guess
    was right. No token configured means no request matches.
    """
    if not token or not header:
        return False
    scheme, _, given = header.strip().partition(" ")
    if scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode("utf-8"), token.encode("utf-8"))
