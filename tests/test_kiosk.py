"""Issue 18, items 3 and 5, through AppTest: the shared tablet (kiosk) starts afresh for the next person
and keeps nothing of the previous one; a browser that has answered a round is told so on a new visit,
and a colleague who shares the device may still answer. The browser halves are in tests/browser/test_kiosk.py."""

import time
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from test_pages import APP, answer_everything, texts
from trivsel import auth, config
from trivsel.surveys import rounds
from trivsel.ui.session import TOKEN_KEY

UNIT = "SOC-FAMH"
KIOSK_NOTE = "Skemaet starter forfra for den næste om få sekunder."
ALREADY = "Du har allerede svaret på denne måling fra denne browser."
ANYWAY = "Jeg er en anden person – svar alligevel"


def token(store, unit: str = UNIT) -> str:
    return store.query_value("SELECT token FROM unit_access_links WHERE unit_id = ?", [unit])


def responses(store, unit: str = UNIT) -> int:
    return store.query_value("SELECT count(*) FROM survey_responses WHERE unit_id = ?", [unit])


@pytest.fixture
def app(demo_db, demo_store, monkeypatch):
    """The app runs on the demo database (a fresh copy for each test), which `demo_store` reads too."""
    monkeypatch.setenv("TRIVSEL_DB", str(demo_db))


def open_page(page: str, query: dict | None = None, login: str | None = None) -> AppTest:
    """`page` opened with `query`; `login` is a login session this tab already has."""
    at = AppTest.from_file(APP, default_timeout=60)
    if login is not None:
        at.session_state[TOKEN_KEY] = login
    at.switch_page(page)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


def staff_page(query: dict, login: str | None = None) -> AppTest:
    return open_page("pages/staff.py", query, login)


def form_keys(at) -> dict:
    """What the session holds of a survey form: its own keys and its widgets' keys all start with 'svar_'."""
    return {k: v for k, v in at.session_state.to_dict().items() if str(k).startswith("svar_")}


def test_kiosk_send_leaves_nothing_of_the_answers_in_the_session(app, demo_store):
    at = answer_everything(staff_page({"adgang": token(demo_store), "kiosk": "1"}))
    assert "Tak for dine svar" in at.success[0].value
    assert form_keys(at) == {}


def test_kiosk_starts_afresh_for_the_next_person_after_the_thanks(app, demo_store, monkeypatch):
    before = responses(demo_store)
    at = answer_everything(staff_page({"adgang": token(demo_store), "kiosk": "1"}))
    assert KIOSK_NOTE in texts(at)
    assert not at.get("page_link")  # no way off the tablet's form from the thanks
    at.run()  # a rerun within the thanks' seconds still thanks
    assert "Tak for dine svar" in at.success[0].value

    monkeypatch.setattr("trivsel.ui.kiosk._now", lambda: time.monotonic() + 60)  # the thanks' seconds have passed
    at.run()
    assert not at.success
    assert "1 / " in at.get("progress")[0].proto.text
    assert at.radio and all(radio.value is None for radio in at.radio)  # nothing chosen for the next person
    assert not [b for b in at.button if b.label == "Forrige"]
    # The session's "answered here" does not hide the round from the next person: they answer too.
    answer_everything(at)
    assert "Tak for dine svar" in at.success[0].value
    assert responses(demo_store) == before + 2


def test_kiosk_starts_the_next_person_in_danish(app, demo_store, monkeypatch):
    """The previous person's language would tell the next one who stood at the tablet (the only Arabic speaker)."""
    at = staff_page({"adgang": token(demo_store), "kiosk": "1"})
    at.selectbox[0].set_value("ar").run()
    at = answer_everything(at, "ar")
    assert at.success  # the thanks, in Arabic
    monkeypatch.setattr("trivsel.ui.kiosk._now", lambda: time.monotonic() + 60)
    at.run()
    assert at.selectbox[0].value == "da"
    assert at.title[0].value == "Trivsel for medarbejdere"


def test_kiosk_keeps_the_units_cap(app, demo_store, monkeypatch):
    monkeypatch.setattr(rounds, "units_at_headcount", lambda store, round_id: [UNIT])
    at = staff_page({"adgang": token(demo_store), "kiosk": "1"})
    assert [i.value for i in at.info] == [rounds.FULL_UNIT]
    assert not at.radio


def test_kiosk_will_not_start_while_someone_is_logged_in(app, demo_store):
    at = staff_page(
        {"adgang": token(demo_store), "kiosk": "1"}, login=auth.start_session(demo_store, "leder.solgaarden")
    )
    assert "Du er logget ind" in at.warning[0].value and not at.radio
    next(b for b in at.button if b.label == "Log ud og start kiosk").click().run()
    assert TOKEN_KEY not in at.session_state
    assert at.radio and "1 / " in at.get("progress")[0].proto.text


def test_my_unit_offers_the_kiosk_link(app, demo_store):
    at = open_page("pages/my_unit.py", login=auth.start_session(demo_store, "leder.solgaarden"))
    assert "Åbn på fælles tablet (kiosk)" in texts(at)
    kiosk = at.dataframe[2].value
    assert len(kiosk) == 4 and kiosk["Link"].str.endswith("&kiosk=1").all()


@pytest.fixture
def marked(monkeypatch):
    """A browser whose localStorage holds a mark for every round it is asked about (AppTest runs no JavaScript)."""
    monkeypatch.setattr("trivsel.ui.answered_marker._read", lambda round_ids: set(round_ids))


def test_a_marked_browser_is_told_and_a_colleague_answers_anyway(app, demo_store, marked):
    before = responses(demo_store)
    at = staff_page({"adgang": token(demo_store)})
    assert ALREADY in texts(at) and not at.radio
    next(b for b in at.button if b.label == ANYWAY).click().run()
    assert at.radio and ALREADY not in texts(at)
    answer_everything(at)
    assert "Tak for dine svar" in at.success[0].value
    assert responses(demo_store) == before + 1


def test_the_already_answered_note_offers_the_language_picker(app, demo_store, marked):
    """A colleague who reads no Danish opens the shared device's link: the note and its button in their language."""
    at = staff_page({"adgang": token(demo_store)})
    assert ALREADY in texts(at)
    at.selectbox[0].select("en").run()
    assert "You have already answered this survey from this browser." in texts(at)
    assert any(b.label == "I am someone else – answer anyway" for b in at.button)


def test_kiosk_shows_no_note_for_a_marked_browser(app, demo_store, marked):
    at = staff_page({"adgang": token(demo_store), "kiosk": "1"})
    assert ALREADY not in texts(at) and at.radio


def test_sending_through_a_unit_link_marks_the_browser_with_the_round_only(app, demo_store):
    at = answer_everything(staff_page({"adgang": token(demo_store)}))
    writes = [e.proto.json for e in at.get("bidi_component") if e.proto.id.endswith("answered_marker_write")]
    open_round = rounds.open_link_rounds(demo_store, UNIT, date.today())[0]
    assert writes == [f'{{"mark": "{open_round.round_id}", "closes": "{open_round.closes_on}"}}']


@pytest.mark.parametrize(("text", "minutes"), [(None, 5.0), ("2", 2.0), ("0.05", 0.05), ("2,5", 2.5)])
def test_kiosk_idle_minutes_come_from_the_environment(monkeypatch, text, minutes):
    if text is None:
        monkeypatch.delenv("TRIVSEL_KIOSK_IDLE_MINUTES", raising=False)
    else:
        monkeypatch.setenv("TRIVSEL_KIOSK_IDLE_MINUTES", text)
    assert config.kiosk_idle_minutes() == minutes


@pytest.mark.parametrize("text", ["0", "-1", "fem", "nan", "inf"])
def test_a_wrong_kiosk_idle_time_is_refused_in_danish(monkeypatch, text):
    monkeypatch.setenv("TRIVSEL_KIOSK_IDLE_MINUTES", text)
    with pytest.raises(ValueError, match="TRIVSEL_KIOSK_IDLE_MINUTES skal være"):
        config.kiosk_idle_minutes()
