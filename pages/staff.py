"""Medarbejder: answer a survey through the unit's link or a one-time code, without login."""

from datetime import date
from typing import NoReturn

import streamlit as st

from trivsel import org, settings
from trivsel.code_guesses import SURVEY_CODE
from trivsel.surveys import rounds
from trivsel.ui import answered_marker, code_guard, kiosk, navigation, survey_form, survey_language
from trivsel.ui.session import get_store, survey_catalog
from trivsel.ui.text import error, escape_markdown

store = get_store()
today = date.today()
kiosk_mode = kiosk.active()
if kiosk_mode:
    kiosk.refuse_a_login()
language_slot = st.container()  # the picker goes on top, once the page knows which languages to offer
lang = survey_language.chosen()  # in the session only: never stored, never in the link
survey_language.set_direction(lang)
st.title(survey_language.STAFF_TITLE.get(lang))  # markdown-safe: our own text


def show_unit(name: str) -> None:
    st.caption(survey_language.YOUR_UNIT.get(lang))  # markdown-safe: our own text
    st.text(name)  # a name from data is never markdown: it could fetch an image from anywhere


def thank_and_stop() -> None:
    survey_language.picker(language_slot)
    st.success(survey_language.THANKS.get(lang), icon=":material/favorite:")  # markdown-safe: our own text
    st.write(survey_language.THANKS_GROUPS.get(lang))  # markdown-safe: our own text
    if kiosk_mode:  # the next person's form follows; no link leads away from the tablet's form
        kiosk.restart_after_thanks("staff_done", lang)
    offer_next_survey()
    st.page_link(
        navigation.PRIVACY.script, label=survey_language.HOW_WE_PROTECT.get(lang), icon=navigation.PRIVACY.icon
    )  # markdown-safe: our own text
    if st.query_params.get("adgang"):
        st.page_link(
            navigation.SUPERVISION_REQUEST.script,
            label=survey_language.ASK_SUPERVISION.get(lang),  # markdown-safe: our own text
            icon=navigation.SUPERVISION_REQUEST.icon,
            query_params={"adgang": st.query_params["adgang"]},
        )
    st.stop()


def offer_next_survey() -> None:
    """A unit asked two surveys together (trivsel and the APV, two rounds with one link): the next is a click away."""
    token = st.query_params.get("adgang")
    unit = org.unit_for_token(store, token) if token else None
    if unit is None:
        return
    answered = st.session_state.get("staff_answered", set())
    if [r for r in rounds.open_link_rounds(store, unit[0], today) if r.round_id not in answered] and st.button(
        survey_language.NEXT_SURVEY.get(lang),
        type="primary",  # markdown-safe: our own text
    ):
        del st.session_state["staff_done"]
        st.rerun()


def ask_for_code() -> NoReturn:
    survey_language.picker(language_slot)
    st.write(survey_language.CODE_PROMPT.get(lang))  # markdown-safe: our own text
    with st.form("code"):
        code_label = survey_language.CODE_LABEL.get(lang)
        typed = st.text_input(code_label, placeholder="ABCD-EFGH", max_chars=12)  # markdown-safe: our own text
        if st.form_submit_button(survey_language.START.get(lang), type="primary"):  # markdown-safe: our own text
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
        survey_language.picker(language_slot)
        st.error(survey_language.INVALID_LINK.get(lang), icon=":material/link_off:")  # markdown-safe: our own text
        st.stop()
    unit_id = unit[0]
    open_rounds = [
        r
        for r in rounds.open_link_rounds(store, unit_id, today)
        if kiosk_mode or r.round_id not in st.session_state.get("staff_answered", set())
    ]
    if not kiosk_mode:  # a shared tablet answers for one person after another
        open_rounds = answered_marker.unmarked(open_rounds, lang, language_slot)
    if not open_rounds:
        survey_language.picker(language_slot)
        show_unit(unit[1])
        st.info(
            survey_language.NO_OPEN_SURVEY.get(lang), icon=":material/event_available:"
        )  # markdown-safe: our own text
        st.page_link(
            navigation.SUPERVISION_REQUEST.script,
            label=survey_language.ASK_SUPERVISION.get(lang),  # markdown-safe: our own text
            icon=navigation.SUPERVISION_REQUEST.icon,
            query_params={"adgang": token},
        )
        st.stop()
    rnd = open_rounds[0]
    if unit_id in rounds.units_at_headcount(store, rnd.round_id):
        survey_language.picker(language_slot)
        st.info(survey_language.FULL_UNIT.get(lang), icon=":material/group_off:")  # markdown-safe: our own text
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

survey_language.picker(language_slot, survey.languages)
threshold = settings.get(store, "threshold.survey")
show_unit(org.unit_name(store, unit_id))
st.caption(escape_markdown(survey.title.get(lang)))
with st.expander(survey_language.WHO_SEES.get(lang)):  # markdown-safe: our own text
    st.write(survey_language.WHO_SEES_ANSWER.get(lang).format(threshold=f"{threshold:d}"))  # markdown-safe: ours
    st.page_link(
        navigation.PRIVACY.script, label=survey_language.PRIVACY_MORE.get(lang), icon=navigation.PRIVACY.icon
    )  # markdown-safe: our own text
if refused:
    error(refused)
save = (lambda answers: rounds.save_draft(store, code, answers)) if code else None
survey_form.render(survey, state_key, initial=draft, on_section_change=save, lang=lang, show_duration=True)
if kiosk_mode:
    kiosk.clear_when_idle(state_key, survey)
