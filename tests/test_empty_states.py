"""Every page in a database with nothing in it yet, as each role that may open it: no exception, no blank chart,
no empty table without words, no "0 %", "nan" or "None", and a Danish line that says what is missing."""

import json
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from trivsel import auth, settings
from trivsel.imports import units as unit_import
from trivsel.roles import AMR, LEDER, SCOPED
from trivsel.store import open_store
from trivsel.surveys import rounds
from trivsel.surveys.definitions import load_all
from trivsel.ui import navigation
from trivsel.ui.session import TOKEN_KEY

ROOT = Path(__file__).parents[1]
APP = str(ROOT / "app.py")
USERS = {
    "admin": ("admin", None),
    "trivselskonsulent": ("konsulent", None),
    "sygefravaersraadgiver": ("raadgiver", None),
    "supervisor": ("supervisor", None),
    "leder": ("leder", "SO-PC"),
    "arbejdsmiljoerepraesentant": ("amr", "SO-PC"),
}
TODAY = date.today()


def open_round(store, label: str, opens_on: date, closes_on: date, unit_ids: list[str]) -> None:
    survey = load_all(ROOT / "surveys")["trivsel"]
    rounds.create_round(store, survey, label, opens_on, closes_on, unit_ids, "link", "admin")


# What is in the database besides the users: nothing ("tom", as after `trivsel init` and a unit import), no units
# at all, a round created today, a round closed without answers, or a round only for another leader's units.
STATES = {
    "tom": lambda store: None,
    "aaben_runde": lambda store: open_round(store, "Efterår", TODAY, TODAY + timedelta(days=21), ["V", "SO", "SO-PC"]),
    "lukket_uden_svar": lambda store: open_round(
        store, "Forår", TODAY - timedelta(days=60), TODAY - timedelta(days=30), ["V", "SO", "SO-PC", "SO-PC-A"]
    ),
    "anden_enheds_runde": lambda store: open_round(
        store, "Forår", TODAY - timedelta(days=60), TODAY - timedelta(days=30), ["SOC", "SOC-BO"]
    ),
}
CLOSES = f"{TODAY + timedelta(days=21):%d-%m-%Y}"
NO_ROUNDS = "Der er ingen runder endnu"
NO_ROUNDS_HERE = "Din enhed har ikke været med i nogen runde endnu"
NO_ABSENCE = "Der er ikke importeret fraværsdata endnu"
# The Danish line each page shows in each state, by role where it differs (None: any role).
EXPECTED = {
    ("dashboard_overview", "tom"): {"leder": NO_ROUNDS_HERE, None: NO_ROUNDS},
    ("dashboard_heatmap", "tom"): {"leder": NO_ROUNDS_HERE, None: NO_ROUNDS},
    ("dashboard_trends", "tom"): {"leder": NO_ROUNDS_HERE, None: NO_ROUNDS},
    ("dashboard_overview", "aaben_runde"): {None: f"Ingen resultater endnu – runden lukker {CLOSES}"},
    ("dashboard_heatmap", "aaben_runde"): {None: f"Ingen resultater endnu – runden lukker {CLOSES}"},
    ("dashboard_trends", "aaben_runde"): {None: f"Ingen resultater endnu – runden lukker {CLOSES}"},
    ("dashboard_overview", "lukket_uden_svar"): {None: "Ingen resultater for enheden i denne runde"},
    ("dashboard_heatmap", "lukket_uden_svar"): {None: "Ingen resultater for enhederne i denne runde"},
    ("dashboard_trends", "lukket_uden_svar"): {None: "Ingen resultater for enheden i de lukkede runder"},
    ("dashboard_overview", "anden_enheds_runde"): {"leder": NO_ROUNDS_HERE},
    ("dashboard_heatmap", "anden_enheds_runde"): {"leder": NO_ROUNDS_HERE},
    ("dashboard_trends", "anden_enheds_runde"): {"leder": NO_ROUNDS_HERE},
    ("absence", "tom"): {
        "sygefravaersraadgiver": f"{NO_ABSENCE}. Importér en lønfil under Import.",
        None: f"{NO_ABSENCE}. Sygefraværsrådgiveren importerer lønfilen under Import.",
    },
    ("followup", "tom"): {
        "sygefravaersraadgiver": f"{NO_ABSENCE}. Importér en lønfil under Import.",
        None: f"{NO_ABSENCE}. Sygefraværsrådgiveren importerer lønfilen under Import.",
    },
    ("supervision_queue", "tom"): {None: "Der er ingen anmodninger endnu"},
    ("supervision_stats", "tom"): {None: "Der er færre end 5 anmodninger i perioden"},
    ("rounds", "aaben_runde"): {None: "Svarprocenten vises kun for enheder med mindst 5 ansatte"},
}
# An arbejdsmiljørepræsentant is scoped to its unit like a leader, and reads the same lines.
for lines in EXPECTED.values():
    if LEDER in lines:
        lines[AMR] = lines[LEDER]


@pytest.fixture
def empty_db(tmp_path, monkeypatch):
    """A fresh database with the sample units and one user per role, then `state` on top."""
    path = tmp_path / "tom.duckdb"
    monkeypatch.setenv("TRIVSEL_DB", str(path))

    def make(state: str, with_units: bool = True):
        store = open_store(path)
        if with_units:
            unit_import.import_units(store, (ROOT / "data" / "samples" / "enheder.csv").read_bytes(), actor="admin")
        for role, (username, unit) in USERS.items():
            if unit is None or with_units:
                auth.add_user(store, username, role, "en-lang-adgangskode", unit, actor="admin")
        STATES[state](store)
        return store

    return make


def run_page(store, role: str, spec) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state[TOKEN_KEY] = auth.start_session(store, USERS[role][0])
    at.switch_page(spec.script)
    return at.run()


def shown_text(at: AppTest) -> str:
    return "\n".join(
        str(e.value).replace("\\", "")
        for kind in ("title", "subheader", "text", "markdown", "error", "info", "warning", "success", "caption")
        for e in getattr(at, kind)
    )


def blank_spots(at: AppTest) -> list[str]:
    """What reads as broken or says nothing: blank charts, empty or fully hidden tables, "0 %", "nan", "None"."""
    found = []
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        values = [v for trace in spec["data"] for axis in ("x", "y", "z") for v in _flat(trace.get(axis))]
        if all(v is None or pd.isna(v) for v in values):
            found.append("a blank chart")
    for table in at.dataframe:
        frame = table.value
        if frame.empty:
            found.append(f"an empty table: {list(frame.columns)}")
            continue
        cells = frame.astype(str)
        if cells.isin(["nan", "None", "NaT", "<NA>"]).any().any():
            found.append(f"nan/None in a table: {list(frame.columns)}")
        figures = cells.iloc[:, 1:]
        if figures.size and figures.apply(lambda c: c.str.startswith("færre end")).all().all():
            found.append(f"a table with every figure hidden: {list(frame.columns)}")
    for metric in at.metric:
        if metric.value in ("0 %", "nan", "None", "") or str(metric.value).startswith("færre end"):
            found.append(f"metric {metric.label}: {metric.value!r}")
    words = shown_text(at)
    found += [f"text says {bad!r}" for bad in (" 0 %", " 0 enheder", " nan", "None") if bad in f" {words}"]
    return found


def _flat(values) -> list:
    if values is None:
        return []
    if isinstance(values, list):
        return [v for item in values for v in (_flat(item) if isinstance(item, list) else [item])]
    return [values]


CASES = [
    (spec, role, state)
    for state in STATES
    for spec in navigation.PAGES
    for role in sorted(spec.roles)
    if state == "tom" or spec.key.startswith("dashboard") or (spec.key == "rounds" and state == "aaben_runde")
]


@pytest.mark.parametrize(("spec", "role", "state"), CASES, ids=lambda v: getattr(v, "key", v))
def test_each_page_says_what_is_missing_in_an_empty_database(empty_db, spec, role, state):
    store = empty_db(state)
    at = run_page(store, role, spec)
    assert not at.exception, [e.value for e in at.exception]
    assert blank_spots(at) == []
    expected = EXPECTED.get((spec.key, state), {})
    wanted = expected.get(role, expected.get(None))
    if wanted:
        assert wanted in shown_text(at)


@pytest.mark.parametrize("spec", [s for s in navigation.PAGES if s.roles - SCOPED], ids=lambda s: s.key)
def test_each_page_opens_before_any_unit_is_imported(empty_db, spec):
    store = empty_db("tom", with_units=False)
    role = min(spec.roles - SCOPED)
    at = run_page(store, role, spec)
    assert not at.exception, [e.value for e in at.exception]
    assert blank_spots(at) == []
    if spec.key not in ("home", "imports", "users", "settings", "audit_log"):
        assert at.info, "no line says what is missing"


def test_a_setting_out_of_range_is_refused_by_name_and_nothing_is_saved(empty_db):
    store = empty_db("tom")
    at = run_page(store, "admin", navigation.BY_KEY["settings"])
    at.number_input(key="threshold.absence").set_value(8)
    at.number_input(key="threshold.survey").set_value(99)
    at.button[0].click().run()
    refusal = "\n".join(e.value.replace("\\", "") for e in at.error)
    assert "Mindste antal svar, før et trivselsresultat vises skal være mellem 3 og 10 svar." in refusal
    assert settings.get(store, "threshold.survey") == 5 and settings.get(store, "threshold.absence") == 5
    assert not at.success


def test_hidden_cells_do_not_tell_which_one_is_small():
    """A cell hidden for being small and one hidden only to protect it read the same: a label telling them
    apart would tell a leader which unit of the two is the small one (statistical disclosure practice: never
    publish which suppressions are primary). The caption says a hidden cell may be either."""
    from trivsel.disclosure import COMPLEMENTARY, PRIMARY, Protected
    from trivsel.ui import figures

    table = pd.DataFrame(
        {
            "unit_name": ["Stor enhed", "Lille enhed", "Anden enhed"],
            "score": [pd.NA, pd.NA, 70.0],
            "suppressed": [True, True, False],
            "suppression_reason": [COMPLEMENTARY, PRIMARY, None],
        }
    )
    shown = figures.table(Protected(table, 5, "svar"), {"unit_name": "Enhed"}, {"score": ("Score", 0)})
    assert shown["Score"].tolist() == ["færre end 5 svar", "færre end 5 svar", "70"]


# A metric card is about a quarter of the main column wide: a longer value or label is cut ("færre e…").
METRIC_VALUE_CHARS, METRIC_LABEL_CHARS = 12, 22
DEMO_USERS = {
    "admin": "admin",
    "trivselskonsulent": "konsulent",
    "sygefravaersraadgiver": "raadgiver",
    "supervisor": "supervisor",
    "leder": "leder.solgaarden",
    "arbejdsmiljoerepraesentant": "amr.solgaarden",
}


@pytest.mark.parametrize(
    ("spec", "role"),
    [(spec, role) for spec in navigation.PAGES for role in sorted(spec.roles)],
    ids=lambda v: getattr(v, "key", v),
)
def test_metric_cards_fit_their_text(demo_db, monkeypatch, spec, role):
    monkeypatch.setenv("TRIVSEL_DB", str(demo_db))
    store = open_store(demo_db)
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state[TOKEN_KEY] = auth.start_session(store, DEMO_USERS[role])
    at.switch_page(spec.script)
    at.run()
    assert not at.exception
    too_long = [
        (m.label, m.value, m.proto.delta)
        for m in at.metric
        if len(m.value) > METRIC_VALUE_CHARS or len(m.label) > METRIC_LABEL_CHARS or len(m.proto.delta) > 12
    ]
    assert too_long == []
