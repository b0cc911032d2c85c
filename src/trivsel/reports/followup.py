"""The follow-up report for the trivselsteam: the baseline (a survey round and an absence period, by default
the round marked as baseline and 1 July 2022 – 30 June 2023) against a later round and period, for the whole
welfare area (the top unit) and each area under it.

Every figure comes from the protected views the pages use, with their rules: the absence summary (whole
calendar months), the 1-5-14 compliance summed per area (views.followup.compliance_by_area), the survey
summary and response rates of closed rounds, the supervision statistics, and the lifecycle surveys' pooled
results, response rates and internal recruitment of new leaders (views.lifecycle). A hidden cell reads as on the
pages ("færre end 5 personer"), a figure left blank to protect another reads "–". What is derived here
(days per full-time employee, spells per 100 full-time years, requests per month) is worked out from visible
figures only. The measures' definitions are in docs/data-formats.md.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd

from trivsel import org
from trivsel.absence import measures
from trivsel.disclosure import NOT_RELEASED, Protected
from trivsel.disclosure.rules import check_whole_months
from trivsel.lifecycle import events
from trivsel.lifecycle.pools import Period
from trivsel.reports import charts, content, slides
from trivsel.reports import pdf as layout
from trivsel.reports.unit import ReportError
from trivsel.store import Store
from trivsel.surveys import rounds
from trivsel.surveys.definitions import Survey
from trivsel.ui.figures import MISSING, danish_number, signed_number
from trivsel.views import absence as absence_views
from trivsel.views import dashboard
from trivsel.views import followup as followup_views
from trivsel.views import lifecycle as lifecycle_views
from trivsel.views import supervision as supervision_views
from trivsel.views import surveys as survey_views

BASELINE_PERIOD = (date(2022, 7, 1), date(2023, 6, 30))  # the seeds' baseline year for sickness absence
DAYS_PER_YEAR = 365


def _long_spells() -> tuple[int, ...]:
    """The follow-up days from day 14 on (14, 28 and 56 by default; TRIVSEL_MILESTONES moves them)."""
    return tuple(day for day in measures.reached_days() if day >= 14)


LOWER, HIGHER = "lavere", "højere"


@dataclass(frozen=True)
class Cell:
    value: float | None  # None when hidden or missing
    text: str  # as the report writes it


@dataclass(frozen=True)
class Spec:
    key: str
    label: str
    better: str | None  # LOWER or HIGHER; None where neither is better in itself
    tolerance: float  # a change smaller than this reads "uændret"
    note: str
    references: dict[str, float] | None = None


@dataclass(frozen=True)
class Measure:
    spec: Spec
    cells: list[tuple[Cell, Cell]]  # per unit (the top first): baseline, follow-up


@dataclass(frozen=True)
class LifecycleTable:
    """One lifecycle survey (or the internal recruitment): rows of figures per half-year, the one before the
    follow-up period first."""

    title: str
    periods: list[str]
    rows: list[tuple[str, list[Cell]]]


@dataclass(frozen=True)
class FollowupReport:
    baseline: rounds.Round
    rnd: rounds.Round
    baseline_period: tuple[date, date]
    period: tuple[date, date]
    made_on: date
    units: list[tuple[str, str]]  # (id, name): the top unit, then each area
    measures: list[Measure]
    lifecycle: list[LifecycleTable]  # empty: no lifecycle survey has a released half-year in the period


def _specs() -> list[Spec]:
    working = absence_views.WORKING_DAYS_PER_YEAR
    days = "Sygedage (sygdom og arbejdsskade) pr. fuldtidsansat pr. år"
    return [
        Spec("rate", "Sygefravær (%)", LOWER, 0.2, "Fraværsdage ÷ ansatte dage, kalenderdage og fte (vores mål)."),
        Spec(
            "calendar_days",
            "Sygedage pr. fuldtidsansat pr. år (kalenderdage)",
            LOWER,
            0.5,
            f"{days}: sygefraværsprocenten × {DAYS_PER_YEAR} kalenderdage.",
        ),
        Spec(
            "working_days",
            "Sygedage pr. fuldtidsansat pr. år (arbejdsdage, som KL/KRL)",
            LOWER,
            0.5,
            f"{days} i arbejdsdage, som KL/KRL opgør dem: sygefraværsprocenten × ca. {working} arbejdsdage. "
            "Sammenlignes med landstallene (stiplede linjer), som kun er vejledende.",
            dict(absence_views.NATIONAL_REFERENCES),
        ),
        *(
            Spec(
                f"day{n}",
                f"Sygeperioder, der nåede dag {n}, pr. 100 årsværk",
                LOWER,
                0.5,
                f"Sygeperioder begyndt i perioden, der varede mindst {n} dage, pr. 100 fuldtidsansatte pr. år; "
                "antallet står i parentes. '–': udeladt, fordi det sammen med varighederne ville vise en skjult.",
            )
            for n in _long_spells()
        ),
        Spec(
            "in_time",
            "1-5-14-samtaler holdt til tiden (%)",
            HIGHER,
            2,
            "Andel af de trin (dag 5, 14, 28 …), som sygeperioder begyndt i perioden nåede, hvor samtalen er "
            "registreret senest på dagen.",
        ),
        Spec(
            "who5",
            "WHO-5, gennemsnit (0–100)",
            HIGHER,
            1,
            "Landsgennemsnittet er ca. 68.",
            {"Landsgennemsnit": dashboard.NATIONAL_WHO5_MEAN},
        ),
        Spec(
            "who5_below_50", "WHO-5 under 50 (%)", LOWER, 2, "Andel af svarene med en WHO-5 under 50: dårlig trivsel."
        ),
        Spec("enps", "eNPS", HIGHER, 2, "Andel ambassadører (9–10) minus andel kritikere (0–6), fra −100 til 100."),
        Spec("stay_share", "Forventer at blive (%)", HIGHER, 2, "Andel, der forventer at arbejde her om et år."),
        Spec("rate_pct", "Svarprocent (%)", HIGHER, 2, "Svar ÷ ansatte, da runden åbnede."),
        Spec(
            "requests",
            "Anmodninger om supervision pr. måned",
            None,
            0.5,
            "Anmodninger om gruppesupervision, der kom ind i perioden, pr. måned; antallet står i parentes.",
        ),
        Spec(
            "first_answer",
            "Dage til første svar på en anmodning (median)",
            LOWER,
            0.5,
            "Median antal kalenderdage fra anmodningen kom ind til supervisorens første svar.",
        ),
    ]


def gather(
    store: Store,
    survey: Survey,
    supervision_survey: Survey,
    baseline: rounds.Round,
    rnd: rounds.Round,
    baseline_period: tuple[date, date],
    period: tuple[date, date],
    today: date,
    lifecycle: Sequence[Survey] = (),
) -> FollowupReport:
    """Every figure of the report from the protected views; refuses what the pages would not show."""
    if baseline.round_id == rnd.round_id:
        raise ReportError("Opfølgningsrunden skal være en anden runde end basisrunden.")
    for chosen in (baseline, rnd):
        if not chosen.results_released(today):
            raise ReportError(f"Runden '{chosen.label}' er stadig åben. {chosen.release_note()}")
    for name, (first, last) in (("Basisperioden", baseline_period), ("Opfølgningsperioden", period)):
        _check_period(name, first, last, today)
    units = org.units(store)
    tops = units[units["depth"] == 0]
    if tops.empty:
        raise ReportError("Der er ingen enheder endnu.")
    top = tops.iloc[0]
    areas = units[units["parent_id"] == top["unit_id"]]
    chosen = [(top["unit_id"], top["unit_name"]), *zip(areas["unit_id"], areas["unit_name"])]
    ids = [unit_id for unit_id, _ in chosen]

    def figures(r: rounds.Round, first: date, last: date) -> dict[str, dict[str, Cell]]:
        return {
            **_absence(store, ids, first, last),
            **_compliance(store, ids, first, last, today),
            **_survey(store, survey, r, ids, today),
            **_supervision(store, supervision_survey, ids, first, last),
        }

    before, after = figures(baseline, *baseline_period), figures(rnd, *period)
    measures = [Measure(spec, [(before[spec.key][u], after[spec.key][u]) for u in ids]) for spec in _specs()]
    return FollowupReport(
        baseline, rnd, baseline_period, period, today, chosen, measures, _lifecycle(store, lifecycle, period, today)
    )


def lifecycle_surveys(catalog: dict[str, Survey]) -> list[Survey]:
    """The lifecycle surveys of a survey catalog, in the order of the Livsforløb page."""
    return [catalog[survey_id] for survey_id in events.LABELS if survey_id in catalog]


def _released_periods(table: pd.DataFrame, period: tuple[date, date]) -> list[date]:
    """The half-years of a protected table that overlap the follow-up period and are released, oldest first."""
    released = table[table["suppression_reason"] != NOT_RELEASED]
    starts = {s for s in released["period_start"] if s <= period[1] and Period(s).end >= period[0]}
    return sorted(starts)


def _period_cells(found: Protected, starts: list[date], make: Callable[[pd.Series], Cell]) -> list[Cell]:
    """A cell per half-year from a protected table of one row per half-year; "–" where there is none."""
    rows = found.table.set_index("period_start")
    return [
        Cell(None, MISSING)
        if start not in rows.index
        else Cell(None, found.hidden_label())
        if bool(rows.at[start, "suppressed"])
        else make(rows.loc[start])
        for start in starts
    ]


def _lifecycle(store: Store, surveys: Sequence[Survey], period: tuple[date, date], today: date) -> list[LifecycleTable]:
    """Per lifecycle survey with a released half-year in the period: the response rate and the main results
    (scores and net scores for the whole welfare area; not the shares of each option) per half-year, the one
    before first; then the share of new leaders recruited internally, for the half-years in the period that are
    over. Empty when no lifecycle survey has a released half-year in the period."""
    out = []
    for survey in surveys:
        results = lifecycle_views.results(store, survey, today)
        chosen = _released_periods(results.table, period)
        if not chosen:
            continue
        starts = [Period(chosen[0]).previous().start, *chosen]
        rates = lifecycle_views.response_rates(store, survey, today)
        rows = [("Svarprocent (%)", _period_cells(rates, starts, lambda r: _figure(r["rate"], 1, " %")))]
        whole = results.table["group_id"] == lifecycle_views.TOTAL
        for measure, label in lifecycle_views.measures(survey).items():
            if measure.startswith("share:"):
                continue
            mine = results.subset(whole & (results.table["measure"] == measure))
            rows.append((label, _period_cells(mine, starts, lambda r: _figure(r["value"], 1))))
        title = f"{events.LABELS[survey.id]} – {survey.title.da}"
        out.append(LifecycleTable(title, [Period(s).label() for s in starts], rows))
    if not out:
        return out
    oldest, back, count = Period.of(period[0]).previous(), Period.of(today), 1
    while back.start > oldest.start:
        back, count = back.previous(), count + 1
    recruited = lifecycle_views.internal_recruitment(store, today, count)
    chosen = _released_periods(recruited.table, period)
    if chosen:
        starts = [Period(chosen[0]).previous().start, *chosen]
        share = _period_cells(recruited, starts, lambda r: _figure(r["internal_share"], 1, " %"))
        out.append(
            LifecycleTable(
                "Nye ledere rekrutteret internt",
                [Period(s).label() for s in starts],
                [("Andel med en tidligere ansættelse i kommunen (%)", share)],
            )
        )
    return out


def _check_period(name: str, first: date, last: date, today: date) -> None:
    if last < first:
        raise ReportError(f"{name} slutter ({last:%d-%m-%Y}) før den begynder ({first:%d-%m-%Y}).")
    try:
        check_whole_months(first, last)
    except ValueError as exc:
        raise ReportError(f"{name}: {exc}") from exc
    if last >= today.replace(day=1):
        raise ReportError(f"{name} skal være forbi: den må slutte senest den sidste dag i måneden før denne.")


def _cells(ids: list[str], table: pd.DataFrame, hidden: str, make: Callable[[pd.Series], Cell]) -> dict[str, Cell]:
    """A cell per unit: the hidden label where the row is hidden, "–" where the unit has no row."""
    rows = table.set_index("unit_id")
    return {
        u: Cell(None, MISSING)
        if u not in rows.index
        else Cell(None, hidden)
        if bool(rows.at[u, "suppressed"])
        else make(rows.loc[u])
        for u in ids
    }


def _figure(value, decimals: int = 1, suffix: str = "", scale: float = 1.0) -> Cell:
    if value is None or pd.isna(value):
        return Cell(None, MISSING)
    value = float(value) * scale
    return Cell(value, danish_number(value, decimals) + suffix)


def _per(count, basis: float | None, scale: float, what: str, decimals: int = 1) -> Cell:
    """A count per some basis, with the count itself in brackets."""
    if count is None or pd.isna(count) or not basis:
        return Cell(None, MISSING)
    value = scale * float(count) / basis
    return Cell(value, f"{danish_number(value, decimals)} ({danish_number(float(count), 0)} {what})")


def _absence(store: Store, ids: list[str], first: date, last: date) -> dict[str, dict[str, Cell]]:
    found = absence_views.summary(store, first, last)
    hidden = found.hidden_label()
    table = found.table

    def years(row: pd.Series) -> float | None:
        fte_days = row["employed_fte_days"]
        return None if pd.isna(fte_days) or not fte_days else float(fte_days) / DAYS_PER_YEAR

    out = {
        "rate": _cells(ids, table, hidden, lambda r: _figure(r["absence_rate_pct"], suffix=" %")),
        "calendar_days": _cells(
            ids, table, hidden, lambda r: _figure(r["absence_rate_pct"], scale=DAYS_PER_YEAR / 100)
        ),
        "working_days": _cells(
            ids,
            table,
            hidden,
            lambda r: _figure(r["absence_rate_pct"], scale=absence_views.WORKING_DAYS_PER_YEAR / 100),
        ),
    }
    for n in _long_spells():
        out[f"day{n}"] = _cells(
            ids, table, hidden, lambda r, n=n: _per(r[f"reached_day{n}"], years(r), 100, "perioder")
        )
    return out


def _compliance(store: Store, ids: list[str], first: date, last: date, today: date) -> dict[str, dict[str, Cell]]:
    found = followup_views.compliance_by_area(store, first, last, today)
    return {"in_time": _cells(ids, found.table, found.hidden_label(), lambda r: _figure(r["in_time_pct"], 1, " %"))}


def _survey(store: Store, survey: Survey, rnd: rounds.Round, ids: list[str], today: date) -> dict[str, dict[str, Cell]]:
    found = survey_views.summary(store, survey, rnd, today)
    out = {}
    for measure in ("who5", "who5_below_50", "enps", "stay_share"):
        table = found.table[found.table["measure"] == measure]
        suffix = " %" if measure in ("who5_below_50", "stay_share") else ""
        out[measure] = _cells(ids, table, found.hidden_label(), lambda r, s=suffix: _figure(r["score"], 1, s))
    rates = survey_views.response_rates(store, rnd)
    out["rate_pct"] = _cells(ids, rates.table, rates.hidden_label(), lambda r: _figure(r["rate_pct"], 1, " %"))
    return out


def _supervision(store: Store, survey: Survey, ids: list[str], first: date, last: date) -> dict[str, dict[str, Cell]]:
    found = supervision_views.summary(store, first, last, survey).units
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    hidden = found.hidden_label()
    return {
        "requests": _cells(ids, found.table, hidden, lambda r: _per(r["requests"], months, 1, "i alt")),
        "first_answer": _cells(ids, found.table, hidden, lambda r: _figure(r["median_days_to_first_response"], 1)),
    }


def direction(spec: Spec, before: Cell, after: Cell) -> str:
    """Op, ned or uændret, and whether that is better; nothing to say when either figure is not shown."""
    if before.value is None or after.value is None:
        return "Kan ikke sammenlignes"
    change = after.value - before.value
    if abs(change) < spec.tolerance:
        return "Uændret"
    up = change > 0
    if spec.better is None:
        return "Op" if up else "Ned"
    better = up == (spec.better == HIGHER)
    return f"{'Op' if up else 'Ned'} ({'bedre' if better else 'dårligere'})"


def _change(before: Cell, after: Cell) -> str:
    return MISSING if before.value is None or after.value is None else signed_number(after.value - before.value, 1)


def parameters(
    survey: Survey,
    baseline: rounds.Round,
    rnd: rounds.Round,
    baseline_period: tuple[date, date],
    period: tuple[date, date],
) -> dict:
    """What the audit log keeps of a follow-up report (its scope is always the whole welfare area)."""
    return {
        "survey": survey.id,
        "baseline_round": baseline.label,
        "round": rnd.label,
        "baseline_from": baseline_period[0].isoformat(),
        "baseline_to": baseline_period[1].isoformat(),
        "from": period[0].isoformat(),
        "to": period[1].isoformat(),
        "scope": "alle",
    }


def pdf(report: FollowupReport) -> bytes:
    return layout.render(document(report))


def pptx(report: FollowupReport) -> bytes:
    return slides.render(document(report))


def _span(period: tuple[date, date]) -> str:
    return f"{period[0]:%d-%m-%Y} – {period[1]:%d-%m-%Y}"


def document(report: FollowupReport) -> content.Document:
    """A one-page summary for the top unit, then one chart and table per measure for it and each area."""
    top = report.units[0][1]
    base, now = report.baseline.label, report.rnd.label
    footer = f"Opfølgning på trivselsteamet · {top} · {base} mod {now} · udskrevet {report.made_on:%d-%m-%Y}"
    doc = content.Document(f"Opfølgning på trivselsteamet – {base} mod {now}", footer)
    doc.add(
        content.Title("Opfølgning på trivselsteamet"),
        content.Text(f"{top} og områderne", "lead"),
        content.Text(f"Basis: runden {base} og fravær og supervision {_span(report.baseline_period)}."),
        content.Text(f"Opfølgning: runden {now} og fravær og supervision {_span(report.period)}."),
        content.Text(
            "Tal, som for få står bag, vises ikke: der står fx 'færre end 5 personer'. Det gælder også tal, som "
            "kunne regnes ud af andre; '–' er et tal, der mangler eller er udeladt af samme grund.",
            "small",
        ),
        content.Section(f"Sammenfatning: {top}"),
    )
    rows = [["Mål", "Basis", "Opfølgning", "Ændring", "Retning"]]
    for measure in report.measures:
        before, after = measure.cells[0]
        rows.append(
            [
                measure.spec.label,
                before.text,
                after.text,
                _change(before, after),
                direction(measure.spec, before, after),
            ]
        )
    doc.add(
        content.Grid(rows, [62, 30, 30, 20, 32]),
        content.Text(
            "Retning: op eller ned, og om det er bedre eller dårligere; uændret, når ændringen er mindre end en "
            "fast grænse for målet (fx 0,2 procentpoint for sygefraværet og 1 point for WHO-5). Fravær og "
            "supervision er hele kalendermåneder.",
            "small",
        ),
        content.PageBreak(),
    )
    names = [name for _, name in report.units]
    for measure in report.measures:
        spec = measure.spec
        rows = [["Enhed", f"Basis ({base})", f"Opfølgning ({now})", "Ændring"]]
        rows += [[name, b.text, a.text, _change(b, a)] for name, (b, a) in zip(names, measure.cells)]
        chart = charts.comparison(
            names,
            [b.value for b, _ in measure.cells],
            [a.value for _, a in measure.cells],
            ("Basis", "Opfølgning"),
            spec.label,
            references=spec.references,
        )
        doc.add(
            content.Section(spec.label),
            content.Chart(chart, 0.85),
            content.Grid(rows, [62, 42, 42, 28]),
            content.Text(spec.note + (f" Bedre er {spec.better}." if spec.better else ""), "small"),
        )
    return _lifecycle_section(doc, report.lifecycle)


def _with_change(before: Cell, after: Cell) -> str:
    """A half-year's figure with the change from the half-year before in brackets, where both are shown."""
    return after.text if before.value is None or after.value is None else f"{after.text} ({_change(before, after)})"


def _lifecycle_section(doc: content.Document, tables: list[LifecycleTable]) -> content.Document:
    doc.add(content.Section("Livsforløb"))
    if not tables:
        return doc.add(content.Text("Der er intet lukket halvår med livsforløbsundersøgelser i opfølgningsperioden."))
    doc.add(
        content.Text(
            "Svarene samles pr. halvår for hele velfærdsområdet og vises først, når halvåret er lukket. Hvert halvår "
            "i opfølgningsperioden står ved siden af halvåret før; i parentes ændringen fra halvåret før.",
            "small",
        )
    )
    for table in tables:
        rows = [["Mål", *table.periods]]
        rows += [[label, cells[0].text, *map(_with_change, cells, cells[1:])] for label, cells in table.rows]
        doc.add(content.Text(table.title, "lead"), content.Grid(rows, [70] + [34] * len(table.periods)))
    return doc
