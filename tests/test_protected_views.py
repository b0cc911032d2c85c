"""Every protected table a view returns on the demo: where a row is suppressed, its figures are empty.

Pages mask hidden rows, but the table itself is what exports, caches and the next page read; a count
left in a suppressed row (a unit's responses beside its hidden response rate) is a leak however the
page shows it.
"""

from datetime import date

import pandas as pd

from trivsel import config
from trivsel.disclosure import Protected
from trivsel.surveys import rounds
from trivsel.surveys.definitions import load_all
from trivsel.views import absence, supervision
from trivsel.views import surveys as survey_views

CATALOG = load_all(config.surveys_dir())
SURVEY = CATALOG["trivsel"]
TODAY = date(2026, 11, 23)  # the demo's Efterår 2026 is open: its results are withheld
YEAR = (date(2025, 1, 1), date(2025, 12, 31))
MONTH_END = date(2026, 10, 31)
STRUCTURE = {"depth"}  # numbers that place a row in the tree, not figures about people


def protected_tables(store) -> dict[str, Protected]:
    found = {}
    for rnd in rounds.all_rounds(store):
        if rnd.survey_id == SURVEY.id:
            found[f"surveys.summary {rnd.label}"] = survey_views.summary(store, SURVEY, rnd, TODAY)
            found[f"comment groups {rnd.label}"] = survey_views._comment_groups(store, SURVEY, rnd)[0]
        found[f"surveys.response_rates {rnd.label}"] = survey_views.response_rates(store, rnd)
    found["absence.summary"] = absence.summary(store, *YEAR, MONTH_END)
    units = found["absence.summary"].table
    for unit in units.loc[units["suppressed"], "unit_id"].head(3).tolist() + [units["unit_id"].iloc[0]]:
        found[f"absence.monthly {unit}"] = absence.monthly(store, unit, *YEAR, MONTH_END)
        found[f"absence.durations {unit}"] = absence.durations(store, unit, *YEAR, MONTH_END)
    result = supervision.summary(store, *YEAR, CATALOG["supervision_request"])
    for part in ("units", "areas", "topics", "months"):
        found[f"supervision.summary {part}"] = getattr(result, part)
    return found


def test_every_suppressed_row_of_every_protected_view_has_empty_figures(demo_store):
    tables = protected_tables(demo_store)
    assert any(p.table["suppressed"].any() for p in tables.values())  # something is hidden to look at
    for name, protected in tables.items():
        table = protected.table
        figures = [
            c
            for c in table.columns
            if pd.api.types.is_numeric_dtype(table[c])
            and not pd.api.types.is_bool_dtype(table[c])
            and c not in STRUCTURE
        ]
        hidden = table.loc[table["suppressed"].astype(bool), figures]
        filled = hidden.notna().any()
        assert not filled.any(), f"{name}: suppressed rows keep {list(filled[filled].index)}"


def test_a_supervision_median_shows_only_over_enough_requests(demo_store):
    # A median of fewer than the threshold is nearly the single delays behind it.
    result = supervision.summary(demo_store, *YEAR, CATALOG["supervision_request"])
    for part in ("units", "topics", "months"):
        table = getattr(result, part).table
        for median, basis in supervision.MEDIANS.items():
            shown = table[median].notna()
            assert shown.any(), (part, median)
            assert (table.loc[shown, basis] >= result.units.threshold).all(), (part, median)
