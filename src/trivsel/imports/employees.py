"""Import of employments: `employee_id,unit_id,start_date,end_date,fte,job_group`.

A file is the payroll system's current picture of the employees it lists: their
employments are replaced by the file's rows, so importing the same file twice
changes nothing.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from trivsel import audit
from trivsel.imports.parsing import parse_column, parse_date, parse_decimal
from trivsel.imports.periods import date_order_problems, overlapping_rows
from trivsel.imports.problems import ImportRejected, Problem
from trivsel.imports.reader import read_table
from trivsel.imports.result import ImportResult
from trivsel.imports.validation import validate
from trivsel.store import Store

COLUMNS = ["employee_id", "unit_id", "start_date", "end_date", "fte", "job_group"]
_KEY = ["employee_id", "unit_id", "start_date"]


def _schema(known_units: list[str]) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "employee_id": pa.Column(str, pa.Check.str_length(min_value=1, error="medarbejder-id må ikke være tomt.")),
            "unit_id": pa.Column(
                str, pa.Check.isin(known_units, error="er en ukendt enhed. Importér enhederne først.")
            ),
            "start_date": pa.Column(object, nullable=True),
            "end_date": pa.Column(object, nullable=True),
            "fte": pa.Column(
                object,
                pa.Check(
                    lambda s: s.isna() | ((s.astype(float) > 0) & (s.astype(float) <= 1)),
                    element_wise=False,
                    error="er uden for det tilladte: fte skal være over 0 og højst 1.",
                ),
                nullable=True,
            ),
            "job_group": pa.Column(str, pa.Check.str_length(min_value=1, error="stillingsgruppen må ikke være tom.")),
        },
        unique=_KEY,
    )


def validate_employees(store: Store, data: bytes) -> pd.DataFrame:
    raw = read_table(data, COLUMNS)
    problems: list[Problem] = []
    df = raw.copy()
    df["start_date"] = parse_column(raw, "start_date", parse_date, True, problems)
    df["end_date"] = parse_column(raw, "end_date", parse_date, False, problems)
    df["fte"] = parse_column(raw, "fte", parse_decimal, True, problems)
    known = [r[0] for r in store.query_all("SELECT unit_id FROM units")]
    problems += validate(df, _schema(known))
    problems += date_order_problems(df)
    problems += _overlap_problems(df)
    if problems:
        raise ImportRejected(problems)
    return df


def _overlap_problems(df: pd.DataFrame) -> list[Problem]:
    """Two employments of one employee in the same unit must not overlap in time."""
    return [
        Problem(
            row,
            "start_date",
            f"ansættelsen overlapper en anden ansættelse af {df.at[row, 'employee_id']} "
            f"i enhed {df.at[row, 'unit_id']} (række {earlier}).",
        )
        for row, earlier in overlapping_rows(df, ["employee_id", "unit_id"])
    ]


def import_employees(store: Store, data: bytes, actor: str) -> ImportResult:
    df = validate_employees(store, data)
    people = sorted(df["employee_id"].unique())

    def work(cur):
        cur.execute("DELETE FROM employments WHERE employee_id IN (SELECT unnest(?::VARCHAR[]))", [people])
        cur.execute(
            "INSERT INTO employees SELECT id FROM (SELECT unnest(?::VARCHAR[]) AS id) "
            "WHERE id NOT IN (SELECT employee_id FROM employees)",
            [people],
        )
        cur.executemany(
            "INSERT INTO employments (employee_id, unit_id, start_date, end_date, fte, job_group) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            df[COLUMNS].values.tolist(),
        )
        audit.record(cur, actor, "import_employees", rows=len(df), employees=len(people))

    store.write(work)
    return ImportResult(len(df), f"{len(df)} ansættelser for {len(people)} medarbejdere importeret.")
