"""Demo supervision requests: two years of requests from the demo units, in every state.

Bigger units ask more often. Older requests have run their course (most closed, some declined);
recent ones are new (a few past the response deadline), planned or in progress, so the queue
and the statistics have something to show. Deterministic for a seed and a date. Names, phone
numbers and e-mail addresses are invented.
"""

from __future__ import annotations

import random
import uuid
from datetime import date, datetime, time, timedelta

import pandas as pd

from trivsel.supervision.queue import OUTCOMES
from trivsel.supervision.workdays import add_working_days
from trivsel.surveys.rounds import CODE_ALPHABET, hash_code

SUPERVISOR = "supervisor"
REQUESTS_PER_WORKING_DAY = 0.3  # about 6 a month

_FIRST = [
    "Anne",
    "Mette",
    "Lone",
    "Susanne",
    "Hanne",
    "Kirsten",
    "Camilla",
    "Louise",
    "Sara",
    "Fatima",
    "Ayse",
    "Peter",
    "Lars",
    "Jens",
    "Mikkel",
    "Thomas",
    "Ali",
    "Kasper",
    "Bo",
    "Rasmus",
]
_LAST = [
    "Jensen",
    "Nielsen",
    "Hansen",
    "Pedersen",
    "Andersen",
    "Christensen",
    "Larsen",
    "Sørensen",
    "Rasmussen",
    "Poulsen",
    "Madsen",
    "Kristensen",
    "Olsen",
    "Thomsen",
    "Yilmaz",
    "Hussein",
]
_TOPICS = {"samarbejde": 35, "borgerforloeb": 30, "foelelsesmaessig_belastning": 20, "faglig_sparring": 10, "andet": 5}
_DESCRIPTIONS = {
    "samarbejde": [
        "Vi har svært ved at blive enige om opgavefordelingen, og det giver dårlig stemning på vagterne.",
        "Der er opstået grupperinger i personalegruppen efter sammenlægningen af to teams.",
        "Vi vil gerne blive bedre til at give hinanden feedback, uden at det bliver personligt.",
        "Nye kolleger oplever, at det er svært at blive en del af holdet.",
    ],
    "borgerforloeb": [
        "En borger med udadreagerende adfærd fylder meget, og flere af os er utrygge ved at gå derind.",
        (
            "Vi har et langt forløb med pårørende, der er meget utilfredse, og vi har brug for at tale om, "
            "hvordan vi håndterer det."
        ),
        "Et dødsfald hos en borger, vi har kendt i mange år, har ramt gruppen.",
        "Vi står i et svært forløb om magtanvendelse og er uenige om, hvad der er rigtigt at gøre.",
    ],
    "foelelsesmaessig_belastning": [
        "Mange af os føler os drænet efter en periode med mange dødsfald og travlhed.",
        "Vi oplever at tage arbejdet med hjem og vil gerne have redskaber til at lægge det fra os.",
        "Efter en voldsom episode på en vagt har gruppen brug for at bearbejde det sammen.",
    ],
    "faglig_sparring": [
        "Vi vil gerne have sparring på, hvordan vi arbejder rehabiliterende med borgere, der ikke er motiverede.",
        "Vi ønsker supervision på vores faglige vurderinger i de svære sager.",
    ],
    "andet": [
        "Vi er en ny gruppe og vil gerne have hjælp til at komme godt i gang sammen.",
        "Vi står over for en stor omlægning og vil gerne forberede os sammen.",
    ],
}
_NOTES = [
    "Ringet til kontaktpersonen; aftalt et kort formøde med lederen.",
    "Lederen bakker op og sørger for, at gruppen kan få fri fra driften.",
    "Gruppen ønsker at starte efter ferien.",
    "God første session; næste gang fokus på, hvordan de fordeler de tunge opgaver.",
]
_DECLINES = [
    "Henvist til arbejdsmiljørepræsentanten, da det handler om arbejdstilrettelæggelse.",
    "Anbefalet individuel samtale via kommunens psykologordning i stedet.",
    "Aftalt, at lederen først tager det op på et personalemøde; gruppen kan spørge igen.",
]
_OUTCOME_TEXTS = [
    "Gruppen har fået et fælles sprog for de svære situationer.",
    "Gruppen aftalte faste refleksionsmøder uden supervisor fremover.",
    "",
]


def _stamp(rng: random.Random, day: date) -> datetime:
    return datetime.combine(day, time(8)) + timedelta(minutes=rng.randint(0, 8 * 60))


def generate(units: pd.DataFrame, employments: pd.DataFrame, seed: int, today: date) -> dict[str, pd.DataFrame]:
    """Rows for supervision_requests, supervision_sessions and supervision_events.

    Requests come from the units of the two areas (the staff of the care and social units), in
    proportion to the staff employed there today."""
    rng = random.Random(f"supervision-{seed}")
    in_areas = set(units.loc[units["area"] != "", "unit_id"])
    current = employments[employments["end_date"].isna() & employments["unit_id"].isin(in_areas)]
    staff = current.groupby("unit_id")["employee_id"].nunique().sort_index()
    units, unit_weights = list(staff.index), list(staff.values)
    requests, sessions, events = [], [], []
    day = today - timedelta(days=730)
    while day <= today:
        if day.weekday() < 5 and rng.random() < REQUESTS_PER_WORKING_DAY:
            request, planned, history = _request(rng, rng.choices(units, unit_weights)[0], day, today)
            requests.append(request)
            sessions += planned
            events += history
        day += timedelta(days=1)
    return {
        "supervision_requests": pd.DataFrame(requests),
        "supervision_sessions": pd.DataFrame(sessions, columns=["request_id", "session_date"]),
        "supervision_events": pd.DataFrame(
            events, columns=["request_id", "logged_at", "actor", "kind", "detail"]
        ).sort_values(["logged_at", "request_id"], kind="stable"),
    }


def _request(rng: random.Random, unit_id: str, created: date, today: date) -> tuple[dict, list, list]:
    request_id = uuid.UUID(int=rng.getrandbits(128)).hex
    first, last = rng.choice(_FIRST), rng.choice(_LAST)
    leader = rng.random() < 0.35
    topic = rng.choices(list(_TOPICS), list(_TOPICS.values()))[0]
    contact = (
        f"{first.lower()}.{last.lower().replace('ø', 'oe')}@kommune.example"
        if rng.random() < 0.6
        else f"{rng.randint(20, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
    )
    row = {
        "request_id": request_id,
        "status_code_hash": hash_code("".join(rng.choice(CODE_ALPHABET) for _ in range(12))),
        "unit_id": unit_id,
        "survey_version": 1,
        "contact_name": f"{first} {last}",
        "contact": contact,
        "requester_role": "leder" if leader else "medarbejder",
        "group_size": rng.randint(3, 10),
        "topic": topic,
        "description": rng.choice(_DESCRIPTIONS[topic]),
        "urgency": rng.choices(
            ["hurtigst_muligt", "inden_for_2_uger", "inden_for_en_maaned", "ingen_hast"], [20, 35, 30, 15]
        )[0],
        "weekdays": ",".join(d for d in ("mandag", "tirsdag", "onsdag", "torsdag", "fredag") if rng.random() < 0.4),
        "times": ",".join(t for t in ("formiddag", "eftermiddag", "aften") if rng.random() < 0.4),
        "leader_knows": "er_selv_leder" if leader else rng.choices(["ja", "nej"], [80, 20])[0],
        "status": "new",
        "created_on": created,
        "first_response_on": None,
        "sessions_planned": None,
        "outcome": None,
        "outcome_text": None,
        "decline_reason": None,
        "closed_on": None,
    }
    events = [(request_id, _stamp(rng, created), "anmoder", "created", "")]
    sessions = []
    # Most get an answer within the five working days; some later.
    answered = add_working_days(created, rng.choices([1, 2, 3, 4, 5, 7, 9], [20, 25, 20, 10, 10, 10, 5])[0])
    # A few recent ones are still waiting, some of them past the deadline (the queue's overdue mark).
    if answered > today or (today - created).days <= 21 and rng.random() < 0.4:
        return row, sessions, events
    row["first_response_on"] = answered
    if rng.random() < 0.1:
        reason = rng.choice(_DECLINES)
        row.update(status="declined", closed_on=answered, decline_reason=reason)
        events.append((request_id, _stamp(rng, answered), SUPERVISOR, "declined", reason))
        return row, sessions, events
    short = rng.random() < 0.15
    count = 1 if short else rng.randint(3, 6)
    first_session = answered + timedelta(days=rng.randint(7, 25))
    dates = [first_session + timedelta(weeks=rng.choice([3, 4]) * n) for n in range(count)]
    row.update(status="planned", sessions_planned=count)
    sessions = [(request_id, d) for d in dates]
    events.append(
        (
            request_id,
            _stamp(rng, answered),
            SUPERVISOR,
            "planned",
            f"{count} sessioner: " + ", ".join(f"{d:%d-%m-%Y}" for d in dates),
        )
    )
    if rng.random() < 0.3:
        events.append((request_id, _stamp(rng, answered) + timedelta(hours=1), SUPERVISOR, "note", rng.choice(_NOTES)))
    if first_session > today:
        return row, sessions, events
    row["status"] = "in_progress"
    events.append((request_id, _stamp(rng, first_session), SUPERVISOR, "started", ""))
    closing = dates[-1] + timedelta(days=rng.randint(0, 10))
    if closing > today:
        return row, sessions, events
    outcome = "kort_forloeb" if short else rng.choices(["gennemfoert", "henvist", "ikke_behov"], [85, 10, 5])[0]
    words = rng.choice(_OUTCOME_TEXTS)
    row.update(status="closed", closed_on=closing, outcome=outcome, outcome_text=words or None)
    events.append(
        (request_id, _stamp(rng, closing), SUPERVISOR, "closed", OUTCOMES[outcome] + (f": {words}" if words else ""))
    )
    return row, sessions, events
