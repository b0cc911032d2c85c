"""Primary and complementary suppression over a hierarchy of cells, and the period rule.

The cells form a forest: each cell has a parent cell (or none), and a cell's figure
covers its own direct members plus everything below it. Showing a parent and some of
its children reveals, by subtraction, the *region* of the parent that no visible
child covers: its direct members plus the suppressed children below it. The
complementary rule keeps every such region either empty or at least the threshold,
and never a single hidden child on its own, by suppressing the next smallest visible
sibling, and the parent itself when no sibling is left. A hidden cell is never left
as the sum of visible children either.

A table split two ways (units × spell lengths, whose total is all spells) is protected
over both at once by `protect_grid`: the tree for each part and the parts for each unit,
again and again until nothing changes.

Periods: whoever may not see single persons' absence or requests picks whole calendar
months (`check_whole_months`), so no figure can be narrowed down to a day.
"""

from __future__ import annotations

import calendar
import heapq
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
from threadpoolctl import ThreadpoolController

PRIMARY = "for_faa"  # fewer than the threshold
COMPLEMENTARY = "beskytter"  # hidden so that a small group cannot be worked out by subtraction


@dataclass(frozen=True)
class Protected:
    """A table that has been through disclosure control. Pages and exports only show these."""

    table: pd.DataFrame  # with `suppressed` (bool) and `suppression_reason`; hidden cells are NA
    threshold: int
    noun: str  # "svar", "personer", ... for "færre end 5 personer"

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
    suppressed: pd.Series | None = None,
) -> Protected:
    """Suppress cells under the threshold, then enough neighbours that no small region shows.

    `count` is the persons (or respondents) behind each cell; `direct_count` those counted
    in the cell itself and in no child (inferred as count minus the children when absent).
    `group_by` names columns that split the table into independent hierarchies, e.g. a month.
    `suppressed` marks cells that must be hidden whatever their size, because another table
    hides them (a month, a stricter threshold); the rules then protect them like any other.
    The counts and every column in `values` are blanked in suppressed rows.
    """
    if threshold < 1:
        raise ValueError("threshold must be at least 1")
    # Plain lists, read once: a table of many small hierarchies (rounds × measures) is split by position.
    columns = [
        cells[key].tolist(),
        cells[parent].tolist(),
        cells[count].fillna(0).astype(float).tolist(),
        cells[direct_count].fillna(0).astype(float).tolist() if direct_count else None,
    ]
    before = _flags(cells, suppressed)
    groups = cells.groupby(list(group_by), sort=False).indices.values() if group_by else [range(len(cells))]
    reasons = [np.nan] * len(cells)
    for rows in groups:
        part = [None if column is None else [column[i] for i in rows] for column in columns]
        preset = {part[0][i]: COMPLEMENTARY for i, r in enumerate(rows) if before[r]}
        for i, reason in _suppress(*part, threshold, preset).items():
            reasons[rows[i]] = reason
    return _blank(cells, reasons, threshold, noun, [count, *([direct_count] if direct_count else []), *values])


def protect_grid(
    cells: pd.DataFrame,
    *,
    threshold: int,
    noun: str,
    count: str,
    values: list[str],
    split: str,
    total: str,
    key: str = "unit_id",
    parent: str = "parent_id",
    direct_count: str | None = None,
    suppressed: pd.Series | None = None,
) -> Protected:
    """Protect a table of units × parts as one table: figures that are sums of one another.

    `cells` has one row per unit and value of `split`; the row whose split is `total` holds the
    sum of the unit's other rows (all spells, whose parts are the spell lengths). Each part, and
    the total, is a hierarchy over the unit tree, and each unit's parts are a hierarchy under its
    total. Both directions are protected by the rules of `protect`, in turn, until neither hides
    anything more. Those rules look at one line of the table at a time, and lines can be combined,
    so an exact check (linear algebra over every unit's members in every part) then looks for
    anything hidden or small that can still be worked out, and hides a total the working-out goes
    through, until nothing can be. When the table is too large to check, a total is shown only
    where all its parts are. That rule cannot leak: each part is then protected on its own, and
    what else shows is a sum of what they show.
    """
    if threshold < 1:
        raise ValueError("threshold must be at least 1")
    grid = _Grid(cells, key, parent, split, total, count, direct_count, threshold)
    before = _flags(cells, suppressed)
    preset = [PRIMARY if n < threshold else COMPLEMENTARY if b else np.nan for n, b in zip(grid.persons, before)]
    # The rules below can only hide more: when the check would refuse the table already, go straight to sums.
    reasons = grid.sums(list(preset)) if grid.too_large(preset) else _checked(grid, preset)
    return _blank(cells, reasons, threshold, noun, [count, *([direct_count] if direct_count else []), *values])


def _checked(grid: _Grid, preset: list) -> list:
    """The rules of `protect` in both directions, then the exact check, until it finds nothing to work out."""
    reasons = grid.regions(list(preset), range(len(preset)))
    while found := _one_blas_thread(grid.leaks, reasons):
        if not all(found):
            return grid.sums(list(preset))
        # A leak runs through totals with hidden parts: hide the smallest of each one's, and look again.
        chosen = set()
        for totals in found:
            if not chosen.intersection(totals):
                chosen.add(min(totals, key=lambda i: (grid.persons[i], grid.keys[i])))
        for i in chosen:
            reasons[i] = COMPLEMENTARY
        reasons = grid.regions(reasons, chosen)
    return reasons


def _one_blas_thread(work, *args):
    """The exact check's matrices are small: more BLAS threads only wait for one another, on a busy machine
    for seconds (4 s instead of 0.4 s at ten times the municipality, with the load at 12)."""
    with _BLAS.limit(limits=1, user_api="blas"):
        return work(*args)


_BLAS = ThreadpoolController()
AUDIT_LIMIT = 2_000  # hidden cells the exact check takes on (a few hundred milliseconds at most)


class _Grid:
    """The cells of a units × parts table as parallel lists, with its lines: a column (one part,
    or the total, over the unit tree) and a row (one unit's parts under its total)."""

    def __init__(
        self,
        cells: pd.DataFrame,
        key: str,
        parent: str,
        split: str,
        total: str,
        count: str,
        direct_count: str | None,
        threshold: int,
    ):
        self.keys, self.parents, self.splits = cells[key].tolist(), cells[parent].tolist(), cells[split].tolist()
        self.persons = cells[count].fillna(0).astype(float).tolist()
        self.direct = cells[direct_count].fillna(0).astype(float).tolist() if direct_count else None
        self.total, self.threshold = total, threshold
        self.columns, self.rows = defaultdict(list), defaultdict(list)
        for i, (k, s) in enumerate(zip(self.keys, self.splits)):
            self.columns[s].append(i)
            self.rows[k].append(i)
        position = {(k, s): i for i, (k, s) in enumerate(zip(self.keys, self.splits))}
        self.children = defaultdict(list)  # cell -> the cells of its child units in the same column
        for i, (p, s) in enumerate(zip(self.parents, self.splits)):
            if isinstance(p, str) and (p, s) in position:
                self.children[position[p, s]].append(i)
        self.total_of = {k: position.get((k, total)) for k in self.rows}
        # Rows first: `regions` takes the lowest dirty line next, so the short rows settle before a whole
        # column is looked at again (columns first re-ran a column after every row that changed).
        self.lines = [(self._row, positions) for positions in self.rows.values()]
        self.lines += [(self._column, positions) for positions in self.columns.values()]
        self.line_of = defaultdict(list)
        for n, (_, positions) in enumerate(self.lines):
            for i in positions:
                self.line_of[i].append(n)

    def _column(self, positions: list[int], reasons: list) -> dict[int, str]:
        return _suppress(
            [self.keys[i] for i in positions],
            [self.parents[i] for i in positions],
            [self.persons[i] for i in positions],
            None if self.direct is None else [self.direct[i] for i in positions],
            self.threshold,
            {self.keys[i]: reasons[i] for i in positions if isinstance(reasons[i], str)},
        )

    def _row(self, positions: list[int], reasons: list) -> dict[int, str]:
        # The total is the sum of the parts, with no members of its own.
        total = self.total
        return _suppress(
            [self.splits[i] for i in positions],
            [None if self.splits[i] == total else total for i in positions],
            [self.persons[i] for i in positions],
            [0.0 if self.splits[i] == total else self.persons[i] for i in positions],
            self.threshold,
            {self.splits[i]: reasons[i] for i in positions if isinstance(reasons[i], str)},
        )

    def regions(self, reasons: list, changed) -> list:
        """The rules of `protect` on the columns and rows through the changed cells, and on, until
        nothing changes."""
        dirty = {n for i in changed for n in self.line_of[i]}
        while dirty:
            n = min(dirty)
            dirty.discard(n)
            rule, positions = self.lines[n]
            for j, reason in rule(positions, reasons).items():
                i = positions[j]
                if not isinstance(reasons[i], str):
                    reasons[i] = reason
                    dirty.update(self.line_of[i])
        return reasons

    def sums(self, reasons: list) -> list:
        """Each part protected over the tree on its own; a total shows only where all its parts do."""
        parts = [positions for s, positions in self.columns.items() if s != self.total]
        changed = True
        while changed:
            changed = False
            for positions in parts:
                for j, reason in self._column(positions, reasons).items():
                    if not isinstance(reasons[positions[j]], str):
                        reasons[positions[j]], changed = reason, True
            for k, positions in self.rows.items():
                t = self.total_of[k]
                hidden_parts = [i for i in positions if i != t and isinstance(reasons[i], str) and self.persons[i] > 0]
                shown_parts = [
                    i for i in positions if i != t and not isinstance(reasons[i], str) and self.persons[i] > 0
                ]
                if t is not None and hidden_parts and not isinstance(reasons[t], str):
                    reasons[t], changed = COMPLEMENTARY, True
                elif t is not None and isinstance(reasons[t], str) and not hidden_parts and shown_parts:
                    # Hidden elsewhere, but the sum of its visible parts: one part goes too.
                    smallest = min(shown_parts, key=lambda i: (self.persons[i], self.splits[i]))
                    reasons[smallest], changed = COMPLEMENTARY, True
        return reasons

    def too_large(self, reasons: list) -> bool:
        """More hidden cells with members than the exact check takes on (the rest are known zeros)."""
        return sum(1 for i, r in enumerate(reasons) if isinstance(r, str) and self.persons[i] > 0) > AUDIT_LIMIT

    def leaks(self, reasons: list) -> list[list[int]]:
        """For each hidden cell, unit's own members in a part or small group of hidden cells that can be
        worked out from the visible cells, the visible totals it is worked out through (none when
        there are none, or the table is too large to check). Empty when nothing can be."""
        if self.too_large(reasons):
            return [[]]
        hidden = [isinstance(r, str) for r in reasons]
        unknown = [i for i, h in enumerate(hidden) if h and self.persons[i] > 0]  # the rest are known zeros
        unknowns = set(unknown)

        def terms(pairs: list[tuple[int, int]]) -> dict[int, int]:
            return {i: sign for i, sign in pairs if i in unknowns}

        def members(i: int) -> list[tuple[int, int]]:  # a cell minus its child units: its own members
            return [(i, 1)] + [(c, -1) for c in self.children[i]]

        # What the visible cells tie together: each total is the sum of its parts, and a part's cell is
        # the sum of its child units' cells where the unit has no members of its own in that part.
        equations: list[tuple[dict, int | None]] = []
        for k, positions in self.rows.items():
            t = self.total_of[k]
            if t is not None:
                equations.append((terms([(t, 1)] + [(i, -1) for i in positions if i != t]), None if hidden[t] else t))
        for i in range(len(reasons)):
            if self.splits[i] != self.total and self.children[i] and self._own(i) <= 0:
                equations.append((terms(members(i)), None))
        equations = [(e, t) for e, t in equations if e]
        targets = [{i: 1} for i in unknown]
        for i in range(len(reasons)):
            if self.splits[i] != self.total and 0 < self._own(i) < self.threshold:
                targets.append(terms(members(i)))
        groups = [[i for i in positions if i != self.total_of[k] and hidden[i]] for k, positions in self.rows.items()]
        groups += [[c for c in kids if hidden[c]] for kids in self.children.values()]
        targets += [
            terms([(i, 1) for i in group])
            for group in groups
            if 0 < sum(self.persons[i] for i in group) < self.threshold
        ]
        if any(not t for t in targets):
            return [[]]  # nothing hidden in it: it is there to read
        # The equations fall apart into groups that share no hidden cell; each is solved on its own.
        part = {i: i for i in unknown}

        def root(i: int) -> int:
            while part[i] != i:
                part[i] = part[part[i]]
                i = part[i]
            return i

        for e, _ in equations:
            first, *rest = e
            for i in rest:
                part[root(i)] = root(first)
        blocks = defaultdict(list)
        for n, (e, _) in enumerate(equations):
            blocks[root(next(iter(e)))].append(n)
        spans = {}
        for block, rows in blocks.items():
            cells = sorted({i for n in rows for i in equations[n][0]})
            a = np.zeros((len(rows), len(cells)))
            column = {i: c for c, i in enumerate(cells)}
            for r, n in enumerate(rows):
                for i, sign in equations[n][0].items():
                    a[r, column[i]] = sign
            u, size, vt = np.linalg.svd(a, full_matrices=False)
            keep = size > 1e-9 * size.max()
            spans[block] = (column, rows, u[:, keep], size[keep], vt[keep])
        # Each target falls apart by block too; a block's pieces are checked together, as one matrix.
        pieces = defaultdict(list)  # block -> [(target number, {cell: sign})]
        workable = []
        for t, target in enumerate(targets):
            by_block = defaultdict(dict)
            for i, sign in target.items():
                by_block[root(i)][i] = sign
            if all(block in spans for block in by_block):  # a hidden cell no equation touches cannot be worked out
                workable.append(t)
                for block, piece in by_block.items():
                    pieces[block].append((t, piece))
        outside, used = set(), defaultdict(set)
        for block, items in pieces.items():
            column, rows, u, size, basis = spans[block]
            v = np.zeros((len(items), len(column)))
            for n, (_, piece) in enumerate(items):
                for i, sign in piece.items():
                    v[n, column[i]] = sign
            along = v @ basis.T
            inside = np.abs(v - along @ basis).max(axis=1) <= 1e-6
            # Which equations add up to it: their visible totals are where it leaks. The fewest-weights
            # combination (what a least-squares solve gives) from the same decomposition, a = u·size·basis.
            weights = (along / size) @ u.T
            for n, (t, _) in enumerate(items):
                if inside[n]:
                    used[t].update(equations[rows[r]][1] for r in np.flatnonzero(np.abs(weights[n]) > 1e-9))
                else:
                    outside.add(t)
        return [sorted(used[t] - {None}) for t in workable if t not in outside]

    def _own(self, i: int) -> float:
        """A cell's own members: given, or its persons minus its child units' (never below zero)."""
        if self.direct is not None:
            return self.direct[i]
        return max(0.0, self.persons[i] - sum(self.persons[c] for c in self.children[i]))


def _flags(cells: pd.DataFrame, suppressed: pd.Series | None) -> list[bool]:
    """The cells hidden beforehand, by position."""
    return [False] * len(cells) if suppressed is None else suppressed.reindex(cells.index).fillna(False).tolist()


def _blank(cells: pd.DataFrame, reasons: list, threshold: int, noun: str, columns: list[str]) -> Protected:
    out = cells.copy()
    out["suppression_reason"] = pd.Series(reasons, index=out.index, dtype=object)
    out["suppressed"] = out["suppression_reason"].notna()
    for column in columns:
        out[column] = out[column].astype(_nullable(out[column])).mask(out["suppressed"], pd.NA)
    return Protected(out, threshold, noun)


def _suppress(
    keys: list,
    parents: list,
    persons: list[float],
    direct_persons: list[float] | None,
    threshold: int,
    preset: dict | None = None,
) -> dict[int, str]:
    """Position -> reason for the cells of one hierarchy, given as parallel lists.

    `preset` maps cells hidden beforehand to their reason; they stay hidden.
    """
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

    reason = {k: PRIMARY if counts[k] < threshold else r for k, r in (preset or {}).items() if k in counts}
    reason.update({k: PRIMARY for k, n in counts.items() if n < threshold})
    # hidden[k]: persons under k that no visible descendant accounts for, were k suppressed. For a
    # visible cell it is exactly the region its visible children leave open.
    hidden = {}
    for k in _bottom_up(counts, parent_of, children):
        hidden[k] = direct[k] + sum(hidden[c] for c in children[k] if c in reason)

    def open_region(k: str) -> bool:
        if k in reason or hidden[k] <= 0:
            return False
        # One hidden child and nobody of the parent's own: the parent minus the rest is that child.
        alone = direct[k] <= 0 and sum(1 for c in children[k] if c in reason and hidden[c] > 0) == 1
        return hidden[k] < threshold or alone

    def buried(k: str) -> bool:
        """Hidden, but every member is in a visible child: the children add up to it."""
        return k in reason and hidden[k] <= 0 and counts[k] > 0

    def needs_work(k: str) -> bool:
        return open_region(k) or buried(k)

    # Cells are checked in table order, always the first open region next, so the outcome does not
    # depend on scheduling. Suppressing a cell changes only the region of its nearest visible
    # ancestor, so that is the one cell to recheck (this keeps national trees linear, not quadratic).
    order = list(counts)
    position = {k: i for i, k in enumerate(order)}
    todo = [position[k] for k in order if needs_work(k)]
    heapq.heapify(todo)
    while todo:
        k = order[heapq.heappop(todo)]
        if not needs_work(k):
            continue
        visible = [c for c in children[k] if c not in reason]
        if buried(k):
            # Hide a child with members, best one that has hidden members of its own.
            chosen = min(
                (c for c in visible if counts[c] > 0), key=lambda c: (hidden[c] <= 0, counts[c], c), default=None
            )
            if chosen is None:
                continue
        else:
            # Only a sibling that adds hidden persons to the region helps; one fully covered by visible
            # children would be hidden in name only (its value is their sum).
            helpful = [c for c in visible if hidden[c] > 0]
            chosen = min(helpful, key=lambda c: (counts[c], c)) if helpful else k
        reason[chosen] = COMPLEMENTARY
        above = parent_of.get(chosen)
        while above is not None:
            hidden[above] += hidden[chosen]
            if above not in reason:
                break
            above = parent_of.get(above)
        for cell in (chosen, k, above):
            if cell is not None and needs_work(cell):
                heapq.heappush(todo, position[cell])
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


class PeriodError(ValueError):
    """A period that is not whole calendar months, asked for without access to single persons' data."""


def check_whole_months(period_from: date, period_to: date, as_of: date | None = None) -> None:
    """Refuse a period that does not begin on a month's first day and end on a month's last day.

    Figures for a day, or for two periods a day apart, would show what happened that day: the
    spells begun, their lengths, the one request made. `as_of` (how long running spells have
    lasted) moves in months too, or a spell's length could be read day by day.
    """
    if period_from.day != 1:
        raise PeriodError(
            f"Perioden skal bestå af hele kalendermåneder og begynde den 1. i en måned, ikke {period_from:%d-%m-%Y}."
        )
    if not _month_end(period_to):
        raise PeriodError(
            f"Perioden skal bestå af hele kalendermåneder og slutte på en måneds sidste dag, ikke {period_to:%d-%m-%Y}."
        )
    if as_of is not None and not _month_end(as_of):
        raise PeriodError(f"Opgørelsesdatoen skal være en måneds sidste dag, ikke {as_of:%d-%m-%Y}.")


def _month_end(day: date) -> bool:
    return day.day == calendar.monthrange(day.year, day.month)[1]


def _nullable(column: pd.Series) -> str:
    """A dtype that can hold NA without turning counts into 2308.0."""
    if pd.api.types.is_integer_dtype(column):
        return "Int64"
    return "Float64" if pd.api.types.is_numeric_dtype(column) else "object"
