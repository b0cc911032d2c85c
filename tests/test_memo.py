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

from trivsel import audit, auth, code_guesses, org, settings
from trivsel.demo import DEMO_PASSWORD
from trivsel.jobs import runs
from trivsel.store import memo
from trivsel.store.database import BOOKKEEPING_TABLES
from trivsel.views import absence
from trivsel.views import followup as followup_views

YEAR = (date(2025, 1, 1), date(2025, 12, 31))
SRC = Path(__file__).parents[1] / "src" / "trivsel"
# Where the bookkeeping is written and read: logins, the audit log page, jobs, wrong codes, retention and
# backup. None of these computes a figure that store.memo keeps.
BOOKKEEPING_MODULES = {"auth.py", "audit.py", "code_guesses.py", "jobs/runs.py", "retention.py", "store/database.py"}


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


def test_the_bookkeeping_is_read_only_where_no_kept_figure_is_made():
    """A bookkeeping write keeps the generation: that holds only while no kept figure reads those tables."""
    tables = "|".join(BOOKKEEPING_TABLES)
    pattern = re.compile(
        rf"\b(FROM|JOIN|INTO|UPDATE|TABLE)\s+({tables})\b|\b(failed_logins|locked_until)\b", re.IGNORECASE
    )
    readers = {
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if pattern.search(path.read_text(encoding="utf-8")) and "migrations" not in path.parts
    }
    assert readers <= BOOKKEEPING_MODULES, sorted(readers - BOOKKEEPING_MODULES)


def test_figures_of_an_older_generation_are_dropped_when_newer_ones_are_kept(demo_store):
    # During a round every answer moves the generation on; the figures kept before it can never be asked
    # for again, and keeping them until the cache is full made the server's memory grow.
    absence.summary(demo_store, *YEAR)
    before = demo_store.generation
    assert any(key[:2] == (demo_store.key, before) for key in memo._entries)
    settings.set_value(demo_store, "threshold.absence", 6, "admin")
    absence.summary(demo_store, *YEAR)
    kept = [key[1] for key in memo._entries if key[0] == demo_store.key]
    assert kept and set(kept) == {demo_store.generation}
