"""Import of placements (praktikforløb): `person_id,unit_id,education,start_date,end_date`.

A file is the education coordinator's current picture of the persons it lists: their placements are replaced
by the file's rows, so importing the same file twice changes nothing. The placement survey is due in each
placement's last week (trivsel.lifecycle).
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from trivsel import audit
from trivsel.imports.parsing import parse_column, parse_date
from trivsel.imports.periods import date_order_problems, overlapping_rows
from trivsel.imports.problems import ImportRejected, Problem
from trivsel.imports.reader import read_table
from trivsel.imports.result import ImportResult
from trivsel.imports.validation import validate
from trivsel.store import Store

COLUMNS = ["person_id", "unit_id", "education", "start_date", "end_date"]
_KEY = ["person_id", "start_date"]


def _schema(known_units: list[str]) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "person_id": pa.Column(str, pa.Check.str_length(min_value=1, error="person-id må ikke være tomt.")),
            "unit_id": pa.Column(
                str, pa.Check.isin(known_units, error="er en ukendt enhed. Importér enhederne først.")
            ),
            "education": pa.Column(str, pa.Check.str_length(min_value=1, error="uddannelsen må ikke være tom.")),
            "start_date": pa.Column(object, nullable=True),
            "end_date": pa.Column(object, nullable=True),
        },
        unique=_KEY,
    )


def validate_placements(store: Store, data: bytes) -> pd.DataFrame:
    raw = read_table(data, COLUMNS)
    problems: list[Problem] = []
    df = raw.copy()
    df["start_date"] = parse_column(raw, "start_date", parse_date, True, problems)
    df["end_date"] = parse_column(raw, "end_date", parse_date, True, problems)  # a placement always ends
    known = [r[0] for r in store.query_all("SELECT unit_id FROM units")]
    problems += validate(df, _schema(known))
    problems += date_order_problems(df)
    problems += [
        Problem(
            row,
            "start_date",
            f"praktikforløbet overlapper et andet forløb for {df.at[row, 'person_id']} (række {earlier}).",
        )
        for row, earlier in overlapping_rows(df, ["person_id"])
    ]
    if problems:
        raise ImportRejected(problems)
    return df


def import_placements(store: Store, data: bytes, actor: str) -> ImportResult:
    df = validate_placements(store, data)
    people = sorted(df["person_id"].unique())

    def work(cur):
        cur.execute("DELETE FROM placements WHERE person_id IN (SELECT unnest(?::VARCHAR[]))", [people])
        cur.executemany(
            "INSERT INTO placements (person_id, unit_id, education, start_date, end_date) VALUES (?, ?, ?, ?, ?)",
            df[COLUMNS].values.tolist(),
        )
        audit.record(cur, actor, "import_placements", rows=len(df), persons=len(people))

    store.write(work)
    return ImportResult(len(df), f"{len(df)} praktikforløb for {len(people)} personer importeret.")
