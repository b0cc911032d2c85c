"""Attacks on survey results through time and through the unit link (issue 14, items 1-3).

A leader who holds the unit link and can open the dashboards tries to learn one person's answers:
by looking at a round's results before and after one answer arrives, by adding known answers of
their own, and by taking the comments of visible units away from a larger group's.
"""

import subprocess
import sys
import threading
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from attacker import assert_nothing_small_derivable
from test_survey_rounds import SURVEY, TODAY, full_answers, org_of
from trivsel.disclosure import NOT_RELEASED
from trivsel.store import open_store
from trivsel.surveys import responses, rounds
from trivsel.views import dashboard
from trivsel.views import surveys as views

CLOSES = TODAY + timedelta(days=7)
AFTER_CLOSE = CLOSES + timedelta(days=1)


def open_link_round(store, units, label="R1"):
    rnd, _ = rounds.create_round(store, SURVEY, label, TODAY, CLOSES, units, "link", "konsulent")
    return rnd


def everything_a_page_shows(store, rnd, today):
    """Every figure about the round's answers that a page, export or report can get, for every unit."""
    summary = views.summary(store, SURVEY, rnd, today)
    return {
        "summary": summary.table.to_csv(),
        "export": views.export_table(summary, SURVEY).to_csv(),
        "bands": dashboard.who5_bands(store, SURVEY, rnd, "V", today).to_csv(),
        "heatmap": [t.to_csv() for t in dashboard.heatmap(store, SURVEY, rnd, "V", "ledelse", today)],
        "trend": dashboard.trend(store, SURVEY, ["V", "A"], today).to_csv(),
        "drivers": dashboard.drivers(store, SURVEY, rnd, "V", today),
        "comments": [views.comments(store, SURVEY, rnd, u, today) for u in ("V", "A", "B")],
    }


def test_an_open_round_shows_nothing_that_changes_with_the_next_answer(store):
    org_of(store, {"A": 40, "B": 40})
    rnd = open_link_round(store, ["A", "B"])
    for _ in range(36):
        rounds.submit(store, rnd, "A", SURVEY, full_answers(level=3), TODAY)
    for _ in range(30):
        rounds.submit(store, rnd, "B", SURVEY, full_answers(level=3), TODAY)
    before = everything_a_page_shows(store, rnd, TODAY)
    rounds.submit(store, rnd, "A", SURVEY, full_answers(level=5), TODAY)  # the answer the leader wants
    assert everything_a_page_shows(store, rnd, TODAY) == before
    summary = views.summary(store, SURVEY, rnd, TODAY).table
    assert summary["suppressed"].all() and (summary["suppression_reason"] == NOT_RELEASED).all()
    assert summary[["respondents", "score"]].isna().all().all()
    assert dashboard.trend(store, SURVEY, ["V"], TODAY).empty
    # Response counts and rates stay visible while the round is open; they say who took part, not what.
    rates = views.response_rates(store, rnd).table.set_index("unit_id")
    assert rates.loc["A", "responses"] == 37
    # Once the round has closed, the results are there, and they no longer move.
    shown = views.summary(store, SURVEY, rnd, AFTER_CLOSE).table.set_index(["unit_id", "measure"])
    assert shown.loc[("A", "who5"), "respondents"] == 37
    with pytest.raises(rounds.RoundError, match="lukket"):
        rounds.submit(store, rnd, "A", SURVEY, full_answers(), AFTER_CLOSE)


def test_closing_a_round_early_releases_it_and_stops_answers(store):
    org_of(store, {"A": 10})
    rnd = open_link_round(store, ["A"])
    for _ in range(6):
        rounds.submit(store, rnd, "A", SURVEY, full_answers(), TODAY)
    assert views.summary(store, SURVEY, rnd, TODAY).table["suppressed"].all()
    rounds.close_round(store, rnd, TODAY, "konsulent")
    closed = rounds.find_round(store, SURVEY.id, "R1")
    assert closed.status(TODAY) == "lukket" and closed.results_released(TODAY)
    a = views.summary(store, SURVEY, closed, TODAY).table.set_index(["unit_id", "measure"]).loc[("A", "who5")]
    assert not a["suppressed"] and a["respondents"] == 6
    with pytest.raises(rounds.RoundError, match="lukket"):
        rounds.submit(store, closed, "A", SURVEY, full_answers(), TODAY)
    assert rounds.open_link_rounds(store, "A", TODAY) == []
    assert store.query_value("SELECT count(*) FROM audit_log WHERE action = 'round_closed'") == 1
    stored = [r for (r,) in store.query_all("SELECT response_id FROM survey_responses ORDER BY rowid")]
    assert stored == sorted(stored)  # rewritten at the close: the storage order says nothing about arrival


def test_the_cli_refuses_to_export_an_open_round(demo_db, tmp_path):
    store = open_store(demo_db)
    try:
        unit = store.query_value("SELECT unit_id FROM units WHERE parent_id IS NOT NULL ORDER BY unit_id LIMIT 1")
        now = date.today()  # the CLI asks for the real date: the round is open on the day the test runs
        rnd, _ = rounds.create_round(
            store, SURVEY, "Åben nu", now, now + timedelta(days=7), [unit], "link", "konsulent"
        )
    finally:
        store.close()
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "trivsel"),
            "export",
            "survey-summary",
            "--db",
            str(demo_db),
            "--survey",
            "trivsel",
            "--round",
            rnd.label,
            "--format",
            "csv",
            "-o",
            str(tmp_path / "x.csv"),
        ],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0 and not (tmp_path / "x.csv").exists()
    assert result.stderr.startswith("Fejl: ") and "lukket" in result.stderr


def test_a_unit_link_takes_no_more_answers_than_the_unit_had_staff(store):
    org_of(store, {"A": 5, "B": 3})
    rnd = open_link_round(store, ["A", "B"])
    for _ in range(5):
        rounds.submit(store, rnd, "A", SURVEY, full_answers(), TODAY)
    with pytest.raises(rounds.RoundError, match="lige så mange svar, som der var ansatte"):
        rounds.submit(store, rnd, "A", SURVEY, full_answers(), TODAY)
    assert store.query_value("SELECT count(*) FROM survey_responses WHERE unit_id = 'A'") == 5


def test_answers_sent_at_once_never_pass_the_headcount(tmp_path):
    store = open_store(tmp_path / "race.duckdb")
    org_of(store, {"A": 6})
    rnd = open_link_round(store, ["A"])
    barrier, outcomes = threading.Barrier(30), []

    def send():
        barrier.wait()
        try:
            rounds.submit(store, rnd, "A", SURVEY, full_answers(), TODAY)
            outcomes.append("stored")
        except rounds.RoundError:
            outcomes.append("refused")

    threads = [threading.Thread(target=send) for _ in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("stored") == 6 and len(outcomes) == 30  # nothing else escaped
    assert store.query_value("SELECT count(*) FROM survey_responses") == 6
    store.close()


def test_known_answers_cannot_be_stuffed_beside_one_real_one(store):
    """The reported attack: 4 known answers beside one real one in a unit of 5, plus known answers in the
    small sibling that protected it. The cap stops the stuffing once the unit's staff count is reached."""
    org_of(store, {"A": 5, "B": 3, "C": 20})
    rnd = open_link_round(store, ["A", "B", "C"])
    rounds.submit(store, rnd, "A", SURVEY, full_answers(level=2), TODAY)  # the real person
    stuffed = 0
    for unit, n in (("A", 8), ("B", 6)):
        for _ in range(n):
            try:
                rounds.submit(store, rnd, unit, SURVEY, full_answers(level=5), TODAY)
                stuffed += 1
            except rounds.RoundError:
                pass
    assert stuffed == 4 + 3  # not 8 + 6
    counts = responses.response_counts(store, rnd.round_id).set_index("unit_id")
    assert (counts["responses"] <= counts["persons_at_start"]).all()


def test_blank_answers_do_not_count_towards_showing_a_comment(store):
    org_of(store, {"A": 20})
    rnd = open_link_round(store, ["A"])
    rounds.submit(store, rnd, "A", SURVEY, {**full_answers(), "comment": "Min leder taler grimt til mig"}, TODAY)
    for _ in range(9):
        rounds.submit(store, rnd, "A", SURVEY, {**full_answers(), "comment": ""}, TODAY)
    assert views.comments(store, SURVEY, rnd, "A", AFTER_CLOSE) is None


def comment_answers(comment: str | None) -> dict:
    return {**full_answers(), "comment": comment or ""}


def test_a_parents_comments_minus_its_childrens_never_leave_a_small_group(store):
    """Hjemmeplejen Syd in Forår 2025: 4 respondents placed in the parent itself, 3 of them with a comment,
    and two children with 10+ comments each. Parent minus children gave the 3 comments exactly."""
    org_of(store, {"P": 4, "C1": 12, "C2": 12}, parents={"C1": "P", "C2": "P"})
    rnd = open_link_round(store, ["P", "C1", "C2"])
    for unit, with_comment, without in (("P", 3, 1), ("C1", 11, 0), ("C2", 10, 1)):
        for i in range(with_comment):
            rounds.submit(store, rnd, unit, SURVEY, comment_answers(f"{unit} kommentar {i}"), TODAY)
        for _ in range(without):
            rounds.submit(store, rnd, unit, SURVEY, comment_answers(None), TODAY)
    shown = {u: views.comments(store, SURVEY, rnd, u, AFTER_CLOSE) for u in ("V", "P", "C1", "C2")}
    visible_children = [shown[c] for c in ("C1", "C2") if shown[c] is not None]
    for parent in ("V", "P"):
        if shown[parent] is None:
            continue
        rest = (
            pd.Series(shown[parent])
            .value_counts()
            .sub(pd.Series([c for shown_c in visible_children for c in shown_c]).value_counts(), fill_value=0)
        )
        left = int(rest[rest > 0].sum())
        assert left == 0 or left >= 10, f"{parent} minus its visible children leaves {left} comments"


def test_comment_groups_survive_the_attacker_on_the_demo(demo_store):
    for rnd in dashboard.dated_rounds(demo_store, SURVEY):
        if not rnd.results_released(date(2026, 12, 1)):
            continue
        groups, texts = views._comment_groups(demo_store, SURVEY, rnd)
        own = texts.drop_duplicates("response_id").groupby("unit_id").size()
        assert_nothing_small_derivable(
            groups.table, {u: float(own.get(u, 0)) for u in groups.table["unit_id"]}, groups.threshold
        )


@settings(max_examples=300, deadline=None)
@given(
    st.integers(2, 14).flatmap(
        lambda n: st.tuples(
            st.lists(st.integers(0, 10**6), min_size=n, max_size=n),
            st.lists(st.sampled_from([0, 0, 1, 2, 3, 5, 8, 9, 10, 11, 15, 25]), min_size=n, max_size=n),
            st.sampled_from([3, 5, 10]),
        )
    )
)
def test_comment_groups_on_random_trees_leave_nothing_small_to_subtract(tree):
    """Random trees (each unit's parent is an earlier unit, or none) with random numbers of commenters."""
    parent_picks, writers, threshold = tree
    ids = [f"U{i}" for i in range(len(writers))]
    parents = [None] + [ids[pick % i] if pick % (i + 1) else None for i, pick in enumerate(parent_picks[1:], 1)]
    units = pd.DataFrame({"unit_id": ids, "unit_name": ids, "parent_id": parents})
    parent_of = dict(zip(ids, parents))
    links = pd.DataFrame([(u, a) for u in ids for a in _ancestors(u, parent_of)], columns=["descendant", "ancestor"])
    counts = pd.Series(writers, index=ids)
    protected = views.protect_commenters(units, links, counts[counts > 0], threshold)
    assert_nothing_small_derivable(protected.table, dict(zip(ids, map(float, writers))), threshold)
    # The group the rule promises to protect: a visible unit's own writers plus its hidden children's.
    hidden = dict(zip(protected.table["unit_id"], protected.table["suppressed"]))
    own = dict(zip(ids, writers))

    def uncovered(unit):  # the unit's own writers plus those of hidden units below it that nothing visible covers
        return own[unit] + sum(uncovered(c) for c in ids if parent_of[c] == unit and hidden[c])

    for unit in ids:
        if not hidden[unit]:
            assert uncovered(unit) == 0 or uncovered(unit) >= threshold, unit


def _ancestors(unit, parent_of):
    while unit is not None:
        yield unit
        unit = parent_of[unit]


def test_the_konsulents_list_of_full_units_names_no_unit_too_small_to_show(store):
    """Found in a walk-through: the list of units at headcount named units the response rates hide as too
    small, which told that every one of their few staff had answered."""
    org_of(store, {"A": 3, "B": 6, "C": 8})
    rnd = open_link_round(store, ["A", "B", "C"])
    for unit, n in (("A", 3), ("B", 2), ("C", 8)):
        for _ in range(n):
            rounds.submit(store, rnd, unit, SURVEY, full_answers(), TODAY)
    assert set(rounds.units_at_headcount(store, rnd.round_id)) == {"A", "C"}  # the raw fact
    hidden = views.response_rates(store, rnd).table.set_index("unit_id")["suppressed"]
    assert hidden["A"] and not hidden["C"]
    assert views.units_at_headcount(store, rnd) == ["C"]
