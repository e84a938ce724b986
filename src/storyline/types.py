"""Shared type aliases: what a ``str`` or a JSON value stands for in a signature.

The ids are plain aliases, not ``NewType``: they come out of SQL rows and JSON as plain
strings everywhere, and a NewType would need a cast at each of those places for no check
mypy could make. They name what a string is, so ``dict[ArticleId, list[EntityId]]`` reads
as what it holds. The record shapes built from them are in :mod:`storyline.records`.
"""

from __future__ import annotations

from typing import TypeAlias

#: An article's id: the first 16 hex digits of SHA-256 over its title hint and raw text.
ArticleId: TypeAlias = str
#: An event's id: ``e-`` and the id of the article that opened it.
EventId: TypeAlias = str
#: A story's id: ``s-`` and the id of the article that opened it.
StoryId: TypeAlias = str
#: An entity's id in the store.
EntityId: TypeAlias = str
#: A claim's id: ``c-`` and 12 hex digits from its first source.
ClaimId: TypeAlias = str

#: A date as storyline writes it: ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` (a decade is
#: ``199``), or a range ``YYYY-MM-DD/YYYY-MM-DD``.
IsoDate: TypeAlias = str
#: A moment in UTC, ISO 8601 (``2026-11-22T22:40:00+00:00``).
Timestamp: TypeAlias = str

#: Any value JSON can hold (what ``json.loads`` returns).
JSONValue: TypeAlias = "dict[str, JSONValue] | list[JSONValue] | str | int | float | bool | None"
#: A JSON object whose keys are free (configuration, evidence of a grouping decision).
JSONObject: TypeAlias = "dict[str, JSONValue]"
