"""The organisation: the unit tree, employments and the per-unit staff links."""

from __future__ import annotations

import secrets
from datetime import date

import pandas as pd

from trivsel import audit, config
from trivsel.store import Store, memo

LEVEL_NAMES = ["Velfærdsområde", "Område", "Aftaleenhed", "Afdeling"]


def units(store: Store) -> pd.DataFrame:
    """All units with their depth in the tree (0 = root) and a path of names for sorting (a copy: callers may
    change it). Kept per store generation: every figure reads the tree, often several times per run."""
    return memo.memoised(store, "unit_tree", (), lambda: _read_units(store), reads_answers=False).copy()


def _read_units(store: Store) -> pd.DataFrame:
    return store.query_df(
        """
        WITH RECURSIVE tree AS (
            SELECT unit_id, unit_name, parent_id, area, 0 AS depth, unit_name AS path
            FROM units WHERE parent_id IS NULL
            UNION ALL
            SELECT u.unit_id, u.unit_name, u.parent_id, u.area, t.depth + 1,
                   t.path || ' / ' || u.unit_name
            FROM units u JOIN tree t ON u.parent_id = t.unit_id
        )
        SELECT unit_id, unit_name, parent_id, area, depth, path FROM tree ORDER BY path
        """
    )


def subtree_ids(store: Store, root_id: str) -> list[str]:
    """The unit and every unit below it."""
    rows = store.query_all(
        """
        WITH RECURSIVE sub AS (
            SELECT unit_id FROM units WHERE unit_id = ?
            UNION ALL
            SELECT u.unit_id FROM units u JOIN sub s ON u.parent_id = s.unit_id
        )
        SELECT unit_id FROM sub ORDER BY unit_id
        """,
        [root_id],
    )
    return [r[0] for r in rows]


def visible_units(store: Store, scope: str | None) -> pd.DataFrame:
    """The units a user may see, as `units` gives them: the subtree under their scope (auth.Identity.scope,
    a leader's own unit), or the whole tree when the scope is None (every other role).

    The one home of this rule: pages, ui and views ask here rather than work a subtree out themselves.
    The top of what the user sees comes first (a unit's path is the start of every path below it).
    """
    tree = units(store)
    if scope is None:
        return tree
    return tree[tree["unit_id"].isin(subtree_ids(store, scope))].reset_index(drop=True)


def visible_parent(store: Store, scope: str | None, unit_id: str) -> str | None:
    """The unit's parent, to compare with, when the scope lets the user see it; else None."""
    shown = visible_units(store, scope).set_index("unit_id")["parent_id"]
    parent = shown.get(unit_id)
    return parent if parent in shown.index else None


def unit_name(store: Store, unit_id: str) -> str | None:
    return store.query_value("SELECT unit_name FROM units WHERE unit_id = ?", [unit_id])


def headcount(store: Store, unit_ids: list[str], on: date) -> pd.DataFrame:
    """Persons and fte employed directly in each unit on a day (no subtree roll-up)."""
    return store.query_df(
        """
        SELECT unit_id, count(DISTINCT employee_id) AS persons, round(sum(fte), 1) AS fte
        FROM employments
        WHERE unit_id IN (SELECT unnest(?::VARCHAR[]))
          AND start_date <= ? AND (end_date IS NULL OR end_date >= ?)
        GROUP BY unit_id
        """,
        [unit_ids, on, on],
    )


def staff_links(store: Store) -> pd.DataFrame:
    """The active staff link of every unit, as a full URL."""
    df = store.query_df(
        """
        SELECT u.unit_id, u.unit_name, l.token
        FROM units u JOIN unit_access_links l USING (unit_id)
        WHERE l.revoked_at IS NULL ORDER BY u.unit_name
        """
    )
    df["link"] = config.staff_page_url() + "?adgang=" + df.pop("token")
    return df


def ensure_staff_links(cur) -> int:
    """Give every unit without an active link a fresh random token; return how many were made."""
    missing = cur.execute(
        """SELECT unit_id FROM units WHERE unit_id NOT IN
           (SELECT unit_id FROM unit_access_links WHERE revoked_at IS NULL)"""
    ).fetchall()
    for (unit_id,) in missing:
        cur.execute(
            "INSERT INTO unit_access_links (token, unit_id) VALUES (?, ?)",
            [secrets.token_urlsafe(16), unit_id],
        )
    return len(missing)


def renew_staff_link(store: Store, unit_id: str, actor: str) -> None:
    """Revoke a unit's link (e.g. after it was shared too widely) and issue a new one."""

    def work(cur):
        cur.execute(
            "UPDATE unit_access_links SET revoked_at = current_timestamp WHERE unit_id = ? AND revoked_at IS NULL",
            [unit_id],
        )
        ensure_staff_links(cur)
        audit.record(cur, actor, "staff_link_renewed", unit_id=unit_id)

    store.write(work)


def unit_for_token(store: Store, token: str) -> tuple[str, str] | None:
    """The (unit_id, unit_name) an active staff link opens, or None."""
    if not token:
        return None
    return store.query_one(
        """SELECT u.unit_id, u.unit_name FROM unit_access_links l JOIN units u USING (unit_id)
           WHERE l.token = ? AND l.revoked_at IS NULL""",
        [token],
    )
