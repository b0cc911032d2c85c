"""The audit log: who changed roles, imported or exported what, and when."""

from __future__ import annotations

import json

import duckdb
import pandas as pd

from trivsel.store import Store


def record(cur: duckdb.DuckDBPyConnection, actor: str, action: str, **details) -> None:
    """Write one audit entry inside the caller's transaction, so it lands with the change."""
    cur.execute(
        "INSERT INTO audit_log (actor, action, details) VALUES (?, ?, ?)",
        [actor, action, json.dumps(details, ensure_ascii=False, default=str, sort_keys=True)],
    )


def recent(store: Store, limit: int = 200) -> pd.DataFrame:
    return store.query_df(
        "SELECT logged_at, actor, action, details FROM audit_log ORDER BY id DESC LIMIT ?", [limit]
    )


def record_export(store: Store, actor: str, what: str, parameters: dict, rows: int) -> None:
    """Log one export (download or CLI file) with its parameters and row count."""
    store.write(lambda cur: record(cur, actor, "export", what=what, parameters=parameters, rows=rows))
