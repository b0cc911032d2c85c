"""Opening the DuckDB file, per-thread cursors and retried write transactions."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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
# Tables a `bookkeeping` write may change: who is logged in, what was logged and counted; and the login attempts
# in users (failed_logins, locked_until). No figure reads them (tests/test_memo.py checks where they are read).
BOOKKEEPING_TABLES = ("login_sessions", "audit_log", "job_runs", "wrong_code_counts", "code_drafts")
# Tables an `answers` write may change: a member of staff's answer, the unit's answer count and the code it used
# up. The absence figures and the unit tree do not read them (tests/test_memo.py checks it).
ANSWER_TABLES = ("survey_responses", "survey_answers", "round_units", "round_codes", "code_drafts")
# Data versions per database file, unique within the process (see Store.generation): the generation of
# everything, and the one that answers do not move.
_COUNTER = itertools.count(1)
_generations: dict[str, tuple[int, int]] = {}


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
        self._file = str(path.resolve())
        self._next_generation()  # the file may have changed since this process last had it open

    @property
    def key(self) -> str:
        """The database file, for results kept per file (with the generation they were computed at)."""
        return self._file

    @property
    def generation(self) -> int:
        """Changes with every committed write to this file by any Store of this process.

        DuckDB lets one process open a file for writing, so while it is open nobody else changes
        the data, and a result computed at a generation stays true until the next one.
        """
        return _generations[self._file][0]

    @property
    def generation_apart_from_answers(self) -> int:
        """Like `generation`, but kept by an `answers` write: for figures made without the survey answers."""
        return _generations[self._file][1]

    def _next_generation(self, answers_only: bool = False) -> None:
        new = next(_COUNTER)
        _generations[self._file] = (new, _generations[self._file][1] if answers_only else new)

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

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Reads in the block see the same data: one transaction on this thread's cursor, never committed.

        For results put together from several queries, which a write committed between them would mismatch.
        Inside a write (or another snapshot) the reads already share its transaction.
        """
        if self._in_transaction():
            yield
            return
        cur = self.cursor()
        cur.execute("BEGIN TRANSACTION")
        self._local.transaction = True
        try:
            yield
        finally:
            self._local.transaction = False
            _rollback_quietly(cur)

    def write(
        self, work: Callable[[duckdb.DuckDBPyConnection], T], *, bookkeeping: bool = False, answers: bool = False
    ) -> T:
        """Run `work` in one transaction; retry it when a concurrent writer caused a conflict.

        A `bookkeeping` write touches only BOOKKEEPING_TABLES, which no figure is computed from, so it keeps
        the generation: a login or a download does not throw away every kept figure. An `answers` write
        touches only ANSWER_TABLES and keeps generation_apart_from_answers: during a survey round the
        absence figures stay kept.
        """
        if self._in_transaction():  # DuckDB has no nested transactions, and a snapshot never commits
            raise RuntimeError("Store.write inside a snapshot or another write")
        for attempt in range(WRITE_RETRIES):
            cur = self.cursor()
            cur.execute("BEGIN TRANSACTION")
            self._local.transaction = True
            try:
                result = work(cur)
                cur.execute("COMMIT")
                if not bookkeeping:
                    self._next_generation(answers_only=answers)
                return result
            except duckdb.TransactionException:
                _rollback_quietly(cur)
                if attempt == WRITE_RETRIES - 1:
                    raise
                time.sleep(0.02 * 2**attempt)
            except BaseException:
                _rollback_quietly(cur)
                raise
            finally:
                self._local.transaction = False
        raise AssertionError("unreachable")

    def _in_transaction(self) -> bool:
        return getattr(self._local, "transaction", False)

    def close(self) -> None:
        self._connection.close()


def open_store(path: Path | str, migrate_upto: int | None = None) -> Store:
    """Open (or create) the database file and bring its schema up to date (or up to version `migrate_upto`,
    for a restore that loads a backup taken at that version before it applies the newer migrations)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        connection = duckdb.connect(str(path), config=_DUCKDB_CONFIG)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise StoreLockedError(path) from exc
        raise
    store = Store(path, connection)
    apply_migrations(store, upto=migrate_upto)
    return store


def _rollback_quietly(cur: duckdb.DuckDBPyConnection) -> None:
    # A conflict may already have ended the transaction; then there is nothing to roll back.
    try:
        cur.execute("ROLLBACK")
    except duckdb.Error:
        pass
