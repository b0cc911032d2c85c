"""Kept figures (store.memo) live until the data changes, and not a moment longer or shorter.

A login, a download's audit entry or a job's bookkeeping changes no figure: if they dropped every kept
figure, a dashboard would be cold again each time anyone logged in. Anything else (an answer, a setting,
an import) must drop them, or a page would show yesterday's figures.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from conftest import DEMO_TODAY
from trivsel import audit, auth, code_guesses, config, org, settings
from trivsel.demo import DEMO_PASSWORD
from trivsel.jobs import runs
from trivsel.store import memo
from trivsel.store.database import ANSWER_TABLES, BOOKKEEPING_TABLES
from trivsel.surveys import rounds
from trivsel.surveys.definitions import load_all
from trivsel.views import absence, dashboard
from trivsel.views import followup as followup_views
from trivsel.views import lifecycle as lifecycle_views
from trivsel.views import surveys as survey_views

YEAR = (date(2025, 1, 1), date(2025, 12, 31))
SRC = Path(__file__).parents[1] / "src" / "trivsel"
# Where the bookkeeping is written and read: logins, the audit log page, jobs, wrong codes, retention and
# backup. None of these computes a figure that store.memo keeps.
BOOKKEEPING_MODULES = {"auth.py", "audit.py", "code_guesses.py", "jobs/runs.py", "retention.py", "store/database.py"}
DRAFT_MODULES = {"surveys/rounds.py", "retention.py"}  # a one-time code's unfinished answers: saved, resumed, dropped


def test_logins_downloads_and_jobs_keep_the_kept_figures(demo_store):
    kept = absence.summary(demo_store, *YEAR)
    tree = org.units(demo_store)
    now = datetime.now()

    token = auth.start_session(demo_store, "konsulent", now)
    auth.resume_session(demo_store, token, now + timedelta(minutes=5))  # moves last-seen on
    with pytest.raises(auth.AuthError):
        auth.authenticate(demo_store, "leder.solgaarden", "forkert")  # counted as a failed attempt
    auth.authenticate(demo_store, "leder.solgaarden", DEMO_PASSWORD)  # the count goes back to 0
    audit.record_export(demo_store, "konsulent", "unit_summary", {"from": "2025-01-01"}, rows=92)
    code_guesses.record_wrong(demo_store, "survey_code", 1)
    runs.finish(demo_store, runs.begin(demo_store, "nudges", now), True, "0 sendt", now)
    auth.end_session(demo_store, token)
    followup_views.spell_lists(demo_store, date(2026, 11, 2), None, "raadgiver")  # audits that it was seen

    assert absence.summary(demo_store, *YEAR) is kept  # not computed again
    assert org.units(demo_store).equals(tree)


def test_a_change_to_the_data_drops_the_kept_figures(demo_store):
    kept = absence.summary(demo_store, *YEAR)
    settings.set_value(demo_store, "threshold.absence", 6, "admin")
    again = absence.summary(demo_store, *YEAR)
    assert again is not kept
    assert again.threshold == 6


def test_the_unit_tree_follows_a_renamed_unit(demo_store):
    unit = org.units(demo_store).iloc[-1]
    demo_store.write(
        lambda cur: cur.execute("UPDATE units SET unit_name = 'Nyt navn' WHERE unit_id = ?", [unit.unit_id])
    )
    assert org.units(demo_store).set_index("unit_id").at[unit.unit_id, "unit_name"] == "Nyt navn"


def test_a_caller_changing_the_tree_does_not_change_it_for_the_next(demo_store):
    tree = org.units(demo_store)
    tree["unit_name"] = "ændret"
    assert "ændret" not in set(org.units(demo_store)["unit_name"])


def _modules_naming(tables, also: str = "") -> set[str]:
    """The modules (outside the migrations) whose SQL names one of the tables."""
    pattern = re.compile(rf"\b(FROM|JOIN|INTO|UPDATE|TABLE)\s+({'|'.join(tables)})\b{also}", re.IGNORECASE)
    return {
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if pattern.search(path.read_text(encoding="utf-8")) and "migrations" not in path.parts
    }


def test_the_bookkeeping_is_read_only_where_no_kept_figure_is_made():
    """A bookkeeping write keeps the generation: that holds only while no kept figure reads those tables."""
    logins_and_logs = [table for table in BOOKKEEPING_TABLES if table != "code_drafts"]
    readers = _modules_naming(logins_and_logs, also=r"|\b(failed_logins|locked_until)\b")
    assert readers <= BOOKKEEPING_MODULES, sorted(readers - BOOKKEEPING_MODULES)
    assert _modules_naming(["code_drafts"]) <= DRAFT_MODULES


def test_the_figures_kept_apart_from_answers_never_read_an_answer():
    """An answer keeps the absence figures and the unit tree: that holds only while they read no answer."""
    kept_apart = {
        str(path.relative_to(SRC)) for path in SRC.rglob("*.py") if "reads_answers=False" in path.read_text("utf-8")
    }
    assert kept_apart == {"views/absence.py", "org.py"}  # a new one is a new reason to look here
    made_from = {"views/absence.py", "org.py", "settings.py", "exports.py"} | {
        str(path.relative_to(SRC)) for folder in ("absence", "disclosure") for path in (SRC / folder).rglob("*.py")
    }
    assert not _modules_naming(ANSWER_TABLES) & made_from


def test_an_answer_keeps_the_absence_figures_and_drops_the_survey_figures(demo_store):
    today = DEMO_TODAY
    rnd = next(r for r in rounds.all_rounds(demo_store) if r.status(today) == "aaben" and r.access != "code")
    survey = load_all(config.surveys_dir())[rnd.survey_id]
    unit = demo_store.query_value("SELECT unit_id FROM round_units WHERE round_id = ? LIMIT 1", [rnd.round_id])
    answers = {item.id: 3 for item in survey.items if item.type in ("who5", "likert5", "scale0_10")}
    kept, tree = absence.summary(demo_store, *YEAR), org.units(demo_store)
    before = survey_views.respondents(demo_store, survey, [rnd])[rnd.round_id]

    rounds.submit(demo_store, rnd, unit, survey, answers, today)

    assert absence.summary(demo_store, *YEAR) is kept  # not computed again
    assert org.units(demo_store).equals(tree)
    after = survey_views.respondents(demo_store, survey, [rnd])[rnd.round_id]
    assert len(after.measures) == len(before.measures) + 1


def test_figures_of_an_older_generation_are_dropped_when_newer_ones_are_kept(demo_store):
    # During a round every answer moves the generation on; the figures kept before it can never be asked
    # for again, and keeping them until the cache was full held memory for nothing.
    def kept() -> set[int]:  # the generations the absence figures are kept at
        return {key[2] for key in memo._entries if key[:2] == (demo_store.key, False)}

    absence.summary(demo_store, *YEAR)
    assert kept() == {demo_store.generation_apart_from_answers}
    settings.set_value(demo_store, "threshold.absence", 6, "admin")
    absence.summary(demo_store, *YEAR)
    assert kept() == {demo_store.generation_apart_from_answers}


def test_the_figures_each_visit_asks_for_are_kept_until_the_data_changes(demo_store, monkeypatch):
    # Made afresh on every visit they took the report page 0.7 s, a leader's overview 0.2 s and follow-up 0.13 s at
    # tenfold scale.
    catalog = load_all(config.surveys_dir())
    rnd = next(r for r in rounds.all_rounds(demo_store) if r.survey_id == "trivsel" and r.results_released(DEMO_TODAY))
    asked = []  # which rounds asked a unit: worked out only when not kept
    monkeypatch.setattr(dashboard, "_asking", lambda *args, plain=dashboard._asking: asked.append(args) or plain(*args))
    made = {
        "lifecycle results": lambda: lifecycle_views.results(demo_store, catalog["exit"], DEMO_TODAY),
        "lifecycle rates": lambda: lifecycle_views.response_rates(demo_store, catalog["exit"], DEMO_TODAY),
        "recruited": lambda: lifecycle_views.internal_recruitment(demo_store, DEMO_TODAY, 6),
        "compliance by area": lambda: followup_views.compliance_by_area(demo_store, *YEAR, DEMO_TODAY),
        "a leader's compliance": lambda: followup_views.compliance(demo_store, *YEAR, DEMO_TODAY, "SO-PC-SOL"),
        "response rates": lambda: survey_views.response_rates(demo_store, rnd),
    }
    kept = {name: make() for name, make in made.items()}
    covering = dashboard.covering(demo_store, dashboard.dated_rounds(demo_store, catalog["trivsel"]), "SO")
    assert not [name for name, make in made.items() if make() is not kept[name]]
    assert dashboard.covering(demo_store, dashboard.dated_rounds(demo_store, catalog["trivsel"]), "SO") == covering
    assert covering and len(asked) == 1
    threshold = settings.get(demo_store, "threshold.survey")
    settings.set_value(demo_store, "threshold.survey", threshold + 1, "admin")
    renewed = {name: make() for name, make in made.items()}
    assert not [name for name in made if renewed[name] is kept[name]]
    assert renewed["lifecycle results"].threshold == renewed["response rates"].threshold == threshold + 1
    dashboard.covering(demo_store, dashboard.dated_rounds(demo_store, catalog["trivsel"]), "SO")
    assert len(asked) == 2
