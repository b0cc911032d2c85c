"""Checks on dated periods (`start_date`, `end_date`; empty end = still running) shared by importers.

The checks compare day numbers in numpy arrays and build a Problem only for the rows that fail,
so a million-row file costs milliseconds here rather than a Python loop over every row.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import numpy as np
import pandas as pd

from trivsel.imports.problems import Problem

_NO_END = date.max.toordinal()


def day_numbers(days: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(ordinal of each date, whether there is one) for a column of `date` or None."""
    codes, uniques = pd.factorize(days.to_numpy(dtype=object))
    ordinals = np.array([day.toordinal() for day in uniques] or [0], dtype=np.int64)
    return ordinals[np.maximum(codes, 0)], codes >= 0


def date_order_problems(df: pd.DataFrame) -> list[Problem]:
    start, has_start = day_numbers(df["start_date"])
    end, has_end = day_numbers(df["end_date"])
    wrong = np.flatnonzero(has_start & has_end & (end < start))
    rows, starts, ends = df.index[wrong].tolist(), df["start_date"].iloc[wrong], df["end_date"].iloc[wrong]
    return [
        Problem(row, "end_date", f"slutdatoen {end:%d-%m-%Y} ligger før startdatoen {start:%d-%m-%Y}.")
        for row, start, end in zip(rows, starts, ends)
    ]


def overlapping_rows(df: pd.DataFrame, group: list[str]) -> Iterator[tuple[int, int]]:
    """Yield (row, earlier_row) for each period that starts before an earlier period of its group ends.

    The earlier row is the one reaching furthest, so a long period is seen behind several short
    ones. Rows with the same start are left to the caller's uniqueness check, whose key holds
    the start date.
    """
    dated = df[df["start_date"].notna()].sort_values([*group, "start_date"])
    n = len(dated)
    if not n:
        return
    start, _ = day_numbers(dated["start_date"])
    end, has_end = day_numbers(dated["end_date"])
    reach = np.where(has_end, end, _NO_END)  # a running period reaches to the end of time
    first = np.zeros(n, dtype=bool)  # the first row of each group (rows are sorted by group)
    first[0] = True
    for column in group:
        values = dated[column].to_numpy(dtype=object)
        first[1:] |= values[1:] != values[:-1]
    # The period reaching furthest so far in the group, as a scan would keep it: the running maximum
    # of reach, and the first row that attained it (a later row only takes over when it reaches further).
    groups = np.cumsum(first)
    offset = groups * (_NO_END + 1)
    running = np.maximum.accumulate(reach + offset) - offset
    takes_over = first.copy()
    takes_over[1:] |= reach[1:] > running[:-1]
    holder = np.maximum.accumulate(np.where(takes_over, np.arange(n), 0))
    # Each row against the holder before it, within its group.
    earlier = holder[:-1]
    later = np.arange(1, n)
    hit = ~first[1:] & (start[earlier] != start[later]) & (reach[earlier] >= start[later])
    rows = dated.index.tolist()
    for i, j in zip(later[hit].tolist(), earlier[hit].tolist()):
        yield rows[i], rows[j]
