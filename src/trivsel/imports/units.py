"""Import of the unit tree: `unit_id,unit_name,parent_id,area`.

Rows are upserted by unit_id; units are never deleted here, since employments and
history refer to them.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from trivsel import audit, org
from trivsel.imports.problems import ImportRejected, Problem
from trivsel.imports.reader import read_table
from trivsel.imports.result import ImportResult
from trivsel.imports.validation import validate
from trivsel.store import Store

COLUMNS = ["unit_id", "unit_name", "parent_id", "area"]

_SCHEMA = pa.DataFrameSchema(
    {
        "unit_id": pa.Column(str, pa.Check.str_length(min_value=1, error="enheds-id må ikke være tomt."), unique=True),
        "unit_name": pa.Column(str, pa.Check.str_length(min_value=1, error="enhedsnavnet må ikke være tomt.")),
        "parent_id": pa.Column(str),
        "area": pa.Column(str),
    },
)


def validate_units(store: Store, data: bytes) -> pd.DataFrame:
    df = read_table(data, COLUMNS)
    problems = validate(df, _SCHEMA)
    if not problems:
        problems = _tree_problems(store, df)
    if problems:
        raise ImportRejected(problems)
    return df


def _tree_problems(store: Store, df: pd.DataFrame) -> list[Problem]:
    """The tree after the import must have one root, known parents and no cycles."""
    parents = dict(store.query_all("SELECT unit_id, coalesce(parent_id, '') FROM units"))
    row_of = {}
    for row, unit_id, parent_id in zip(df.index, df["unit_id"], df["parent_id"]):
        parents[unit_id] = parent_id
        row_of[unit_id] = row
    problems = [
        Problem(row_of[u], "parent_id", f"overenheden '{p}' findes hverken i filen eller i databasen.")
        for u, p in parents.items()
        if p and p not in parents
    ]
    roots = sorted(u for u, p in parents.items() if not p)
    if len(roots) != 1:
        problems.append(
            Problem(
                None,
                "parent_id",
                f"træet skal have præcis én øverste enhed (tom parent_id), men har {len(roots)}: "
                f"{', '.join(roots) or 'ingen'}.",
            )
        )
    for unit_id, row in row_of.items():
        seen, current = {unit_id}, parents.get(unit_id)
        while current and current in parents:
            if current in seen:
                problems.append(
                    Problem(row, "parent_id", f"enheden '{unit_id}' ligger under sig selv (kreds i træet).")
                )
                break
            seen.add(current)
            current = parents[current]
    return problems


def import_units(store: Store, data: bytes, actor: str) -> ImportResult:
    df = validate_units(store, data)
    existing = {r[0] for r in store.query_all("SELECT unit_id FROM units")}
    new = int((~df["unit_id"].isin(existing)).sum())

    def work(cur):
        cur.executemany(
            "INSERT OR REPLACE INTO units (unit_id, unit_name, parent_id, area) VALUES (?, ?, nullif(?, ''), ?)",
            df[COLUMNS].values.tolist(),
        )
        org.ensure_staff_links(cur)
        audit.record(cur, actor, "import_units", rows=len(df), new=new)

    store.write(work)
    return ImportResult(len(df), f"{len(df)} enheder importeret ({new} nye, {len(df) - new} opdateret).")
