"""Primary and complementary suppression over a hierarchy of cells.

The cells form a forest: each cell has a parent cell (or none), and a cell's figure
covers its own direct members plus everything below it. Showing a parent and some of
its children reveals, by subtraction, the *region* of the parent that no visible
child covers: its direct members plus the suppressed children below it. The
complementary rule keeps every such region either empty or at least the threshold,
by suppressing the next smallest visible sibling, and the parent itself when no
sibling is left.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import pandas as pd

PRIMARY = "for_faa"          # fewer than the threshold
COMPLEMENTARY = "beskytter"  # hidden so that a small group cannot be worked out by subtraction


@dataclass(frozen=True)
class Protected:
    """A table that has been through disclosure control. Pages and exports only show these."""

    table: pd.DataFrame  # with `suppressed` (bool) and `suppression_reason`; hidden cells are NA
    threshold: int
    noun: str            # "svar", "personer", ... for "færre end 5 personer"

    def hidden_label(self) -> str:
        return f"færre end {self.threshold} {self.noun}"

    def subset(self, rows: pd.Series) -> Protected:
        """Fewer rows of the same protected table (showing less can never reveal more)."""
        return Protected(self.table[rows], self.threshold, self.noun)


def protect(
    cells: pd.DataFrame,
    *,
    threshold: int,
    noun: str,
    count: str,
    values: list[str],
    key: str = "unit_id",
    parent: str = "parent_id",
    direct_count: str | None = None,
    group_by: tuple[str, ...] = (),
) -> Protected:
    """Suppress cells under the threshold, then enough neighbours that no small region shows.

    `count` is the persons (or respondents) behind each cell; `direct_count` those counted
    in the cell itself and in no child (inferred as count minus the children when absent).
    `group_by` names columns that split the table into independent hierarchies, e.g. a month.
    The counts and every column in `values` are blanked in suppressed rows.
    """
    if threshold < 1:
        raise ValueError("threshold must be at least 1")
    # Plain lists, read once: a table of many small hierarchies (rounds × measures) is split by position.
    columns = [cells[key].tolist(), cells[parent].tolist(), cells[count].fillna(0).astype(float).tolist(),
               cells[direct_count].fillna(0).astype(float).tolist() if direct_count else None]
    groups = cells.groupby(list(group_by), sort=False).indices.values() if group_by else [range(len(cells))]
    reasons = [np.nan] * len(cells)
    for rows in groups:
        part = [None if column is None else [column[i] for i in rows] for column in columns]
        for i, reason in _suppress(*part, threshold).items():
            reasons[rows[i]] = reason
    out = cells.copy()
    out["suppression_reason"] = pd.Series(reasons, index=out.index, dtype=object)
    out["suppressed"] = out["suppression_reason"].notna()
    for column in [count, *([direct_count] if direct_count else []), *values]:
        out[column] = out[column].astype(_nullable(out[column]))
        out.loc[out["suppressed"], column] = pd.NA
    return Protected(out, threshold, noun)


def _suppress(keys: list, parents: list, persons: list[float], direct_persons: list[float] | None,
              threshold: int) -> dict[int, str]:
    """Position -> reason for the cells of one hierarchy, given as parallel lists."""
    index_of = {k: i for i, k in enumerate(keys)}
    counts = dict(zip(keys, persons))
    parent_of = {k: p for k, p in zip(keys, parents) if isinstance(p, str) and p in index_of}
    children = defaultdict(list)
    for k, p in parent_of.items():
        children[p].append(k)
    if direct_persons is not None:
        direct = dict(zip(keys, direct_persons))
    else:
        direct = {k: max(0.0, counts[k] - sum(counts[c] for c in children[k])) for k in counts}

    reason = {k: PRIMARY for k, n in counts.items() if n < threshold}
    # hidden[k]: persons under k that no visible descendant accounts for, were k suppressed. For a
    # visible cell it is exactly the region its visible children leave open.
    hidden = {}
    for k in _bottom_up(counts, parent_of, children):
        hidden[k] = direct[k] + sum(hidden[c] for c in children[k] if c in reason)

    def open_region(k: str) -> bool:
        return k not in reason and 0 < hidden[k] < threshold

    # Cells are checked in table order, always the first open region next, so the outcome does not
    # depend on scheduling. Suppressing a cell changes only the region of its nearest visible
    # ancestor, so that is the one cell to recheck (this keeps national trees linear, not quadratic).
    order = list(counts)
    position = {k: i for i, k in enumerate(order)}
    todo = [position[k] for k in order if open_region(k)]
    heapq.heapify(todo)
    while todo:
        k = order[heapq.heappop(todo)]
        if not open_region(k):
            continue
        # Only a sibling that adds hidden persons to the region helps; one fully covered by visible
        # children would be hidden in name only (its value is their sum).
        helpful = [c for c in children[k] if c not in reason and hidden[c] > 0]
        chosen = min(helpful, key=lambda c: (counts[c], c)) if helpful else k
        reason[chosen] = COMPLEMENTARY
        above = parent_of.get(chosen)
        while above is not None:
            hidden[above] += hidden[chosen]
            if above not in reason:
                break
            above = parent_of.get(above)
        if above is not None and open_region(above):
            heapq.heappush(todo, position[above])
    return {index_of[k]: r for k, r in reason.items()}


def _bottom_up(keys, parent_of: dict, children: dict) -> list:
    """The cells with every child before its parent."""
    stack = [k for k in keys if k not in parent_of]
    top_down = []
    while stack:
        k = stack.pop()
        top_down.append(k)
        stack.extend(children[k])
    if len(top_down) != len(keys):
        raise ValueError("the units do not form a tree (a unit is its own ancestor)")
    return top_down[::-1]


def _nullable(column: pd.Series) -> str:
    """A dtype that can hold NA without turning counts into 2308.0."""
    if pd.api.types.is_integer_dtype(column):
        return "Int64"
    return "Float64" if pd.api.types.is_numeric_dtype(column) else "object"
