"""Demo APVs in each state the overview tells apart: current with an action past its deadline (Solgården),
due for revision soon (Hjemmeplejen Nord), overdue (Lindehøj) and one being written (Kastanjegården).

Written through the APV module itself, as the leaders and arbejdsmiljørepræsentanter would, on the demo's
two rounds of the APV survey; every change lands in the audit log like a real one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from trivsel import apv, config
from trivsel.auth import Identity
from trivsel.roles import AMR, LEDER
from trivsel.store import Store
from trivsel.surveys import rounds
from trivsel.surveys.definitions import load_survey
from trivsel.views import apv as apv_views


@dataclass(frozen=True)
class DemoApv:
    unit_id: str
    leader: str
    representative: str
    round_index: int  # into demo.surveys.apv_rounds
    approved_after: int | None  # days after the round closed; None: not approved yet
    discussed_days_ago: int | None
    late_action: bool = False  # the plan's second action is left past its deadline


DEMO_APVS = [
    DemoApv("SO-PC-SOL", "leder.solgaarden", "amr.solgaarden", 1, 30, 200, late_action=True),
    DemoApv("SO-HP-NORD", "leder.hjemmepleje", "amr.hjemmepleje", 0, 140, 100),
    DemoApv("SO-PC-LIN", "demo.leder", "demo.amr", 0, 20, None),
    DemoApv("SO-PC-KAS", "demo.leder", "demo.amr", 1, None, 420),
]
ABSENCE_NOTE = (
    "Fraværet er højere end områdets og steget siden sidste år. Det hænger efter vores vurdering sammen med "
    "tidspresset og de tunge forflytninger, som kortlægningen også peger på; enkelte lange forløb skyldes "
    "forhold uden for arbejdet. Vi følger op på fraværet på næste møde i arbejdsmiljøgruppen."
)
ACTIONS = [
    ("Fast tavlemøde om dagens prioriteringer", "Leder"),
    ("Forflytningsvejleder på hvert hold", "Arbejdsmiljørepræsentant"),
    ("Sparring efter svære besøg", "Teamleder"),
]
OWN_PROBLEM = (
    "Tunge døre til affaldsrummet",
    "Fundet på rundgangen: dørene er tunge at åbne med en fyldt vogn.",
)


def load(store: Store, today: date) -> None:
    survey = load_survey(config.surveys_dir() / "apv.yaml")
    found = sorted((r for r in rounds.all_rounds(store) if r.survey_id == apv.SURVEY_ID), key=lambda r: r.opens_on)
    for spec in DEMO_APVS:
        rnd = found[spec.round_index]
        leader = Identity(spec.leader, LEDER, spec.unit_id)
        representative = Identity(spec.representative, AMR, spec.unit_id)
        done_on = rnd.closes_on + timedelta(days=spec.approved_after or 10)
        apv_id = apv.start(store, spec.unit_id, rnd.round_id, leader, rnd.closes_on + timedelta(days=7))
        written = apv.visible(store, apv_id, leader)
        suggested = apv_views.suggestions(store, apv_views.mapping(store, survey, written, today), set())
        problem_ids = [
            apv.add_problem(store, apv_id, row.area, 1 if i == 0 else 2, "", leader, done_on, row.measure)
            for i, row in enumerate(suggested.head(3).itertuples())
        ]
        problem_ids.append(apv.add_problem(store, apv_id, *OWN_PROBLEM[:1], 3, OWN_PROBLEM[1], leader, done_on))
        apv.set_absence_assessment(store, apv_id, ABSENCE_NOTE, leader)
        for i, problem_id in enumerate(problem_ids[:3]):
            due = done_on + timedelta(days=90 * (i + 1))
            note = apv.add_action(
                store,
                apv_id,
                problem_id,
                *ACTIONS[i],
                due,
                due + timedelta(days=30),
                leader,
                done_on,
            )
            if due < today and not (spec.late_action and i == 1):
                apv.set_action_status(store, apv_id, note, "faerdig", leader, due)
        if spec.approved_after is not None:
            apv.approve(store, apv_id, leader, done_on)
            apv.approve(store, apv_id, representative, done_on)
        if spec.discussed_days_ago is not None:
            apv.record_discussion(
                store,
                spec.unit_id,
                today - timedelta(days=spec.discussed_days_ago),
                "Årets arbejdsmiljødrøftelse: status på handleplanen og mål for det kommende år.",
                leader,
                today,
            )
