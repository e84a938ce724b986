"""The one exception tree of storyline.

Every error a user can meet derives from :class:`StorylineError`, so callers
(the CLI, the web layer, a notebook) catch one type and still get a message
that names the input and says what to do. The tree is kept small on purpose::

    StorylineError
    ├── InputError          one input (file, line, URL) could not be read
    │   ├── EmptyInputError
    │   ├── BinaryInputError
    │   ├── InputTooLargeError
    │   ├── DecodeError
    │   ├── FormatError     readable, but not the shape we need (bad JSON, no text)
    │   └── FetchError      a URL storyline watch could not fetch (network, status, robots.txt)
    ├── StoreError          the database is unusable (locked, newer schema, corrupt)
    │   ├── SchemaError
    │   └── StoreBusyError  another writer held the lock longer than we could wait
    ├── PipelineError       stages wired so that one lacks what it needs
    ├── NotFoundError       an id or name that the store does not hold
    ├── ConfigError         a setting with an invalid value
    ├── QueryError          a search request that cannot be run as given
    └── DeliveryError       an alert that could not be delivered (tried again later)
"""

from __future__ import annotations


class StorylineError(Exception):
    """Root of every error storyline raises on purpose."""

    #: A short machine-readable kind, shared by the CLI's --json output and the API.
    code = "storyline_error"

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message

    def to_dict(self) -> dict[str, str | None]:
        return {"error": self.code, "message": self.message, "hint": self.hint}


class InputError(StorylineError):
    """One input could not be turned into an article; the rest of the batch goes on."""

    code = "input_error"

    def __init__(self, source: str, reason: str, *, hint: str | None = None) -> None:
        super().__init__(f"{source}: {reason}", hint=hint)
        self.source = source
        self.reason = reason

    def to_dict(self) -> dict[str, str | None]:
        return {**super().to_dict(), "source": self.source, "reason": self.reason}


class EmptyInputError(InputError):
    code = "empty_input"


class BinaryInputError(InputError):
    code = "binary_input"


class InputTooLargeError(InputError):
    code = "input_too_large"


class DecodeError(InputError):
    code = "decode_error"


class FormatError(InputError):
    code = "format_error"


class FetchError(InputError):
    """A URL that could not be fetched (network, HTTP status, robots.txt, size or redirect
    limits); `status` is the HTTP status when there was one."""

    code = "fetch_error"

    def __init__(
        self,
        url: str,
        reason: str,
        *,
        hint: str | None = None,
        status: int | None = None,
        retryable: bool = False,
    ) -> None:
        super().__init__(url, reason, hint=hint)
        self.status = status
        #: worth another try within this poll (a network error, not a refusal)
        self.retryable = retryable


class StoreError(StorylineError):
    code = "store_error"


class SchemaError(StoreError):
    code = "schema_error"


class StoreBusyError(StoreError):
    """Another writer held the store's lock past the wait (store_wait): try again later."""

    code = "store_busy"


class PipelineError(StorylineError):
    code = "pipeline_error"


class NotFoundError(StorylineError):
    code = "not_found"


class ConfigError(StorylineError):
    code = "config_error"


class QueryError(StorylineError):
    """A search request that cannot be run as given (no words, a bad date, a bad limit)."""

    code = "query_error"


class DeliveryError(StorylineError):
    """An alert could not be delivered; it is kept and tried again on the next poll."""

    code = "delivery_error"
