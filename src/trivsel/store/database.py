"""Opening the DuckDB file, per-thread cursors and retried write transactions."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import pandas as pd

from trivsel.store.migrations import apply_migrations

T = TypeVar("T")

# Nothing may be downloaded at run time, so DuckDB must never try to fetch an extension.
_DUCKDB_CONFIG = {
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
}
WRITE_RETRIES = 5


class StoreLockedError(RuntimeError):
    """Another process holds the database file (DuckDB allows one writing process per file)."""

    def __init__(self, path: Path):
        super().__init__(
            f"Databasen {path} er i brug af et andet program (fx appen eller en import, der kører). "
            "Mens appen kører, så brug appen: Import-siden til filer, download-knapperne til eksport og "
            "Indstillinger til sikkerhedskopi. Ellers luk det andet program og prøv igen."
        )
        self.path = path


class Store:
    """A DuckDB database file shared by all threads of this process.

    DuckDB connections are not thread-safe, so every thread works through its own cursor.
    """

    def __init__(self, path: Path, connection: duckdb.DuckDBPyConnection):
        self.path = path
        self._connection = connection
        self._local = threading.local()

    def cursor(self) -> duckdb.DuckDBPyConnection:
        cur = getattr(self._local, "cursor", None)
        if cur is None:
            cur = self._connection.cursor()
            self._local.cursor = cur
        return cur

    def query_df(self, sql: str, params: list | dict | None = None) -> pd.DataFrame:
        return self.cursor().execute(sql, params or []).df()

    def query_all(self, sql: str, params: list | dict | None = None) -> list[tuple]:
        return self.cursor().execute(sql, params or []).fetchall()

    def query_one(self, sql: str, params: list | dict | None = None) -> tuple | None:
        # fetchall() finishes the result; a half-read result would block the cursor (DuckDB 2.0).
        rows = self.query_all(sql, params)
        return rows[0] if rows else None

    def query_value(self, sql: str, params: list | dict | None = None) -> Any:
        row = self.query_one(sql, params)
        return row[0] if row else None

    def write(self, work: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
        """Run `work` in one transaction; retry it when a concurrent writer caused a conflict."""
        for attempt in range(WRITE_RETRIES):
            cur = self.cursor()
            cur.execute("BEGIN TRANSACTION")
            try:
                result = work(cur)
                cur.execute("COMMIT")
                return result
            except duckdb.TransactionException:
                _rollback_quietly(cur)
                if attempt == WRITE_RETRIES - 1:
                    raise
                time.sleep(0.02 * 2**attempt)
            except BaseException:
                _rollback_quietly(cur)
                raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        self._connection.close()


def open_store(path: Path | str) -> Store:
    """Open (or create) the database file and bring its schema up to date."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        connection = duckdb.connect(str(path), config=_DUCKDB_CONFIG)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise StoreLockedError(path) from exc
        raise
    store = Store(path, connection)
    apply_migrations(store)
    return store


def _rollback_quietly(cur: duckdb.DuckDBPyConnection) -> None:
    # A conflict may already have ended the transaction; then there is nothing to roll back.
    try:
        cur.execute("ROLLBACK")
    except duckdb.Error:
        pass
