"""Status på anmodning: the requester types the reference code and sees the status (and the first planned
session's date), never the content."""

import streamlit as st

from trivsel.code_guesses import REFERENCE_CODE
from trivsel.supervision import PUBLIC_STATUS, requests
from trivsel.ui import code_guard, navigation
from trivsel.ui.session import get_store

store = get_store()
st.title(navigation.SUPERVISION_STATUS.title)  # short enough for two lines on a phone
st.write("Skriv referencekoden, du fik, da du sendte anmodningen om supervision.")

from_link = st.query_params.get("kode", "")
with st.form("supervision_status"):
    typed = st.text_input("Referencekode", value=from_link, placeholder="ABCD-EFGH-JKLM", max_chars=20)
    pressed = st.form_submit_button("Se status", type="primary", icon=":material/search:")

code = (typed if pressed else from_link).strip()
if code:
    waiting = code_guard.wait_message(REFERENCE_CODE)
    if waiting:
        st.error(waiting, icon=":material/hourglass_top:")
    elif (status := requests.status_for_code(store, code)) is None:
        code_guard.note_wrong(store, REFERENCE_CODE, code)
        st.error("Koden findes ikke. Tjek, at den er skrevet rigtigt.", icon=":material/error:")
    else:
        label, explanation = PUBLIC_STATUS[status]
        st.success(f"Status: {label}", icon=":material/info:")
        st.write(explanation)
        first_session = requests.first_session_on(store, code)
        if first_session:
            st.write(f"Første session: {first_session:%d-%m-%Y}")
st.caption("Koden viser kun, hvor langt anmodningen er. Hvad der står i den, kan kun supervisoren læse.")
