"""Sickness absence per unit, computed in DuckDB with interval arithmetic.

Spells are never expanded to days: every figure is a sum of interval lengths, so the
queries scale with the number of spells and employments, not with their length.

The definitions of every figure (persons, employed_fte_days, absence_fte_days, absence_rate_pct,
spells_started, reached_dayN, child_sick_fte_days) are in docs/data-formats.md, "Sickness absence:
exact measures"; this module computes exactly those.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from trivsel import config, org
from trivsel.store import Store


def reached_days(milestones=None) -> tuple[int, ...]:
    """The days a reached_dayN column is counted for: the follow-up days (config.milestones()) after
    day 1, which every spell reaches; or the days asked for, checked, each once and in rising order."""
    days = config.milestones() if milestones is None else _check_milestones(milestones)
    return tuple(sorted({n for n in days if n > 1}))


def buckets(milestones=None) -> list[tuple[int, int | None]]:
    """Spell lengths in calendar days, (first, last) with None for no end. There is no national line between
    short and long absence; the buckets begin on day 1 and on each follow-up day, so each reached_dayN is
    the sum of the buckets from N up."""
    lows = [1, *reached_days(milestones)]
    return [(low, high - 1 if high else None) for low, high in zip(lows, [*lows[1:], None])]


def bucket_labels(milestones=None) -> list[str]:
    """The buckets as the tables name them: 1–4, 5–13, ..., 56+ with the default days."""
    return [
        f"{low}+" if high is None else (f"{low}" if low == high else f"{low}–{high}")
        for low, high in buckets(milestones)
    ]


_TREE = """
WITH RECURSIVE tree(ancestor, descendant) AS (  -- each reported unit with every unit of its subtree
    SELECT unit_id, unit_id FROM units WHERE unit_id IN (SELECT unnest($units::VARCHAR[]))
    UNION ALL
    SELECT t.ancestor, u.unit_id FROM tree t JOIN units u ON u.parent_id = t.descendant
)"""

# Persons and fte-days per (reported unit, window). The windows are either the period itself (the
# summary, $monthly false) or its calendar months, clipped to it (monthly rates, $monthly true); so the
# window of a day is a month count, and an interval is split over its windows by listing their numbers
# (no join that compares every interval with every window). The employments come first; the absence,
# which needs $as_of, follows in _ABSENT_CTES.
_EMPLOYED_CTES = """
windows AS (
    SELECT unnest($keys::DATE[]) AS w_key, unnest($starts::DATE[]) AS w_start, unnest($ends::DATE[]) AS w_end,
           unnest(range(len($keys::DATE[]))) AS w_index
),
spans AS (  -- employments in the subtrees, clipped to the period
    SELECT employee_id, unit_id, fte, greatest(start_date, $from) AS first_day,
           least(coalesce(end_date, $to), $to) AS last_day
    FROM employments
    WHERE unit_id IN (SELECT descendant FROM tree) AND start_date <= $to AND coalesce(end_date, $to) >= $from
),
work AS (  -- the same, clipped to each window they overlap
    SELECT w.w_key, s.employee_id, s.unit_id, s.fte,
           greatest(s.first_day, w.w_start) AS first_day, least(s.last_day, w.w_end) AS last_day
    FROM (
        SELECT *, unnest(range(CASE WHEN $monthly THEN datediff('month', $from::DATE, first_day) ELSE 0 END,
                               CASE WHEN $monthly THEN datediff('month', $from::DATE, last_day) ELSE 0 END + 1))
                  AS w_index
        FROM spans
    ) s JOIN windows w USING (w_index)
),
-- persons are distinct per subtree. Someone with one employment in a window is in exactly the
-- subtrees above its unit, so they are counted per unit and rolled up (no DISTINCT over every
-- pair of subtree and employment, which at national scale took seconds); only those with several
-- employments in the window (transfers, second jobs) are counted with a DISTINCT.
shared AS (
    SELECT w_key, employee_id FROM work GROUP BY ALL HAVING count(*) > 1
),
per_unit AS (
    SELECT k.w_key, k.unit_id, count(*) FILTER (WHERE s.employee_id IS NULL) AS persons,
           sum(k.fte * (k.last_day - k.first_day + 1)) AS employed_fte_days
    FROM work k LEFT JOIN shared s USING (w_key, employee_id)
    GROUP BY ALL
),
shared_rollup AS (
    SELECT t.ancestor, k.w_key, count(DISTINCT k.employee_id) AS persons
    FROM work k SEMI JOIN shared s USING (w_key, employee_id) JOIN tree t ON t.descendant = k.unit_id
    GROUP BY ALL
),
employed_rollup AS (
    SELECT t.ancestor, p.w_key, sum(p.persons) + coalesce(any_value(s.persons), 0) AS persons,
           sum(p.employed_fte_days) AS employed_fte_days
    FROM per_unit p JOIN tree t ON t.descendant = p.unit_id
    LEFT JOIN shared_rollup s ON s.ancestor = t.ancestor AND s.w_key = p.w_key
    GROUP BY ALL
)"""

_ABSENT_CTES = """
pairs AS (  -- spell ∩ employment, split over the windows: read once for the fte-days and the spells begun
    SELECT w_key, unit_id, employee_id, start_date, sick,
           fte * degree * (least(last_day, coalesce(end_date, $as_of)) - greatest(first_day, start_date) + 1)
               AS fte_days,
           -- the length of a sickness spell that begins inside this (clipped) employment, else NULL
           CASE WHEN sick AND start_date BETWEEN first_day AND last_day
                THEN coalesce(end_date, $as_of) - start_date + 1 END AS begun_days
    FROM (
        SELECT w.w_key, o.unit_id, o.employee_id, o.fte, o.degree, o.start_date, o.end_date,
               o.absence_type IN ('sygdom', 'arbejdsskade') AS sick,
               greatest(o.first_day, w.w_start) AS first_day, least(o.last_day, w.w_end) AS last_day
        FROM (
            SELECT s.unit_id, s.employee_id, s.fte, s.first_day, s.last_day,
                   a.start_date, a.end_date, a.absence_type, a.degree,
                   unnest(range(
                       CASE WHEN $monthly THEN datediff('month', $from::DATE, greatest(s.first_day, a.start_date))
                            ELSE 0 END,
                       CASE WHEN $monthly THEN datediff('month', $from::DATE,
                                                        least(s.last_day, coalesce(a.end_date, $as_of)))
                            ELSE 0 END + 1)) AS w_index
            FROM spans s
            JOIN absence_spells a ON a.employee_id = s.employee_id
             AND a.start_date <= s.last_day AND coalesce(a.end_date, $as_of) >= s.first_day
            WHERE a.start_date <= $to AND coalesce(a.end_date, $as_of) >= $from  -- lets DuckDB filter the scan
        ) o JOIN windows w USING (w_index)
    )
),
absent AS (  -- fte-days summed per unit before the roll-up; the types are sickness or barns_sygdom
    SELECT w_key, unit_id, sum(fte_days) FILTER (WHERE sick) AS sick,
           sum(fte_days) FILTER (WHERE NOT sick) AS child_sick
    FROM pairs
    GROUP BY ALL
),
absent_rollup AS (
    SELECT t.ancestor, a.w_key, sum(a.sick) AS absence_fte_days, sum(a.child_sick) AS child_sick_fte_days
    FROM absent a JOIN tree t ON t.descendant = a.unit_id
    GROUP BY ALL
),
figures AS (
    SELECT e.ancestor AS unit_id, e.w_key, e.persons, e.employed_fte_days,
           coalesce(r.absence_fte_days, 0) AS absence_fte_days,
           coalesce(r.child_sick_fte_days, 0) AS child_sick_fte_days
    FROM employed_rollup e LEFT JOIN absent_rollup r USING (ancestor, w_key)
)"""

_FIGURES_CTES = _EMPLOYED_CTES + "," + _ABSENT_CTES
_FIGURES = _TREE + "," + _FIGURES_CTES + "\nSELECT * FROM figures"

# Persons employed in each unit's subtree and in the unit itself, per calendar month of the period: what
# disclosure control needs of every month, without the absence. Splitting every employment into its
# months was the cost (4 s at national scale): someone with one employment in the period is counted by
# steps instead, +1 in its first month and -1 after its last, summed up to each month; only those with
# several employments in the period (transfers, second jobs) are split into months and counted DISTINCT.
_PERSONS = (
    _TREE
    + """,
windows AS (SELECT unnest($keys::DATE[]) AS w_key, unnest(range(len($keys::DATE[]))) AS w_index),
spans AS (  -- employments in the subtrees, as the first and last month of the period they touch
    SELECT employee_id, unit_id,
           datediff('month', $from::DATE, greatest(start_date, $from)) AS first_index,
           datediff('month', $from::DATE, least(coalesce(end_date, $to), $to)) AS last_index
    FROM employments
    WHERE unit_id IN (SELECT descendant FROM tree) AND start_date <= $to AND coalesce(end_date, $to) >= $from
),
several AS (SELECT employee_id FROM spans GROUP BY ALL HAVING count(*) > 1),
steps AS (
    SELECT unit_id, w_index, sum(step) AS step FROM (
        SELECT unit_id, first_index AS w_index, 1 AS step FROM spans ANTI JOIN several USING (employee_id)
        UNION ALL
        SELECT unit_id, last_index + 1, -1 FROM spans ANTI JOIN several USING (employee_id)
    ) GROUP BY ALL
),
single AS (
    SELECT s.unit_id, w.w_key, sum(s.step) AS persons FROM steps s JOIN windows w ON s.w_index <= w.w_index
    GROUP BY ALL
),
split AS (
    SELECT w.w_key, s.employee_id, s.unit_id FROM (
        SELECT employee_id, unit_id, unnest(range(first_index, last_index + 1)) AS w_index
        FROM spans SEMI JOIN several USING (employee_id)
    ) s JOIN windows w USING (w_index)
),
own AS (
    SELECT unit_id, w_key, sum(persons) AS persons FROM (
        SELECT * FROM single
        UNION ALL
        SELECT unit_id, w_key, count(DISTINCT employee_id) FROM split GROUP BY ALL
    ) GROUP BY ALL
),
rollup AS (
    SELECT ancestor, w_key, sum(persons) AS persons FROM (
        SELECT t.ancestor, s.w_key, s.persons FROM single s JOIN tree t ON t.descendant = s.unit_id
        UNION ALL
        SELECT t.ancestor, s.w_key, count(DISTINCT s.employee_id)
        FROM split s JOIN tree t ON t.descendant = s.unit_id GROUP BY ALL
    ) GROUP BY ALL
)
SELECT r.ancestor AS unit_id, r.w_key, r.persons, coalesce(o.persons, 0) AS direct_persons
FROM rollup r LEFT JOIN own o ON o.unit_id = r.ancestor AND o.w_key = r.w_key
"""
)

# The counts `started` gives per subtree and spell length (for one window, the period), without its
# DISTINCT over every (subtree, spell) pair: a spell of someone with one employment in the period has
# one unit on its first day, so it is counted per unit and rolled up; only the spells of people with
# several employments in the period (`shared`) go through a DISTINCT. A sickness spell begins in the
# period inside an employment exactly when its first day lies in the clipped employment of a pair.
_STARTED_CTES = """
started_counted AS (
    SELECT t.ancestor, b.days, b.spells
    FROM (
        SELECT p.unit_id, p.begun_days AS days, count(*) AS spells
        FROM pairs p ANTI JOIN shared s USING (w_key, employee_id)
        WHERE p.begun_days IS NOT NULL
        GROUP BY ALL
    ) b JOIN tree t ON t.descendant = b.unit_id
    UNION ALL
    SELECT ancestor, days, 1 FROM (
        SELECT DISTINCT t.ancestor, p.employee_id, p.start_date, p.begun_days AS days
        FROM pairs p SEMI JOIN shared s USING (w_key, employee_id) JOIN tree t ON t.descendant = p.unit_id
        WHERE p.begun_days IS NOT NULL)
)"""


# Every unit_summary figure in one query. `reached` lists, for each milestone in the order given, the
# spells begun in the period that lasted at least that many days.
_SUMMARY = (
    _TREE
    + ","
    + _FIGURES_CTES
    + ","
    + _STARTED_CTES
    + """,
by_length AS (
    SELECT ancestor, days, sum(spells) AS spells FROM started_counted GROUP BY ALL
),
milestones AS (
    SELECT unnest($milestones::INTEGER[]) AS n, unnest(range(1, len($milestones::INTEGER[]) + 1)) AS i
),
reached AS (
    SELECT b.ancestor, m.i, coalesce(sum(b.spells) FILTER (WHERE b.days >= m.n), 0) AS spells
    FROM by_length b CROSS JOIN milestones m
    GROUP BY ALL
),
started_totals AS (
    SELECT t.ancestor AS unit_id, t.spells_started, r.reached
    FROM (SELECT ancestor, sum(spells) AS spells_started FROM by_length GROUP BY ALL) t
    JOIN (SELECT ancestor, list(spells ORDER BY i) AS reached FROM reached GROUP BY ALL) r USING (ancestor)
),
-- The same spells by length bucket (bucket i holds the lengths from $lows[i] days): spells, distinct
-- persons per subtree (counted as `persons` is) and persons in the unit itself, one list per unit.
begun AS (
    SELECT p.unit_id, p.employee_id, s.employee_id IS NOT NULL AS several,
           len(list_filter($lows::INTEGER[], lambda low: low <= p.begun_days)) - 1 AS bucket
    FROM pairs p LEFT JOIN shared s USING (w_key, employee_id)
    WHERE p.begun_days IS NOT NULL
),
length_persons AS (
    SELECT ancestor, bucket, sum(persons) AS persons FROM (
        SELECT t.ancestor, b.bucket, b.persons FROM (
            SELECT unit_id, bucket, count(DISTINCT employee_id) AS persons FROM begun WHERE NOT several GROUP BY ALL
        ) b JOIN tree t ON t.descendant = b.unit_id
        UNION ALL
        SELECT ancestor, bucket, count(*) FROM (
            SELECT DISTINCT t.ancestor, b.bucket, b.employee_id
            FROM begun b JOIN tree t ON t.descendant = b.unit_id WHERE b.several)
        GROUP BY ALL
    ) GROUP BY ALL
),
length_own AS (SELECT unit_id AS ancestor, bucket, count(DISTINCT employee_id) AS persons FROM begun GROUP BY ALL),
-- Persons employed in the unit itself, not below it: disclosure control needs them (a parent minus its children).
own AS (SELECT unit_id, count(DISTINCT employee_id) AS direct_persons FROM work GROUP BY ALL),
length_spells AS (
    SELECT ancestor, len(list_filter($lows::INTEGER[], lambda low: low <= days)) - 1 AS bucket, sum(spells) AS spells
    FROM by_length GROUP BY ALL
),
lengths AS (
    SELECT u.ancestor AS unit_id, list(coalesce(s.spells, 0) ORDER BY b.bucket) AS length_spells,
           list(coalesce(p.persons, 0) ORDER BY b.bucket) AS length_persons,
           list(coalesce(o.persons, 0) ORDER BY b.bucket) AS length_own
    FROM (SELECT DISTINCT ancestor FROM tree) u
    CROSS JOIN (SELECT unnest(range(len($lows::INTEGER[]))) AS bucket) b
    LEFT JOIN length_spells s ON s.ancestor = u.ancestor AND s.bucket = b.bucket
    LEFT JOIN length_persons p ON p.ancestor = u.ancestor AND p.bucket = b.bucket
    LEFT JOIN length_own o ON o.ancestor = u.ancestor AND o.bucket = b.bucket
    GROUP BY ALL
)
SELECT * EXCLUDE (w_key) FROM figures FULL JOIN started_totals USING (unit_id) FULL JOIN lengths USING (unit_id)
FULL JOIN own USING (unit_id)
"""
)

_FTE_DAYS = ["employed_fte_days", "absence_fte_days", "child_sick_fte_days"]


def any_imported(store: Store) -> bool:
    """Whether any absence has been imported at all: a fact about the whole municipality, not about a group."""
    return bool(store.query_value("SELECT EXISTS (SELECT 1 FROM absence_spells)"))


def unit_summary(
    store: Store,
    period_from: date,
    period_to: date,
    as_of: date | None = None,
    unit_id: str | None = None,
    milestones=None,
) -> pd.DataFrame:
    """One row per unit of the tree (or of unit_id's subtree), in tree order; dates as datetime.date.
    A reached_dayN column for each of reached_days(milestones)."""
    return period_figures(store, period_from, period_to, as_of, unit_id, milestones)[0].drop(columns="direct_persons")


def period_figures(
    store: Store,
    period_from: date,
    period_to: date,
    as_of: date | None = None,
    unit_id: str | None = None,
    milestones=None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """unit_summary's table with `direct_persons` (as direct_persons gives them) and, from the same query, the
    sickness spells begun in the period by length.

    The second table has one row per unit and bucket (bucket_labels(milestones)): `spells`, `persons`
    (distinct, over the subtree) and `direct_persons` (those whose spell began in the unit itself).
    """
    as_of = _check_period(period_from, period_to, as_of)
    days = reached_days(milestones)
    reached = [f"reached_day{n}" for n in days]
    lows = [low for low, _ in buckets(days)]
    units = org.units(store)
    if unit_id is not None:
        _check_units(units, [unit_id])
        units = units[units["unit_id"].isin(org.subtree_ids(store, unit_id))]
    ids = units["unit_id"].tolist()
    params = _params(ids, period_from, period_to, as_of) | {
        "keys": [period_from],
        "starts": [period_from],
        "ends": [period_to],
        "monthly": False,
        "milestones": list(days),
        "lows": lows,
    }
    figures = store.query_df(_SUMMARY, params)
    figures[reached] = _lists(figures.pop("reached"), len(reached)).to_numpy()
    lengths = pd.DataFrame(
        {
            "unit_id": np.repeat(figures["unit_id"].to_numpy(), len(lows)),
            "bucket": bucket_labels(days) * len(figures),
            **{
                name: _lists(figures.pop(column), len(lows)).to_numpy().ravel()
                for name, column in (
                    ("spells", "length_spells"),
                    ("persons", "length_persons"),
                    ("direct_persons", "length_own"),
                )
            },
        }
    )
    out = units[["unit_id", "unit_name", "parent_id"]].merge(figures, on="unit_id", how="left")
    out.insert(3, "period_start", period_from)
    out.insert(4, "period_end", period_to)
    _complete(out, ["persons", "direct_persons", "spells_started", *reached])
    lengths = units[["unit_id"]].merge(lengths, on="unit_id")
    return out[
        [
            "unit_id",
            "unit_name",
            "parent_id",
            "period_start",
            "period_end",
            "persons",
            "employed_fte_days",
            "absence_fte_days",
            "absence_rate_pct",
            "spells_started",
            *reached,
            "child_sick_fte_days",
            "direct_persons",
        ]
    ], lengths.reset_index(drop=True)


def _lists(column: pd.Series, size: int) -> pd.DataFrame:
    """A column of equally long lists (missing where a unit had nothing) as int64 columns."""
    rows = [list(r) if isinstance(r, (list, np.ndarray)) else [0] * size for r in column]
    return pd.DataFrame(rows, index=column.index, columns=range(size), dtype="int64")


def monthly_rates(
    store: Store, unit_ids: list[str], period_from: date, period_to: date, as_of: date | None = None
) -> pd.DataFrame:
    """One row per unit (subtree roll-up) and calendar month, the months clipped to the period."""
    as_of = _check_period(period_from, period_to, as_of)
    _check_units(_stored_units(store, unit_ids), unit_ids)
    months = _months(period_from, period_to)
    figures = _figures(store, unit_ids, months, period_from, period_to, as_of)
    figures = figures.rename(columns={"w_key": "month"})
    grid = pd.DataFrame([(u, m) for u in unit_ids for m, _, _ in months], columns=["unit_id", "month"])
    out = grid.merge(figures, on=["unit_id", "month"], how="left")
    _complete(out, ["persons"])
    return out[["unit_id", "month", "persons", "employed_fte_days", "absence_fte_days", "absence_rate_pct"]]


def monthly_persons(store: Store, period_from: date, period_to: date) -> pd.DataFrame:
    """Persons employed in every unit's subtree (`persons`) and in the unit itself (`direct_persons`) in
    each calendar month of the period, clipped to it; one row per unit and month, `start` and `end`
    being the month's first and last day in the period."""
    _check_period(period_from, period_to, None)
    units = org.units(store)
    months = _months(period_from, period_to)
    params = {"units": units["unit_id"].tolist(), "from": period_from, "to": period_to, "keys": [m[0] for m in months]}
    found = store.query_df(_PERSONS, params)
    found["w_key"] = found["w_key"].dt.date
    grid = pd.DataFrame(
        [(u, key, start, end) for u in units["unit_id"] for key, start, end in months],
        columns=["unit_id", "w_key", "start", "end"],
    )
    out = grid.merge(found, on=["unit_id", "w_key"], how="left").drop(columns="w_key")
    out[["persons", "direct_persons"]] = out[["persons", "direct_persons"]].fillna(0).astype("int64")
    return out


def _figures(
    store: Store,
    unit_ids: list[str],
    months: list[tuple[date, date, date]],
    period_from: date,
    period_to: date,
    as_of: date,
) -> pd.DataFrame:
    """persons and fte-days per (unit_id, w_key) for the months of the period, as `_months` lists them."""
    keys, starts, ends = (list(column) for column in zip(*months))
    params = _params(unit_ids, period_from, period_to, as_of) | {
        "keys": keys,
        "starts": starts,
        "ends": ends,
        "monthly": True,
    }
    figures = store.query_df(_FIGURES, params)
    figures["w_key"] = figures["w_key"].dt.date
    return figures


def _params(unit_ids: list[str], period_from: date, period_to: date, as_of: date) -> dict:
    return {"units": list(unit_ids), "from": period_from, "to": period_to, "as_of": as_of}


def month_windows(period_from: date, period_to: date) -> list[tuple[date, date]]:
    """(first day, last day) of each calendar month the period touches, clipped to the period."""
    return [(start, end) for _, start, end in _months(period_from, period_to)]


def _months(period_from: date, period_to: date) -> list[tuple[date, date, date]]:
    """(first day of month, first day in period, last day in period) for each month the period touches."""
    months = []
    first = period_from.replace(day=1)
    while first <= period_to:
        following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
        months.append((first, max(first, period_from), min(following - timedelta(days=1), period_to)))
        first = following
    return months


def _complete(df: pd.DataFrame, counts: list[str]) -> None:
    """Zeros where a unit had no employment or spell, and the rate (NaN without employment)."""
    df[counts] = df[counts].fillna(0).astype("int64")
    df[_FTE_DAYS] = df[_FTE_DAYS].fillna(0.0)
    employed = df["employed_fte_days"].where(df["employed_fte_days"] > 0)
    df["absence_rate_pct"] = 100 * df["absence_fte_days"] / employed


def _check_period(period_from: date, period_to: date, as_of: date | None) -> date:
    if period_from > period_to:
        raise ValueError(f"Perioden er tom: {period_from:%d-%m-%Y} ligger efter {period_to:%d-%m-%Y}.")
    as_of = as_of or period_to
    if as_of < period_to:
        raise ValueError(
            f"Opgørelsesdatoen {as_of:%d-%m-%Y} ligger før periodens slutning "
            f"{period_to:%d-%m-%Y}; den skal være periodens sidste dag eller senere."
        )
    return as_of


def _check_milestones(milestones) -> tuple[int, ...]:
    milestones = tuple(int(n) for n in milestones)
    if not milestones or any(n < 1 for n in milestones):
        raise ValueError("Milepælsdagene skal være hele tal på mindst 1, fx 5, 14, 28 og 56.")
    return milestones


def _stored_units(store: Store, unit_ids: list[str]) -> pd.DataFrame:
    """The given units that exist (a cheaper check than reading the whole tree)."""
    return store.query_df("SELECT unit_id FROM units WHERE unit_id IN (SELECT unnest(?::VARCHAR[]))", [list(unit_ids)])


def _check_units(units: pd.DataFrame, unit_ids: list[str]) -> None:
    unknown = sorted(set(unit_ids) - set(units["unit_id"]))
    if unknown:
        raise ValueError(f"Ukendt enhed: {', '.join(unknown)}.")
