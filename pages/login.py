"""Log ind: local account, or the municipality's single sign-on when it is configured."""

import streamlit as st

from trivsel import auth, config
from trivsel.ui import navigation
from trivsel.ui.session import (
    ENDED_KEY,
    EXPIRED_KEY,
    REVOKED_KEY,
    current_identity,
    get_store,
    sign_in,
    sso_configured,
)
from trivsel.ui.text import error

st.title("Trivsel i Velfærdsområdet")
if st.session_state.pop(EXPIRED_KEY, False):
    st.warning(
        f"Du er logget ud efter {config.IDLE_MINUTES} minutter uden aktivitet. Log ind igen.",
        icon=":material/timer_off:",
    )
if st.session_state.pop(REVOKED_KEY, False):
    st.warning(
        "Du er logget ud, fordi en administrator har lukket din adgang. Kontakt administratoren, "
        "hvis du skal have adgang igen.",
        icon=":material/person_off:",
    )
if st.session_state.pop(ENDED_KEY, False):
    st.warning(
        "Du er logget ud, fordi du har logget ud i en anden fane, eller fordi en administrator har ændret "
        "din adgang. Log ind igen.",
        icon=":material/logout:",
    )
st.write("Log ind for at se trivselsmålinger, sygefravær og supervision for dine enheder.")

if sso_configured():
    if st.user.is_logged_in and current_identity() is None:
        st.warning(
            "Du er logget ind via kommunens login, men din e-mail har ikke fået en rolle endnu. "
            "Kontakt administratoren.",
            icon=":material/person_off:",
        )
        st.button("Log ud", on_click=st.logout)
    else:
        st.button("Log ind med kommunens login", icon=":material/badge:", on_click=st.login, type="primary")
    st.divider()

with st.form("login"):
    username = st.text_input("Brugernavn", autocomplete="username")
    password = st.text_input("Adgangskode", type="password", autocomplete="current-password")
    submitted = st.form_submit_button("Log ind", type="primary")

if submitted:
    try:
        identity = auth.authenticate(get_store(), username, password)
    except auth.AuthError as exc:
        error(str(exc))
    else:
        sign_in(identity)
        st.switch_page(navigation.visible_pages(identity.role)[0].script)

st.info(
    "Er du medarbejder og skal svare på et spørgeskema? Brug linket eller QR-koden fra din leder. "
    "Du skal ikke logge ind.",
    icon=":material/info:",
)
st.page_link(navigation.PRIVACY.script, label="Sådan beskytter vi dine svar og data", icon=navigation.PRIVACY.icon)
