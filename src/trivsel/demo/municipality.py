"""The demo municipality: a fictional welfare area with realistic staff and absence, its demo users,
and `load`, which writes all of the demo (with the rounds of `surveys` and the requests of
`supervision`) into an empty database.

Deterministic: the same seed and the same `today` give the same database.
The unit names are invented; the shape follows the seeds (Sundhed og Omsorg and
Socialområdet, with nursing homes, home care districts, residential units, ...).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from trivsel import audit, auth, config, org
from trivsel.absence import followup
from trivsel.demo import apv as demo_apv
from trivsel.demo import lifecycle as demo_lifecycle
from trivsel.demo import supervision as demo_supervision
from trivsel.demo import surveys as demo_surveys
from trivsel.roles import ADMIN, AMR, KONSULENT, LEDER, RAADGIVER, SUPERVISOR
from trivsel.store import Store
from trivsel.surveys.definitions import load_survey

HISTORY_START = date(2022, 1, 1)
DEMO_PASSWORD = "trivsel-demo"
DEMO_USERS = [
    ("admin", ADMIN, None),
    ("konsulent", KONSULENT, None),
    ("raadgiver", RAADGIVER, None),
    ("supervisor", SUPERVISOR, None),
    ("leder.solgaarden", LEDER, "SO-PC-SOL"),
    ("leder.hjemmepleje", LEDER, "SO-HP-NORD"),
    ("amr.solgaarden", AMR, "SO-PC-SOL"),
    ("amr.hjemmepleje", AMR, "SO-HP-NORD"),
]

JOB_WEIGHTS = {
    "pleje": {
        "Social- og sundhedshjælper": 35,
        "Social- og sundhedsassistent": 40,
        "Sygeplejerske": 9,
        "Ernæringsassistent": 5,
        "Serviceassistent": 6,
        "Ergoterapeut": 3,
        "Fysioterapeut": 2,
    },
    "hjemme": {
        "Social- og sundhedshjælper": 55,
        "Social- og sundhedsassistent": 36,
        "Sygeplejerske": 6,
        "Planlægger": 3,
    },
    "rehab": {"Fysioterapeut": 35, "Ergoterapeut": 35, "Social- og sundhedsassistent": 22, "Sygeplejerske": 8},
    "sygepleje": {"Sygeplejerske": 85, "Social- og sundhedsassistent": 15},
    "botilbud": {
        "Pædagog": 50,
        "Pædagogisk assistent": 20,
        "Social- og sundhedsassistent": 22,
        "Sygeplejerske": 4,
        "Køkkenmedarbejder": 4,
    },
    "bostotte": {"Pædagog": 60, "Socialrådgiver": 20, "Social- og sundhedsassistent": 20},
    "sundhedspleje": {"Sundhedsplejerske": 90, "Administrativ medarbejder": 10},
    "tand": {"Tandlæge": 20, "Tandplejer": 25, "Klinikassistent": 55},
    "boern": {"Socialrådgiver": 45, "Psykolog": 20, "Pædagog": 35},
    "stab": {"Administrativ medarbejder": 60, "Konsulent": 40},
}
"""Job groups and their relative weights by kind of unit (the kinds in the unit list below); the first
person of a "stab" unit is its "Leder" instead. The benchmark generator draws jobs from these too."""

# (unit_id, name, parent_id, kind, persons employed directly in the unit, relative sickness level).
# Areas have no staff of their own; agreement units have a leader, administration, kitchen and service staff.
_UNITS = [
    ("V", "Velfærdsområdet", None, "stab", 0, 1.0),
    ("V-SEK", "Velfærdssekretariatet", "V", "stab", 20, 0.8),
    ("SO", "Sundhed og Omsorg", "V", "stab", 0, 1.0),
    ("SO-PC-SOL", "Plejecenter Solgården", "SO", "stab", 13, 1.0),
    ("SO-PC-SOL-OE", "Solgården, Afsnit Øst", "SO-PC-SOL", "pleje", 78, 1.25),
    ("SO-PC-SOL-VE", "Solgården, Afsnit Vest", "SO-PC-SOL", "pleje", 70, 1.1),
    ("SO-PC-SOL-DE", "Solgården, Demensafsnittet", "SO-PC-SOL", "pleje", 56, 1.35),
    ("SO-PC-LIN", "Plejecenter Lindehøj", "SO", "stab", 12, 1.0),
    ("SO-PC-LIN-ST", "Lindehøj, Stueetagen", "SO-PC-LIN", "pleje", 74, 1.0),
    ("SO-PC-LIN-1S", "Lindehøj, 1. sal", "SO-PC-LIN", "pleje", 67, 0.9),
    ("SO-PC-KAS", "Plejecenter Kastanjegården", "SO", "stab", 12, 1.0),
    ("SO-PC-KAS-A", "Kastanjegården, Afsnit A", "SO-PC-KAS", "pleje", 83, 1.15),
    ("SO-PC-KAS-B", "Kastanjegården, Afsnit B", "SO-PC-KAS", "pleje", 76, 1.05),
    ("SO-PC-BAK", "Plejecenter Bakkely", "SO", "stab", 14, 1.0),
    ("SO-PC-BAK-PB", "Bakkely, Plejeboliger", "SO-PC-BAK", "pleje", 89, 0.95),
    ("SO-PC-BAK-AF", "Bakkely, Aflastning og korttidspladser", "SO-PC-BAK", "pleje", 44, 1.2),
    ("SO-HP-NORD", "Hjemmeplejen Nord", "SO", "stab", 10, 1.0),
    ("SO-HP-NORD-D", "Hjemmeplejen Nord, Dagteam", "SO-HP-NORD", "hjemme", 130, 1.1),
    ("SO-HP-NORD-A", "Hjemmeplejen Nord, Aftenteam", "SO-HP-NORD", "hjemme", 59, 1.2),
    ("SO-HP-SYD", "Hjemmeplejen Syd", "SO", "stab", 9, 1.0),
    ("SO-HP-SYD-D", "Hjemmeplejen Syd, Dagteam", "SO-HP-SYD", "hjemme", 122, 1.0),
    ("SO-HP-SYD-A", "Hjemmeplejen Syd, Aftenteam", "SO-HP-SYD", "hjemme", 56, 1.15),
    ("SO-HP-VEST", "Hjemmeplejen Vest", "SO", "stab", 9, 1.0),
    ("SO-HP-VEST-D", "Hjemmeplejen Vest, Dagteam", "SO-HP-VEST", "hjemme", 107, 0.95),
    ("SO-HP-VEST-A", "Hjemmeplejen Vest, Aftenteam", "SO-HP-VEST", "hjemme", 50, 1.05),
    ("SO-HP-NAT", "Nattevagten", "SO", "hjemme", 48, 1.3),
    ("SO-REHAB", "Rehabilitering og Træning", "SO", "stab", 8, 1.0),
    ("SO-REHAB-GT", "Genoptræningen", "SO-REHAB", "rehab", 63, 0.7),
    ("SO-REHAB-RP", "Rehabiliteringspladserne", "SO-REHAB", "rehab", 52, 0.9),
    ("SO-SYG", "Sygeplejen", "SO", "stab", 8, 1.0),
    ("SO-SYG-KL", "Sygeplejeklinikkerne", "SO-SYG", "sygepleje", 41, 0.8),
    ("SO-SYG-AKUT", "Akutteamet", "SO-SYG", "sygepleje", 30, 0.85),
    ("SO-DEMK", "Demenskoordinatorerne", "SO", "sygepleje", 3, 0.8),
    ("SO-HJM", "Hjælpemiddeldepotet", "SO", "stab", 4, 1.0),
    ("SOC", "Socialområdet", "V", "stab", 0, 1.0),
    ("SOC-BO-ENG", "Botilbuddet Engbo", "SOC", "stab", 10, 1.0),
    ("SOC-BO-ENG-1", "Engbo, Hus 1", "SOC-BO-ENG", "botilbud", 67, 1.2),
    ("SOC-BO-ENG-2", "Engbo, Hus 2", "SOC-BO-ENG", "botilbud", 57, 1.1),
    ("SOC-BO-SKO", "Botilbuddet Skovly", "SOC", "stab", 10, 1.0),
    ("SOC-BO-SKO-V", "Skovly Vest", "SOC-BO-SKO", "botilbud", 63, 1.0),
    ("SOC-BO-SKO-O", "Skovly Øst", "SOC-BO-SKO", "botilbud", 54, 1.25),
    ("SOC-BOST", "Bostøtten", "SOC", "stab", 8, 1.0),
    ("SOC-BOST-N", "Bostøtten Nord", "SOC-BOST", "bostotte", 31, 0.85),
    ("SOC-BOST-S", "Bostøtten Syd", "SOC-BOST", "bostotte", 28, 0.9),
    ("SOC-SUNDPL", "Sundhedsplejen", "SOC", "sundhedspleje", 35, 0.7),
    ("SOC-TAND", "Tandplejen", "SOC", "stab", 9, 1.0),
    ("SOC-TAND-BY", "Tandplejen, Klinik Byen", "SOC-TAND", "tand", 44, 0.65),
    ("SOC-TAND-LA", "Tandplejen, Klinik Land", "SOC-TAND", "tand", 33, 0.7),
    ("SOC-BUCN", "Børne- og Ungecenter Nord (BUCN)", "SOC", "stab", 9, 1.0),
    ("SOC-BUCN-MY", "BUCN, Myndighed", "SOC-BUCN", "boern", 41, 1.05),
    ("SOC-BUCN-FB", "BUCN, Familiebehandling", "SOC-BUCN", "boern", 33, 0.95),
    ("SOC-FAMH", "Familiehuset", "SOC", "boern", 26, 0.9),
    ("SOC-PAAR", "Pårørenderådgivningen", "SOC", "boern", 2, 0.8),
    ("SOC-UNGK", "Ungekontakten", "SOC", "boern", 4, 0.9),
]

FTE_WEIGHTS = [
    (1.0, 24),
    (0.946, 8),
    (0.892, 10),
    (0.865, 16),
    (0.811, 14),
    (0.757, 12),
    (0.703, 7),
    (0.6, 5),
    (0.5, 4),
]
"""(fte, relative weight) pairs: how much of full time an employment is, drawn once per employment. The
benchmark generator draws fte from these too."""
# Calendar-day spell lengths: most spells are short, a few long ones carry much of the absence.
_LENGTHS = [((1, 2), 50), ((3, 4), 25), ((5, 13), 14), ((14, 27), 6), ((28, 55), 3), ((56, 200), 2)]
_SPELLS_PER_YEAR = 4.0
_TURNOVER_PER_YEAR = 0.15


@dataclass
class DemoData:
    units: pd.DataFrame
    employments: pd.DataFrame
    spells: pd.DataFrame
    contacts: pd.DataFrame
    surveys: dict[str, pd.DataFrame]


def generate(seed: int = 1, today: date | None = None) -> DemoData:
    today = today or date.today()
    rng = random.Random(seed)
    areas = {"SO": "Sundhed og Omsorg", "SOC": "Socialområdet"}
    units = pd.DataFrame(
        [
            (uid, name, parent, next((a for k, a in areas.items() if uid == k or uid.startswith(k + "-")), ""))
            for uid, name, parent, *_ in _UNITS
        ],
        columns=["unit_id", "unit_name", "parent_id", "area"],
    )
    employments, spells = [], []
    counter = 0
    for unit_id, _name, _parent, kind, size, sickness in _UNITS:
        jobs, job_weights = zip(*JOB_WEIGHTS[kind].items())
        for slot in range(size):
            start = HISTORY_START - timedelta(days=rng.randint(30, 20 * 365))
            while start <= today:
                counter += 1
                employee_id = f"M{counter:05d}"
                years = rng.expovariate(_TURNOVER_PER_YEAR)
                # Memoryless tenure: the first employment is ongoing when the history starts.
                end = max(start, HISTORY_START) + timedelta(days=int(years * 365))
                end = None if end >= today else end
                job = "Leder" if slot == 0 and kind == "stab" else rng.choices(jobs, job_weights)[0]
                fte = rng.choices(*zip(*FTE_WEIGHTS))[0]
                employments.append((employee_id, unit_id, start, end, fte, job))
                frailty = rng.gammavariate(0.6, 1 / 0.6)
                spells += _spells(
                    rng,
                    employee_id,
                    max(start, HISTORY_START),
                    end or today,
                    today,
                    _SPELLS_PER_YEAR * sickness * frailty,
                )
                if end is None:
                    break
                start = end + timedelta(days=rng.randint(1, 60))
    levels = {uid: level for uid, *_, level in _UNITS}
    employment_frame = pd.DataFrame(
        employments, columns=["employee_id", "unit_id", "start_date", "end_date", "fte", "job_group"]
    )
    return DemoData(
        units=units,
        employments=employment_frame,
        spells=pd.DataFrame(spells, columns=["employee_id", "start_date", "end_date", "absence_type", "degree"]),
        contacts=pd.DataFrame(
            _contacts(rng, spells, today),
            columns=["employee_id", "spell_start", "milestone", "contact_date", "recorded_by"],
        ),
        surveys=_together(
            demo_surveys.generate(
                load_survey(config.surveys_dir() / "trivsel.yaml"), employment_frame, levels, seed, today
            ),
            demo_surveys.generate(
                load_survey(config.surveys_dir() / "apv.yaml"),
                employment_frame,
                levels,
                seed + 1,  # other round and response ids than the trivsel rounds'
                today,
                demo_surveys.apv_rounds(today),
            ),
        ),
    )


def _together(*parts: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The rows of several surveys' rounds, table by table."""
    return {table: pd.concat([part[table] for part in parts], ignore_index=True) for table in parts[0]}


def _spells(rng: random.Random, employee_id: str, first: date, last: date, today: date, per_year: float) -> list[tuple]:
    """Non-overlapping spells within [first, last]; a spell still running today has no end date."""
    out = []
    day = first + _gap(rng, per_year)
    while day <= last:
        kind = rng.choices(["sygdom", "arbejdsskade", "barns_sygdom"], [88, 3, 9])[0]
        low, high = (1, 2) if kind == "barns_sygdom" else rng.choices(*zip(*_LENGTHS))[0]
        end = day + timedelta(days=rng.randint(low, high) - 1)
        degree = 0.5 if end - day >= timedelta(days=14) and rng.random() < 0.15 else 1.0
        if end >= last:
            end = None if last == today else last
        out.append((employee_id, day, end, kind, degree))
        if end is None:
            break
        day = end + timedelta(days=1) + _gap(rng, per_year)
    return out


def _contacts(rng: random.Random, spells: list[tuple], today: date) -> list[tuple]:
    """Recorded 1-5-14 conversations: most held on their day, some late, some never recorded."""
    out = []
    for employee_id, start, end, kind, _degree in spells:
        if kind == "barns_sygdom":
            continue
        length = ((end or today) - start).days + 1
        for m in followup.milestones():
            if m.day > length or rng.random() > 0.85:
                continue
            held = start + timedelta(days=m.day - 1 + (rng.randint(1, 4) if rng.random() < 0.2 else 0))
            if held <= today:
                out.append((employee_id, start, m.day, held, "demo"))
    return out


def _gap(rng: random.Random, per_year: float) -> timedelta:
    # Capped, because a very low rate would otherwise jump past the end of the calendar.
    return timedelta(days=min(int(rng.expovariate(per_year / 365)), 20 * 365))


# One constant statement per table the demo fills (query text is never built from values).
_INSERT = {
    "units": "INSERT INTO units BY NAME SELECT * FROM demo_rows",
    "employments": "INSERT INTO employments BY NAME SELECT * FROM demo_rows",
    "absence_spells": "INSERT INTO absence_spells BY NAME SELECT * FROM demo_rows",
    "absence_contacts": "INSERT INTO absence_contacts BY NAME SELECT * FROM demo_rows",
    "survey_rounds": "INSERT INTO survey_rounds BY NAME SELECT * FROM demo_rows",
    "round_units": "INSERT INTO round_units BY NAME SELECT * FROM demo_rows",
    "survey_responses": "INSERT INTO survey_responses BY NAME SELECT * FROM demo_rows",
    "survey_answers": "INSERT INTO survey_answers BY NAME SELECT * FROM demo_rows",
    "supervision_requests": "INSERT INTO supervision_requests BY NAME SELECT * FROM demo_rows",
    "supervision_sessions": "INSERT INTO supervision_sessions BY NAME SELECT * FROM demo_rows",
    "supervision_events": "INSERT INTO supervision_events BY NAME SELECT * FROM demo_rows",
}


def is_empty(store: Store) -> bool:
    return not store.query_value("SELECT count(*) FROM units")


def load(store: Store, seed: int = 1, today: date | None = None) -> DemoData:
    """Load the demo municipality into an empty database, with a demo user for every role."""
    if not is_empty(store):
        raise ValueError("Databasen indeholder allerede enheder. Demodata kan kun indlæses i en tom database.")
    data = generate(seed, today)

    def work(cur):
        tables = {
            "units": data.units,
            "employments": data.employments,
            "absence_spells": data.spells,
            "absence_contacts": data.contacts,
            **data.surveys,
            **demo_supervision.generate(data.units, data.employments, seed, today or date.today()),
        }
        for table, df in tables.items():
            cur.register("demo_rows", df)
            cur.execute(_INSERT[table])
            cur.unregister("demo_rows")
        cur.execute("INSERT INTO employees SELECT DISTINCT employee_id FROM employments")
        org.ensure_staff_links(cur)
        audit.record(cur, "demo", "demo_loaded", seed=seed, employments=len(data.employments), spells=len(data.spells))

    store.write(work)
    units_by_kind: dict[str, list[str]] = {}
    for unit_id, _name, _parent, kind, size, _level in _UNITS:
        if size:
            units_by_kind.setdefault(kind, []).append(unit_id)
    demo_lifecycle.load(store, units_by_kind, seed, today or date.today())
    for username, role, unit_id in DEMO_USERS:
        auth.add_user(store, username, role, DEMO_PASSWORD, unit_id, actor="demo")
    demo_apv.load(store, today or date.today())
    return data
