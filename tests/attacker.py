"""An automated attacker: what can be worked out by linear combination of the visible cells?

Each unit's direct members are one unknown; a visible cell reveals the sum over its subtree.
A group is derivable when its indicator vector lies in the span of the visible cells' vectors.
Members nobody belongs to are known to add nothing (headcounts are no secret), so they are left out.
For a table split two ways (units × spell lengths or months, with a total), the unknowns are
each unit's direct members in each part, and a total is the sum over the parts.
"""

import numpy as np
import pandas as pd


def subtrees(parent_of: dict[str, str | None]) -> dict[str, set[str]]:
    children: dict[str, list[str]] = {k: [] for k in parent_of}
    for k, p in parent_of.items():
        if p in children:
            children[p].append(k)

    def collect(k: str) -> set[str]:
        return {k}.union(*(collect(c) for c in children[k]))

    return {k: collect(k) for k in parent_of}


def derivable(visible_rows: list[np.ndarray], target: np.ndarray) -> bool:
    if not visible_rows:
        return False
    m = np.array(visible_rows, dtype=float)
    return np.linalg.matrix_rank(np.vstack([m, target])) == np.linalg.matrix_rank(m)


def in_span(visible_rows: list[np.ndarray], targets: list[np.ndarray]) -> list[bool]:
    """derivable() for many targets at once: the part of each target outside the visible rows' span."""
    if not targets:
        return []
    if not visible_rows:
        return [False] * len(targets)
    _, s, vt = np.linalg.svd(np.array(visible_rows, dtype=float), full_matrices=False)
    basis = vt[s > 1e-9 * s.max()]
    t = np.array(targets, dtype=float)
    rest = t - (t @ basis.T) @ basis
    return list(np.abs(rest).max(axis=1) < 1e-6)


def assert_nothing_small_derivable(
    table: pd.DataFrame, direct: dict[str, float], threshold: int, key: str = "unit_id", parent: str = "parent_id"
) -> None:
    """Fail when a hidden cell, a small own-staff group or a small set of hidden siblings can be derived."""
    parent_of = {k: (p if isinstance(p, str) else None) for k, p in zip(table[key], table[parent])}
    keys = list(parent_of)
    position = {k: i for i, k in enumerate(keys)}
    below = subtrees(parent_of)
    hidden = dict(zip(table[key], table["suppressed"]))

    def indicator(members: set[str]) -> np.ndarray:
        v = np.zeros(len(keys))
        v[[position[m] for m in members if direct[m] > 0]] = 1
        return v

    def persons(members: set[str]) -> float:
        return sum(direct[m] for m in members)

    rows = [indicator(below[k]) for k in keys if not hidden[k]]
    for k in keys:
        if hidden[k] and persons(below[k]) > 0:
            assert not derivable(rows, indicator(below[k])), f"the hidden cell {k} can be derived"
        if 0 < direct[k] < threshold:
            assert not derivable(rows, indicator({k})), f"the own staff of {k} can be derived"
    for p in keys:
        kids = [k for k in keys if parent_of[k] == p and hidden[k]]
        members = set().union(*(below[k] for k in kids))
        if 0 < persons(members) < threshold:
            assert not derivable(rows, indicator(members)), f"the hidden children of {p} can be derived"


def assert_regions_safe(
    table: pd.DataFrame, direct: dict[str, float], threshold: int, key: str = "unit_id", parent: str = "parent_id"
) -> None:
    """Fail when a visible cell leaves open a small region: its own members plus those of the hidden
    cells below it that no visible cell covers (what the cell minus its visible children gives away).
    Units with no members of their own are known zeros. The rule promises 0 or at least the threshold."""
    parent_of = {k: (p if isinstance(p, str) else None) for k, p in zip(table[key], table[parent])}
    hidden = dict(zip(table[key], table["suppressed"]))
    children: dict[str, list[str]] = {k: [] for k in parent_of}
    for k, p in parent_of.items():
        if p in children:
            children[p].append(k)

    def uncovered(k: str) -> float:
        return direct[k] + sum(uncovered(c) for c in children[k] if hidden[c])

    for k in parent_of:
        if not hidden[k]:
            region = uncovered(k)
            assert region == 0 or region >= threshold, f"{k} minus its visible children leaves {region}"


def assert_nothing_small_derivable_in_grid(
    table: pd.DataFrame,
    direct: dict[tuple[str, str], float],
    threshold: int,
    *,
    split: str,
    total: str,
    key: str = "unit_id",
    parent: str = "parent_id",
    visible: pd.Series | None = None,
    extra: list[tuple[str, list[str]]] = (),
) -> None:
    """The same attack on a table of units × parts plus a total per unit (e.g. spell lengths and all spells).

    `direct[(unit, part)]` is the persons directly in the unit with something in that part (the total
    is not a part). `visible` (default: not suppressed) says which cells the attacker sees; `extra` adds
    other figures shown, each the sum of some parts of one unit (a funnel level: the spells that reached
    day 14 are the spell lengths from 14 days up).
    """
    shown = ~table["suppressed"] if visible is None else visible
    units = list(dict.fromkeys(table[key]))
    parts = [s for s in dict.fromkeys(table[split]) if s != total]
    parent_of = dict.fromkeys(units)
    for u, p in zip(table[key], table[parent]):
        parent_of[u] = p if isinstance(p, str) and p in parent_of else None
    below = subtrees(parent_of)
    atom = {(u, s): i for i, (u, s) in enumerate((u, s) for u in units for s in parts)}

    def vector(cells: set[tuple[str, str]]) -> np.ndarray:
        v = np.zeros(len(atom))
        v[[atom[c] for c in cells if direct.get(c, 0) > 0]] = 1
        return v

    def members(u: str, s: str) -> set[tuple[str, str]]:
        return {(v, p) for v in below[u] for p in (parts if s == total else [s])}

    def persons(cells: set[tuple[str, str]]) -> float:
        return sum(direct.get(c, 0) for c in cells)

    cells = list(zip(table[key], table[split]))
    rows = [vector(members(u, s)) for (u, s), seen in zip(cells, shown) if seen]
    rows += [vector(set().union(*(members(u, s) for s in some))) for u, some in extra]
    targets: list[tuple[str, set]] = []
    for (u, s), seen in zip(cells, shown):
        if not seen and persons(members(u, s)) > 0:
            targets.append((f"the hidden cell {u} × {s}", members(u, s)))
    for u in units:
        for s in parts:
            if 0 < direct.get((u, s), 0) < threshold:
                targets.append((f"the own staff of {u} in {s}", {(u, s)}))
        hidden_parts = set().union(
            *(members(u, s) for (v, s), seen in zip(cells, shown) if v == u and s != total and not seen)
        )
        if 0 < persons(hidden_parts) < threshold:
            targets.append((f"the hidden parts of {u}", hidden_parts))
    for s in [*parts, total]:
        for p in units:
            kids = [u for (u, t), seen in zip(cells, shown) if t == s and parent_of[u] == p and not seen]
            group = set().union(*(members(u, s) for u in kids))
            if 0 < persons(group) < threshold:
                targets.append((f"the hidden children of {p} in {s}", group))
    found = in_span(rows, [vector(group) for _, group in targets])
    leaks = [what for (what, _), hit in zip(targets, found) if hit]
    assert not leaks, f"derivable: {leaks[:5]}"


def direct_persons(store, unit_ids: list[str], period_from, period_to) -> pd.Series:
    """Distinct persons employed in each unit itself (not below it) during the period, by unit_id, counted
    here independently of the summary query (whose own `direct_persons` disclosure control uses)."""
    counts = store.query_df(
        """
        SELECT unit_id, count(DISTINCT employee_id) AS persons FROM employments
        WHERE unit_id IN (SELECT unnest(?::VARCHAR[])) AND start_date <= ? AND coalesce(end_date, ?) >= ?
        GROUP BY unit_id
        """,
        [list(unit_ids), period_to, period_to, period_from],
    ).set_index("unit_id")["persons"]
    return counts.reindex(unit_ids, fill_value=0).astype("int64")
