"""The follow-up report for the trivselsteam (PDF and PowerPoint) and the unit report as slides: what they show
(pypdf and python-pptx read the text back), what they must never show (a hidden cell's raw value, worked out
here from the unprotected figures), that poppler renders every page, the `trivsel report followup` command,
the Rapporter page and the audit log."""

import json
import subprocess
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from pptx import Presentation
from streamlit.testing.v1 import AppTest

from test_survey_rounds import SURVEY, SURVEY_OF, full_answers, org_of
from test_unit_report import AFTER_CLOSE, closed_round, deferred, texts, trivsel  # noqa: F401 (fixtures)
from trivsel import auth, org
from trivsel.absence import followup as absence_followup
from trivsel.absence import measures
from trivsel.lifecycle import events
from trivsel.lifecycle.pools import Period, pools
from trivsel.reports import followup
from trivsel.reports import unit as unit_report
from trivsel.store import open_store
from trivsel.surveys import responses, rounds
from trivsel.ui.figures import danish_number
from trivsel.ui.session import TOKEN_KEY
from trivsel.views import absence as absence_views
from trivsel.views import lifecycle as lifecycle_views
from trivsel.views import surveys as survey_views

APP = str(Path(__file__).parents[1] / "app.py")
TODAY = date(2026, 11, 23)
BASE_PERIOD = followup.BASELINE_PERIOD
PERIOD = (date(2025, 1, 1), date(2025, 12, 31))
SUPERVISION = SURVEY_OF["supervision_request"]
LIFECYCLE = followup.lifecycle_surveys(SURVEY_OF)
PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


def slide_texts(data: bytes) -> list[str]:
    """Each slide's text: every text box and every table cell."""
    out = []
    for slide in Presentation(BytesIO(data)).slides:
        parts = []
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts += [cell.text for row in shape.table.rows for cell in row.cells]
        out.append(" ".join(" ".join(parts).split()))
    return out


def sick(cur, employee: str, first: str, last: str) -> None:
    cur.execute("INSERT INTO absence_spells VALUES (?, ?, ?, 'sygdom', 1)", [employee, first, last])


@pytest.fixture
def area(store):
    """V with the areas A (12 staff), B (10), C (4: too few) and D (6), a baseline and a later round over A, B
    and C (C with 3 answers), and sickness in 2022/23 and 2025."""
    org_of(store, {"A": 12, "B": 10, "C": 4, "D": 6})

    def spells(cur):
        for i in range(6):  # 14 days each in the baseline, 28 in 2025
            sick(cur, f"A-{i}", "2022-10-03", "2022-10-16")
            sick(cur, f"A-{i}", "2025-03-03", "2025-03-30")
        for i in range(5):
            sick(cur, f"B-{i}", "2022-11-01", "2022-11-05")
            sick(cur, f"B-{i}", "2025-02-01", "2025-02-03")
        sick(cur, "C-0", "2025-05-01", "2025-05-31")
        sick(cur, "C-1", "2025-08-01", "2025-08-14")

    store.write(spells)
    for i in range(6):  # the day-5 conversation in time for A's spells in 2025
        absence_followup.record_contact(store, f"A-{i}", date(2025, 3, 3), 5, date(2025, 3, 6), "raadgiver", TODAY)
    made = {}
    for label, opens, levels in (
        ("Basis", date(2023, 3, 1), {"A": [3] * 8, "B": [4, 2, 4, 2, 3, 3, 4], "C": [1, 2, 2]}),
        ("Forår 2025", date(2025, 4, 1), {"A": [4] * 6 + [5] * 2, "B": [5, 3, 5, 3, 4, 4, 5], "C": [1, 1, 2]}),
    ):
        rnd, _ = rounds.create_round(
            store, SURVEY, label, opens, date(opens.year, opens.month, 21), ["A", "B", "C"], "link", "k"
        )
        for unit_id, unit_levels in levels.items():
            for level in unit_levels:
                rounds.submit(store, rnd, unit_id, SURVEY, full_answers(level), opens)
        made[label] = rounds.find_round(store, SURVEY.id, label)
    return made


def gather(store, made):
    return followup.gather(
        store, SURVEY, SUPERVISION, made["Basis"], made["Forår 2025"], BASE_PERIOD, PERIOD, TODAY, LIFECYCLE
    )


def hidden_values(store, made) -> dict[str, str]:
    """Every hidden cell's raw value as the report would write it, from the unprotected figures."""
    out = {}
    for period, name in ((BASE_PERIOD, "basis"), (PERIOD, "opfølgning")):
        protected = absence_views.summary(store, *period).table.set_index("unit_id")
        raw = measures.unit_summary(store, *period).set_index("unit_id")
        for unit_id in protected.index[protected["suppressed"]]:
            rate = float(raw.at[unit_id, "absence_rate_pct"])
            out[f"{name} {unit_id} rate"] = danish_number(rate, 1) + " %"
            out[f"{name} {unit_id} working"] = danish_number(rate * absence_views.WORKING_DAYS_PER_YEAR / 100, 1)
            out[f"{name} {unit_id} calendar"] = danish_number(rate * 365 / 100, 1)
    for rnd in made.values():
        table = survey_views.summary(store, SURVEY, rnd, TODAY).table
        people = survey_views.respondents(store, SURVEY, [rnd])[rnd.round_id].measures
        for unit_id, measure in zip(*table.loc[table["suppressed"], ["unit_id", "measure"]].T.to_numpy()):
            if measure in ("who5", "who5_below_50", "enps", "stay_share"):
                mine = people[people["unit_id"].isin(org.subtree_ids(store, unit_id))]
                out[f"{rnd.label} {unit_id} {measure}"] = danish_number(float(mine[measure].mean()), 1)
    return out


def test_the_followup_report_shows_the_figures_and_never_a_hidden_cells_value(store, area, tmp_path):
    report = gather(store, area)
    pdf, slides = followup.pdf(report), followup.pptx(report)
    pages, shown_slides = texts(pdf), slide_texts(slides)
    text = " ".join(pages)
    # page 1: the summary for the whole area, each measure up, down or unchanged
    assert "Sammenfatning: Velfærdsområdet" in pages[0] and "Basis" in pages[0] and "Forår 2025" in pages[0]
    assert pages[0].count("Ned (bedre)") + pages[0].count("Op (dårligere)") >= 1
    # A's absence: 84 fte-days of 12 × 365 in the baseline, 168 in 2025; V's: 228 of 32 × 365 in 2025
    for expected in ("1,9 %", "3,8 %", "7,0", "14,0", "4,3", "8,6", "2,0 %", "7,1", "4,4"):
        assert expected in text, expected
    # the working-day measure beside the national figures; conversations in time; decimal commas
    assert "Sygedage pr. fuldtidsansat pr. år (arbejdsdage, som KL/KRL)" in text
    assert all(name in text for name in ("Enhed A", "Enhed B", "Enhed C", "Enhed D"))
    assert "færre end 5 personer" in text and "færre end 5 svar" in text
    for number, page in enumerate(pages, 1):
        assert f"Side {number} af {len(pages)}" in page and f"{TODAY:%d-%m-%Y}" in page
    # no hidden cell's value anywhere, in the PDF or on the slides (a visible figure may have the same value)
    visible = {cell.text for m in report.measures for pair in m.cells for cell in pair if cell.value is not None}
    visible_numbers = " ".join(visible) + " 0,2 " + " 0,0 100,0"
    hidden = hidden_values(store, area)
    checked = 0
    for what, value in hidden.items():
        if value.split()[0] not in visible_numbers:
            assert value not in text, what
            assert value not in " ".join(shown_slides), what
            checked += 1
    assert checked >= 8, hidden
    # poppler renders every page; the slides: a title, the summary, then one per measure, then Livsforløb
    (tmp_path / "rapport.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(tmp_path / "rapport.pdf"), str(tmp_path / "s")], check=True)
    assert len(list(tmp_path.glob("s*.png"))) == len(pages) >= 3
    titles = [s.split(" (fortsat)")[0] for s in shown_slides]
    assert shown_slides[0].startswith("Opfølgning på trivselsteamet")
    assert shown_slides[1].startswith("Sammenfatning: Velfærdsområdet")
    for measure in report.measures:
        assert any(t.startswith(measure.spec.label) for t in titles), measure.spec.label
    assert shown_slides[-1].startswith("Livsforløb")  # one line: no lifecycle answers here
    assert len(shown_slides) == 3 + len(report.measures)
    assert all(f"Side {i} af {len(shown_slides)}" in s for i, s in enumerate(shown_slides, 1))


def test_without_lifecycle_answers_the_livsforloeb_section_says_so_in_one_line(store, area):
    text = " ".join(texts(followup.pdf(gather(store, area))))
    assert "Livsforløb" in text
    assert "Der er intet lukket halvår med livsforløbsundersøgelser i opfølgningsperioden." in text
    assert "Svarprocent (%) " not in text.split("Livsforløb")[-1]


def lifecycle_hidden_values(store) -> dict[str, str]:
    """The raw figures behind the hidden lifecycle cells of 2024-2025, as the report would write them."""
    out = {}
    for survey in (SURVEY_OF[events.ONBOARDING], SURVEY_OF[events.MENTOR]):
        found = pools(store)
        for round_id, start in zip(*found.loc[found["survey_id"] == survey.id, ["round_id", "period_start"]].T.values):
            counts = responses.response_counts(store, round_id)
            letters, answers = counts["persons_at_start"].sum(), counts["responses"].sum()
            if letters:
                out[f"{survey.id} {start} rate"] = danish_number(100.0 * answers / letters, 1) + " %"
            people = lifecycle_views._per_respondent(store, survey, [round_id])
            for measure in lifecycle_views.measures(survey):
                if len(people[measure].dropna()):
                    out[f"{survey.id} {start} {measure}"] = danish_number(float(people[measure].mean()), 1)
    leaders = events.new_leaders(store, date(2024, 7, 1), date(2025, 12, 31))
    for start in (date(2024, 7, 1), date(2025, 1, 1), date(2025, 7, 1)):
        mine = leaders[(leaders["anchor_date"] >= start) & (leaders["anchor_date"] <= Period(start).end)]
        if len(mine):
            out[f"internal {start}"] = danish_number(100.0 * mine["internal"].mean(), 1) + " %"
    return out


def test_the_followup_report_has_the_lifecycle_figures_of_the_demo_and_no_hidden_one(demo_store):
    """The demo: two years of lifecycle letters and answers; the leader surveys and the internal recruitment have
    too few to show."""
    trivsel_rounds = [rounds.find_round(demo_store, SURVEY.id, label) for label in ("Basis 2022/23", "Forår 2025")]
    report = followup.gather(demo_store, SURVEY, SUPERVISION, *trivsel_rounds, BASE_PERIOD, PERIOD, TODAY, LIFECYCLE)
    pages = texts(followup.pdf(report))
    section = " ".join(" ".join(pages).split("Livsforløb")[1:])
    for expected in (
        "3 måneder efter start – Opfølgning efter tre måneder",
        "Fratrædelse – Spørgeskema ved fratrædelse",
        "Praktik – Evaluering af praktikforløb",
        "2. halvår 2024",
        "1. halvår 2025",
        "2. halvår 2025",
        "64,4 %",  # the 3-month survey's response rate in the half-year before the period
        "59,3 % (-5,1)",  # ... in the first half of 2025, against the half-year before
        "58,8 (+2,1)",  # its introduction score
        "Nye ledere rekrutteret internt",
        "færre end 5 svar",
        "færre end 5 breve",
        "færre end 5 nye ledere",
    ):
        assert expected in section, expected
    slides = slide_texts(followup.pptx(report))
    assert any(s.startswith("Livsforløb") for s in slides)
    assert "59,3 % (-5,1)" in " ".join(slides)
    visible = " ".join(c.text for t in report.lifecycle for _, cells in t.rows for c in cells if c.value is not None)
    hidden, checked = lifecycle_hidden_values(demo_store), 0
    for what, value in hidden.items():
        if value.split()[0] not in visible:
            assert value not in section, what
            assert value not in " ".join(slides), what
            checked += 1
    assert checked >= 4, hidden


def test_the_report_refuses_what_the_pages_would_not_show(store, area):
    base, later = area["Basis"], area["Forår 2025"]
    cases = [
        ((base, base, BASE_PERIOD, PERIOD), "en anden runde"),
        ((base, later, BASE_PERIOD, (date(2025, 1, 2), date(2025, 12, 31))), "hele kalendermåneder"),
        ((base, later, BASE_PERIOD, (date(2026, 1, 1), date(2026, 11, 30))), "skal være forbi"),
        ((base, later, (date(2023, 6, 1), date(2022, 7, 31)), PERIOD), "før den begynder"),
    ]
    for (b, r, bp, p), reason in cases:
        with pytest.raises(unit_report.ReportError, match=reason):
            followup.gather(store, SURVEY, SUPERVISION, b, r, bp, p, TODAY)
    with pytest.raises(unit_report.ReportError, match="stadig åben"):
        followup.gather(store, SURVEY, SUPERVISION, base, later, BASE_PERIOD, PERIOD, date(2025, 4, 10))


def test_the_unit_report_as_slides_has_the_sections_and_no_hidden_value(store, closed_round):  # noqa: F811
    report = unit_report.gather(store, SURVEY, closed_round, closed_round, "V", AFTER_CLOSE)
    shown = slide_texts(unit_report.pptx(report))
    titles = [s.split(" (fortsat)")[0] for s in shown]
    for section in ("Overblik", "Enhederne under", "WHO-5: fordeling", "Sygefravær", "Kommentarer", "Handleplan"):
        assert any(t.startswith(section) for t in titles), section
    text = " ".join(shown)
    assert "færre end 5 svar" in text and "Fast morgenmøde om vagtplanen" in text
    assert "33,3" not in text  # Enhed C's hidden WHO-5 mean (test_unit_report works it out)


# The command line, as a real process


def last_export(db) -> tuple[str, dict]:
    store = open_store(db)
    actor, details = store.query_one(
        "SELECT actor, details FROM audit_log WHERE action = 'export' ORDER BY id DESC LIMIT 1"
    )
    store.close()
    return actor, json.loads(details)


@pytest.mark.parametrize("ending", ["pdf", "pptx"])
def test_the_followup_command_writes_the_file_and_logs_it(demo_db, tmp_path, ending):
    out = tmp_path / f"opfoelgning.{ending}"
    result = trivsel(
        "report", "followup", "--round", "Forår 2025", "--from", "01-01-2025", "--to", "2025-12-31", "-o", str(out),
        "--db", str(demo_db),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert str(out) in result.stdout
    first = texts(out.read_bytes())[0] if ending == "pdf" else slide_texts(out.read_bytes())[0]
    assert "Basis 2022/23" in first and "Forår 2025" in first and "01-07-2022" in first
    actor, logged = last_export(demo_db)
    assert (actor, logged["what"]) == ("cli", "followup_report")
    assert logged["parameters"] == {
        "survey": "trivsel",
        "baseline_round": "Basis 2022/23",
        "round": "Forår 2025",
        "baseline_from": "2022-07-01",
        "baseline_to": "2023-06-30",
        "from": "2025-01-01",
        "to": "2025-12-31",
        "scope": "alle",
        "format": ending,
    }


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["--round", "Findes ikke", "--from", "01-01-2025", "--to", "31-12-2025"], "Runden 'Findes ikke' findes ikke"),
        (
            ["--baseline-round", "Nej", "--round", "Forår 2025", "--from", "01-01-2025", "--to", "31-12-2025"],
            "Runden 'Nej' findes ikke",
        ),
        (["--round", "Forår 2025", "--from", "02-01-2025", "--to", "31-12-2025"], "hele kalendermåneder"),
        (["--round", "Forår 2025", "--from", "01-01-2025", "--to", "30-12-2025"], "måneds sidste dag"),
        (["--round", "Forår 2025", "--from", "01-01-2025", "--to", "31-13-2025"], "er ikke en gyldig dato"),
        (["--round", "Basis 2022/23", "--from", "01-01-2025", "--to", "31-12-2025"], "en anden runde end basisrunden"),
        (["--round", "Forår 2025", "--from", "01-01-2025", "--to", "31-12-2099"], "skal være forbi"),
        (["--round", "Forår 2025", "--from", "01-01-2025"], "mangler --to"),
    ],
)
def test_the_followup_command_refuses_in_danish_and_writes_nothing(demo_db, tmp_path, args, reason):
    out = tmp_path / "opfoelgning.pdf"
    result = trivsel("report", "followup", *args, "-o", str(out), "--db", str(demo_db))
    assert result.returncode in (1, 2)
    assert result.stderr.startswith("Fejl: ") and reason in result.stderr and len(result.stderr.splitlines()) == 1
    assert not out.exists()


def test_a_report_file_must_be_pdf_or_pptx(demo_db, tmp_path):
    out = tmp_path / "rapport.docx"
    result = trivsel(
        "report", "unit", "--survey", "trivsel", "--round", "Forår 2025", "--unit", "SO", "-o", str(out),
        "--db", str(demo_db),
    )  # fmt: skip
    assert result.returncode == 1 and result.stderr.startswith("Fejl: ") and ".pdf eller .pptx" in result.stderr
    assert not out.exists()


# The page: Rapporter, for the konsulent and the admin


@pytest.mark.parametrize("username", ["konsulent", "admin"])
def test_the_reports_page_offers_the_followup_as_pdf_and_slides_and_logs_each(
    demo_db,
    demo_store,
    monkeypatch,
    deferred,  # noqa: F811
    username,
):
    monkeypatch.setenv("TRIVSEL_DB", str(demo_db))
    at = AppTest.from_file(APP, default_timeout=90)
    at.session_state[TOKEN_KEY] = auth.start_session(demo_store, username)
    at.switch_page("pages/reports.py")
    at.run()
    assert not at.exception and not at.error
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Hent opfølgningsrapport (PDF)", "Hent opfølgningsrapport (PowerPoint)"]
    assert at.selectbox(key="report_baseline_round").format_func(at.selectbox(key="report_baseline_round").value) == (
        "Basis 2022/23"
    )
    with ThreadPoolExecutor(1) as pool:  # Streamlit makes a deferred file in a worker thread
        made = pool.submit(deferred[PPTX_MIME]).result()
    assert slide_texts(made)[1].startswith("Sammenfatning: Velfærdsområdet")
    actor, details = demo_store.query_one(
        "SELECT actor, details FROM audit_log WHERE action = 'export' ORDER BY id DESC LIMIT 1"
    )
    logged = json.loads(details)
    assert (actor, logged["what"], logged["parameters"]["format"]) == (username, "followup_report", "pptx")
    assert logged["parameters"]["baseline_from"] == "2022-07-01"


def test_the_long_spells_follow_the_configured_days(monkeypatch):
    """With TRIVSEL_MILESTONES moved, the report counts the days the 1-5-14 list follows, not 14, 28 and 56."""
    from trivsel.reports import followup as report

    monkeypatch.setenv("TRIVSEL_MILESTONES", "1,5,14,21,56")
    assert [s.key for s in report._specs() if s.key.startswith("day")] == ["day14", "day21", "day56"]
