"""The 1-5-14 follow-up for pages: spell-level lists (logged on every view) and protected compliance."""

from __future__ import annotations

from datetime import date

import pandas as pd

from trivsel import audit, org, settings
from trivsel.absence import followup
from trivsel.disclosure import Protected, protect
from trivsel.store import Store

STATUS_LABELS = {"overskredet": "Overskredet", "i_dag": "I dag", "kommende": "Kommende"}


def scope_units(store: Store, scope_root: str | None) -> list[str]:
    """The units a user may follow up: a leader's subtree, or the whole tree."""
    if scope_root:
        return org.subtree_ids(store, scope_root)
    return org.units(store)["unit_id"].tolist()


def spell_lists(store: Store, today: date, scope_root: str | None, actor: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Due conversations and frequent-absence signals, with pseudonymous ids; the view is audited."""
    units = scope_units(store, scope_root)
    due = followup.due_list(store, today, units)
    frequent = followup.frequent_absence(store, today, units)
    store.write(
        lambda cur: audit.record(
            cur, actor, "view_spell_level", scope=scope_root or "alle", due_rows=len(due), frequent_rows=len(frequent)
        )
    )
    return due, frequent


def compliance(store: Store, period_from: date, period_to: date, today: date, scope_root: str | None) -> Protected:
    """Share of reached milestones with a contact in time, per unit (own staff only, not rolled up)."""
    units = org.units(store)
    figures = followup.compliance(store, period_from, period_to, today, scope_units(store, scope_root))
    cells = units[["unit_id", "unit_name"]].merge(figures, on="unit_id")
    cells["in_time_pct"] = 100 * cells["contacts_in_time"] / cells["milestones_reached"]
    # Each unit's figure covers its own staff only, so no cell is the sum of others: flat.
    cells["parent_id"] = None
    return protect(
        cells,
        threshold=settings.get(store, "threshold.absence"),
        noun="personer",
        count="persons",
        values=["milestones_reached", "contacts_in_time", "in_time_pct"],
    )
