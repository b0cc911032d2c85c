"""Group supervision: request validation, reference codes, the queue's states, overdue in working days,
conflicts between supervisors, protected statistics and export, retention, and separation from survey data."""

import ast
import re
import subprocess
import sys
import threading
import time
from datetime import date, datetime, timedelta
from io import BytesIO
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from conftest import DEMO_TODAY
from trivsel import config, org, retention, settings
from trivsel.demo import supervision as demo_supervision
from trivsel.supervision import (
    ConflictError,
    SupervisionError,
    queue,
    requests,
    statistics,
    workdays,
)
from trivsel.surveys.definitions import load_all
from trivsel.views import supervision as view

ROOT = Path(__file__).parents[1]
SURVEY = load_all(config.surveys_dir())["supervision_request"]
TODAY = date(2026, 11, 23)  # a Monday
MONTH_END = date(2026, 10, 31)  # statistics cover whole calendar months
VALID = {
    "contact_name": "Mette Jensen",
    "contact": "mette.jensen@kommune.dk",
    "role": "medarbejder",
    "group_size": 6,
    "topic": "samarbejde",
    "description": "Vi er uenige om, hvordan vi fordeler vagterne.",
    "urgency": "inden_for_2_uger",
    "leader_knows": "ja",
    "weekdays": ["tirsdag", "torsdag"],
    "times": ["formiddag"],
}
UNITS = [
    ("V", "Velfærdsområdet", None, ""),
    ("A", "Område A", "V", "A"),
    ("A1", "Afdeling A1", "A", "A"),
    ("A2", "Afdeling A2", "A", "A"),
    ("B", "Område B", "V", "B"),
    ("B1", "Afdeling B1", "B", "B"),
]


@pytest.fixture
def org_store(store):
    store.write(lambda cur: cur.executemany("INSERT INTO units VALUES (?, ?, ?, ?)", [list(u) for u in UNITS]))
    return store


def submit(store, unit_id="A1", today=TODAY, **changes) -> str:
    return requests.submit(store, SURVEY, unit_id, {**VALID, **changes}, today)


def request_id(store, code: str) -> str:
    return store.query_value(
        "SELECT request_id FROM supervision_requests WHERE status_code_hash = ?", [requests.hash_code(code)]
    )


def version(store, rid: str) -> int:
    return queue.get(store, rid).version


# Validation


@pytest.mark.parametrize(
    "contact",
    [
        "mette.jensen@kommune.dk",
        "a@b.dk",
        "12345678",
        "12 34 56 78",
        "+45 12 34 56 78",
        "0045 1234 5678",
        "+46 70 123 45 67",
        "1234-5678",
    ],
)
def test_plausible_contacts_are_accepted(contact):
    assert requests.contact_problem(contact) is None


@pytest.mark.parametrize(
    "contact, reason",
    [
        ("mette@kommune", "e-mailadressen ser ikke rigtig ud"),
        ("mette@@kommune.dk", "e-mailadressen ser ikke rigtig ud"),
        ("1234567", "8 cifre"),
        ("123456789", "8 cifre"),
        ("+45 12", "8 cifre"),
        ("ring til Mette", "e-mailadresse eller et telefonnummer"),
    ],
)
def test_implausible_contacts_get_a_danish_reason(contact, reason):
    assert reason in requests.contact_problem(contact)


def test_a_complete_request_has_no_problems():
    assert requests.problems(SURVEY, VALID) == []
    assert requests.problems(SURVEY, {k: v for k, v in VALID.items() if k not in ("weekdays", "times")}) == []


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"contact_name": None}, "Spørgsmål 1 skal besvares."),
        ({"contact_name": "   "}, "Spørgsmål 1 skal besvares."),
        (
            {"contact": "Mette"},
            "Spørgsmål 2 (e-mail eller telefonnummer): skriv en e-mailadresse eller et telefonnummer.",
        ),
        ({"role": "direktoer"}, "Spørgsmål 3: ukendt svarmulighed."),
        ({"group_size": 0}, "Spørgsmål 4: svaret skal være et helt tal fra 1 til 30."),
        ({"group_size": 31}, "Spørgsmål 4: svaret skal være et helt tal fra 1 til 30."),
        ({"topic": None}, "Spørgsmål 5 skal besvares."),
        ({"description": "x" * 501}, "Spørgsmål 6: teksten må højst være 500 tegn."),
        ({"weekdays": ["lørdag"]}, "Spørgsmål 9: ukendt svarmulighed."),
        ({"leader_knows": "er_selv_leder"}, "du har svaret, at du er medarbejder, men også, at du selv er leder"),
        ({"diagnosis": "x"}, "Ukendte spørgsmål: diagnosis."),
    ],
)
def test_problems_are_named_in_danish(changes, message):
    found = requests.problems(SURVEY, {**VALID, **changes})
    assert any(message in p for p in found), found


def test_the_request_rules_check_what_is_answered_so_far():
    """The form checks each section with the same rules as the final submit, before later sections exist."""
    first_section = {"contact_name": "Anne", "contact": "anne@", "role": "medarbejder"}
    found = requests.request_problems(SURVEY, first_section)
    assert found == [
        ("Spørgsmål 2 (e-mail eller telefonnummer): e-mailadressen ser ikke rigtig ud (fx navn@kommune.dk).")
    ]
    assert found[0] in requests.problems(SURVEY, {**VALID, "contact": "anne@"})
    assert requests.request_problems(SURVEY, {**first_section, "contact": "anne@kommune.dk"}) == []
    contradiction = requests.request_problems(
        SURVEY, {**first_section, "contact": "12345678", "leader_knows": "er_selv_leder"}
    )
    assert len(contradiction) == 1 and "du selv er leder" in contradiction[0]


def test_a_refused_request_stores_nothing(org_store):
    with pytest.raises(SupervisionError, match="Spørgsmål 2"):
        submit(org_store, contact="ikke et nummer")
    with pytest.raises(SupervisionError, match="Enheden findes ikke"):
        submit(org_store, unit_id="X")
    assert org_store.query_value("SELECT count(*) FROM supervision_requests") == 0


# Reference code: status only


def test_submit_stores_the_request_and_the_code_only_as_a_hash(org_store):
    code = submit(org_store, description="  Vi har brug for hjælp.  ", weekdays=["mandag", "fredag"])
    assert re.fullmatch(r"[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}", code)
    row = org_store.query_df("SELECT * FROM supervision_requests").iloc[0]
    assert row["unit_id"] == "A1" and row["status"] == "new" and row["request_no"] == 1
    assert row["description"] == "Vi har brug for hjælp." and row["weekdays"] == "mandag,fredag"
    assert row["contact_name"] == "Mette Jensen" and row["group_size"] == 6
    dump = repr(org_store.query_all("SELECT * FROM supervision_requests"))
    assert code not in dump and code.replace("-", "") not in dump
    assert org_store.query_all("SELECT actor, kind FROM supervision_events") == [("anmoder", "created")]
    assert org_store.query_value("SELECT count(*) FROM audit_log WHERE action = 'supervision_requested'") == 1


def test_the_code_shows_the_status_and_nothing_else(org_store):
    code = submit(org_store)
    assert requests.status_for_code(org_store, code) == "new"
    assert requests.status_for_code(org_store, code.lower().replace("-", " ")) == "new"
    assert requests.status_for_code(org_store, "ABCD-EFGH-JKLM") is None
    assert requests.status_for_code(org_store, "") is None
    assert set(requests.PUBLIC_STATUS) == set(requests.STATUSES)
    assert submit(org_store) != code  # every request its own code


def test_the_code_shows_the_first_planned_session_while_the_course_is_open(org_store):
    code = submit(org_store, today=date(2026, 11, 2))
    rid = request_id(org_store, code)
    assert requests.first_session_on(org_store, code) is None  # nothing planned yet
    queue.plan(org_store, rid, 1, [date(2026, 12, 11), date(2026, 11, 20)], 4, "sup", TODAY)
    assert requests.first_session_on(org_store, code) == date(2026, 11, 20)
    assert requests.first_session_on(org_store, code.lower()) == date(2026, 11, 20)
    queue.start(org_store, rid, 2, "sup", TODAY)
    assert requests.first_session_on(org_store, code) == date(2026, 11, 20)
    queue.close(org_store, rid, 3, "gennemfoert", None, "sup", date(2027, 1, 8))
    assert requests.first_session_on(org_store, code) is None  # a closed course has no session ahead
    assert requests.first_session_on(org_store, "ABCD-EFGH-JKLM") is None

    declined = submit(org_store)
    queue.plan(org_store, request_id(org_store, declined), 1, [TODAY], 2, "sup", TODAY)
    queue.decline(org_store, request_id(org_store, declined), 2, "Henvist videre.", "sup", TODAY)
    assert requests.first_session_on(org_store, declined) is None


# States


def test_a_request_goes_from_new_to_planned_in_progress_and_closed(org_store):
    rid = request_id(org_store, submit(org_store, today=date(2026, 11, 2)))
    sessions = [date(2026, 11, 20), date(2026, 12, 11)]
    queue.plan(org_store, rid, 1, sessions, 4, "sup", TODAY)
    planned = queue.get(org_store, rid)
    assert (planned.status, planned.first_response_on, planned.sessions_planned) == ("planned", TODAY, 4)
    assert planned.session_dates == tuple(sessions) and planned.version == 2

    queue.add_note(org_store, rid, "Formøde med lederen holdt.", "sup", TODAY)
    assert version(org_store, rid) == 2  # a plain note only appends
    queue.start(org_store, rid, 2, "sup", TODAY)
    queue.plan(org_store, rid, 3, [date(2026, 11, 20), date(2026, 12, 18)], 3, "sup", TODAY + timedelta(days=3))
    again = queue.get(org_store, rid)
    assert again.status == "in_progress" and again.session_dates[-1] == date(2026, 12, 18)
    assert again.first_response_on == TODAY  # the first answer stays the first

    queue.close(org_store, rid, 4, "gennemfoert", "Godt forløb.", "sup", date(2027, 1, 8))
    closed = queue.get(org_store, rid)
    assert (closed.status, closed.closed_on, closed.outcome, closed.outcome_text) == (
        "closed",
        date(2027, 1, 8),
        "gennemfoert",
        "Godt forløb.",
    )
    kinds = queue.events(org_store, rid)["kind"].tolist()
    assert kinds == ["created", "planned", "note", "started", "planned", "closed"]
    assert set(queue.events(org_store, rid)["actor"][1:]) == {"sup"}
    audited = [r[0] for r in org_store.query_all("SELECT action FROM audit_log WHERE actor = 'sup' ORDER BY id")]
    assert audited == [
        "supervision_planned",
        "supervision_note",
        "supervision_started",
        "supervision_planned",
        "supervision_closed",
    ]


def test_decline_and_the_refused_transitions(org_store):
    rid = request_id(org_store, submit(org_store))
    with pytest.raises(SupervisionError, match="Kun en planlagt anmodning kan sættes i gang"):
        queue.start(org_store, rid, 1, "sup", TODAY)
    with pytest.raises(SupervisionError, match="Skriv en begrundelse"):
        queue.decline(org_store, rid, 1, "   ", "sup", TODAY)
    with pytest.raises(SupervisionError, match="Vælg et udfald"):
        queue.close(org_store, rid, 1, "ukendt", None, "sup", TODAY)
    with pytest.raises(SupervisionError, match="Angiv mindst datoen for den første session"):
        queue.plan(org_store, rid, 1, [], 3, "sup", TODAY)
    with pytest.raises(SupervisionError, match="før anmodningen kom ind"):
        queue.plan(org_store, rid, 1, [TODAY - timedelta(days=1)], 3, "sup", TODAY)
    with pytest.raises(SupervisionError, match="3 datoer, men kun 2 sessioner"):
        queue.plan(org_store, rid, 1, [TODAY, TODAY + timedelta(7), TODAY + timedelta(14)], 2, "sup", TODAY)
    assert queue.get(org_store, rid).version == 1  # nothing was changed by the refusals

    queue.decline(org_store, rid, 1, "Henvist til AMR.", "sup", TODAY)
    declined = queue.get(org_store, rid)
    assert (declined.status, declined.closed_on, declined.decline_reason, declined.first_response_on) == (
        "declined",
        TODAY,
        "Henvist til AMR.",
        TODAY,
    )
    for change in (
        lambda: queue.plan(org_store, rid, 2, [TODAY], 1, "sup", TODAY),
        lambda: queue.close(org_store, rid, 2, "andet", None, "sup", TODAY),
        lambda: queue.decline(org_store, rid, 2, "igen", "sup", TODAY),
    ):
        with pytest.raises(SupervisionError):
            change()

    running = request_id(org_store, submit(org_store))
    queue.plan(org_store, running, 1, [TODAY], 2, "sup", TODAY)
    queue.start(org_store, running, 2, "sup", TODAY)
    with pytest.raises(SupervisionError, match="kan ikke afvises"):
        queue.decline(org_store, running, 3, "for sent", "sup", TODAY)


def test_a_note_can_record_the_first_answer(org_store):
    rid = request_id(org_store, submit(org_store, today=date(2026, 11, 2)))
    queue.add_note(
        org_store, rid, "Ringet op; vi finder en dato.", "sup", TODAY, expected_version=1, first_response=True
    )
    request = queue.get(org_store, rid)
    assert (request.status, request.first_response_on, request.version) == ("new", TODAY, 2)
    assert not queue.listing(org_store, TODAY).iloc[0]["overdue"]
    with pytest.raises(SupervisionError, match="allerede registreret"):
        queue.add_note(org_store, rid, "igen", "sup", TODAY, expected_version=2, first_response=True)
    with pytest.raises(SupervisionError, match="Skriv en note"):
        queue.add_note(org_store, rid, " ", "sup", TODAY)
    with pytest.raises(SupervisionError, match="En note må højst være 1000 tegn"):
        queue.add_note(org_store, rid, "x" * 1001, "sup", TODAY)


def test_every_change_of_a_request_goes_through_one_function():
    """One path checks the version, updates, writes the event and audits; the public changes only call it."""
    tree = ast.parse(Path(queue.__file__).read_text(encoding="utf-8"))
    writers = set()
    for function in tree.body:
        if isinstance(function, ast.FunctionDef):
            for node in ast.walk(function):
                if not isinstance(node, ast.Call):
                    continue
                name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                if name in ("write", "record", "_event"):  # a transaction, an audit entry, a history event
                    writers.add(function.name)
    assert writers == {"_change"}


# Two supervisors


def test_a_stale_change_is_refused_with_a_conflict_message(org_store):
    rid = request_id(org_store, submit(org_store))
    seen_by_both = version(org_store, rid)
    queue.plan(org_store, rid, seen_by_both, [TODAY + timedelta(days=7)], 3, "anne", TODAY)
    with pytest.raises(ConflictError, match=r"ændret af anne kl\. \d\d:\d\d.*status nu: Planlagt.*ikke gemt"):
        queue.close(org_store, rid, seen_by_both, "ikke_behov", None, "bo", TODAY)
    with pytest.raises(ConflictError):
        queue.add_note(org_store, rid, "ringet", "bo", TODAY, expected_version=seen_by_both, first_response=True)
    request = queue.get(org_store, rid)
    assert request.status == "planned" and request.version == seen_by_both + 1
    assert "bo" not in set(queue.events(org_store, rid)["actor"])


def test_simultaneous_changes_never_lose_an_update(org_store, monkeypatch):
    """Both supervisors press at the same moment: one wins, the other is told, nothing is overwritten.

    Writing the event is slowed down, so both transactions are open at once and the database's own
    write conflict (then the version in the UPDATE, on the retry) decides."""
    event = queue._event

    def slow_event(*args):
        time.sleep(0.05)
        event(*args)

    monkeypatch.setattr(queue, "_event", slow_event)
    for attempt in range(5):
        rid = request_id(org_store, submit(org_store))
        barrier = threading.Barrier(2)
        outcomes = {}

        def press(actor, change, barrier=barrier, outcomes=outcomes):
            barrier.wait()
            try:
                change()
                outcomes[actor] = "ok"
            except ConflictError:
                outcomes[actor] = "conflict"

        threads = [
            threading.Thread(
                target=press,
                args=(
                    "anne",
                    lambda rid=rid: queue.plan(org_store, rid, 1, [TODAY + timedelta(days=7)], 3, "anne", TODAY),
                ),
            ),
            threading.Thread(
                target=press,
                args=("bo", lambda rid=rid: queue.decline(org_store, rid, 1, "Henvist videre.", "bo", TODAY)),
            ),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(outcomes.values()) == ["conflict", "ok"], (attempt, outcomes)
        winner = next(a for a, o in outcomes.items() if o == "ok")
        request = queue.get(org_store, rid)
        assert request.version == 2
        assert request.status == ("planned" if winner == "anne" else "declined")
        assert queue.events(org_store, rid)["actor"].tolist() == ["anmoder", winner]


# Overdue in working days


def test_easter_and_public_holidays():
    assert [workdays.easter_sunday(y) for y in (2024, 2025, 2026)] == [
        date(2024, 3, 31),
        date(2025, 4, 20),
        date(2026, 4, 5),
    ]
    holidays = workdays.public_holidays(2026)
    assert {
        date(2026, 4, 2),
        date(2026, 4, 3),
        date(2026, 4, 6),
        date(2026, 5, 14),
        date(2026, 5, 25),
        date(2026, 12, 25),
        date(2026, 1, 1),
    } <= holidays
    assert date(2023, 5, 5) in workdays.public_holidays(2023)  # store bededag, abolished from 2024
    assert not any(d.month == 4 and d.day == 26 for d in holidays)


def test_deadline_counts_working_days_only():
    friday = date(2026, 11, 20)
    assert queue.response_deadline(friday, 5) == date(2026, 11, 27)
    assert not queue.is_overdue(friday, None, date(2026, 11, 27), 5)
    assert queue.is_overdue(friday, None, date(2026, 11, 28), 5)
    assert not queue.is_overdue(friday, date(2026, 12, 1), date(2026, 12, 10), 5)  # answered (late) is not overdue
    # Easter 2026: skærtorsdag, langfredag and 2. påskedag do not count.
    assert queue.response_deadline(date(2026, 3, 31), 5) == date(2026, 4, 10)
    assert workdays.working_days_between(date(2026, 3, 31), date(2026, 4, 10)) == 5
    assert workdays.working_days_between(date(2026, 4, 10), date(2026, 4, 10)) == 0


def test_the_queue_marks_overdue_requests_by_the_admins_setting(org_store):
    old = request_id(org_store, submit(org_store, today=date(2026, 11, 13)))  # Friday: 6 working days ago
    fresh = request_id(org_store, submit(org_store, unit_id="B1", today=date(2026, 11, 18)))
    listed = queue.listing(org_store, TODAY)
    assert listed["request_id"].tolist() == [old, fresh]
    assert listed["overdue"].tolist() == [True, False]
    assert listed["age_days"].tolist() == [10, 5]
    assert listed["deadline"].tolist() == [date(2026, 11, 20), date(2026, 11, 25)]
    assert listed["unit_name"].tolist() == ["Afdeling A1", "Afdeling B1"]
    assert "description" not in listed and "contact" not in listed

    settings.set_value(org_store, "supervision.response_days", 2, actor="admin")
    assert queue.listing(org_store, TODAY)["overdue"].tolist() == [True, True]
    settings.set_value(org_store, "supervision.response_days", 10, actor="admin")
    assert queue.listing(org_store, TODAY)["overdue"].tolist() == [False, False]
    for bad in (0, 21):
        with pytest.raises(settings.SettingError, match="mellem 1 og 20"):
            settings.set_value(org_store, "supervision.response_days", bad, actor="admin")

    queue.decline(org_store, old, 1, "nej", "sup", TODAY)
    assert queue.listing(org_store, TODAY)["request_id"].tolist() == [fresh]
    assert queue.listing(org_store, TODAY, requests.DONE_STATUSES)["request_id"].tolist() == [old]
    assert queue.counts(org_store) == {"new": 1, "planned": 0, "in_progress": 0, "closed": 0, "declined": 1}


# Statistics


def _fill(store, per_unit: dict[str, int], topic="samarbejde", created=date(2026, 3, 2)):
    for unit_id, count in per_unit.items():
        for _ in range(count):
            submit(store, unit_id=unit_id, today=created, topic=topic)


def test_raw_statistics_roll_up_over_the_tree(org_store):
    _fill(org_store, {"A1": 6, "A2": 2, "B1": 5})
    rid = request_id(org_store, submit(org_store, unit_id="A", today=date(2026, 4, 1), topic="andet"))
    queue.plan(org_store, rid, 1, [date(2026, 4, 21)], 2, "sup", date(2026, 4, 3))
    table = statistics.by_unit(org_store, date(2026, 1, 1), date(2026, 12, 31)).set_index("unit_id")
    assert table["requests"].to_dict() == {"V": 14, "A": 9, "A1": 6, "A2": 2, "B": 5, "B1": 5}
    assert table["own"].to_dict() == {"V": 0, "A": 1, "A1": 6, "A2": 2, "B": 0, "B1": 5}
    assert table.at["A", "median_days_to_first_response"] == 2.0
    assert table.at["A", "median_days_to_first_session"] == 20.0 and table.at["A", "with_session"] == 1
    months = statistics.by_month(org_store, date(2026, 2, 15), date(2026, 4, 30)).set_index("key")["requests"]
    assert months.to_dict() == {"I alt": 14, "2026-02": 0, "2026-03": 13, "2026-04": 1}
    topics = statistics.by_topic(org_store, date(2026, 1, 1), date(2026, 12, 31), ["samarbejde", "andet", "x"])
    assert topics.set_index("key")["requests"].to_dict() == {"I alt": 14, "samarbejde": 13, "andet": 1, "x": 0}
    assert statistics.by_unit(org_store, date(2027, 1, 1), date(2027, 12, 31))["requests"].sum() == 0


def test_the_roll_up_matches_each_subtree_counted_on_its_own_on_the_demo(demo_store):
    # by_unit groups every request under all its ancestors at once; the oracle takes each unit's subtree alone.
    first, last = date(2025, 1, 1), MONTH_END
    facts = statistics.request_facts(demo_store, first, last)
    table = statistics.by_unit(demo_store, first, last).set_index("unit_id")
    assert table["requests"].max() > 20 and len(table) == len(org.units(demo_store))
    for unit_id, row in table.iterrows():
        mine = facts[facts["unit_id"].isin(org.subtree_ids(demo_store, unit_id))]
        response, session = mine["days_to_first_response"].dropna(), mine["days_to_first_session"].dropna()
        assert (row["requests"], row["own"], row["responded"], row["with_session"]) == (
            len(mine),
            (mine["unit_id"] == unit_id).sum(),
            len(response),
            len(session),
        ), unit_id
        for median, values in (("median_days_to_first_response", response), ("median_days_to_first_session", session)):
            assert (pd.isna(row[median]) and values.empty) or row[median] == values.median(), (unit_id, median)


def test_the_view_hides_small_groups_and_what_subtraction_would_reveal(org_store):
    _fill(org_store, {"A1": 6, "A2": 2, "B1": 5})
    result = view.summary(org_store, date(2026, 1, 1), date(2026, 12, 31), SURVEY)
    units = result.units.table.set_index("unit_id")
    assert result.units.noun == "anmodninger" and result.units.threshold == 5
    assert units.loc["A2", "suppression_reason"] == "for_faa"
    # A (8) minus A1 (6) would give A2: A1 is hidden as well.
    assert units.loc["A1", "suppressed"] and pd.isna(units.loc["A1", "requests"])
    assert units.loc["V", "requests"] == 13 and not units.loc["V", "suppressed"]
    assert pd.isna(units.loc["V", "median_days_to_first_response"])  # nobody answered yet
    topics = result.topics.table.set_index("key")
    assert topics.loc["samarbejde", "requests"] == 13 and topics.loc["andet", "suppressed"]
    assert topics.loc["I alt", "label"] == "Hele velfærdsområdet"
    assert topics.loc["samarbejde", "label"] == "Samarbejde i teamet"
    assert list(result.areas.table["unit_id"]) == ["A", "B"]


def test_medians_need_the_threshold_behind_them(org_store):
    _fill(org_store, {"A1": 6})
    for rid in org_store.query_df("SELECT request_id FROM supervision_requests LIMIT 4")["request_id"]:
        queue.decline(org_store, rid, 1, "nej", "sup", date(2026, 3, 5))
    result = view.summary(org_store, date(2026, 1, 1), date(2026, 12, 31), SURVEY)
    top = result.total
    assert top["requests"] == 6 and top["responded"] == 4
    assert pd.isna(top["median_days_to_first_response"])  # 4 answered: below the threshold
    rid = org_store.query_value("SELECT request_id FROM supervision_requests WHERE status = 'new' LIMIT 1")
    queue.decline(org_store, rid, 1, "nej", "sup", date(2026, 3, 9))
    assert (
        view.summary(org_store, date(2026, 1, 1), date(2026, 12, 31), SURVEY).total["median_days_to_first_response"]
        == 3.0
    )


def test_when_the_top_is_hidden_every_split_is_hidden(org_store):
    _fill(org_store, {"A1": 3})
    result = view.summary(org_store, date(2026, 1, 1), date(2026, 12, 31), SURVEY)
    assert result.units.table["suppressed"].all()
    assert result.topics.table["suppressed"].all() and result.months.table["suppressed"].all()
    assert result.topics.table["requests"].isna().all()
    exported = view.export_table(result)
    assert (exported["suppressed"] == "true").all() and exported["requests"].isna().all()


def test_splits_are_hidden_when_the_top_is_hidden_only_to_protect_its_own_requests(org_store):
    """8 requests: 6 from A1 and 2 made for the whole area. The top is hidden so that A1's 6 cannot be
    taken from it; a topic or month table showing the 8 would give the 2 away all the same."""
    _fill(org_store, {"A1": 6, "V": 2})
    result = view.summary(org_store, date(2026, 1, 1), date(2026, 12, 31), SURVEY)
    units = result.units.table.set_index("unit_id")
    assert units.at["V", "suppressed"] and not units.at["A1", "suppressed"]
    assert result.topics.table["suppressed"].all() and result.months.table["suppressed"].all()
    assert result.topics.table["requests"].isna().all() and result.months.table["requests"].isna().all()


def test_the_export_has_the_documented_columns(demo_store):
    result = view.summary(demo_store, date(2025, 11, 1), MONTH_END, SURVEY)
    table = view.export_table(result)
    assert list(table.columns) == [
        "dimension",
        "key",
        "label",
        "period_start",
        "period_end",
        "requests",
        "median_days_to_first_response",
        "median_days_to_first_session",
        "suppressed",
    ]
    assert table["dimension"].drop_duplicates().tolist() == ["area", "unit", "topic", "month"]
    hidden = table[table["suppressed"] == "true"]
    assert len(hidden) > 0 and hidden[["requests", "median_days_to_first_response"]].isna().all().all()
    shown = table[table["suppressed"] == "false"]
    assert (shown["requests"] >= 5).all()
    whole = table[(table["dimension"] == "unit") & (table["key"] == "V")]["requests"].iloc[0]
    assert whole == demo_store.query_value(
        "SELECT count(*) FROM supervision_requests WHERE created_on BETWEEN ? AND ?", [date(2025, 11, 1), MONTH_END]
    )
    assert "I alt" not in set(table["key"])


def _cli(*args):
    exe = str(Path(sys.executable).parent / "trivsel")
    return subprocess.run([exe, *args], check=False, capture_output=True, text=True, timeout=120)


def test_cli_exports_the_supervision_summary_as_csv_and_xlsx(demo_db, tmp_path):
    csv = tmp_path / "supervision.csv"
    result = _cli(
        "export",
        "supervision-summary",
        "--from",
        "01-11-2025",
        "--to",
        MONTH_END.isoformat(),
        "--format",
        "csv",
        "-o",
        str(csv),
        "--db",
        str(demo_db),
    )
    assert result.returncode == 0, result.stderr
    assert "rækker skrevet til" in result.stdout and "skjult efter anonymitetsreglerne" in result.stdout
    text = csv.read_bytes().decode("utf-8-sig")
    assert text.splitlines()[0] == (
        "dimension;key;label;period_start;period_end;requests;"
        "median_days_to_first_response;median_days_to_first_session;suppressed"
    )
    assert re.search(r"^unit;V;Velfærdsområdet;2025-11-01;2026-10-31;\d+;\d+,\d;\d+,\d;false$", text, re.MULTILINE)

    xlsx = tmp_path / "supervision.xlsx"
    assert (
        _cli(
            "export",
            "supervision-summary",
            "--from",
            "2025-11-01",
            "--to",
            "2026-10-31",
            "--format",
            "xlsx",
            "-o",
            str(xlsx),
            "--db",
            str(demo_db),
        ).returncode
        == 0
    )
    book = load_workbook(BytesIO(xlsx.read_bytes()))
    assert book.sheetnames == ["Supervision", "Definitioner"]

    wrong = _cli(
        "export",
        "supervision-summary",
        "--from",
        "2026-11-01",
        "--to",
        "2026-01-01",
        "--format",
        "csv",
        "-o",
        str(csv),
        "--db",
        str(demo_db),
    )
    assert wrong.returncode == 1 and wrong.stderr.startswith("Fejl: Slutdatoen")

    from trivsel.store import open_store

    store = open_store(demo_db)
    logged = store.query_all("SELECT actor, details FROM audit_log WHERE action = 'export' ORDER BY id")
    store.close()
    assert len(logged) == 2 and all(a == "cli" and '"what": "supervision_summary"' in d for a, d in logged)


# Retention


def test_retention_deletes_requests_closed_long_enough_ago_with_their_history(org_store):
    rids = {}
    for name, created in (
        ("old_closed", date(2023, 1, 9)),
        ("old_declined", date(2023, 2, 6)),
        ("recent_closed", date(2025, 6, 2)),
        ("old_but_open", date(2023, 1, 9)),
    ):
        rids[name] = request_id(org_store, submit(org_store, today=created))
    queue.plan(org_store, rids["old_closed"], 1, [date(2023, 2, 1)], 2, "sup", date(2023, 1, 10))
    queue.close(org_store, rids["old_closed"], 2, "gennemfoert", None, "sup", date(2023, 3, 1))
    queue.decline(org_store, rids["old_declined"], 1, "nej", "sup", date(2024, 11, 22))
    queue.close(org_store, rids["recent_closed"], 1, "ikke_behov", None, "sup", date(2025, 6, 9))
    queue.plan(org_store, rids["old_but_open"], 1, [date(2023, 2, 1)], 2, "sup", date(2023, 1, 10))

    dry = {d.rule.dataset: d for d in retention.run(org_store, TODAY, actor="cli", dry_run=True)}
    assert dry["supervision_requests"].rows == 2 and dry["supervision_requests"].months == 24
    assert dry["supervision_requests"].cutoff == date(2024, 11, 23)
    assert org_store.query_value("SELECT count(*) FROM supervision_requests") == 4

    retention.run(org_store, TODAY, actor="cli")
    left = {r[0] for r in org_store.query_all("SELECT request_id FROM supervision_requests")}
    assert left == {rids["recent_closed"], rids["old_but_open"]}
    for table in ("supervision_events", "supervision_sessions"):
        owners = {r[0] for r in org_store.query_all(f"SELECT DISTINCT request_id FROM {table}")}
        assert owners <= left and rids["old_but_open"] in owners
    assert '"supervision_requests": 2' in org_store.query_value(
        "SELECT details FROM audit_log WHERE action = 'retention_run'"
    )

    settings.set_value(org_store, "retention.supervision_requests", 6, actor="admin")
    retention.run(org_store, TODAY, actor="cli")
    assert {r[0] for r in org_store.query_all("SELECT request_id FROM supervision_requests")} == {rids["old_but_open"]}


# Kept apart from the anonymous survey data

SUPERVISION_TABLES = ("supervision_requests", "supervision_sessions", "supervision_events")
SURVEY_TABLES = ("survey_responses", "survey_answers")


def _sql_strings(root: Path = ROOT / "src"):
    """Every string literal in the Python sources except docstrings (implicitly joined, f-string parts
    together), and every statement of every .sql file without its comments."""
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr)}
        for node in ast.walk(tree):
            if id(node) in docstrings:
                continue
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                yield path, node.value
            elif isinstance(node, ast.JoinedStr):
                yield path, "".join(v.value for v in node.values if isinstance(v, ast.Constant))
    for path in sorted(root.rglob("*.sql")):
        code = re.sub(r"--[^\n]*", "", path.read_text(encoding="utf-8"))
        for statement in code.split(";"):
            yield path, statement


def _touches_both(sql: str) -> bool:
    text = sql.lower()
    return any(t in text for t in SUPERVISION_TABLES) and any(t in text for t in SURVEY_TABLES)


def test_no_query_in_the_sources_touches_supervision_and_survey_answers():
    strings = list(_sql_strings())
    assert any("supervision_requests" in s for _, s in strings)  # the scan sees our own queries
    offenders = [str(path.relative_to(ROOT)) for path, sql in strings if _touches_both(sql)]
    assert offenders == []
    assert _touches_both("SELECT * FROM supervision_requests r JOIN survey_answers a ON true")


def test_no_view_or_column_ties_supervision_to_survey_answers(demo_store):
    views = demo_store.query_all("SELECT view_name, sql FROM duckdb_views() WHERE NOT internal")
    assert [name for name, sql in views if _touches_both(sql or "")] == []
    columns = demo_store.query_all(
        "SELECT table_name, column_name FROM duckdb_columns() WHERE table_name LIKE 'supervision_%'"
    )
    assert {t for t, _ in columns} == set(SUPERVISION_TABLES)
    assert not {c for _, c in columns} & {"response_id", "round_id", "code_hash", "item_id"}
    constraints = demo_store.query_all(
        "SELECT table_name, constraint_text FROM duckdb_constraints() WHERE table_name LIKE 'supervision_%'"
    )
    assert not [c for _, c in constraints if any(t in (c or "").lower() for t in SURVEY_TABLES)]


def test_supervision_code_never_names_a_survey_answer_table():
    found = [
        str(path.relative_to(ROOT))
        for path, text in _sql_strings(ROOT / "src" / "trivsel" / "supervision")
        if any(t in text.lower() for t in (*SURVEY_TABLES, "round_codes", "code_drafts", "round_units"))
    ]
    assert found == []


def test_the_audit_log_never_holds_the_content(org_store):
    rid = request_id(org_store, submit(org_store, description="Hemmelig beskrivelse af gruppen."))
    queue.add_note(org_store, rid, "Hemmelig note.", "sup", TODAY)
    queue.decline(org_store, rid, 1, "Hemmelig begrundelse.", "sup", TODAY)
    details = " ".join(r[0] for r in org_store.query_all("SELECT details FROM audit_log"))
    assert "Hemmelig" not in details and "Mette" not in details and "A1" not in details
    assert '"request_no": 1' in details


# Demo


def test_demo_has_requests_in_every_state_and_is_deterministic(demo_store):
    counts = queue.counts(demo_store)
    assert all(counts[s] > 0 for s in requests.STATUSES), counts
    assert 100 <= sum(counts.values()) <= 250
    assert queue.listing(demo_store, DEMO_TODAY)["overdue"].any()
    assert demo_store.query_value("SELECT count(*) FROM supervision_requests WHERE created_on > ?", [DEMO_TODAY]) == 0
    units = pd.DataFrame(UNITS, columns=["unit_id", "unit_name", "parent_id", "area"])
    employments = pd.DataFrame({"employee_id": ["M1", "M2"], "unit_id": ["A1", "B1"], "end_date": [None, None]})
    a = demo_supervision.generate(units, employments, 3, DEMO_TODAY)
    b = demo_supervision.generate(units, employments, 3, DEMO_TODAY)
    assert all(a[t].equals(b[t]) for t in a)
    assert not a["supervision_requests"].equals(
        demo_supervision.generate(units, employments, 4, DEMO_TODAY)["supervision_requests"]
    )
    events = demo_store.query_df("SELECT * FROM supervision_events ORDER BY event_id")
    assert events["logged_at"].is_monotonic_increasing
    assert (events["logged_at"] <= datetime.combine(DEMO_TODAY, datetime.max.time())).all()
