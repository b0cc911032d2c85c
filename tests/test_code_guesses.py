"""Wrong codes: the back-off a session waits, and the daily count and audit rows (without IP or code)."""

from datetime import date

from trivsel import code_guesses
from trivsel.code_guesses import REFERENCE_CODE, SURVEY_CODE


def test_five_wrong_codes_are_free_then_the_wait_doubles_up_to_five_minutes():
    assert [code_guesses.wait_seconds(n) for n in range(1, 13)] == [0, 0, 0, 0, 5, 10, 20, 40, 80, 160, 300, 300]


def test_wrong_codes_are_counted_per_day_and_kind_and_audited_from_the_limit(store):
    day = date(2026, 11, 23)
    for n in range(1, 7):
        code_guesses.record_wrong(store, SURVEY_CODE, n, day)
    code_guesses.record_wrong(store, REFERENCE_CODE, 1, day)
    code_guesses.record_wrong(store, SURVEY_CODE, 1, date(2026, 11, 24))
    assert code_guesses.wrong_codes(store, day) == {SURVEY_CODE: 6, REFERENCE_CODE: 1}
    assert code_guesses.wrong_codes(store, date(2026, 11, 22)) == {SURVEY_CODE: 0, REFERENCE_CODE: 0}
    assert store.query_all("SELECT actor, details FROM audit_log WHERE action = 'wrong_codes_limit' ORDER BY id") == [
        ("anonym", '{"kind": "survey_code", "wrong_in_session": 5}'),
        ("anonym", '{"kind": "survey_code", "wrong_in_session": 6}'),
    ]
    recent = code_guesses.recent_days(store, today=date(2026, 11, 24))
    assert recent.values.tolist() == [
        [date(2026, 11, 24), "Engangskoder (spørgeskema)", 1],
        [date(2026, 11, 23), "Referencekoder (supervision)", 1],
        [date(2026, 11, 23), "Engangskoder (spørgeskema)", 6],
    ]
