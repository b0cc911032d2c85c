"""Absence figures for pages and exports, protected by the disclosure rules."""

from __future__ import annotations

from datetime import date

import pandas as pd

from trivsel import exports, org, settings
from trivsel.absence import measures
from trivsel.disclosure import Protected, protect
from trivsel.store import Store
from trivsel.views.memo import memoised

NOUN = "personer"
SUMMARY_METRICS = ["employed_fte_days", "absence_fte_days", "absence_rate_pct", "spells_started",
                   "reached_day5", "reached_day14", "reached_day28", "reached_day56", "child_sick_fte_days"]
EXPORT_COLUMNS = ["unit_id", "unit_name", "period_start", "period_end", "persons", "employed_fte_days",
                  "absence_fte_days", "absence_rate_pct", "spells_started", "reached_day5", "reached_day14",
                  "reached_day28", "reached_day56", "suppressed"]
# Days per full-time employee per year in working days (KL/KRL), from the domain brief.
NATIONAL_REFERENCES = {
    "Alle kommunalt ansatte 2022 (16 dage)": 16,
    "Social- og sundhedspersonale 2022 (21 dage)": 21,
}
WORKING_DAYS_PER_YEAR = 225  # about 261 weekdays minus holidays and 5-6 weeks of leave


def threshold(store: Store, override: int | None = None) -> int:
    minimum = settings.SETTINGS["threshold.absence"].minimum
    if override is not None and override < minimum:
        raise ValueError(f"Mindste antal personer kan ikke sættes under {minimum}.")
    return override if override is not None else settings.get(store, "threshold.absence")


def summary(store: Store, period_from: date, period_to: date, as_of: date | None = None,
            unit_id: str | None = None, min_persons: int | None = None) -> Protected:
    """One row per unit of the tree (or unit_id's subtree), every figure through disclosure control."""
    def compute() -> Protected:
        raw = measures.unit_summary(store, period_from, period_to, as_of, unit_id)
        raw["direct_persons"] = measures.direct_persons(store, raw["unit_id"].tolist(), period_from, period_to).values
        return protect(raw, threshold=threshold(store, min_persons), noun=NOUN, count="persons",
                       values=SUMMARY_METRICS, direct_count="direct_persons")

    return memoised(store, "absence.summary", (period_from, period_to, as_of, unit_id, min_persons), compute)


def export_table(protected: Protected) -> pd.DataFrame:
    """The unit-summary file: the exact columns, metric cells empty and suppressed=true when hidden."""
    table = protected.table.copy()
    table["absence_rate_pct"] = table["absence_rate_pct"].round(2)
    for column in ("employed_fte_days", "absence_fte_days"):
        table[column] = table[column].round(1)
    table["suppressed"] = table["suppressed"].map({True: "true", False: "false"})
    return table[EXPORT_COLUMNS]


def definitions(protected: Protected) -> pd.DataFrame:
    """The sheet that goes with the XLSX export: what each column means (under its Excel heading and its CSV
    name) and the suppression rule."""
    rows = [
        ("persons", "Antal personer med en ansættelse i enheden eller under den i perioden."),
        ("employed_fte_days", "Dage i perioden × fte, summeret over ansættelser."),
        ("absence_fte_days", "Sygefraværsdage (sygdom og arbejdsskade) × fte × grad, inden for ansættelse og periode."),
        ("absence_rate_pct", "100 × sygefraværsdage (årsværk) / ansatte årsværksdage (kalenderdage)."),
        ("spells_started", "Sygefraværsperioder, der begyndte i perioden."),
        (("reached_day5", "reached_day14", "reached_day28", "reached_day56"),
         "Af dem: perioder, der varede mindst 5, 14, 28 eller 56 dage (1-5-14-modellen)."),
        ("suppressed", (f"Ja: enheden har {protected.hidden_label()}, eller tallet kunne ellers regnes ud "
                        "ved at trække synlige tal fra hinanden. Tallene er da tomme.")),
    ]
    return exports.definitions(rows)


def monthly(store: Store, unit_id: str, period_from: date, period_to: date,
            as_of: date | None = None, with_parent: bool = True) -> Protected:
    """Monthly rates for a unit (and its parent, for comparison), each month protected on its own."""
    def compute() -> Protected:
        units = org.units(store).set_index("unit_id")
        parent = units.at[unit_id, "parent_id"] if with_parent else None
        ids = [unit_id] + ([parent] if isinstance(parent, str) else [])
        rates = measures.monthly_rates(store, ids, period_from, period_to, as_of)
        rates["parent_id"] = rates["unit_id"].map(lambda u: parent if u == unit_id else None)
        rates["unit_name"] = rates["unit_id"].map(units["unit_name"])
        return protect(rates, threshold=threshold(store), noun=NOUN, count="persons",
                       values=["employed_fte_days", "absence_fte_days", "absence_rate_pct"], group_by=("month",))

    return memoised(store, "absence.monthly", (unit_id, period_from, period_to, as_of, with_parent), compute)


def durations(store: Store, unit_id: str, period_from: date, period_to: date,
              as_of: date | None = None) -> Protected:
    """Spells by length, each bucket a child of the unit's total so no bucket can be subtracted out."""
    def compute() -> Protected:
        buckets = measures.duration_buckets(store, unit_id, period_from, period_to, as_of)
        # The total (shown in the milestone funnel) is the parent; a person with spells in two
        # buckets counts in both, as each bucket's figure is about them.
        total = pd.DataFrame({"bucket": ["I alt"], "spells": [buckets["spells"].sum()],
                              "persons": [buckets["persons"].sum()], "parent": [None]})
        cells = pd.concat([total, buckets.assign(parent="I alt")], ignore_index=True)
        return protect(cells, threshold=threshold(store), noun=NOUN, count="persons", values=["spells"],
                       key="bucket", parent="parent")

    return memoised(store, "absence.durations", (unit_id, period_from, period_to, as_of), compute)


def national_reference_rates() -> dict[str, float]:
    """The national reference points as a rate in percent of working days."""
    return {label: 100 * days / WORKING_DAYS_PER_YEAR for label, days in NATIONAL_REFERENCES.items()}
