"""The unit report (PDF) for a MED committee: what it shows (pypdf reads the text back), what it must never show
(the raw value of a hidden cell, worked out here from the raw answers), that poppler renders every page, the
download on Trivsel – overblik, the `trivsel report unit` command and the audit log."""

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from test_survey_rounds import SURVEY, TODAY, full_answers, org_of
from trivsel import auth, org
from trivsel.auth import Identity
from trivsel.reports import unit as unit_report
from trivsel.store import open_store
from trivsel.surveys import actions, rounds
from trivsel.ui.figures import danish_number
from trivsel.ui.session import TOKEN_KEY
from trivsel.views import surveys as survey_views

APP = str(Path(__file__).parents[1] / "app.py")
TRIVSEL = [str(Path(sys.executable).parent / "trivsel")]
CLOSES = TODAY + timedelta(days=7)
AFTER_CLOSE = CLOSES + timedelta(days=1)
BUTTON = "Hent rapport til MED-udvalget (PDF)"


def texts(pdf: bytes) -> list[str]:
    """Each page's text, with a wrapped line joined to the next by one space."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(BytesIO(pdf)).pages]


def answers(level: int, comment: str | None = None) -> dict:
    return {**full_answers(level), "comment": comment or ""}


@pytest.fixture
def closed_round(store):
    """V with A (12 staff, 8 answers), B (10 staff, 7 answers) and C (4 staff, 3 answers: too few); closed."""
    org_of(store, {"A": 12, "B": 10, "C": 4})
    rnd, _ = rounds.create_round(store, SURVEY, "Forår", TODAY, CLOSES, ["A", "B", "C"], "link", "konsulent")
    for i in range(8):
        rounds.submit(store, rnd, "A", SURVEY, answers(4, f"Godt sammenhold {i}"), TODAY)
    for level in (3, 5, 3, 5, 3, 4, 3):
        rounds.submit(store, rnd, "B", SURVEY, answers(level, "Travlt i weekenden"), TODAY)
    for level in (1, 2, 2):
        rounds.submit(store, rnd, "C", SURVEY, answers(level, "Vi mangler hænder"), TODAY)
    actions.add(store, rnd.round_id, "A", "Fast morgenmøde om vagtplanen", "Afdelingsleder", CLOSES, "konsulent", None)
    return rounds.find_round(store, SURVEY.id, "Forår")


def raw_means(store, rnd) -> dict[tuple[str, str], float]:
    """Each unit's (own subtree's) unprotected mean of each measure, straight from the answers."""
    people = survey_views.respondents(store, SURVEY, [rnd])[rnd.round_id].measures
    out = {}
    for unit_id in ("V", "A", "B", "C"):
        mine = people[people["unit_id"].isin(org.subtree_ids(store, unit_id))]
        for measure in survey_views.measure_ids(SURVEY):
            out[unit_id, measure] = float(mine[measure].mean())
    return out


def test_the_report_shows_the_units_figures_and_never_a_hidden_cells_value(store, closed_round, tmp_path):
    pdf = unit_report.pdf(unit_report.gather(store, SURVEY, closed_round, closed_round, "V", AFTER_CLOSE))
    pages = texts(pdf)
    text = " ".join(pages)
    raw = raw_means(store, closed_round)
    # a known score, with a decimal comma, and every unit by name
    assert danish_number(raw["V", "who5"], 1) in text and "," in danish_number(raw["V", "who5"], 1)
    assert all(name in text for name in ("Velfærdsområdet", "Enhed A", "Enhed B", "Enhed C"))
    assert "færre end 5 svar" in text
    assert "Fast morgenmøde om vagtplanen" in text and "Vi mangler hænder" in text
    # every page: its number, the date and the scope
    for number, page in enumerate(pages, 1):
        assert f"Side {number} af {len(pages)}" in page
        assert f"{AFTER_CLOSE:%d-%m-%Y}" in page
        assert "Velfærdsområdet" in page and "Forår" in page
    # no hidden cell's value, in any form the report writes numbers
    table = survey_views.summary(store, SURVEY, closed_round, AFTER_CLOSE).table
    hidden = table[table["suppressed"]]
    assert set(hidden["unit_id"]) >= {"C"}
    # a visible figure may by chance have the same value; and a share of none or all ("0,0") is in any text
    shown = {danish_number(v, 1) for v in table.loc[~table["suppressed"], "score"]} | {"0,0", "100,0"}
    checked = 0
    for unit_id, measure in zip(hidden["unit_id"], hidden["measure"]):
        if (value := danish_number(raw[unit_id, measure], 1)) not in shown:
            assert value not in text, (unit_id, measure, value)
            checked += 1
    assert checked >= 10
    assert danish_number(raw["C", "who5"], 1) == "33,3"  # the value the test looks for is a real one
    # poppler renders every page
    (tmp_path / "rapport.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(tmp_path / "rapport.pdf"), str(tmp_path / "side")], check=True)
    assert len(list(tmp_path.glob("side*.png"))) == len(pages) >= 2


def test_a_unit_with_too_few_answers_shows_only_the_hidden_label(store, closed_round):
    text = " ".join(texts(unit_report.pdf(unit_report.gather(store, SURVEY, closed_round, None, "C", AFTER_CLOSE))))
    assert "færre end 5 svar" in text and "Enhed C" in text
    assert "Vi mangler hænder" not in text  # comments under the comment rules
    for measure in survey_views.measure_ids(SURVEY):
        assert danish_number(raw_means(store, closed_round)["C", measure], 1) not in text


def test_no_report_before_the_round_closes_or_for_a_unit_outside_it_or_outside_the_leaders_scope(store, closed_round):
    with pytest.raises(unit_report.ReportError, match="stadig åben"):
        unit_report.gather(store, SURVEY, closed_round, None, "V", TODAY)
    store.write(lambda cur: cur.execute("INSERT INTO units VALUES ('D', 'Enhed D', 'V', '')"))
    with pytest.raises(unit_report.ReportError, match="ikke med i runden"):
        unit_report.gather(store, SURVEY, closed_round, None, "D", AFTER_CLOSE)
    with pytest.raises(unit_report.ReportError, match="egne enheder"):
        unit_report.gather(store, SURVEY, closed_round, None, "B", AFTER_CLOSE, scope="A")


def test_text_from_data_is_printed_as_typed_not_as_markup(store, closed_round):
    store.write(lambda cur: cur.execute("UPDATE units SET unit_name = 'Enhed <b>A</b> & Co' WHERE unit_id = 'A'"))
    text = " ".join(texts(unit_report.pdf(unit_report.gather(store, SURVEY, closed_round, None, "V", AFTER_CLOSE))))
    assert "Enhed <b>A</b> & Co" in text


# The command line, as a real process


def trivsel(*args) -> subprocess.CompletedProcess:
    return subprocess.run(
        TRIVSEL + list(args), check=False, capture_output=True, text=True, timeout=180, env=dict(os.environ)
    )


def last_export(store) -> dict:
    return json.loads(
        store.query_value("SELECT details FROM audit_log WHERE action = 'export' ORDER BY id DESC LIMIT 1")
    )


def test_the_report_command_writes_the_pdf_and_logs_it(demo_db, tmp_path):
    out = tmp_path / "rapport.pdf"
    result = trivsel(
        "report",
        "unit",
        "--survey",
        "trivsel",
        "--round",
        "Forår 2025",
        "--unit",
        "SO-PC-SOL",
        "-o",
        str(out),
        "--db",
        str(demo_db),
    )
    assert result.returncode == 0, result.stderr
    assert str(out) in result.stdout
    pages = texts(out.read_bytes())
    assert "Plejecenter Solgården" in pages[0] and f"Side 1 af {len(pages)}" in pages[0]
    store = open_store(demo_db)
    logged = last_export(store)
    store.close()
    assert logged["what"] == "unit_report"
    assert logged["parameters"] == {
        "survey": "trivsel",
        "round": "Forår 2025",
        "baseline": "Basis 2022/23",
        "unit": "SO-PC-SOL",
        "scope": None,
        "format": "pdf",
    }


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (
            ["--survey", "findes-ikke", "--round", "Forår 2025", "--unit", "SO"],
            "Spørgeskemaet 'findes-ikke' findes ikke",
        ),
        (["--survey", "trivsel", "--round", "Findes ikke", "--unit", "SO"], "Runden 'Findes ikke' findes ikke"),
        (
            ["--survey", "trivsel", "--round", "Forår 2025", "--unit", "FINDES-IKKE"],
            "Enheden 'FINDES-IKKE' findes ikke",
        ),
        (["--survey", "trivsel", "--round", "Åben nu", "--unit", "SO"], "stadig åben"),
    ],
)
def test_the_report_command_refuses_in_danish_and_writes_nothing(demo_db, tmp_path, args, reason):
    store = open_store(demo_db)
    rounds.create_round(
        store, SURVEY, "Åben nu", date.today(), date.today() + timedelta(days=9), ["SO-HJM"], "link", "k"
    )
    store.close()
    out = tmp_path / "rapport.pdf"
    result = trivsel("report", "unit", *args, "-o", str(out), "--db", str(demo_db))
    assert result.returncode == 1
    assert result.stderr.startswith("Fejl: ") and reason in result.stderr and len(result.stderr.splitlines()) == 1
    assert not out.exists()


# The page: one download button on Trivsel – overblik, for the chosen round and the user's own scope


@pytest.fixture
def deferred(monkeypatch) -> dict:
    """The file makers that download buttons hand to Streamlit, by file type, to be called as a click would."""
    makers = {}
    register = MediaFileManager.add_deferred

    def spy(self, data_callable, mimetype, *args, **kwargs):
        makers[mimetype] = data_callable
        return register(self, data_callable, mimetype, *args, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", spy)
    return makers


@pytest.mark.parametrize(
    ("identity", "unit_name"),
    [
        (Identity("konsulent", "konsulent"), "Velfærdsområdet"),
        (Identity("leder.solgaarden", "leder", "SO-PC-SOL"), "Plejecenter Solgården"),
    ],
)
def test_the_overview_offers_the_report_for_the_chosen_round_and_the_users_scope(
    demo_db, demo_store, monkeypatch, deferred, identity, unit_name
):
    monkeypatch.setenv("TRIVSEL_DB", str(demo_db))
    at = AppTest.from_file(APP, default_timeout=90)
    at.session_state[TOKEN_KEY] = auth.start_session(demo_store, identity.username)
    at.switch_page("pages/dashboard_overview.py")
    at.run()
    assert not at.exception
    buttons = [b for b in at.get("download_button") if b.proto.label == BUTTON]
    assert len(buttons) == 1 and buttons[0].proto.ignore_rerun
    round_id = at.selectbox(key="dashboard_round").value
    chosen = next(r for r in rounds.all_rounds(demo_store) if r.round_id == round_id)
    with ThreadPoolExecutor(1) as pool:  # Streamlit makes a deferred file in a worker thread
        pdf = pool.submit(deferred["application/pdf"]).result()
    first = texts(pdf)[0]
    assert unit_name in first and chosen.label in first
    actor, details = demo_store.query_one(
        "SELECT actor, details FROM audit_log WHERE action = 'export' ORDER BY id DESC LIMIT 1"
    )
    logged = json.loads(details)
    assert (actor, logged["what"], logged["parameters"]["round"]) == (identity.username, "unit_report", chosen.label)
    assert logged["parameters"]["scope"] == identity.scope
