"""Import of absence spells: `employee_id,start_date,end_date,absence_type[,degree]`.

`end_date` is empty while the spell lasts; `degree` (0 < degree <= 1, e.g. 0,5 for partial
sick leave) is optional and 1 when empty or missing. Types: sygdom, arbejdsskade, barns_sygdom.

A file is the payroll system's picture of a period. Its window runs from the earliest
`start_date` in the file to the latest `end_date` (today for a spell still running). For
every employee in the file, the stored spells that start inside that window are replaced by
the file's rows; spells of other employees, and spells starting outside the window, stay.
So importing the same file twice changes nothing, and a newer export of an overlapping
period corrects the older one. A file row that would overlap a stored spell left outside
the window is refused: the two exports disagree, and which one is right is the user's call.
An employee who has no spells left in the newer export keeps the old ones, since the file
does not list them.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow

from trivsel import audit
from trivsel.imports.parsing import parse_column, parse_date, parse_decimal
from trivsel.imports.periods import date_order_problems, day_numbers, overlapping_rows
from trivsel.imports.problems import ImportRejected, Problem
from trivsel.imports.reader import paused_gc, read_table
from trivsel.imports.result import ImportResult
from trivsel.imports.validation import validate
from trivsel.store import Store

COLUMNS = ["employee_id", "start_date", "end_date", "absence_type"]
OPTIONAL = ("degree",)
TYPES = ("sygdom", "arbejdsskade", "barns_sygdom")


def _schema(known_employees: set[str]) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "employee_id": pa.Column(
                str,
                [
                    pa.Check.str_length(min_value=1, error="medarbejder-id må ikke være tomt."),
                    pa.Check(
                        lambda s: (s == "") | s.isin(known_employees),
                        error="er en ukendt medarbejder. Importér medarbejderens ansættelser først.",
                    ),
                ],
            ),
            "start_date": pa.Column(object, nullable=True),
            "end_date": pa.Column(object, nullable=True),
            "absence_type": pa.Column(
                str,
                pa.Check.isin(TYPES, error="er en ukendt fraværstype. Brug sygdom, arbejdsskade eller barns_sygdom."),
            ),
            "degree": pa.Column(
                float,
                pa.Check.in_range(
                    0, 1, include_min=False, error="er uden for det tilladte: graden skal være over 0 og højst 1."
                ),
            ),
        },
        unique=["employee_id", "start_date"],
    )


def validate_absence(store: Store, data: bytes, today: date | None = None) -> pd.DataFrame:
    with paused_gc():  # see reader.paused_gc: a large file is millions of small objects
        return _validate_absence(store, data, today or date.today())


def _validate_absence(store: Store, data: bytes, today: date) -> pd.DataFrame:
    raw = read_table(data, COLUMNS, optional=OPTIONAL)
    problems: list[Problem] = []
    df = raw.copy()
    df["start_date"] = parse_column(raw, "start_date", parse_date, True, problems)
    df["end_date"] = parse_column(raw, "end_date", parse_date, False, problems)
    df["absence_type"] = raw["absence_type"].str.lower()
    # An empty degree is a full sick day; an unparsable one is already a problem.
    df["degree"] = parse_column(raw, "degree", parse_decimal, False, problems).fillna(1.0).astype(float)
    problems += validate(df, _schema(_known_employees(store, df["employee_id"])))
    problems += date_order_problems(df)
    problems += _future_problems(df, today)
    problems += [
        Problem(
            row,
            "start_date",
            f"fraværsperioden overlapper en anden fraværsperiode for {df.at[row, 'employee_id']} (række {earlier}).",
        )
        for row, earlier in overlapping_rows(df, ["employee_id"])
    ]
    if not problems:  # the window needs every date parsed
        problems = _stored_overlap_problems(store, df, *_window(df, today))
    if problems:
        raise ImportRejected(problems)
    return df


def _window(df: pd.DataFrame, today: date) -> tuple[date, date]:
    """The period a file replaces: earliest start to latest end, a running spell counting to today."""
    return min(df["start_date"]), max(end or today for end in df["end_date"])


def _known_employees(store: Store, ids: pd.Series) -> set[str]:
    rows = store.query_all(
        "SELECT employee_id FROM employees WHERE employee_id IN (SELECT unnest(?::VARCHAR[]))",
        [sorted(set(ids))],
    )
    return {r[0] for r in rows}


def _future_problems(df: pd.DataFrame, today: date) -> list[Problem]:
    # Payroll registers absence after the fact; a future date is a typing error.
    problems = []
    for column in ("start_date", "end_date"):
        days, known = day_numbers(df[column])
        late = np.flatnonzero(known & (days > today.toordinal()))
        problems += [
            Problem(row, column, f"datoen {day:%d-%m-%Y} ligger efter dags dato ({today:%d-%m-%Y}).")
            for row, day in zip(df.index[late].tolist(), df[column].iloc[late])
        ]
    return problems


@contextmanager
def _file_spells(cur, df: pd.DataFrame):
    """The file's rows as the view `file_spells`, with the file row number in `row`.

    Handed to DuckDB as Arrow columns (dates as DATE), which it reads without converting a
    million Python objects one by one.
    """
    table = pyarrow.table(
        {
            "row": pyarrow.array(df.index.to_numpy(dtype=np.int64)),
            "employee_id": pyarrow.array(df["employee_id"].tolist(), type=pyarrow.string()),
            "start_date": _date32(df["start_date"]),
            "end_date": _date32(df["end_date"]),
            "absence_type": pyarrow.array(df["absence_type"].tolist(), type=pyarrow.string()),
            "degree": pyarrow.array(df["degree"].to_numpy(dtype=np.float64)),
        }
    )
    cur.register("file_spells", table)
    try:
        yield
    finally:
        cur.unregister("file_spells")


def _date32(days: pd.Series) -> pyarrow.Array:
    """A column of `date` or None as an Arrow date32 array; each distinct date is converted once."""
    codes, uniques = pd.factorize(days.to_numpy(dtype=object))
    offsets = np.array([(day - date(1970, 1, 1)).days for day in uniques] or [0], dtype=np.int32)
    return pyarrow.array(offsets[np.maximum(codes, 0)], type=pyarrow.date32(), mask=codes < 0)


def _stored_overlap_problems(store: Store, df: pd.DataFrame, first: date, last: date) -> list[Problem]:
    cur = store.cursor()
    with _file_spells(cur, df):
        rows = cur.execute(
            """
            SELECT f.row, f.employee_id, s.start_date, s.end_date
            FROM file_spells f JOIN absence_spells s USING (employee_id)
            WHERE s.start_date NOT BETWEEN $first AND $last
              AND s.start_date <= coalesce(f.end_date, 'infinity'::DATE)
              AND f.start_date <= coalesce(s.end_date, 'infinity'::DATE)
            ORDER BY f.row, s.start_date
            """,
            {"first": first, "last": last},
        ).fetchall()
    return [
        Problem(
            row,
            "start_date",
            f"fraværsperioden overlapper en gemt fraværsperiode for {employee} "
            f"({start:%d-%m-%Y} – {_day(end)}), som ligger uden for "
            f"filens periode {first:%d-%m-%Y} – {last:%d-%m-%Y} og derfor ikke erstattes.",
        )
        for row, employee, start, end in rows
    ]


def _day(day: date | None) -> str:
    return f"{day:%d-%m-%Y}" if day else "løbende"


# The stored spells a file replaces: those of its employees that start inside its window.
_REPLACED = "employee_id IN (SELECT unnest($people::VARCHAR[])) AND start_date BETWEEN $first AND $last"


def import_absence(store: Store, data: bytes, actor: str, today: date | None = None) -> ImportResult:
    today = today or date.today()
    df = validate_absence(store, data, today)
    first, last = _window(df, today)
    people = sorted(df["employee_id"].unique())

    def work(cur):
        params = {"people": people, "first": first, "last": last}
        with _file_spells(cur, df):
            replaced = cur.execute(f"SELECT count(*) FROM absence_spells WHERE {_REPLACED}", params).fetchall()[0][0]
            # The stored spells the file repeats unchanged stay where they are; only the others are
            # deleted, changed or added. The end state is the same as deleting every replaced spell
            # and inserting the file, but deleting and re-inserting a key in one transaction made
            # DuckDB's commit take seconds per hundred thousand rows.
            cur.execute(
                f"""
                DELETE FROM absence_spells WHERE {_REPLACED} AND NOT EXISTS (
                    SELECT 1 FROM file_spells f
                    WHERE f.employee_id = absence_spells.employee_id AND f.start_date = absence_spells.start_date)
                """,
                params,
            )
            cur.execute("""
                UPDATE absence_spells SET end_date = f.end_date, absence_type = f.absence_type, degree = f.degree
                FROM file_spells f
                WHERE f.employee_id = absence_spells.employee_id AND f.start_date = absence_spells.start_date
                  AND (absence_spells.end_date IS DISTINCT FROM f.end_date
                       OR absence_spells.absence_type <> f.absence_type OR absence_spells.degree <> f.degree)
                """)
            cur.execute("""
                INSERT INTO absence_spells BY NAME
                SELECT employee_id, start_date, end_date, absence_type, degree FROM file_spells f
                WHERE NOT EXISTS (SELECT 1 FROM absence_spells s
                                  WHERE s.employee_id = f.employee_id AND s.start_date = f.start_date)
                """)
        audit.record(
            cur,
            actor,
            "import_absence",
            rows=len(df),
            employees=len(people),
            replaced=replaced,
            period_from=first,
            period_to=last,
        )
        return replaced

    replaced = store.write(work)
    return ImportResult(
        len(df),
        f"{len(df)} fraværsperioder for {len(people)} medarbejdere importeret "
        f"for perioden {first:%d-%m-%Y} – {last:%d-%m-%Y} "
        f"({replaced} tidligere gemte perioder erstattet).",
    )
