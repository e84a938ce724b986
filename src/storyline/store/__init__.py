"""Store stage: the embedded SQLite database every interface reads from."""

from storyline.store.db import Store
from storyline.store.schema import SCHEMA_VERSION

__all__ = ["SCHEMA_VERSION", "Store"]
