"""Absence figures for pages and exports, protected by the disclosure rules.

Protection is decided once for the whole tree, for each period, as-of date and threshold: a
leader's subtree, an export for one unit, a unit's monthly trend and its spell lengths are all
rows cut from that one protected table, so a cell hidden anywhere is hidden everywhere.

- Months: each calendar month (clipped to the period asked for) is protected over the whole tree
  on its own, whatever period it is part of. A period's figures are sums of its months, so a unit
  shows for a period only where it shows in every one of its months: then no two periods, and no
  period beside its monthly trend, can be subtracted to give a hidden month.
- Spell lengths: the spells begun in the period, in all and by length, are one table with the
  unit tree (disclosure.rules.protect_grid). spells_started is the total and reached_dayN the
  buckets from day N up, so each is left blank where the visible buckets would not give it anyway.
  The buckets and the reached_dayN columns follow the follow-up days (config.milestones()).
- Without access to single persons' absence (only the sygefraværsrådgiver and leaders have it,
  through the 1-5-14 list), periods and the as-of date are whole calendar months.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from trivsel import exports, org, settings
from trivsel.absence import followup, measures
from trivsel.disclosure import Protected, protect
from trivsel.disclosure.rules import check_whole_months, protect_grid
from trivsel.store import Store
from trivsel.store.memo import memoised, memoised_each

NOUN = "personer"
TOTAL = "I alt"  # the spell-length table's row with all spells begun
# The unit summary's and its export's columns, before and after the reached_dayN columns.
_RATE_COLUMNS = ["employed_fte_days", "absence_fte_days", "absence_rate_pct", "spells_started"]
_EXPORT_FIRST = ["unit_id", "unit_name", "period_start", "period_end", "persons", *_RATE_COLUMNS]
# Days per full-time employee per year in working days (KL/KRL), from the domain brief.
NATIONAL_REFERENCES = {
    "Alle kommunalt ansatte 2022 (16 dage)": 16,
    "Social- og sundhedspersonale 2022 (21 dage)": 21,
}
WORKING_DAYS_PER_YEAR = 225  # about 261 weekdays minus holidays and 5-6 weeks of leave


def reached_columns() -> dict[str, int]:
    """reached_dayN -> N for the follow-up days after day 1, in order (5, 14, 28, 56 by default)."""
    return {f"reached_day{day}": day for day in measures.reached_days()}


def export_columns() -> list[str]:
    """The unit-summary file's columns (docs/data-formats.md): reached_dayN follow the follow-up days."""
    return [*_EXPORT_FIRST, *reached_columns(), "suppressed"]


def funnel_steps() -> dict[str, str]:
    """The 1-5-14 funnel, label -> summary column: the spells begun, then those that reached each day."""
    labels = {m.day: m.label for m in followup.milestones()}
    return {"Begyndt": "spells_started", **{labels[day]: column for column, day in reached_columns().items()}}


def threshold(store: Store, override: int | None = None) -> int:
    """The admin's threshold, or a higher one asked for (an override can only hide more)."""
    admin = settings.get(store, "threshold.absence")
    if override is not None and override < admin:
        raise ValueError(f"Mindste antal personer kan ikke sættes under administratorens tærskel på {admin}.")
    return admin if override is None else override


def check_period(period_from: date, period_to: date, as_of: date | None = None, person_level: bool = False) -> None:
    """Whole calendar months, unless the caller may see single persons' absence anyway."""
    if not person_level:
        check_whole_months(period_from, period_to, as_of)


def summary(
    store: Store,
    period_from: date,
    period_to: date,
    as_of: date | None = None,
    unit_id: str | None = None,
    min_persons: int | None = None,
    *,
    person_level: bool = False,
) -> Protected:
    """One row per unit of the tree, or of unit_id's subtree: rows of the whole tree's protected table."""
    check_period(period_from, period_to, as_of, person_level)
    units = _period(store, period_from, period_to, as_of, threshold(store, min_persons)).units
    if unit_id is None:
        return units
    if unit_id not in set(units.table["unit_id"]):
        raise ValueError(f"Ukendt enhed: {unit_id}.")
    return units.subset(units.table["unit_id"].isin(org.subtree_ids(store, unit_id)))


def durations(
    store: Store,
    unit_id: str,
    period_from: date,
    period_to: date,
    as_of: date | None = None,
    *,
    person_level: bool = False,
) -> Protected:
    """The unit's spells begun in the period by length (and "I alt"), cut from the whole tree's table."""
    check_period(period_from, period_to, as_of, person_level)
    lengths = _period(store, period_from, period_to, as_of, threshold(store)).lengths
    if unit_id not in set(lengths.table["unit_id"]):
        raise ValueError(f"Ukendt enhed: {unit_id}.")
    return lengths.subset(lengths.table["unit_id"] == unit_id)


def monthly(
    store: Store,
    unit_id: str,
    period_from: date,
    period_to: date,
    as_of: date | None = None,
    with_parent: bool = True,
    *,
    person_level: bool = False,
) -> Protected:
    """Monthly rates for a unit (and its parent, for comparison): rows of the whole tree's months."""
    check_period(period_from, period_to, as_of, person_level)

    def compute() -> Protected:
        units = org.units(store).set_index("unit_id")
        parent = units.at[unit_id, "parent_id"] if with_parent else None
        parent = parent if isinstance(parent, str) else None
        ids = [unit_id] + ([parent] if parent else [])
        months = _month_grid(store, period_from, period_to, threshold(store))
        cut = months.table[months.table["unit_id"].isin(ids)]
        cut = cut.assign(
            month=cut["start"].map(lambda d: d.replace(day=1)),
            parent_id=cut["unit_id"].map(lambda u: parent if u == unit_id else None),
            unit_name=cut["unit_id"].map(units["unit_name"]),
        )
        rates = measures.monthly_rates(store, ids, period_from, period_to, as_of).drop(columns="persons")
        table = cut.merge(rates, on=["unit_id", "month"], how="left")
        table = table.sort_values("unit_id", key=lambda u: u.map(ids.index), kind="stable").reset_index(drop=True)
        values = ["employed_fte_days", "absence_fte_days", "absence_rate_pct"]
        table[values] = table[values].astype("Float64").mask(table["suppressed"])
        return Protected(
            table[
                ["unit_id", "unit_name", "parent_id", "month", "persons", *values, "suppressed", "suppression_reason"]
            ],
            months.threshold,
            NOUN,
        )

    key = (unit_id, period_from, period_to, with_parent, as_of)
    return memoised(store, "absence.monthly", key, compute, reads_answers=False)


@dataclass(frozen=True)
class _Period:
    units: Protected  # the unit summary
    lengths: Protected  # spells begun, TOTAL and by length bucket, per unit


def _period(store: Store, period_from: date, period_to: date, as_of: date | None, limit: int) -> _Period:
    """The whole tree's summary and spell lengths for a period, protected as one."""
    as_of = as_of or period_to

    def compute() -> _Period:
        # A stricter threshold starts from what the admin's hides, so two files together show no more than one.
        admin = settings.get(store, "threshold.absence")
        floor = _period(store, period_from, period_to, as_of, admin) if limit > admin else None
        raw, lengths = measures.period_figures(store, period_from, period_to, as_of, milestones=days)
        months = _month_grid(store, period_from, period_to, limit).table
        hidden = raw["unit_id"].isin(months.loc[months["suppressed"], "unit_id"])
        if floor:
            hidden |= floor.units.table["suppressed"].to_numpy()
        units = protect(
            raw,
            threshold=limit,
            noun=NOUN,
            count="persons",
            values=[*_RATE_COLUMNS, *reached_columns(), "child_sick_fte_days"],
            direct_count="direct_persons",
            suppressed=hidden,
        )
        cells = pd.concat(
            [
                raw[["unit_id", "parent_id", "spells_started", "persons", "direct_persons"]]
                .rename(columns={"spells_started": "spells"})
                .assign(bucket=TOTAL),
                lengths.merge(raw[["unit_id", "parent_id"]], on="unit_id"),
            ],
            ignore_index=True,
        )
        order = {u: i for i, u in enumerate(raw["unit_id"])}
        cells = cells.sort_values("unit_id", key=lambda u: u.map(order), kind="stable").reset_index(drop=True)
        cells = cells[["unit_id", "parent_id", "bucket", "spells", "persons", "direct_persons"]]
        # All spells of a hidden unit stay hidden with it.
        before = (cells["bucket"] == TOTAL) & cells["unit_id"].isin(
            units.table.loc[units.table["suppressed"], "unit_id"]
        )
        if floor:
            before |= floor.lengths.table["suppressed"].to_numpy()
        protected = protect_grid(
            cells,
            threshold=limit,
            noun=NOUN,
            count="persons",
            values=["spells"],
            split="bucket",
            total=TOTAL,
            direct_count="direct_persons",
            suppressed=before,
        )
        return _Period(_follow_lengths(units, protected), protected)

    # The follow-up days are part of the key: they decide the buckets and the reached_dayN columns.
    days = measures.reached_days()
    key = (period_from, period_to, as_of, limit, days)
    return memoised(store, "absence.period", key, compute, reads_answers=False)


def _follow_lengths(units: Protected, lengths: Protected) -> Protected:
    """Blank spells_started and each reached_dayN where the visible spell lengths do not give it already."""
    labels = measures.bucket_labels()
    shown = ~lengths.table.pivot(index="unit_id", columns="bucket", values="suppressed").reindex(
        columns=[TOTAL, *labels], fill_value=True
    ).astype(bool)
    buckets = shown[labels].to_numpy()
    total = shown[TOTAL].to_numpy()
    table = units.table.copy()
    visible = {"spells_started": total}
    # reached_dayN is the buckets from the one that begins on day N (the first bucket begins on day 1).
    for i, level in enumerate(reached_columns(), start=1):
        # From day N up is the buckets from N, or all spells minus the buckets below N.
        visible[level] = buckets[:, i:].all(axis=1) | (total & buckets[:, :i].all(axis=1))
    for column, keep in visible.items():
        keep = pd.Series(keep, index=shown.index).reindex(table["unit_id"]).to_numpy()
        table[column] = table[column].mask(~keep)
    return Protected(table, units.threshold, units.noun)


def _month_grid(store: Store, period_from: date, period_to: date, limit: int) -> Protected:
    """Every unit in every calendar month of the period (clipped to it), each month protected over the
    whole tree on its own: the same cells whichever period they are part of."""
    windows = measures.month_windows(period_from, period_to)

    def compute(missing: list[tuple[date, date]]) -> dict:
        first, last = min(w[0] for w in missing), max(w[1] for w in missing)
        cells = measures.monthly_persons(store, first, last)
        cells = cells.merge(org.units(store)[["unit_id", "parent_id"]], on="unit_id")
        admin = settings.get(store, "threshold.absence")
        before = None
        if limit > admin:  # a stricter threshold hides at least what the admin's does
            floor = _month_grid(store, first, last, admin).table[["unit_id", "start", "suppressed"]]
            before = cells[["unit_id", "start"]].merge(floor, on=["unit_id", "start"], how="left")["suppressed"]
        protected = protect(
            cells,
            threshold=limit,
            noun=NOUN,
            count="persons",
            values=[],
            direct_count="direct_persons",
            group_by=("start",),
            suppressed=before,
        ).table
        parts = dict(iter(protected.groupby(["start", "end"], sort=False)))
        return {window: parts.get(window, protected.iloc[:0]) for window in missing}

    found = memoised_each(store, "absence.month", (limit,), windows, compute, reads_answers=False)
    return Protected(pd.concat([found[w] for w in windows], ignore_index=True), limit, NOUN)


def export_table(protected: Protected) -> pd.DataFrame:
    """The unit-summary file: the exact columns, metric cells empty and suppressed=true when hidden."""
    table = protected.table.copy()
    table["absence_rate_pct"] = table["absence_rate_pct"].round(2)
    for column in ("employed_fte_days", "absence_fte_days"):
        table[column] = table[column].round(1)
    table["suppressed"] = table["suppressed"].map({True: "true", False: "false"})
    return table[export_columns()]


def definitions(protected: Protected) -> pd.DataFrame:
    """The sheet that goes with the XLSX export: what each column means (under its Excel heading and its CSV
    name) and the suppression rule."""
    reached = reached_columns()
    lengths = [label.replace("–", "-") for label in measures.bucket_labels()]
    rows = [
        ("persons", "Antal personer med en ansættelse i enheden eller under den i perioden."),
        ("employed_fte_days", "Dage i perioden × fte, summeret over ansættelser."),
        ("absence_fte_days", "Sygefraværsdage (sygdom og arbejdsskade) × fte × grad, inden for ansættelse og periode."),
        ("absence_rate_pct", "100 × sygefraværsdage (årsværk) / ansatte årsværksdage (kalenderdage)."),
        ("spells_started", "Sygefraværsperioder, der begyndte i perioden."),
    ]
    if reached:
        rows.append(
            (
                tuple(reached),
                (
                    f"Af dem: perioder, der varede mindst {_listed(map(str, reached.values()), 'eller')} dage "
                    "(1-5-14-modellen). Perioder begyndt og nåede dag N er tomme i en synlig række, når de sammen "
                    f"med fordelingen på varighed ({_listed(lengths, 'og')} dage) ville vise en varighed, som færre "
                    f"end {protected.threshold} personer står bag."
                ),
            )
        )
    rows.append(
        (
            "suppressed",
            (
                f"Ja: enheden har {protected.hidden_label()} i perioden eller i en af dens måneder, "
                "eller tallet kunne ellers regnes ud ved at trække synlige tal fra hinanden. "
                "Tallene er da tomme."
            ),
        )
    )
    return exports.definitions(rows)


def _listed(words, last: str) -> str:
    """Danish enumeration: "a, b, c eller d"."""
    words = list(words)
    return f"{', '.join(words[:-1])} {last} {words[-1]}" if len(words) > 1 else "".join(words)


def national_reference_rates() -> dict[str, float]:
    """The national reference points as a rate in percent of working days."""
    return {label: 100 * days / WORKING_DAYS_PER_YEAR for label, days in NATIONAL_REFERENCES.items()}
