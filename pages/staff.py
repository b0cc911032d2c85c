"""Medarbejder: the staff entry reached through a unit's link, without login."""

import streamlit as st

from trivsel import org
from trivsel.ui import navigation
from trivsel.ui.session import get_store

st.title("Trivsel for medarbejdere")
unit = org.unit_for_token(get_store(), st.query_params.get("adgang", ""))
if unit is None:
    st.error("Linket er ugyldigt eller udløbet. Bed din leder om et nyt link.", icon=":material/link_off:")
    st.stop()

unit_id, unit_name = unit
st.caption("Din enhed")
st.text(unit_name)
st.write("Her svarer du på trivselsmålinger og beder om gruppesupervision. "
         "Dine svar i trivselsmålinger er anonyme: der gemmes hverken navn, tidspunkt eller IP-adresse sammen med dem.")
st.page_link(navigation.PRIVACY.script, label="Sådan beskytter vi dine svar", icon=navigation.PRIVACY.icon)
st.info("Der er ingen åbne spørgeskemaer for din enhed lige nu. Du får et nyt link, når en måling åbner.",
        icon=":material/event_available:")
