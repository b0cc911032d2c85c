"""Livsforløb figures for the konsulent: pooled results per survey, half-year and area, response rates, and the
share of new leaders recruited internally. Every figure goes through the disclosure layer.

A pool's results are withheld until its codes can no longer be used (the release rule of rounds); then each cell
(an area, or for the placement survey an education, and the whole welfare area) shows only with at least the
survey threshold of answers, with complementary suppression so that no small cell is found by subtraction.
There is no finer slicing than the half-year: a month would let one answer be read as the difference.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from trivsel import org, settings
from trivsel.disclosure import Protected, protect, withheld
from trivsel.lifecycle import events
from trivsel.lifecycle.pools import Period, pools
from trivsel.scoring import scores
from trivsel.store import Store
from trivsel.store.memo import memoised
from trivsel.surveys import responses
from trivsel.surveys.definitions import Survey

NOUN = "svar"
GROUP_BY_ANSWER = {events.PLACEMENT: "education"}  # placement satisfaction per education, not per area
TOTAL = "__alle__"
COLUMNS = ["period_start", "period", "group_id", "group_name", "parent_id", "measure", "respondents", "value"]


def measures(survey: Survey) -> dict[str, str]:
    """Measure id -> Danish label, in survey order: each dimension's score, each other 1-5 item's score, each
    0-10 item as an eNPS-style net score, and the share choosing each option of a choice item."""
    out = {f"dim:{d}": f"{label.da} (0-100)" for d, label in survey.dimensions.items()}
    grouping = GROUP_BY_ANSWER.get(survey.id)
    for item in survey.items:
        if item.type == "likert5" and item.dimension is None:
            out[f"item:{item.id}"] = f"{item.text.da} (0-100)"
        elif item.type == "scale0_10":
            out[f"net:{item.id}"] = f"{item.text.da} (nettoscore -100 til 100)"
        elif item.type in ("single_choice", "multiple_choice") and item.id != grouping:
            for option in item.options:
                out[f"share:{item.id}:{option.value}"] = f"{item.text.da} – {option.label.da} (andel i %)"
    return out


def _per_respondent(store: Store, survey: Survey, round_ids: list[str]) -> pd.DataFrame:
    """One row per response: round_id, unit_id, the grouping value and one column per measure (NaN unanswered)."""
    numeric = responses.responses_of_rounds(store, round_ids)
    scored = scores.respondent_scores(numeric, survey)
    out = numeric[["round_id", "response_id", "unit_id"]].copy()
    for dimension in survey.dimensions:
        out[f"dim:{dimension}"] = scored[dimension].to_numpy()
    choices = [i for i in survey.items if i.type in ("single_choice", "multiple_choice")]
    chosen = responses.choice_answers(store, round_ids, [i.id for i in choices])
    picked = {(r, i): set(t.split(",")) for r, i, t in zip(chosen["response_id"], chosen["item_id"], chosen["text"])}
    for item in survey.items:
        if item.type == "likert5" and item.dimension is None:
            values = numeric[item.id].to_numpy(dtype=float) if item.id in numeric else np.full(len(out), np.nan)
            out[f"item:{item.id}"] = (100 - (values - 1) * 25) if item.reverse else (values - 1) * 25
        elif item.type == "scale0_10":
            values = numeric[item.id] if item.id in numeric else pd.Series(np.nan, index=out.index)
            out[f"net:{item.id}"] = [np.nan if pd.isna(v) else scores.enps([v]) for v in values]
        elif item in choices:
            answers = [picked.get((r, item.id)) for r in out["response_id"]]
            if item.id == GROUP_BY_ANSWER.get(survey.id):
                out["group"] = [next(iter(a)) if a else None for a in answers]
                continue
            for option in item.options:
                out[f"share:{item.id}:{option.value}"] = [
                    np.nan if a is None else 100.0 * (option.value in a) for a in answers
                ]
    if "group" not in out:
        out["group"] = out["unit_id"]
    return out


def results(store: Store, survey: Survey, today: date) -> Protected:
    """Per half-year pool, group and measure: respondents and value (COLUMNS), newest period first, protected."""
    return memoised(
        store, "lifecycle.results", (survey.id, survey.version, today), lambda: _results(store, survey, today)
    )


def _results(store: Store, survey: Survey, today: date) -> Protected:
    found = pools(store)
    found = found[found["survey_id"] == survey.id].sort_values("period_start", ascending=False)
    labels = measures(survey)
    per_person = _per_respondent(store, survey, found["round_id"].tolist())
    names = _group_names(store, survey)
    cells = []
    for round_id, start in zip(found["round_id"], found["period_start"]):
        mine = per_person[per_person["round_id"] == round_id]
        groups = sorted(set(mine["group"].dropna()) | _known_groups(store, round_id, survey))
        for measure in labels:
            values = mine[measure]
            cells.append(_cell(start, TOTAL, None, measure, values))
            for group in groups:
                cells.append(_cell(start, group, TOTAL, measure, values[mine["group"] == group]))
    table = pd.DataFrame(cells, columns=["period_start", "group_id", "parent_id", "measure", "respondents", "value"])
    table.insert(1, "period", [Period(s).label() for s in table["period_start"]])
    table.insert(3, "group_name", table["group_id"].map(names).fillna(table["group_id"]))
    table["measure_name"] = table["measure"].map(labels)
    threshold = settings.get(store, "threshold.survey")
    released = pd.Series([Period(s).closes_on < today for s in table["period_start"]], index=table.index, dtype=bool)
    shown = protect(
        table[released].reset_index(drop=True),
        threshold=threshold,
        noun=NOUN,
        count="respondents",
        values=["value"],
        key="group_id",
        group_by=("period_start", "measure"),
    )
    held = withheld(table[~released], threshold=threshold, noun=NOUN, count="respondents", values=["value"])
    both = pd.concat([held.table, shown.table], ignore_index=True) if len(held.table) else shown.table
    return Protected(both.reset_index(drop=True), threshold, NOUN)


def _cell(start: date, group: str, parent: str | None, measure: str, values: pd.Series) -> tuple:
    answered = values.dropna()
    return (start, group, parent, measure, len(answered), float(answered.mean()) if len(answered) else np.nan)


def _group_names(store: Store, survey: Survey) -> dict[str, str]:
    if survey.id in GROUP_BY_ANSWER:
        item = next(i for i in survey.items if i.id == GROUP_BY_ANSWER[survey.id])
        return {TOTAL: "Alle uddannelser", **{o.value: o.label.da for o in item.options}}
    units = org.units(store)
    root = units.loc[units["parent_id"].isna(), "unit_name"]
    return {TOTAL: root.iloc[0] if len(root) else "I alt", **dict(zip(units["unit_id"], units["unit_name"]))}


def _known_groups(store: Store, round_id: str, survey: Survey) -> set[str]:
    """The areas that got letters, answered or not (an area with no answers is a cell of 0 too)."""
    if survey.id in GROUP_BY_ANSWER:
        return set()
    return set(responses.response_counts(store, round_id)["unit_id"])


def response_rates(store: Store, survey: Survey, today: date) -> Protected:
    """Per closed half-year: letters handed out and answers over the whole welfare area, and the rate. Counts of
    who took part, not of what they answered; shown only for a closed pool, so no single answer shows as a
    change, and hidden under the threshold of letters."""
    return memoised(
        store, "lifecycle.response_rates", (survey.id, today), lambda: _response_rates(store, survey, today)
    )


def _response_rates(store: Store, survey: Survey, today: date) -> Protected:
    found = pools(store)
    found = found[found["survey_id"] == survey.id].sort_values("period_start", ascending=False)
    rows = []
    for round_id, start in zip(found["round_id"], found["period_start"]):
        period = Period(start)
        if period.closes_on >= today:
            continue
        counts = responses.response_counts(store, round_id)
        letters, answers = int(counts["persons_at_start"].sum()), int(counts["responses"].sum())
        rows.append(
            (start, period.label(), TOTAL, None, letters, answers, 100.0 * answers / letters if letters else np.nan)
        )
    table = pd.DataFrame(
        rows, columns=["period_start", "period", "group_id", "parent_id", "letters", "answers", "rate"]
    )
    return protect(
        table,
        threshold=settings.get(store, "threshold.survey"),
        noun="breve",
        count="letters",
        values=["answers", "rate"],
        key="group_id",
        group_by=("period_start",),
    )


def internal_recruitment(store: Store, today: date, periods: int = 4) -> Protected:
    """Per half-year (the current one and those before it): new leaders and the share of them who had an earlier
    employment in the municipality. Hidden under the survey threshold of new leaders."""
    return memoised(
        store, "lifecycle.internal_recruitment", (today, periods), lambda: _internal_recruitment(store, today, periods)
    )


def _internal_recruitment(store: Store, today: date, periods: int) -> Protected:
    current = Period.of(today)
    chosen = [current]
    for _ in range(periods - 1):
        chosen.append(chosen[-1].previous())
    leaders = events.new_leaders(store, chosen[-1].start, current.end)
    rows = []
    for period in chosen:
        mine = leaders[(leaders["anchor_date"] >= period.start) & (leaders["anchor_date"] <= period.end)]
        share = 100.0 * mine["internal"].mean() if len(mine) else np.nan
        rows.append((period.start, period.label(), TOTAL, None, len(mine), share))
    table = pd.DataFrame(
        rows, columns=["period_start", "period", "group_id", "parent_id", "new_leaders", "internal_share"]
    )
    # Until the half-year is over, each new start would show as a change in the share.
    done = pd.Series([Period(s).end < today for s in table["period_start"]], index=table.index, dtype=bool)
    threshold = settings.get(store, "threshold.survey")
    shown = protect(
        table[done].reset_index(drop=True),
        threshold=threshold,
        noun="nye ledere",
        count="new_leaders",
        values=["internal_share"],
        key="group_id",
        group_by=("period_start",),
    )
    held = withheld(
        table[~done], threshold=threshold, noun="nye ledere", count="new_leaders", values=["internal_share"]
    )
    both = pd.concat([held.table, shown.table], ignore_index=True) if len(held.table) else shown.table
    return Protected(both, threshold, "nye ledere")
