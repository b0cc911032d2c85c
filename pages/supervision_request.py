"""Bed om supervision: a request for group supervision through the unit's staff link, without login."""

from datetime import date

import streamlit as st

from trivsel import org
from trivsel.supervision import SupervisionError, requests
from trivsel.surveys.definitions import Text
from trivsel.ui import navigation, survey_form
from trivsel.ui.session import get_store, survey_catalog
from trivsel.ui.text import error, escape_markdown

RECEIPT_KEY = "supervision_receipt"

store = get_store()
survey = survey_catalog()[requests.SURVEY_ID]
# A short title: "gruppesupervision" in a title is wider than a phone and would break mid-word.
st.title(navigation.SUPERVISION_REQUEST.title)
st.caption(escape_markdown(survey.title.da))

receipt = st.session_state.get(RECEIPT_KEY)
if receipt:
    st.success("Tak. Din anmodning er sendt til supervisoren.", icon=":material/check_circle:")
    st.write("Din referencekode:")
    st.code(receipt, language=None)
    st.write(
        "Gem koden. Med den kan du se, hvor langt anmodningen er. Koden viser kun status, aldrig hvad "
        "du har skrevet. Supervisoren kontakter dig på den e-mail eller det telefonnummer, du har oplyst."
    )
    st.page_link(
        navigation.SUPERVISION_STATUS.script,
        label="Se status med koden",
        icon=navigation.SUPERVISION_STATUS.icon,
        query_params={"kode": receipt},
    )
    if st.button("Send en ny anmodning", icon=":material/add:"):
        st.session_state.pop(RECEIPT_KEY, None)
        st.rerun()
    st.stop()

token = st.query_params.get("adgang", "")
unit = org.unit_for_token(store, token)
if unit is None:
    if token:
        st.error("Linket er ugyldigt eller udløbet. Bed din leder om et nyt link.", icon=":material/link_off:")
    else:
        st.info(
            "Åbn siden med din enheds link, så ved supervisoren, hvor anmodningen kommer fra.", icon=":material/link:"
        )
    st.page_link(
        navigation.SUPERVISION_STATUS.script,
        label="Har du en referencekode? Se status her",
        icon=navigation.SUPERVISION_STATUS.icon,
    )
    st.stop()

unit_id, unit_name = unit
st.caption("Din enhed")
st.text(unit_name)
st.write(escape_markdown(survey.intro.da))
st.page_link(navigation.PRIVACY.script, label="Sådan behandler vi oplysningerne", icon=navigation.PRIVACY.icon)

state_key = f"supervision_{unit_id}"
answers = survey_form.finished(state_key)
if answers is not None:
    try:
        code = requests.submit(store, survey, unit_id, answers, date.today())
    except SupervisionError as exc:
        error(str(exc))
    else:
        survey_form.reset(state_key, survey)
        st.session_state[RECEIPT_KEY] = code
        st.rerun()
survey_form.render(
    survey,
    state_key,
    check=lambda answers: requests.request_problems(survey, answers),
    send_label=Text("Send anmodning", "Send request"),
)
