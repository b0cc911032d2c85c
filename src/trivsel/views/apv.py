"""An APV's figures, protected: the mapping from its round of the APV survey, the areas to suggest as problems,
and the sickness absence of the unit beside the units above it.

The mapping is the unit's row of the round's survey summary (one score per area, 0–100, 100 favourable), cut
from the same protected table as every dashboard: nothing before the round has closed, and a hidden cell stays
hidden. Absence is in whole calendar months (the 12 before the month the round closed in, and the 12 before
those), from views.absence, which every role may see; no single person's absence is shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from trivsel import org, settings
from trivsel.apv import Apv
from trivsel.disclosure import Protected
from trivsel.store import Store
from trivsel.surveys import rounds
from trivsel.surveys.definitions import Survey
from trivsel.views import absence as absence_views
from trivsel.views import dashboard
from trivsel.views import surveys as survey_views


def mapping(store: Store, survey: Survey, found: Apv, today: date) -> Protected:
    """One row per area of the APV survey: respondents and score for the unit (over its subtree), protected."""
    table = survey_views.summary(store, survey, rounds.round_by_id(store, found.round_id), today)
    rows = (table.table["unit_id"] == found.unit_id) & table.table["measure"].isin(list(survey.dimensions))
    shown = table.subset(rows)
    return Protected(
        shown.table.assign(area=shown.table["measure"].map(lambda m: survey.dimensions[m].da)),
        shown.threshold,
        shown.noun,
    )


def suggestions(store: Store, areas: Protected, listed: set[str]) -> pd.DataFrame:
    """The shown areas scoring under the admin's level (apv.problem_level) and not on the problem list yet,
    lowest first."""
    level = settings.get(store, "apv.problem_level")
    table = areas.table
    low = ~table["suppressed"].astype(bool) & (table["score"] < level) & ~table["measure"].isin(listed)
    return table.loc[low, ["measure", "area", "score"]].sort_values("score").reset_index(drop=True)


@dataclass(frozen=True)
class Absence:
    period: tuple[date, date]
    previous: tuple[date, date]
    now: Protected  # the unit and every unit above it, in the period
    before: Protected  # the same units in the 12 months before


def absence(store: Store, found: Apv, today: date) -> Absence:
    """The unit's sickness absence and its trend against its area and the whole welfare area."""
    period = dashboard.absence_period(rounds.round_by_id(store, found.round_id), today)
    previous = (period[0].replace(year=period[0].year - 1), period[0] - timedelta(days=1))
    chain = _ancestors(store, found.unit_id)

    def rows(first: date, last: date) -> Protected:
        table = absence_views.summary(store, first, last)
        cut = table.subset(table.table["unit_id"].isin(chain))
        order = cut.table["unit_id"].map(chain.index)
        return Protected(cut.table.iloc[order.argsort()].reset_index(drop=True), cut.threshold, cut.noun)

    return Absence(period, previous, rows(*period), rows(*previous))


def _ancestors(store: Store, unit_id: str) -> list[str]:
    """The unit, then each unit above it up to the root."""
    parent = dict(zip(*org.units(store)[["unit_id", "parent_id"]].T.values))
    chain = [unit_id]
    while isinstance(parent.get(chain[-1]), str):
        chain.append(parent[chain[-1]])
    return chain
