"""Lifecycle surveys: events from HR data becoming due on an injected date, letters with one-time codes, pooled
answers released only after the half-year and above the threshold, and nothing linking an answer to a person."""

from datetime import date

import pandas as pd
import pytest

import pdf_pages
from conftest import DATA, snapshot
from trivsel import code_letters, config
from trivsel.imports import ImportRejected
from trivsel.imports.employees import import_employees
from trivsel.imports.placements import import_placements
from trivsel.imports.units import import_units
from trivsel.lifecycle import events, pools
from trivsel.surveys import rounds
from trivsel.surveys.definitions import load_all
from trivsel.views import lifecycle as view

SURVEYS = load_all(config.surveys_dir())
EMPLOYMENTS = b"""employee_id;unit_id;start_date;end_date;fte;job_group
N1;SO-PC-A;05-01-2026;;1;Social- og sundhedshj\xc3\xa6lper
L1;SO-PC-A;01-01-2020;31-12-2025;1;Sygeplejerske
L1;SO-PC;01-01-2026;;1;Afdelingsleder
L2;SOC-BO;01-02-2026;;1;Leder
X1;SOC-BO;01-01-2020;15-04-2026;1;P\xc3\xa6dagog
T1;SO-PC-A;01-01-2020;31-03-2026;1;P\xc3\xa6dagog
T1;SOC-BO;01-04-2026;;1;P\xc3\xa6dagog
"""
PLACEMENTS = b"""person_id;unit_id;education;start_date;end_date
P1;SO-PC-A;SOSU-hj\xc3\xa6lper;02-02-2026;24-04-2026
"""


@pytest.fixture
def hr(store):
    import_units(store, (DATA / "enheder.csv").read_bytes(), actor="test")
    import_employees(store, EMPLOYMENTS, actor="test")
    import_placements(store, PLACEMENTS, actor="test")
    return store


def due_on(store, day: date) -> set[tuple]:
    return set(events.due_letters(store, day)[["survey_id", "subject_id"]].itertuples(index=False, name=None))


def test_a_newcomer_a_leaver_a_new_leader_and_a_placement_become_due_on_their_days(hr):
    assert due_on(hr, date(2026, 4, 5)) == {("new_employee_3m", "N1"), ("leader_onboarding", "L1"), ("exit", "X1")}
    assert ("new_employee_3m", "N1") not in due_on(hr, date(2026, 4, 4))  # 89 days after the start
    assert ("leader_onboarding", "L1") in due_on(hr, date(2026, 4, 1))  # 90 days after 1 January
    assert ("leader_onboarding", "L1") not in due_on(hr, date(2026, 3, 31))
    assert ("leader_onboarding", "L2") in due_on(hr, date(2026, 5, 2))  # an external new leader
    # The leaver from 14 days before the last day through the last day; the placement in its last week.
    assert ("exit", "X1") not in due_on(hr, date(2026, 3, 31))
    assert ("exit", "X1") in due_on(hr, date(2026, 4, 15))
    assert ("placement", "P1") in due_on(hr, date(2026, 4, 18))  # the week ending 24 April
    assert ("placement", "P1") not in due_on(hr, date(2026, 4, 17))
    assert not {e for e in due_on(hr, date(2026, 4, 16)) if e[0] == "exit"}
    # T1 moved to another unit: neither a leaver nor a newcomer.
    assert not {e for day in (date(2026, 3, 25), date(2026, 7, 1)) for e in due_on(hr, day) if e[1] == "T1"}
    # L1 became a leader: onboarding, not the 3-month survey; internal, as L2 is not.
    leaders = events.new_leaders(hr, date(2026, 1, 1), date(2026, 6, 30)).set_index("unit_id")
    assert leaders["internal"].to_dict() == {"SO-PC": True, "SOC-BO": False}


def test_the_konsulent_moves_the_schedule_and_a_mentor_programme_becomes_due(hr):
    events.set_schedule(hr, "new_employee_3m", 60, 10, actor="konsulent")
    assert ("new_employee_3m", "N1") in due_on(hr, date(2026, 3, 6))  # 60 days after 5 January
    assert ("new_employee_3m", "N1") not in due_on(hr, date(2026, 3, 16))  # ten days later
    with pytest.raises(events.LifecycleError, match="mellem 1 og 90"):
        events.set_schedule(hr, "exit", -14, 0, actor="konsulent")
    events.add_mentor_programme(hr, "SO-PC", date(2026, 1, 15), actor="konsulent")
    assert ("leader_mentor", "SO-PC") in due_on(hr, date(2026, 7, 16))  # six months on
    with pytest.raises(events.LifecycleError, match="Ukendt enhed"):
        events.add_mentor_programme(hr, "NOPE", date(2026, 1, 15), actor="konsulent")


def test_a_leader_hands_over_staff_letters_and_the_leader_above_a_new_leaders(hr):
    day = date(2026, 4, 5)
    assert set(events.letters_for_leader(hr, "SO-PC", day)["subject_id"]) == {"N1"}  # not the leader's own
    assert set(events.letters_for_leader(hr, "SO", day)["subject_id"]) == {"N1", "L1"}
    assert set(events.letters_for_leader(hr, "SOC", day)["subject_id"]) == {"X1"}


def make(store, day: date, survey_id: str | None = None) -> list[code_letters.Letter]:
    due = events.due_letters(store, day)
    if survey_id:
        due = due[due["survey_id"] == survey_id]
    return pools.make_letters(store, SURVEYS, due, day, actor="leder")


def test_letters_carry_single_use_codes_stored_only_as_hashes(hr, tmp_path):
    day = date(2026, 4, 15)
    letters = make(hr, day)
    assert len(letters) == 3 and not events.due_letters(hr, day).size  # made once: no longer due
    pdf = code_letters.pdf(letters)
    pages = pdf_pages.texts(pdf)
    assert len(pages) == 3 and any("Spørgeskema ved fratrædelse" in p for p in pages)
    assert sorted(pdf_pages.qr_codes(i)[0] for i in pdf_pages.images(pdf, tmp_path)) == sorted(x.link for x in letters)
    stored = {h for (h,) in hr.query_all("SELECT code_hash FROM round_codes")}
    assert stored == {rounds.hash_code(x.code) for x in letters}
    exit_letter = next(x for x in letters if x.round_label == "Spørgeskema ved fratrædelse")
    assert exit_letter.unit_name == "Socialområdet"  # the area, nothing finer
    rnd, unit, _ = rounds.resolve_code(hr, exit_letter.code, day)
    assert (rnd.survey_id, unit) == ("exit", "SOC")
    rounds.submit(hr, rnd, unit, SURVEYS["exit"], exit_answers(), day, code=exit_letter.code)
    with pytest.raises(rounds.RoundError, match="allerede brugt"):
        rounds.resolve_code(hr, exit_letter.code, day)
    with pytest.raises(events.LifecycleError, match="ikke aktuelle"):
        pools.make_letters(
            hr,
            SURVEYS,
            pd.DataFrame([("exit", "X1", date(2026, 4, 15))], columns=["survey_id", "subject_id", "anchor_date"]),
            day,
            actor="leder",
        )
    assert rounds.all_rounds(hr) == []  # the pools are not on Målinger


def exit_answers(reason: str = "arbejdsmaengde", score: int = 9) -> dict:
    return {"exit_initiative": "egen_opsigelse", "exit_reasons": [reason, "loen"], "enps": score, "exit_return": "ja"}


def leavers(store, unit: str, n: int, start: int, last_day: date) -> None:
    rows = "".join(f"Y{start + i};{unit};01-01-2020;{last_day:%d-%m-%Y};1;Pædagog\n" for i in range(n))
    import_employees(store, ("employee_id;unit_id;start_date;end_date;fte;job_group\n" + rows).encode(), "test")


def answer_all(store, letters, day: date) -> None:
    for letter in letters:
        rnd, unit, _ = rounds.resolve_code(store, letter.code, day)
        rounds.submit(store, rnd, unit, SURVEYS[rnd.survey_id], exit_answers(), day, code=letter.code)


def cell(table: pd.DataFrame, group: str, measure: str) -> pd.Series:
    return table[(table["group_id"] == group) & (table["measure"] == measure)].iloc[0]


def test_a_pool_shows_only_after_its_half_year_and_above_the_threshold(hr):
    # Four leavers in Sundhed og Omsorg, six in Socialområdet (X1 among them), all in the first half-year.
    leavers(hr, "SO-PC-A", 4, 100, date(2026, 5, 20))
    leavers(hr, "SOC-BO", 5, 200, date(2026, 5, 20))
    day = date(2026, 5, 10)
    answer_all(hr, make(hr, date(2026, 4, 10), "exit") + make(hr, day, "exit"), day)
    survey = SURVEYS["exit"]
    reasons = "share:exit_reasons:arbejdsmaengde"
    before = view.results(hr, survey, date(2026, 7, 30)).table  # the codes still work on 30 July
    assert before["suppressed"].all() and before["value"].isna().all()
    assert view.response_rates(hr, survey, date(2026, 7, 30)).table.empty
    after = view.results(hr, survey, date(2026, 7, 31)).table
    total = cell(after, view.TOTAL, reasons)
    assert (total["value"], total["respondents"], total["suppressed"]) == (100.0, 10, False)
    # Four answers are under the threshold; Socialområdet's six would give them away as the total minus six.
    assert cell(after, "SO", reasons)["suppressed"] and pd.isna(cell(after, "SO", reasons)["value"])
    assert cell(after, "SOC", reasons)["suppressed"] and pd.isna(cell(after, "SOC", reasons)["respondents"])
    assert set(after["period"]) == {"1. halvår 2026"}  # no month, no finer period
    rates = view.response_rates(hr, survey, date(2026, 7, 31)).table.iloc[0]
    assert (rates["letters"], rates["answers"], rates["rate"]) == (10, 10, 100.0)


def test_placement_satisfaction_is_pooled_per_education(hr):
    rows = "".join(f"S{i};SO-PC-A;SOSU-assistent;01-03-2026;{date(2026, 5, 29):%d-%m-%Y}\n" for i in range(5))
    import_placements(hr, ("person_id;unit_id;education;start_date;end_date\n" + rows).encode(), "test")
    day = date(2026, 5, 25)
    for letter in make(hr, day, "placement"):
        rnd, unit, _ = rounds.resolve_code(hr, letter.code, day)
        answers = {"education": "sosu_assistent", "vejl_tid": 5, "vejl_feedback": 5, "vejl_maal": 5}
        rounds.submit(hr, rnd, unit, SURVEYS["placement"], answers, day, code=letter.code)
    table = view.results(hr, SURVEYS["placement"], date(2026, 8, 1)).table
    shown = cell(table, "sosu_assistent", "dim:vejledning")
    assert (shown["respondents"], shown["value"], shown["group_name"]) == (5, 100.0, "Social- og sundhedsassistent")


def test_internal_recruitment_is_a_protected_share_of_new_leaders(hr):
    table = view.internal_recruitment(hr, date(2026, 7, 2)).table
    first_half = table[table["period"] == "1. halvår 2026"].iloc[0]
    assert first_half["suppressed"] and pd.isna(first_half["internal_share"])  # two new leaders: under 5
    rows = "".join(
        f"Q{i};SO-PC-A;01-01-2020;31-01-2026;1;Sygeplejerske\nQ{i};SO-PC-A;01-02-2026;;1;Teamleder\n" for i in range(3)
    )
    import_employees(hr, ("employee_id;unit_id;start_date;end_date;fte;job_group\n" + rows).encode(), "test")
    first_half = view.internal_recruitment(hr, date(2026, 7, 2)).table
    first_half = first_half[first_half["period"] == "1. halvår 2026"].iloc[0]
    assert (first_half["new_leaders"], first_half["internal_share"]) == (5, 80.0)
    running = view.internal_recruitment(hr, date(2026, 6, 30)).table.iloc[0]
    assert running["suppressed"]  # the half-year is not over


def test_nothing_stored_links_an_answer_or_a_code_to_a_person(hr):
    """With full database access: after letters and answers, the codes' table is in the order of the hashes, no
    table holding a code or an answer holds a person id, and the letters' table says only that a letter was
    made."""
    leavers(hr, "SOC-BO", 6, 300, date(2026, 5, 20))
    day = date(2026, 5, 10)
    letters = make(hr, date(2026, 4, 10)) + make(hr, day)
    answer_all(hr, [x for x in letters if x.round_label == "Spørgeskema ved fratrædelse"][::-1], day)
    person_ids = {
        r for (r,) in hr.query_all("SELECT employee_id FROM employees UNION SELECT person_id FROM placements")
    }
    hashes = {rounds.hash_code(x.code) for x in letters}
    tables = [t for (t,) in hr.query_all("SELECT table_name FROM information_schema.tables ORDER BY table_name")]
    for table in tables:
        cells = {str(v) for row in hr.query_all(f'SELECT * FROM "{table}"') for v in row}
        if cells & hashes:
            assert table in ("round_codes", "code_drafts") and not cells & person_ids, table
        if table in ("survey_responses", "survey_answers", "round_units", "lifecycle_pools", "survey_rounds"):
            assert not cells & person_ids, table
    columns = hr.query_all(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'lifecycle_letters' "
        "ORDER BY ordinal_position"
    )
    assert [c for (c,) in columns] == ["survey_id", "subject_id", "anchor_date"]  # no code, no time, no pool
    for (round_id,) in hr.query_all("SELECT round_id FROM lifecycle_pools"):
        stored = [
            h
            for (h,) in hr.query_all("SELECT code_hash FROM round_codes WHERE round_id = ? ORDER BY rowid", [round_id])
        ]
        assert stored == sorted(stored)  # not the order the letters were made in
    in_order = [rounds.hash_code(x.code) for x in letters if x.round_label == "Spørgeskema ved fratrædelse"]
    assert in_order != sorted(in_order)  # the check above could fail: 7 codes come sorted once in 5040
    audit = " ".join(d for (d,) in hr.query_all("SELECT details FROM audit_log WHERE action = 'lifecycle_letters'"))
    assert not [p for p in person_ids if p in audit]
    rounds.shuffle_answers(hr)
    ids = [r for (r,) in hr.query_all("SELECT response_id FROM survey_responses ORDER BY rowid")]
    assert ids == sorted(ids)


def test_a_bad_placements_file_is_refused_with_row_column_and_reason_and_changes_nothing(hr):
    before = snapshot(hr), hr.query_all("SELECT * FROM placements ORDER BY ALL")
    bad = (
        "person_id;unit_id;education;start_date;end_date\n"
        "P9;NOPE;Pædagog;01-02-2026;01-03-2026\n"
        "P8;SO-PC-A;;01-02-2026;01-03-2026\n"
        "P7;SO-PC-A;Pædagog;01-03-2026;01-02-2026\n"
        "P6;SO-PC-A;Pædagog;01-03-2026;\n"
    ).encode()
    with pytest.raises(ImportRejected) as info:
        import_placements(hr, bad, actor="test")
    found = {(p.row, p.column) for p in info.value.problems}
    assert {(2, "unit_id"), (3, "education"), (4, "end_date"), (5, "end_date")} <= found
    assert "ukendt enhed" in info.value.summary()
    assert (snapshot(hr), hr.query_all("SELECT * FROM placements ORDER BY ALL")) == before


def test_reimporting_placements_replaces_a_persons_rows(hr):
    import_placements(hr, PLACEMENTS.replace(b"24-04-2026", b"01-05-2026"), actor="test")
    assert hr.query_all("SELECT person_id, end_date FROM placements") == [("P1", date(2026, 5, 1))]
    assert hr.query_value("SELECT count(*) FROM placements") == 1  # the file's rows replace the person's
