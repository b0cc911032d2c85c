"""Supervision statistics for pages and exports: requests per area, unit, topic and month with the
median days to the first answer and to the first session, protected by the disclosure rules.

A cell with fewer requests than `threshold.supervision` is hidden, and so are enough neighbours
that no small group can be worked out by subtraction. Topics and months are each a split of the
whole area's total (the same number as the top unit row), so no table reveals another's hidden
cell. A median is shown only when at least the threshold of requests stand behind it.

Periods are whole calendar months: no role that sees these figures may see single requests, and a
period one day longer than another would show what was asked for that day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from trivsel import exports, settings
from trivsel.disclosure import COMPLEMENTARY, Protected, protect
from trivsel.disclosure.rules import check_whole_months
from trivsel.store import Store
from trivsel.supervision import statistics
from trivsel.surveys.definitions import Survey

NOUN = "anmodninger"
MEDIANS = {"median_days_to_first_response": "responded", "median_days_to_first_session": "with_session"}
EXPORT_COLUMNS = [
    "dimension",
    "key",
    "label",
    "period_start",
    "period_end",
    "requests",
    "median_days_to_first_response",
    "median_days_to_first_session",
    "suppressed",
]
TOTAL_LABEL = "Hele velfærdsområdet"


@dataclass(frozen=True)
class Summary:
    period_from: date
    period_to: date
    units: Protected  # every unit over its subtree; areas are the units right under the top
    topics: Protected  # key (topic id), label; the first row is the total
    months: Protected  # key (yyyy-mm), label; the first row is the total

    @property
    def areas(self) -> Protected:
        return self.units.subset(self.units.table["depth"] == 1)

    @property
    def total(self) -> pd.Series | None:
        """The top unit's row (the whole area), or None before any unit exists."""
        top = self.units.table[self.units.table["depth"] == 0]
        return None if top.empty else top.iloc[0]


def threshold(store: Store) -> int:
    return settings.get(store, "threshold.supervision")


def topic_labels(survey: Survey) -> dict[str, str]:
    return {o.value: o.label.da for o in survey.item("topic").options}


def _protect(cells: pd.DataFrame, limit: int, **keys) -> Protected:
    protected = protect(
        cells, threshold=limit, noun=NOUN, count="requests", values=[*MEDIANS, *MEDIANS.values()], **keys
    )
    table = protected.table
    for median, basis in MEDIANS.items():
        # A median of fewer than the threshold is nearly the individual delays: leave it out.
        thin = ~table["suppressed"] & (table[basis].fillna(0) < limit)
        table.loc[thin, median] = pd.NA
    return protected


def _hide_all(protected: Protected) -> Protected:
    table = protected.table.copy()
    fresh = ~table["suppressed"]
    table.loc[fresh, "suppression_reason"] = COMPLEMENTARY
    table["suppressed"] = True
    for column in ["requests", *MEDIANS, *MEDIANS.values()]:
        table[column] = pd.Series(pd.NA, index=table.index, dtype=table[column].dtype)
    return Protected(table, protected.threshold, protected.noun)


def summary(store: Store, period_from: date, period_to: date, survey: Survey) -> Summary:
    """Requests that came in during [period_from, period_to], split four ways, after disclosure control."""
    if period_to < period_from:
        raise ValueError("Slutdatoen ligger før startdatoen.")
    check_whole_months(period_from, period_to)
    limit = threshold(store)
    units = _protect(statistics.by_unit(store, period_from, period_to), limit, direct_count="own")
    labels = topic_labels(survey)
    topic_cells = statistics.by_topic(store, period_from, period_to, list(labels))
    topic_cells["label"] = (
        topic_cells["key"].map(lambda k: labels.get(k, k)).where(topic_cells["key"] != statistics.TOTAL, TOTAL_LABEL)
    )
    topics = _protect(topic_cells, limit, key="key", parent="parent")
    month_cells = statistics.by_month(store, period_from, period_to)
    month_cells["label"] = month_cells["key"].where(month_cells["key"] != statistics.TOTAL, TOTAL_LABEL)
    months = _protect(month_cells, limit, key="key", parent="parent")
    top = units.table[units.table["depth"] == 0]
    if top.empty or top["suppressed"].any():
        # The splits add up to the top figure: when it is hidden, they are too.
        topics, months = _hide_all(topics), _hide_all(months)
    return Summary(period_from, period_to, units, topics, months)


def export_table(result: Summary) -> pd.DataFrame:
    """One file: rows for each area, unit, topic and month with the exact EXPORT_COLUMNS."""
    parts = []
    for dimension, protected, key, label in (
        ("area", result.areas, "unit_id", "unit_name"),
        ("unit", result.units, "unit_id", "unit_name"),
        ("topic", result.topics, "key", "label"),
        ("month", result.months, "key", "label"),
    ):
        table = protected.table
        if dimension in ("topic", "month"):
            table = table[table["key"] != statistics.TOTAL]
        parts.append(
            pd.DataFrame(
                {
                    "dimension": dimension,
                    "key": table[key].astype(str),
                    "label": table[label].astype(str),
                    "requests": table["requests"],
                    "median_days_to_first_response": table["median_days_to_first_response"].round(1),
                    "median_days_to_first_session": table["median_days_to_first_session"].round(1),
                    "suppressed": table["suppressed"].map({True: "true", False: "false"}),
                }
            )
        )
    out = pd.concat(parts, ignore_index=True)
    out["period_start"] = result.period_from.isoformat()
    out["period_end"] = result.period_to.isoformat()
    return out[EXPORT_COLUMNS]


def definitions(result: Summary) -> pd.DataFrame:
    """The sheet that goes with the XLSX export."""
    hidden = result.units.hidden_label()
    limit = result.units.threshold
    rows = [
        ("dimension", "Område, Enhed (med alt under den), Emne eller Måned."),
        ("key", "Enheds-id, emnets id eller måneden (åååå-mm)."),
        ("label", "Enhedens navn, emnet eller måneden."),
        (("period_start", "period_end"), "Anmodninger, der kom ind i perioden (begge dage med)."),
        ("requests", "Antal anmodninger om gruppesupervision."),
        (
            "median_days_to_first_response",
            "Median antal kalenderdage fra anmodningen kom ind til supervisorens "
            + f"første svar; tomt, når færre end {limit} har fået svar.",
        ),
        (
            "median_days_to_first_session",
            "Median antal kalenderdage fra anmodningen kom ind til første planlagte "
            + f"session; tomt, når færre end {limit} har en session.",
        ),
        (
            "suppressed",
            f"Ja: gruppen har {hidden}, eller tallet kunne ellers regnes ud ved at trække synlige "
            + "tal fra hinanden. Tallene er da tomme.",
        ),
    ]
    return exports.definitions(rows)
