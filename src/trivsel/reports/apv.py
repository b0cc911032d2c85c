"""The APV document of a unit as a PDF: what a labour inspector asks to see. The mapping, the problem list, the
sickness-absence assessment, the action plan, the approvals and the revision date, in the reports' house style.

Every figure comes from views.apv (protected, with the same rules as the pages): a hidden cell reads
"færre end 5 svar" (the threshold in force), never a number. Text from data is escaped by reports.pdf.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
from reportlab.lib.units import mm

from trivsel import apv, org
from trivsel.auth import Identity
from trivsel.reports import pdf as layout
from trivsel.store import Store
from trivsel.surveys import actions, rounds
from trivsel.surveys.definitions import Survey
from trivsel.ui.figures import MISSING, danish_date, danish_number
from trivsel.views import absence as absence_views
from trivsel.views import apv as apv_views

AMR_LAW = (
    "Arbejdspladsvurderingen følger arbejdsmiljøloven § 15 a og Arbejdstilsynets vejledning om APV. "
    "Den psykiske del dækker de risici, som bekendtgørelse nr. 1406 af 2020 om psykisk arbejdsmiljø nævner."
)


@dataclass(frozen=True)
class ApvReport:
    found: apv.Apv
    unit_name: str
    round_label: str
    made_on: date
    mapping: object  # Protected: one row per area
    problems: pd.DataFrame
    absence: apv_views.Absence
    unit_names: dict[str, str]
    plan: pd.DataFrame
    approvals: pd.DataFrame
    discussions: pd.DataFrame


def gather(store: Store, survey: Survey, apv_id: str, who: Identity, today: date) -> ApvReport:
    """Every part of the document, each from the view the APV page shows; refuses another leader's unit."""
    found = apv.visible(store, apv_id, who)
    names = dict(zip(*org.units(store)[["unit_id", "unit_name"]].T.values))
    return ApvReport(
        found=found,
        unit_name=names[found.unit_id],
        round_label=rounds.round_by_id(store, found.round_id).label,
        made_on=today,
        mapping=apv_views.mapping(store, survey, found, today),
        problems=apv.problems(store, apv_id),
        absence=apv_views.absence(store, found, today),
        unit_names=names,
        plan=apv.plan(store, apv_id),
        approvals=apv.approvals(store, apv_id),
        discussions=apv.discussions(store, found.unit_id),
    )


def _cell(value, hidden: bool, label: str, decimals: int = 1, suffix: str = "") -> str:
    if hidden:
        return label
    return MISSING if value is None or pd.isna(value) else danish_number(float(value), decimals) + suffix


def pdf(report: ApvReport) -> bytes:
    found = report.found
    mapping = report.mapping
    status = (
        f"Godkendt {danish_date(found.approved_on)}. Revideres senest {danish_date(found.revise_by)}."
        if found.approved
        else "Ikke godkendt endnu (udkast)."
    )
    story = [
        layout.text("Arbejdspladsvurdering (APV)", layout.TITLE),
        layout.text(report.unit_name, layout.HEADING),
        layout.text(f"Kortlægning: {report.round_label}. {status}"),
        layout.text(AMR_LAW, layout.SMALL),
        layout.heading("1. Kortlægning"),
    ]
    rows = [["Område", "Svar", "Score (0–100)"]]
    hidden = mapping.hidden_label()
    for row in mapping.table.to_dict("records"):
        rows.append(
            [
                row["area"],
                _cell(row["respondents"], row["suppressed"], hidden, 0),
                _cell(row["score"], row["suppressed"], hidden, 0),
            ]
        )
    story += [
        layout.table(rows, [110 * mm, 30 * mm, 34 * mm]),
        layout.text(
            "Anonyme svar fra enheden og enhederne under den. 100 er bedst: en lav score betyder, at risikoen er "
            f"der. Tal, som færre end {mapping.threshold} står bag, eller som kunne regnes ud af andre, vises ikke: "
            f"der står '{hidden}'.",
            layout.SMALL,
        ),
        layout.heading("2. Problemliste"),
    ]
    if report.problems.empty:
        story.append(layout.text("Der står ingen problemer på listen."))
    else:
        rows = [["Prioritet", "Problem", "Kilde", "Beskrivelse"]]
        for problem in report.problems.to_dict("records"):
            rows.append(
                [
                    apv.PRIORITIES[problem["priority"]],
                    problem["title"],
                    "Kortlægningen" if isinstance(problem["measure"], str) else "Enhedens egen",
                    problem["description"],
                ]
            )
        story.append(layout.table(rows, [20 * mm, 52 * mm, 28 * mm, 74 * mm]))

    story.append(layout.heading("3. Sygefravær"))
    story += _absence(report)
    story.append(layout.text("Vurdering:", layout.BODY))
    story.append(layout.text(found.absence_assessment or "Der er ikke skrevet en vurdering endnu."))

    story.append(layout.heading("4. Handleplan"))
    if report.plan.empty:
        story.append(layout.text("Der er ingen handlinger i handleplanen endnu."))
    else:
        rows = [["Problem", "Handling", "Ansvarlig", "Frist", "Status", "Opfølgning"]]
        for note in report.plan.to_dict("records"):
            rows.append(
                [
                    note["problem"],
                    note["what"],
                    note["owner"],
                    danish_date(note["due_on"]),
                    actions.STATUSES[note["status"]],
                    danish_date(note["follow_up_on"]),
                ]
            )
        story.append(layout.table(rows, [34 * mm, 52 * mm, 26 * mm, 20 * mm, 20 * mm, 22 * mm]))

    story.append(layout.heading("5. Godkendelse"))
    if report.approvals.empty:
        story.append(layout.text("Ingen har godkendt APV'en endnu."))
    else:
        rows = [["Godkendt af", "Rolle", "Dato"]]
        rows += [[a["username"], a["role"], danish_date(a["approved_on"])] for a in report.approvals.to_dict("records")]
        story.append(layout.table(rows, [70 * mm, 60 * mm, 44 * mm]))
    story.append(layout.text(status))
    story.append(layout.heading("Årlig arbejdsmiljødrøftelse"))
    if report.discussions.empty:
        story.append(layout.text("Der er ikke registreret en arbejdsmiljødrøftelse."))
    else:
        last = report.discussions.iloc[0]
        story += [layout.text(f"Senest holdt {danish_date(last['held_on'])}:"), layout.text(last["note"])]

    footer = f"APV · {report.unit_name} · {report.round_label} · udskrevet {report.made_on:%d-%m-%Y}"
    return layout.document(story, f"APV – {report.unit_name}", footer)


def _absence(report: ApvReport) -> list:
    absence = report.absence
    (first, last), (p_first, p_last) = absence.period, absence.previous
    before = absence.before.table.set_index("unit_id")
    hidden = absence.now.hidden_label()
    rows = [["Enhed", f"{first:%m-%Y} – {last:%m-%Y}", f"{p_first:%m-%Y} – {p_last:%m-%Y}"]]
    for row in absence.now.table.to_dict("records"):
        earlier = before.loc[row["unit_id"]] if row["unit_id"] in before.index else None
        rows.append(
            [
                report.unit_names[row["unit_id"]],
                _cell(row["absence_rate_pct"], row["suppressed"], hidden, 1, " %"),
                MISSING
                if earlier is None
                else _cell(earlier["absence_rate_pct"], bool(earlier["suppressed"]), hidden, 1, " %"),
            ]
        )
    for label, rate in absence_views.national_reference_rates().items():
        rows.append([f"Landstal: {label}", danish_number(rate, 1) + " %", ""])
    return [
        layout.table(rows, [94 * mm, 40 * mm, 40 * mm]),
        layout.text(
            "Sygefravær i procent af ansattes dage, i hele kalendermåneder: de 12 måneder før den måned, "
            "kortlægningen lukkede i, og de 12 før dem. Enheden står øverst, derefter enhederne over den.",
            layout.SMALL,
        ),
    ]
