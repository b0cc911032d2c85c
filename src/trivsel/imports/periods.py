"""Checks on dated periods (`start_date`, `end_date`; empty end = still running) shared by importers."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pandas as pd

from trivsel.imports.problems import Problem


def date_order_problems(df: pd.DataFrame) -> list[Problem]:
    return [
        Problem(row, "end_date", f"slutdatoen {end:%d-%m-%Y} ligger før startdatoen {start:%d-%m-%Y}.")
        for row, start, end in zip(df.index, df["start_date"], df["end_date"])
        if start and end and end < start
    ]


def overlapping_rows(df: pd.DataFrame, group: list[str]) -> Iterator[tuple[int, int]]:
    """Yield (row, earlier_row) for each period that starts before an earlier period of its group ends.

    The earlier row is the one reaching furthest, so a long period is seen behind several short
    ones. Rows with the same start are left to the caller's uniqueness check, whose key holds
    the start date.
    """
    dated = df[df["start_date"].notna()].sort_values([*group, "start_date"])
    keys = zip(*(dated[column] for column in group))
    furthest = None  # (group key, start, reach, row) of the period reaching furthest so far
    for row, key, start, end in zip(dated.index, keys, dated["start_date"], dated["end_date"]):
        reach = end or date.max
        same_group = furthest is not None and furthest[0] == key
        if same_group and furthest[1] != start and furthest[2] >= start:
            yield row, furthest[3]
        if not same_group or reach > furthest[2]:
            furthest = (key, start, reach, row)
