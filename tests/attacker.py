"""An automated attacker: what can be worked out by linear combination of the visible cells?

Each unit's direct members are one unknown; a visible cell reveals the sum over its subtree.
A group is derivable when its indicator vector lies in the span of the visible cells' vectors.
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


def assert_nothing_small_derivable(table: pd.DataFrame, direct: dict[str, float], threshold: int,
                                   key: str = "unit_id", parent: str = "parent_id") -> None:
    """Fail when a hidden cell, a small own-staff group or a small set of hidden siblings can be derived."""
    parent_of = {k: (p if isinstance(p, str) else None) for k, p in zip(table[key], table[parent])}
    keys = list(parent_of)
    position = {k: i for i, k in enumerate(keys)}
    below = subtrees(parent_of)
    hidden = dict(zip(table[key], table["suppressed"]))

    def indicator(members: set[str]) -> np.ndarray:
        v = np.zeros(len(keys))
        v[[position[m] for m in members]] = 1
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
