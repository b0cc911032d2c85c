"""The 1-5-14 follow-up for pages: spell-level lists (logged on every view) and protected compliance."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from trivsel import audit, org, settings
from trivsel.absence import followup
from trivsel.disclosure import Protected, protect
from trivsel.store import Store
from trivsel.store.memo import memoised

STATUS_LABELS = {
    "overskredet": "Overskredet",
    "i_dag": "I dag",
    "kommende": "Kommende",
    "alle_holdt": "Alle samtaler holdt",
}
# The list's columns in the order a reader needs them: what to do first, then who and where.
TABLE_COLUMNS = {
    "status": "Status",
    "conversation": "Næste samtale",
    "employee_id": "Medarbejder",
    "unit_names": "Enhed",
    "start_date": "Første sygedag",
    "day": "Sygedag nr.",
    "due_date": "Senest",
}

# Pixel widths: the status column first and wide enough for "Overskredet – dag 14", so it fits a phone whole.
WIDTHS = {
    "Status": 160,
    "Næste samtale": 140,
    "Medarbejder": 85,
    "Enhed": 150,
    "Første sygedag": 100,
    "Sygedag nr.": 75,
    "Senest": 95,
}


class OutOfScope(ValueError):
    pass


@dataclass(frozen=True)
class SpellLists:
    due: pd.DataFrame  # the list after every filter
    frequent: pd.DataFrame  # frequent-absence signals in the chosen units
    ongoing: int  # ongoing spells in the chosen units, whatever was recorded or filtered
    due_today: int
    overdue: int


def _chosen_units(store: Store, scope_root: str | None, unit: str | None) -> list[str]:
    """The units the user may see (scope_root: auth.Identity.scope), or the chosen unit's subtree within them."""
    allowed = org.visible_units(store, scope_root)["unit_id"].tolist()
    if unit is None:
        return allowed
    if unit not in allowed:
        raise OutOfScope("Du kan kun se sygeperioder for enheder i dit eget område.")
    return org.subtree_ids(store, unit)


def spell_lists(
    store: Store,
    today: date,
    scope_root: str | None,
    actor: str,
    *,
    unit: str | None = None,
    milestone: int | None = None,
    overdue_only: bool = False,
) -> SpellLists:
    """Due conversations and frequent-absence signals, with pseudonymous ids; the view is audited.

    `unit` narrows to that unit and everything under it, and must lie in the user's scope; `milestone`
    and `overdue_only` filter the list only, never the counts.
    """
    units = _chosen_units(store, scope_root, unit)
    due = followup.due_list(store, today, units)
    frequent = followup.frequent_absence(store, today, units)
    shown = due
    if milestone is not None:
        shown = shown[(shown["milestone"] == milestone).fillna(False)]
    if overdue_only:
        shown = shown[shown["status"] == "overskredet"]
    shown = shown.reset_index(drop=True)
    audit.record_alone(  # the page audits every run
        store,
        actor,
        "view_spell_level",
        scope=scope_root or "alle",
        unit=unit or "alle",
        milestone=milestone or "alle",
        overdue_only=overdue_only,
        due_rows=len(shown),
        frequent_rows=len(frequent),
    )
    return SpellLists(
        due=shown,
        frequent=frequent,
        ongoing=len(due),
        due_today=int((due["status"] == "i_dag").sum()),
        overdue=int((due["status"] == "overskredet").sum()),
    )


def table(due: pd.DataFrame) -> pd.DataFrame:
    """The list as the page shows it: the status with the milestone's day first, unit names, no ids of units."""
    status = [
        STATUS_LABELS[s] if pd.isna(m) else f"{STATUS_LABELS[s]} – dag {m}"
        for s, m in zip(due["status"], due["milestone"])
    ]
    return due.assign(status=status)[list(TABLE_COLUMNS)].rename(columns=TABLE_COLUMNS)


def compliance(
    store: Store, period_from: date, period_to: date, today: date, scope_root: str | None, unit: str | None = None
) -> Protected:
    """Share of reached milestones with a contact in time, per unit (own staff only, not rolled up), in the
    user's scope or the chosen unit's subtree within it."""
    chosen = _chosen_units(store, scope_root, unit)  # refuses a unit outside the scope before anything is kept
    return memoised(
        store,
        "followup.compliance",
        (period_from, period_to, today, *chosen),
        lambda: _compliance(store, period_from, period_to, today, chosen),
    )


def _compliance(store: Store, period_from: date, period_to: date, today: date, chosen: list[str]) -> Protected:
    units = org.units(store)
    figures = followup.compliance(store, period_from, period_to, today, chosen)
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


def compliance_by_area(store: Store, period_from: date, period_to: date, today: date) -> Protected:
    """compliance() for the top unit and each area (the units right under it), each over its whole subtree.

    Summed from the units' own figures and protected as one hierarchy: the top's own staff are what the
    visible areas leave. A person with milestones in two units of an area in the period counts twice.
    """
    return memoised(
        store,
        "followup.compliance_by_area",
        (period_from, period_to, today),
        lambda: _compliance_by_area(store, period_from, period_to, today),
    )


def _compliance_by_area(store: Store, period_from: date, period_to: date, today: date) -> Protected:
    units = org.units(store)
    figures = followup.compliance(store, period_from, period_to, today, units["unit_id"].tolist())
    figures = figures.set_index("unit_id").reindex(units["unit_id"], fill_value=0)
    columns = ["persons", "milestones_reached", "contacts_in_time"]
    rows = []
    for unit in units[units["depth"] <= 1].itertuples():
        subtree = figures.loc[org.subtree_ids(store, unit.unit_id), columns].sum()
        parent = unit.parent_id if unit.depth == 1 else None
        rows.append({"unit_id": unit.unit_id, "unit_name": unit.unit_name, "parent_id": parent, **subtree})
        rows[-1]["own"] = int(figures.at[unit.unit_id, "persons"]) if unit.depth == 0 else rows[-1]["persons"]
    cells = pd.DataFrame(rows, columns=["unit_id", "unit_name", "parent_id", *columns, "own"])
    cells["in_time_pct"] = (
        100 * cells["contacts_in_time"] / cells["milestones_reached"].where(cells["milestones_reached"] > 0)
    )
    return protect(
        cells,
        threshold=settings.get(store, "threshold.absence"),
        noun="personer",
        count="persons",
        values=["milestones_reached", "contacts_in_time", "in_time_pct"],
        direct_count="own",
    )
