"""The DuckDB store: one database instance per process, a cursor per thread, migrations at open."""

from trivsel.store.database import Store, StoreLockedError, open_store

__all__ = ["Store", "StoreLockedError", "open_store"]
