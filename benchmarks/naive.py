"""The naive reference: absence measures the way an analyst computes them in pandas.

Every spell is expanded to one row per day (the idiomatic `df.loc[df.index.repeat(n)]` plus a
per-row day counter, vectorised, not a Python loop), employments are expanded to one row per
day of the period, the two are merged on (employee, day), and every unit's figures are rolled
up over its subtree by merging with an ancestor table. Used only by the benchmarks and by the
cross-check test, never by the application. It follows the definitions in
docs/data-formats.md ("Sickness absence: exact measures") to the letter, so its numbers must equal ours.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

SICK = ("sygdom", "arbejdsskade")
MILESTONES = (5, 14, 28, 56)
COLUMNS = [
    "persons",
    "employed_fte_days",
    "absence_fte_days",
    "spells_started",
    *[f"reached_day{n}" for n in MILESTONES],
    "child_sick_fte_days",
]


def load(con) -> dict[str, pd.DataFrame]:
    """The three tables as an analyst would pull them: everything, into pandas."""
    return {
        "units": con.execute("SELECT unit_id, parent_id FROM units").df(),
        "employments": con.execute("SELECT employee_id, unit_id, start_date, end_date, fte FROM employments").df(),
        "spells": con.execute(
            "SELECT employee_id, start_date, end_date, absence_type, degree FROM absence_spells"
        ).df(),
    }


def ancestors(units: pd.DataFrame) -> pd.DataFrame:
    """(ancestor, unit_id) for every unit and each unit above it, itself included."""
    parent = dict(zip(units["unit_id"], units["parent_id"]))
    pairs = []
    for unit in units["unit_id"]:
        current = unit
        while isinstance(current, str):
            pairs.append((current, unit))
            current = parent.get(current)
    return pd.DataFrame(pairs, columns=["ancestor", "unit_id"])


def _expand(df: pd.DataFrame, first: str, last: str) -> pd.DataFrame:
    """One row per day from `first` to `last` (both included), the day in column `day`."""
    n = (df[last] - df[first]).dt.days + 1
    out = df.loc[df.index.repeat(n)]
    out["day"] = out[first] + pd.to_timedelta(out.groupby(level=0).cumcount(), unit="D")
    return out.reset_index(drop=True)


def unit_summary(
    tables: dict[str, pd.DataFrame], period_from: date, period_to: date, as_of: date | None = None
) -> pd.DataFrame:
    """One row per unit, indexed by unit_id, with the figures in COLUMNS."""
    as_of = pd.Timestamp(as_of or period_to)
    start, end = pd.Timestamp(period_from), pd.Timestamp(period_to)
    anc = ancestors(tables["units"])

    # Employments: one row per employed day inside the period.
    emp = tables["employments"].copy()
    emp["start_date"] = pd.to_datetime(emp["start_date"])
    emp["end_date"] = pd.to_datetime(emp["end_date"]).fillna(end)
    emp = emp[(emp["start_date"] <= end) & (emp["end_date"] >= start)].copy()
    emp["first"] = emp["start_date"].clip(lower=start)
    emp["last"] = emp["end_date"].clip(upper=end)
    emp_days = _expand(emp[["employee_id", "unit_id", "fte", "first", "last"]], "first", "last")

    # Spells: every spell expanded to one row per day, a running spell up to the as-of date.
    sp = tables["spells"].copy()
    sp["start_date"] = pd.to_datetime(sp["start_date"])
    sp = sp[sp["start_date"] <= as_of].copy()  # what was known on the as-of date
    sp["end_date"] = pd.to_datetime(sp["end_date"]).fillna(as_of)
    sp["length"] = (sp["end_date"] - sp["start_date"]).dt.days + 1
    sp_days = _expand(sp, "start_date", "end_date")

    # Absence: spell days inside the period on which the person was employed, per employment.
    in_period = sp_days[(sp_days["day"] >= start) & (sp_days["day"] <= end)]
    absent = emp_days.merge(in_period[["employee_id", "day", "absence_type", "degree"]], on=["employee_id", "day"])
    absent["fte_days"] = absent["fte"] * absent["degree"]

    # Spells begun in the period: their first day, with every unit employing the person that day.
    first_days = sp_days[
        (sp_days["day"] == sp_days["start_date"])
        & sp_days["absence_type"].isin(SICK)
        & (sp_days["start_date"] >= start)
        & (sp_days["start_date"] <= end)
    ]
    started = first_days[["employee_id", "day", "length"]].merge(
        emp_days[["employee_id", "day", "unit_id"]], on=["employee_id", "day"]
    )

    # Roll up over subtrees.
    employed = emp_days.merge(anc, on="unit_id")
    out = pd.DataFrame(index=pd.Index(tables["units"]["unit_id"], name="unit_id"))
    out["persons"] = employed.groupby("ancestor")["employee_id"].nunique()
    out["employed_fte_days"] = employed.groupby("ancestor")["fte"].sum()
    absent = absent.merge(anc, on="unit_id")
    sick = absent["absence_type"].isin(SICK)
    out["absence_fte_days"] = absent[sick].groupby("ancestor")["fte_days"].sum()
    out["child_sick_fte_days"] = absent[~sick].groupby("ancestor")["fte_days"].sum()
    started = started.merge(anc, on="unit_id").drop_duplicates(["ancestor", "employee_id", "day"])
    out["spells_started"] = started.groupby("ancestor").size()
    for n in MILESTONES:
        out[f"reached_day{n}"] = started[started["length"] >= n].groupby("ancestor").size()
    out = out.fillna(0)
    for column in ("persons", "spells_started", *[f"reached_day{n}" for n in MILESTONES]):
        out[column] = out[column].astype("int64")
    return out[COLUMNS]


def compare(naive: pd.DataFrame, fast: pd.DataFrame, tolerance: float = 1e-6) -> list[str]:
    """Differences between the naive figures and trivsel's unit_summary, as readable lines (none = equal)."""
    fast = fast.set_index("unit_id")
    problems = []
    if set(naive.index) != set(fast.index):
        problems.append(f"units differ: {sorted(set(naive.index) ^ set(fast.index))[:5]}")
    for unit in naive.index.intersection(fast.index):
        for column in COLUMNS:
            a, b = float(naive.at[unit, column]), float(fast.at[unit, column])
            if abs(a - b) > tolerance * max(1.0, abs(a)):
                problems.append(f"{unit} {column}: naive {a} != trivsel {b}")
    return problems
