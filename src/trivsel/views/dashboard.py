"""The trivsel dashboards' figures: every number comes from a protected table.

Rounds are compared measure by measure, and a dimension is only compared across rounds
that asked all of its items (item ids are stable, so "the same items" means comparable).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from trivsel import org, settings
from trivsel.disclosure import Protected
from trivsel.store import Store
from trivsel.store.memo import memoised
from trivsel.surveys import actions, rounds
from trivsel.surveys.definitions import Survey
from trivsel.views import absence as absence_views
from trivsel.views import surveys as survey_views

NATIONAL_WHO5_MEAN = 68  # Danish population mean, from the domain brief
DRIVER_MINIMUM = 30  # respondents a key-driver analysis needs in its scope
MEASURE_LABELS = {
    "who5": "WHO-5 (0–100)",
    "who5_below_50": "WHO-5 under 50 (%)",
    "who5_28_or_less": "WHO-5 28 eller under (%)",
    "stay_share": "Forventer at blive (%)",
    "enps": "eNPS",
}


def measure_label(survey: Survey, measure: str) -> str:
    if measure in survey.dimensions:
        return survey.dimensions[measure].da
    return MEASURE_LABELS[measure]


def dated_rounds(store: Store, survey: Survey) -> list[rounds.Round]:
    """The survey's rounds, oldest first (imported rounds without dates first)."""
    found = [r for r in rounds.all_rounds(store) if r.survey_id == survey.id]
    return sorted(found, key=lambda r: (r.opens_on or date.min, r.label))


def _month_start(day: date, months_later: int = 0) -> date:
    """The first day of day's month, moved the given number of months."""
    index = day.year * 12 + day.month - 1 + months_later
    return date(index // 12, index % 12 + 1, 1)


def absence_period(rnd: rounds.Round, today: date) -> tuple[date, date] | None:
    """The absence period a round is compared with: the 12 whole calendar months before the month it
    closes in (or today's month, while it is open). Whole months: the absence figures of roles without
    person-level access never move by a day (views.absence refuses other periods).

    None for an imported round without dates.
    """
    if rnd.closes_on is None:
        return None
    first_of_month = _month_start(min(rnd.closes_on, today))
    return _month_start(first_of_month, -12), first_of_month - timedelta(days=1)


def following_period(rnd: rounds.Round, today: date) -> tuple[date, date] | None:
    """The 6 whole months after the month a round closed in, as far as whole months have passed."""
    if rnd.closes_on is None:
        return None
    start = _month_start(rnd.closes_on, 1)
    end = min(_month_start(start, 6), _month_start(today)) - timedelta(days=1)
    return (start, end) if end >= start else None


@dataclass(frozen=True)
class Card:
    key: str  # "rate", "who5", "who5_below_50", "enps", "stay_share", "absence"
    label: str
    value: float | None  # None when hidden or missing
    baseline: float | None
    hidden: bool
    unit: str  # "%", " point", ""


def headline(
    store: Store, survey: Survey, rnd: rounds.Round, baseline: rounds.Round | None, unit_id: str, today: date
) -> tuple[list[Card], str]:
    """The overview's cards for a unit, each beside the baseline round; and the hidden label."""

    def figures(r: rounds.Round | None) -> dict[str, tuple[float | None, bool]]:
        if r is None:
            return {}
        table = survey_views.summary(store, survey, r, today).table
        mine = table[table["unit_id"] == unit_id].set_index("measure")
        out = {
            m: (None if row["suppressed"] else _number(row["score"]), bool(row["suppressed"]))
            for m, row in mine.iterrows()
        }
        rates = survey_views.response_rates(store, r).table.set_index("unit_id")
        if unit_id in rates.index:
            out["rate"] = (
                None if rates.at[unit_id, "suppressed"] else _number(rates.at[unit_id, "rate_pct"]),
                bool(rates.at[unit_id, "suppressed"]),
            )
        period = absence_period(r, today)
        sick = absence_views.summary(store, *period).table.set_index("unit_id") if period else pd.DataFrame()
        if unit_id in sick.index:
            out["absence"] = (
                None if sick.at[unit_id, "suppressed"] else _number(sick.at[unit_id, "absence_rate_pct"]),
                bool(sick.at[unit_id, "suppressed"]),
            )
        return out

    now, then = figures(rnd), figures(baseline if baseline and baseline != rnd else None)
    specs = [
        ("rate", "Svarprocent", "%"),
        ("who5", "WHO-5", ""),
        ("who5_below_50", "WHO-5 under 50", "%"),
        ("enps", "eNPS", ""),
        ("stay_share", "Forventer at blive", "%"),
        ("absence", "Sygefravær", "%"),
    ]
    cards = [
        Card(
            key,
            label,
            now.get(key, (None, False))[0],
            then.get(key, (None, False))[0],
            now.get(key, (None, False))[1],
            unit,
        )
        for key, label, unit in specs
    ]
    return cards, f"færre end {settings.get(store, 'threshold.survey')}"


def _number(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def covers(store: Store, rnd: rounds.Round, unit_id: str) -> bool:
    """Whether the round asked the unit, or units under it (a unit outside the round has no figures)."""
    return bool(covering(store, [rnd], unit_id))


def covering(store: Store, candidates: list[rounds.Round], unit_id: str) -> list[rounds.Round]:
    """The rounds, in the order given, that asked the unit or units under it: two queries however many rounds
    (every dashboard run asks this of all forty rounds of ten years)."""
    ids = tuple(r.round_id for r in candidates)
    asked = memoised(store, "dashboard.covering", (*ids, "|", unit_id), lambda: _asking(store, ids, unit_id))
    return [r for r in candidates if r.round_id in asked]


def _asking(store: Store, round_ids: tuple[str, ...], unit_id: str) -> frozenset[str]:
    """Those of the rounds that asked the unit or units under it."""
    taking_part = rounds.units_of_rounds(store, list(round_ids))
    return frozenset(taking_part.loc[taking_part["unit_id"].isin(org.subtree_ids(store, unit_id)), "round_id"])


def _children_wide(table: pd.DataFrame, root: str, measures: list[str], column: str) -> pd.DataFrame:
    """root and its children as rows (root first), the given measures as columns; no rows when the round
    did not cover root."""
    shown = table[((table["unit_id"] == root) | (table["parent_id"] == root)) & table["measure"].isin(measures)]
    if not (shown["unit_id"] == root).any():
        return pd.DataFrame(columns=[*measures, "unit_name"], index=pd.Index([], name="unit_id"))
    wide = shown.pivot(index="unit_id", columns="measure", values=column).reindex(columns=measures)
    names = dict(zip(shown["unit_id"], shown["unit_name"]))
    order = [root] + [u for u in wide.index if u != root]
    return wide.loc[order].rename_axis(columns=None).assign(unit_name=lambda w: w.index.map(names))


def heatmap_measures(survey: Survey) -> list[str]:
    """The measures on the 0–100 scale (eNPS runs from −100 to 100 and is left out)."""
    return ["who5", *survey.dimensions, "stay_share"]


def heatmap(
    store: Store,
    survey: Survey,
    rnd: rounds.Round,
    root: str,
    sort_by: str,
    today: date | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Scores (NaN where hidden) and a hidden mask for root and its children × measures, sorted by a measure."""
    table = survey_views.summary(store, survey, rnd, today).table
    measures = heatmap_measures(survey)
    score = _children_wide(table, root, measures, "score")
    hidden = _children_wide(table, root, measures, "suppressed")
    if score.empty:
        return score, hidden
    children = score.index[1:]
    order = [root, *score.loc[children, sort_by].astype(float).sort_values(na_position="last").index]
    return score.loc[order], hidden.loc[order]


def trend(store: Store, survey: Survey, unit_ids: list[str], today: date | None = None) -> pd.DataFrame:
    """Each measure across the closed rounds for the given units: round, opens_on, unit, measure, score, hidden.

    An open round has no point yet (its results are withheld until it closes)."""
    today = today or date.today()
    every = [r for r in dated_rounds(store, survey) if r.results_released(today)]
    return memoised(
        store,
        "dashboard.trend",
        (survey.id, survey.version, *(r.round_id for r in every), "|", *unit_ids),
        lambda: _trend(store, survey, unit_ids, every, today),
    )


def _trend(store: Store, survey: Survey, unit_ids: list[str], every: list[rounds.Round], today: date) -> pd.DataFrame:
    rows = []
    asked_in = {round_id: kept.asked for round_id, kept in survey_views.respondents(store, survey, every).items()}
    summaries = survey_views.summaries(store, survey, every, today)
    for rnd in every:
        asked = asked_in.get(rnd.round_id, set())
        table = summaries[rnd.round_id].table
        for record in table[table["unit_id"].isin(unit_ids)].to_dict("records"):
            measure = record["measure"]
            needed = {i.id for i in survey.dimension_items(measure)} if measure in survey.dimensions else set()
            if needed - asked:
                continue  # this round did not ask the whole dimension: not comparable
            rows.append(
                (
                    rnd.label,
                    rnd.opens_on,
                    rnd.is_baseline,
                    record["unit_id"],
                    record["unit_name"],
                    measure,
                    _number(record["score"]),
                    bool(record["suppressed"]),
                )
            )
    return pd.DataFrame(
        rows, columns=["round", "opens_on", "is_baseline", "unit_id", "unit_name", "measure", "score", "hidden"]
    )


def who5_bands(store: Store, survey: Survey, rnd: rounds.Round, root: str, today: date | None = None) -> pd.DataFrame:
    """Per unit (root and its children): shares ≤ 28, 29–49 and ≥ 50, and the mean; NaN where hidden."""
    table = survey_views.summary(store, survey, rnd, today).table
    wide = _children_wide(table, root, ["who5", "who5_below_50", "who5_28_or_less"], "score")
    numbers = wide.drop(columns="unit_name").astype(float)
    return pd.DataFrame(
        {
            "unit_id": wide.index,
            "unit_name": wide["unit_name"],
            "≤ 28": numbers["who5_28_or_less"],
            "29–49": numbers["who5_below_50"] - numbers["who5_28_or_less"],
            "≥ 50": 100 - numbers["who5_below_50"],
            "mean": numbers["who5"],
        }
    ).reset_index(drop=True)


@dataclass(frozen=True)
class Drivers:
    respondents: int | None  # None when held back: the count itself could reveal a hidden cell
    table: pd.DataFrame | None  # dimension, label, r_stay, n_stay, r_enps, n_enps; None when held back


def drivers(store: Store, survey: Survey, rnd: rounds.Round, root: str, today: date | None = None) -> Drivers:
    """Pearson correlation of each dimension with intention to stay and with the 0–10 eNPS answer.

    Pairwise complete: n is the respondents who answered both. Shown only for a closed round and a scope
    with at least DRIVER_MINIMUM respondents whose every measure is visible in the protected summary, so
    no single answer moves a coefficient far and no count tells what a hidden cell holds.
    """
    summary = survey_views.summary(store, survey, rnd, today).table
    mine = summary[summary["unit_id"] == root]
    if mine.empty or mine["suppressed"].any():
        return Drivers(None, None)
    subtree = set(org.subtree_ids(store, root))
    per_person = survey_views.respondents(store, survey, [rnd])[rnd.round_id].measures
    scope = per_person[per_person["unit_id"].isin(subtree)]
    if len(scope) < DRIVER_MINIMUM:
        return Drivers(None, None)
    rows = []
    for dimension, name in survey.dimensions.items():
        row = {"dimension": dimension, "label": name.da}
        for outcome, column in (("stay", "stay_value"), ("enps", "enps_value")):
            pair = scope[[dimension, column]].astype(float).dropna()
            usable = len(pair) >= DRIVER_MINIMUM and pair[dimension].std() > 0 and pair[column].std() > 0
            row[f"r_{outcome}"] = float(np.corrcoef(pair[dimension], pair[column])[0, 1]) if usable else np.nan
            row[f"n_{outcome}"] = len(pair)
        rows.append(row)
    return Drivers(len(scope), pd.DataFrame(rows).sort_values("r_stay", ascending=False, na_position="last"))


def wellbeing_and_absence(
    store: Store, survey: Survey, rnd: rounds.Round, measure: str, following: bool, root: str, today: date
) -> pd.DataFrame:
    """One point per unit under root that passes the threshold in both datasets (unit level only)."""
    period = following_period(rnd, today) if following else absence_period(rnd, today)
    if period is None:
        return pd.DataFrame(columns=["unit_id", "unit_name", "score", "absence_rate_pct", "respondents"])
    subtree = set(org.subtree_ids(store, root))
    trivsel = survey_views.summary(store, survey, rnd, today).table
    trivsel = trivsel[(trivsel["measure"] == measure) & ~trivsel["suppressed"] & trivsel["unit_id"].isin(subtree)]
    sick = absence_views.summary(store, *period).table
    sick = sick[~sick["suppressed"]][["unit_id", "absence_rate_pct"]]
    both = trivsel[["unit_id", "unit_name", "score", "respondents"]].merge(sick, on="unit_id")
    return both.astype({"score": float, "absence_rate_pct": float})


def notes(store: Store, rnd: rounds.Round, root: str) -> pd.DataFrame:
    found = actions.notes(store, rnd.round_id, org.subtree_ids(store, root))
    return found.assign(status=found["status"].map(actions.STATUSES))


def response_rates(store: Store, rnd: rounds.Round, root: str) -> Protected:
    rates = survey_views.response_rates(store, rnd)
    return rates.subset(rates.table["unit_id"].isin(org.subtree_ids(store, root)))
