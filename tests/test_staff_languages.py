"""Staff answer in Danish, English, Arabic, Polish or Ukrainian; the language picked is never stored anywhere an
answer could be joined to it."""

import dataclasses
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from trivsel import config
from trivsel.surveys import rounds
from trivsel.surveys.definitions import load_all
from trivsel.ui import session, survey_language

APP = str(Path(__file__).parents[1] / "app.py")
TRIVSEL = load_all(config.surveys_dir())["trivsel"]
RTL_STYLE = "direction: rtl"


@pytest.fixture
def staff(demo_db, monkeypatch):
    monkeypatch.setenv("TRIVSEL_DB", str(demo_db))

    def open_page(language: str | None = None, **query) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=60)
        at.switch_page("pages/staff.py")
        for key, value in query.items():
            at.query_params[key] = value
        at.run()
        if language is not None:
            at.selectbox(key=survey_language.KEY).select(language).run()
        return at

    return open_page


def link(store, unit_id: str = "SOC-FAMH") -> str:
    return store.query_value("SELECT token FROM unit_access_links WHERE unit_id = ? AND revoked_at IS NULL", [unit_id])


def styles(at: AppTest) -> str:
    return "\n".join(element.proto.body for element in at.get("html"))


def step_button(at: AppTest):
    """The section's forward button, whatever the language (the primary one)."""
    return next(b for b in at.button if b.proto.type == "primary")


def answer_section(at: AppTest) -> AppTest:
    for radio in at.radio:
        if radio.value is None:
            radio.set_value(radio.options[0])
    return step_button(at).click().run()


def test_the_picker_offers_the_five_languages_by_their_own_names_and_arabic_reads_right_to_left(staff, demo_store):
    at = staff(adgang=link(demo_store))
    picker = at.selectbox(key=survey_language.KEY)
    assert picker.options == ["Dansk", "English", "العربية", "Polski", "Українська"]
    assert picker.value == "da" and RTL_STYLE not in styles(at)
    assert at.title[0].value == "Trivsel for medarbejdere"

    at = staff("ar", adgang=link(demo_store))
    assert RTL_STYLE in styles(at)
    assert at.title[0].value == "استبيان الرفاهية للموظفين"
    assert "خلال الأسبوعين الماضيين شعرت بالبهجة والمزاج الجيد" in at.radio[0].label
    assert "طوال الوقت" in at.radio[0].options[0]  # the engine's WHO-5 label, in Arabic
    assert step_button(at).label == "التالي"
    step_button(at).click().run()  # nothing answered: the required questions are named in Arabic
    assert at.error[0].value == "يرجى الإجابة على السؤال 1, 2, 3, 4, 5."

    at = staff("pl", adgang=link(demo_store))
    assert RTL_STYLE not in styles(at)
    assert "W ciągu ostatnich 2 tygodni" in at.radio[0].label and step_button(at).label == "Dalej"
    assert "Czas wypełniania w minutach: około 8 (liczba pytań: 39)." in [c.value for c in at.caption]
    assert at.expander[0].label == "Kto może zobaczyć moje odpowiedzi?"


def test_a_survey_without_a_full_translation_offers_only_its_languages(staff, demo_store, monkeypatch):
    """A text without Arabic takes Arabic out of the picker; a respondent who had picked it reads Danish."""
    partial = dataclasses.replace(TRIVSEL, title=dataclasses.replace(TRIVSEL.title, ar=None))
    monkeypatch.setattr(session, "survey_catalog", lambda: {"trivsel": partial})
    at = staff(adgang=link(demo_store))
    assert at.selectbox(key=survey_language.KEY).options == ["Dansk", "English", "Polski", "Українська"]
    at = AppTest.from_file(APP, default_timeout=60)  # a session that had picked Arabic, e.g. on another survey
    at.switch_page("pages/staff.py")
    at.session_state[survey_language.KEY] = "ar"
    at.query_params["adgang"] = link(demo_store)
    at.run()
    assert at.selectbox(key=survey_language.KEY).value == "da"
    assert at.title[0].value == "Trivsel for medarbejdere" and RTL_STYLE not in styles(at)


def stored(store, response_ids: set[str]) -> list[tuple]:
    """Each response as it is stored, without its random id: its row and its answers' rows."""
    found = []
    for response_id in response_ids:
        row = store.query_all(
            "SELECT * EXCLUDE (response_id) FROM survey_responses WHERE response_id = ?", [response_id]
        )
        answers = store.query_all(
            "SELECT * EXCLUDE (response_id) FROM survey_answers WHERE response_id = ? ORDER BY item_id", [response_id]
        )
        found.append((row, answers))
    return sorted(found)  # not by the random id


def every_cell(store) -> list[str]:
    tables = [t for (t,) in store.query_all("SELECT table_name FROM information_schema.tables")]
    return [str(value) for table in tables for row in store.query_all(f'SELECT * FROM "{table}"') for value in row]


def test_the_language_is_never_stored_with_an_answer_a_draft_or_the_audit_log(staff, demo_store):
    """The unlinkability promise, extended to the language: an answer given in Arabic is stored exactly as the
    same answer given in Danish, its draft too, and no table holds the language."""
    today = date.today()
    _, codes = rounds.create_round(
        demo_store,
        TRIVSEL,
        "Sprogrunde",
        today - timedelta(days=1),
        today + timedelta(days=7),
        ["SOC-FAMH"],
        "code",
        "test",
    )
    before = every_cell(demo_store)
    assert not [cell for cell in before if cell == "ar" or '"ar"' in cell]
    audit_before = demo_store.query_value("SELECT count(*) FROM audit_log")
    by_language = {}
    for language, code in (("da", codes["code"][0]), ("ar", codes["code"][1])):
        ids_before = {r for (r,) in demo_store.query_all("SELECT response_id FROM survey_responses")}
        at = staff(language, kode=code)
        at = answer_section(at)  # the first section is left forward: its draft is saved
        draft = json.loads(
            demo_store.query_value("SELECT answers FROM code_drafts WHERE code_hash = ?", [rounds.hash_code(code)])
        )
        for _ in range(10):
            if not at.radio:
                break
            at = answer_section(at)
        assert at.success, language  # sent and thanked
        assert dict(at.query_params) == {"kode": code}  # nothing about the language in the link
        at_link = staff(language, adgang=link(demo_store))
        for _ in range(10):
            if not at_link.radio:
                break
            at_link = answer_section(at_link)
        assert at_link.success, language
        new = {r for (r,) in demo_store.query_all("SELECT response_id FROM survey_responses")} - ids_before
        by_language[language] = (draft, stored(demo_store, new))

    assert by_language["ar"] == by_language["da"]
    assert len(by_language["ar"][1]) == 2  # one through the code, one through the link
    cells = every_cell(demo_store)
    assert not [cell for cell in cells if cell == "ar" or '"ar"' in cell or "العربية" in cell or "arab" in cell]
    # Submitting writes no audit entry at all, so the log cannot carry the language either.
    assert demo_store.query_value("SELECT count(*) FROM audit_log") == audit_before


def test_the_code_screen_and_a_dead_link_speak_the_chosen_language(staff):
    """Staff who came with a paper code or a stale link meet the picker too, and read the page in their language."""
    at = staff("pl")
    assert at.markdown and survey_language.CODE_PROMPT.get("pl") in [m.value for m in at.markdown]
    assert at.text_input[0].label == "Kod"
    assert [b.label for b in at.button] == ["Rozpocznij"]
    at = staff("uk", adgang="ikke-et-gyldigt-link")
    assert at.error[0].value == survey_language.INVALID_LINK.get("uk")
