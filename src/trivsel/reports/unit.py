"""The unit report for a MED committee: a round's results for a unit and the units under it, as one PDF.

It shows what Trivsel – overblik, the heatmap, Trivsel – udvikling and Sygefravær show for the unit, from the
same protected views with the same rules: nothing before the round has closed, a hidden cell reads
"færre end 5 svar" (the threshold in force), comments only under the comment rules, and absence in whole
calendar months (the periods the overview's absence card uses), which every role may see.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from trivsel import org, settings
from trivsel.disclosure import Protected
from trivsel.reports import charts, content, slides
from trivsel.reports import pdf as layout
from trivsel.store import Store
from trivsel.surveys import rounds
from trivsel.surveys.definitions import Survey
from trivsel.ui.figures import MISSING, danish_date, danish_number, signed_number
from trivsel.views import absence as absence_views
from trivsel.views import dashboard
from trivsel.views import surveys as survey_views

TREND_MEASURES = ["who5", "stay_share", "ledelse"]  # Trivsel – udvikling's own first choice
NOTE_COLUMNS = {"unit_name": "Enhed", "what": "Hvad", "owner": "Hvem", "due_on": "Hvornår", "status": "Status"}


class ReportError(ValueError):
    """No report can be made; the message is Danish."""


@dataclass(frozen=True)
class Absence:
    period: tuple[date, date]
    row: pd.Series  # the unit's protected summary row
    baseline_period: tuple[date, date] | None
    baseline_row: pd.Series | None
    monthly: pd.DataFrame  # views.absence.monthly
    hidden: str


@dataclass(frozen=True)
class UnitReport:
    survey: Survey
    rnd: rounds.Round
    baseline: rounds.Round | None
    unit_name: str
    made_on: date
    cards: list[dashboard.Card]
    card_hidden: dict[str, str]  # card key -> the hidden label of the table it comes from
    threshold: int  # the survey results' threshold in force
    hidden: str  # and their hidden label
    heatmap: tuple[pd.DataFrame, pd.DataFrame]  # scores and hidden mask: the unit and its children × measures
    trend: pd.DataFrame
    who5: pd.DataFrame
    absence: Absence | None
    comments: list[str] | None
    comment_threshold: int
    notes: pd.DataFrame


def default_baseline(store: Store, survey: Survey) -> rounds.Round | None:
    """The round marked as the baseline, else the oldest (what the overview compares with first)."""
    found = dashboard.dated_rounds(store, survey)
    return next((r for r in found if r.is_baseline), found[0] if found else None)


def gather(
    store: Store,
    survey: Survey,
    rnd: rounds.Round,
    baseline: rounds.Round | None,
    unit_id: str,
    today: date,
    scope: str | None = None,
) -> UnitReport:
    """Every figure of the report, each from a protected view; refuses what the pages would not show."""
    name = org.unit_name(store, unit_id)
    if name is None:
        raise ReportError(f"Enheden '{unit_id}' findes ikke.")
    if unit_id not in set(org.visible_units(store, scope)["unit_id"]):
        raise ReportError("Du kan kun hente rapporter for dine egne enheder.")
    if not rnd.results_released(today):
        raise ReportError(f"Runden '{rnd.label}' er stadig åben. {rnd.release_note()}")
    if not dashboard.covers(store, rnd, unit_id):
        raise ReportError(f"Enheden {name} var ikke med i runden '{rnd.label}'.")
    summary = survey_views.summary(store, survey, rnd, today)
    cards, _ = dashboard.headline(store, survey, rnd, baseline, unit_id, today)
    absence = _absence(store, rnd, baseline, unit_id, today, scope)
    card_hidden = {card.key: summary.hidden_label() for card in cards}
    card_hidden["rate"] = survey_views.response_rates(store, rnd).hidden_label()
    if absence:
        card_hidden["absence"] = absence.hidden
    return UnitReport(
        survey=survey,
        rnd=rnd,
        baseline=baseline if baseline != rnd else None,
        unit_name=name,
        made_on=today,
        cards=cards,
        card_hidden=card_hidden,
        threshold=summary.threshold,
        hidden=summary.hidden_label(),
        heatmap=dashboard.heatmap(store, survey, rnd, unit_id, "who5", today),
        trend=dashboard.trend(store, survey, [unit_id], today),
        who5=dashboard.who5_bands(store, survey, rnd, unit_id, today),
        absence=absence,
        comments=survey_views.comments(store, survey, rnd, unit_id, today),
        comment_threshold=settings.get(store, "threshold.comments"),
        notes=dashboard.notes(store, rnd, unit_id),
    )


def parameters(
    survey: Survey, rnd: rounds.Round, baseline: rounds.Round | None, unit_id: str, scope: str | None
) -> dict:
    """What the audit log keeps of a report: the survey, round, comparison, unit and the user's scope."""
    return {
        "survey": survey.id,
        "round": rnd.label,
        "baseline": baseline.label if baseline and baseline != rnd else None,
        "unit": unit_id,
        "scope": scope,
    }


def _absence(
    store: Store, rnd: rounds.Round, baseline: rounds.Round | None, unit_id: str, today: date, scope: str | None
) -> Absence | None:
    period = dashboard.absence_period(rnd, today)
    if period is None:
        return None
    base_period = dashboard.absence_period(baseline, today) if baseline and baseline != rnd else None

    def row(found: Protected) -> pd.Series | None:
        table = found.table.set_index("unit_id")
        return table.loc[unit_id] if unit_id in table.index else None

    summary = absence_views.summary(store, *period)
    if row(summary) is None:
        return None
    first = min(period[0], base_period[0]) if base_period else period[0]
    monthly = absence_views.monthly(
        store, unit_id, first, period[1], with_parent=org.visible_parent(store, scope, unit_id) is not None
    ).table
    return Absence(
        period,
        row(summary),
        base_period,
        row(absence_views.summary(store, *base_period)) if base_period else None,
        monthly,
        summary.hidden_label(),
    )


def number(value, hidden: bool, label: str, decimals: int = 1, suffix: str = "") -> str:
    """A figure as the pages write it: the hidden label, "–" when missing, else with a decimal comma."""
    if hidden:
        return label
    return MISSING if value is None or pd.isna(value) else danish_number(float(value), decimals) + suffix


def pdf(report: UnitReport) -> bytes:
    """The report as an A4 PDF with the scope, the date and the page number on every page."""
    return layout.render(document(report))


def pptx(report: UnitReport) -> bytes:
    """The same report as slides."""
    return slides.render(document(report))


def document(report: UnitReport) -> content.Document:
    """The report's content, for either format."""
    rnd, survey = report.rnd, report.survey
    label = dashboard.measure_label
    footer = f"Trivselsrapport · {report.unit_name} · {rnd.label} · udskrevet {report.made_on:%d-%m-%Y}"
    doc = content.Document(f"Trivselsrapport – {report.unit_name} – {rnd.label}", footer)
    doc.add(
        content.Title("Trivselsrapport til MED-udvalget"),
        content.Text(report.unit_name, "lead"),
        content.Text(
            f"Runde: {rnd.label}"
            + (f" (lukket {danish_date(rnd.closes_on)})" if rnd.closes_on else "")
            + (f". Sammenlignet med: {report.baseline.label}." if report.baseline else ".")
        ),
        content.Text(
            f"Tallene gælder enheden og alle enheder under den. Tal, som færre end {report.threshold} personer "
            f"står bag, vises ikke: der står '{report.hidden}'. Det gælder også tal, som kunne regnes ud af andre.",
            "small",
        ),
        content.Section("Overblik"),
    )
    rows = [["Mål", rnd.label, report.baseline.label if report.baseline else "Sammenligning", "Ændring"]]
    for card in report.cards:
        decimals = 1 if card.unit != "%" or card.key == "absence" else 0
        suffix = " %" if card.unit else ""
        change = (
            signed_number(card.value - card.baseline, 1)
            if card.value is not None and card.baseline is not None
            else MISSING
        )
        rows.append(
            [
                card.label,
                number(card.value, card.hidden, report.card_hidden[card.key], decimals, suffix),
                number(card.baseline, False, "", decimals, suffix),
                change,
            ]
        )
    doc.add(
        content.Grid(rows, [60, 38, 38, 38]),
        content.Text(
            "Sygefravær er de 12 hele kalendermåneder før den måned, runden lukker i. Svarprocenten er svar "
            "divideret med ansatte, da runden åbnede.",
            "small",
        ),
    )

    scores, hidden = report.heatmap
    measures = dashboard.heatmap_measures(survey)
    rows = [["Enhed", *(label(survey, m) for m in measures)]]
    for unit_id in scores.index:
        rows.append(
            [
                scores.at[unit_id, "unit_name"],
                *(number(scores.at[unit_id, m], bool(hidden.at[unit_id, m]), report.hidden, 0) for m in measures),
            ]
        )
    name_width = 34  # weights are millimetres of the A4 text width (174)
    doc.add(
        content.Section("Enhederne under: alle mål (0–100)"),
        content.Grid(rows, [name_width, *[(174 - name_width) / len(measures)] * len(measures)]),
        content.Text("100 er bedst på alle mål. Enhederne under er sorteret efter WHO-5, lavest først.", "small"),
        content.Section("Udvikling fra runde til runde"),
    )
    trend = report.trend[report.trend["measure"].isin(["who5", "stay_share", "enps", *survey.dimensions])]
    rounds_seen = list(dict.fromkeys(trend["round"]))
    shown = ["who5", "stay_share", "enps", "ledelse"]
    rows = [["Runde", *(label(survey, m) for m in shown)]]
    for round_label in rounds_seen:
        cells = trend[trend["round"] == round_label].set_index("measure")
        rows.append(
            [
                round_label,
                *(
                    number(cells.at[m, "score"], bool(cells.at[m, "hidden"]), report.hidden)
                    if m in cells.index
                    else MISSING
                    for m in shown
                ),
            ]
        )
    if rounds_seen:
        doc.add(content.Grid(rows, [46, *[32] * len(shown)]))
    names = {report.trend["unit_id"].iloc[0]: report.unit_name} if len(report.trend) else {}
    for measure in TREND_MEASURES:
        chart = charts.trend(report.trend[report.trend["measure"] == measure], label(survey, measure), names)
        doc.add(content.Chart(chart, 0.8))
    doc.add(
        content.Text(
            "Skjulte tal er huller i kurven. En runde, der ikke stillede alle en dimensions spørgsmål, er "
            "ikke med i den dimensions kurve.",
            "small",
        )
    )

    rows = [["Enhed", "≤ 28 (%)", "29–49 (%)", "≥ 50 (%)", "Gennemsnit"]]
    for band in report.who5.to_dict("records"):
        rows.append(
            [
                band["unit_name"],
                *(number(band[c], pd.isna(band[c]), report.hidden, 0) for c in ("≤ 28", "29–49", "≥ 50")),
                number(band["mean"], pd.isna(band["mean"]), report.hidden),
            ]
        )
    doc.add(
        content.Section("WHO-5: fordeling og gennemsnit"),
        content.Chart(charts.who5(report.who5)),
        content.Grid(rows, [62, 28, 28, 28, 28]),
        content.Text(
            "28 eller under tyder på depression; under 50 er dårlig trivsel. Landsgennemsnittet er ca. 68.", "small"
        ),
        content.Section("Sygefravær"),
    )
    if report.absence is None:
        doc.add(content.Text("Der er ingen fraværstal for enheden i rundens periode."))
    else:
        doc.add(*_absence_section(report.absence))

    doc.add(content.Section("Kommentarer"))
    if report.comments is None:
        doc.add(
            content.Text(
                f"Kommentarer vises kun, når mindst {report.comment_threshold:d} i gruppen har skrevet en, og de "
                "ikke kan findes ved at sammenligne med andre enheders kommentarer."
            )
        )
    else:
        doc.add(content.Text(f"{len(report.comments)} kommentarer (tilfældig rækkefølge, fornavne fjernet):"))
        doc.add(*(content.Text(f"• {comment}") for comment in report.comments))

    doc.add(content.Section("Handleplan"))
    if report.notes.empty:
        doc.add(content.Text("Der er ingen aftaler i handleplanen endnu."))
    else:
        rows = [list(NOTE_COLUMNS.values())]
        for note in report.notes.to_dict("records"):
            rows.append([danish_date(note[c]) if c == "due_on" else str(note[c]) for c in NOTE_COLUMNS])
        doc.add(content.Grid(rows, [36, 66, 30, 20, 22]))
    return doc


def _absence_section(absence: Absence) -> list[content.Block]:
    row, base = absence.row, absence.baseline_row
    first, last = absence.period
    rows = [["", "Periode", "Sygefravær", "Personer"]]
    rows.append(
        [
            "Rundens periode",
            f"{first:%d-%m-%Y} – {last:%d-%m-%Y}",
            number(row["absence_rate_pct"], bool(row["suppressed"]), absence.hidden, 1, " %"),
            number(row["persons"], bool(row["suppressed"]), absence.hidden, 0),
        ]
    )
    if base is not None:
        b_first, b_last = absence.baseline_period
        rows.append(
            [
                "Sammenligningens periode",
                f"{b_first:%d-%m-%Y} – {b_last:%d-%m-%Y}",
                number(base["absence_rate_pct"], bool(base["suppressed"]), absence.hidden, 1, " %"),
                number(base["persons"], bool(base["suppressed"]), absence.hidden, 0),
            ]
        )
    for label, rate in absence_views.national_reference_rates().items():
        rows.append([f"Landstal: {label}", "", danish_number(rate, 1) + " %", ""])
    base_rate = None if base is None or base["suppressed"] else float(base["absence_rate_pct"])
    blocks: list[content.Block] = [
        content.Grid(rows, [62, 48, 34, 30]),
        content.Text(
            "Hele kalendermåneder. Landstal (KL/KRL) er dage pr. fuldtidsansat omregnet til procent af ca. "
            f"{absence_views.WORKING_DAYS_PER_YEAR} arbejdsdage og er kun vejledende.",
            "small",
        ),
        content.Chart(charts.absence_trend(absence.monthly, base_rate, absence.baseline_period or absence.period)),
        content.Text("1-5-14: perioder, der nåede dag …", "lead"),
    ]
    steps = charts.funnel_steps(row)
    if not steps:
        return [*blocks, content.Text(absence.hidden.capitalize() + ".")]
    blocks += [
        content.Grid([list(steps), [danish_number(float(v), 0) for v in steps.values()]], [1] * len(steps)),
        content.Chart(charts.funnel(steps), 0.8),
    ]
    if len(steps) < len(absence_views.funnel_steps()):
        blocks.append(
            content.Text("Trin, der sammen med varighederne ville vise en skjult varighed, er udeladt.", "small")
        )
    return blocks
