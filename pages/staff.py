"""Medarbejder: answer a survey through the unit's link or a one-time code, without login."""

from datetime import date
from typing import NoReturn

import streamlit as st

from trivsel import org, settings
from trivsel.code_guesses import SURVEY_CODE
from trivsel.surveys import rounds
from trivsel.ui import answered_marker, code_guard, kiosk, navigation, survey_form
from trivsel.ui.session import get_store, survey_catalog
from trivsel.ui.text import error, escape_markdown

store = get_store()
today = date.today()
kiosk_mode = kiosk.active()
if kiosk_mode:
    kiosk.refuse_a_login()
english = st.toggle("English", key="staff_english")
lang = "en" if english else "da"
st.title("Trivsel for medarbejdere" if not english else "Wellbeing survey for staff")


def show_unit(name: str) -> None:
    st.caption("Din enhed" if not english else "Your unit")
    st.text(name)  # a name from data is never markdown: it could fetch an image from anywhere


def thank_and_stop() -> None:
    st.success(
        "Tak for dine svar! De er gemt anonymt." if not english else "Thank you! Your answers are stored anonymously.",
        icon=":material/favorite:",
    )
    st.write("Resultaterne vises kun for grupper, der er store nok til, at ingen kan genkendes.")
    if kiosk_mode:  # the next person's form follows; no link leads away from the tablet's form
        kiosk.restart_after_thanks("staff_done", lang)
    st.page_link(navigation.PRIVACY.script, label="Sådan beskytter vi dine svar", icon=navigation.PRIVACY.icon)
    if st.query_params.get("adgang"):
        st.page_link(
            navigation.SUPERVISION_REQUEST.script,
            label="Bed om gruppesupervision til jeres gruppe",
            icon=navigation.SUPERVISION_REQUEST.icon,
            query_params={"adgang": st.query_params["adgang"]},
        )
    st.stop()


def ask_for_code() -> NoReturn:
    st.write("Har du fået en kode på papir? Skriv den her. Har du fået et link, så brug linket.")
    with st.form("code"):
        typed = st.text_input("Kode", placeholder="ABCD-EFGH", max_chars=12)
        if st.form_submit_button("Start", type="primary"):
            st.session_state["staff_code"] = typed
            st.rerun()
    st.stop()


def open_code(code: str) -> tuple[rounds.Round, str, dict]:
    """The round, unit and draft a code opens. A refused code says why and asks again; a wrong one counts."""
    refusal = code_guard.wait_message(SURVEY_CODE)
    if refusal is None:
        try:
            return rounds.resolve_code(store, code, today)
        except rounds.UnknownCodeError as exc:
            code_guard.note_wrong(store, SURVEY_CODE, code)
            refusal = str(exc)
        except rounds.RoundError as exc:
            refusal = str(exc)
    error(refusal)
    st.session_state.pop("staff_code", None)
    st.query_params.pop("kode", None)  # or the refused code in the link would come back at every run
    ask_for_code()


if st.session_state.get("staff_done"):
    thank_and_stop()

code = st.query_params.get("kode", "") or st.session_state.get("staff_code", "")
token = st.query_params.get("adgang", "")
draft: dict = {}
if code:
    rnd, unit_id, draft = open_code(code)
elif token:
    unit = org.unit_for_token(store, token)
    if unit is None:
        st.error("Linket er ugyldigt eller udløbet. Bed din leder om et nyt link.", icon=":material/link_off:")
        st.stop()
    unit_id = unit[0]
    open_rounds = [
        r
        for r in rounds.open_link_rounds(store, unit_id, today)
        if kiosk_mode or r.round_id not in st.session_state.get("staff_answered", set())
    ]
    if not kiosk_mode:  # a shared tablet answers for one person after another
        open_rounds = answered_marker.unmarked(open_rounds, lang)
    if not open_rounds:
        show_unit(unit[1])
        st.info(
            "Der er ingen åbne spørgeskemaer for din enhed lige nu."
            if not english
            else "There is no open survey for your unit right now.",
            icon=":material/event_available:",
        )
        st.page_link(
            navigation.SUPERVISION_REQUEST.script,
            label="Bed om gruppesupervision til jeres gruppe",
            icon=navigation.SUPERVISION_REQUEST.icon,
            query_params={"adgang": token},
        )
        st.stop()
    rnd = open_rounds[0]
    if unit_id in rounds.units_at_headcount(store, rnd.round_id):
        st.info(rounds.FULL_UNIT, icon=":material/group_off:")
        st.stop()
else:
    ask_for_code()

survey = survey_catalog()[rnd.survey_id]
state_key = kiosk.state_key(f"svar_{rnd.round_id}")
answers = survey_form.finished(state_key)
refused = None
if answers is not None:
    try:
        rounds.submit(store, rnd, unit_id, survey, answers, today, code=code or None)
    except rounds.RoundError as exc:
        refused = str(exc)
    else:
        survey_form.reset(state_key, survey)
        st.session_state.setdefault("staff_answered", set()).add(rnd.round_id)
        if token and not code and not kiosk_mode:
            answered_marker.mark(rnd)
        st.session_state.pop("staff_code", None)
        st.session_state["staff_done"] = rnd.label
        thank_and_stop()  # in this run: one run from "Send svar" to "tak"

threshold = settings.get(store, "threshold.survey")
show_unit(org.unit_name(store, unit_id))
st.caption(escape_markdown(survey.title.get(lang)))
with st.expander("Hvem kan se mine svar?" if not english else "Who can see my answers?"):
    st.write(
        f"Ingen kan se dine enkelte svar. Resultater vises kun for grupper med mindst {threshold:d} svar, "
        "og der gemmes hverken navn, kode, tidspunkt eller IP-adresse sammen med svarene. "
        "Lederen ser kun sin egen enheds samlede resultater."
    )
    st.page_link(navigation.PRIVACY.script, label="Læs mere om privatliv", icon=navigation.PRIVACY.icon)
if refused:
    error(refused)
save = (lambda answers: rounds.save_draft(store, code, answers)) if code else None
survey_form.render(survey, state_key, initial=draft, on_section_change=save, lang=lang, show_duration=True)
if kiosk_mode:
    kiosk.clear_when_idle(state_key, survey)
