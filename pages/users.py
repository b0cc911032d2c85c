"""Brugere og adgang (admin): local users, roles, e-mail addresses, lockouts, disabling and deleting, SSO role
mapping and the daily count of wrong codes."""

import streamlit as st

from trivsel import auth, code_guesses, org
from trivsel.roles import ROLES, SCOPED
from trivsel.ui import figures, navigation
from trivsel.ui.session import get_store
from trivsel.ui.text import error, flash, show_flash

identity = navigation.require("users")
store = get_store()
units = org.units(store)
unit_names = dict(zip(units["unit_id"], units["unit_name"]))
NO_UNIT = ""


def role_and_unit(prefix: str) -> tuple[str, str | None]:
    role = st.selectbox("Rolle", list(ROLES), format_func=ROLES.get, key=f"{prefix}_role")
    unit = st.selectbox(
        "Enhed (kun for ledere og arbejdsmiljørepræsentanter)",
        [NO_UNIT, *unit_names],
        format_func=lambda u: unit_names.get(u, "(ingen)"),
        key=f"{prefix}_unit",
    )
    return role, (unit or None) if role in SCOPED else None


def attempt(action, message: str) -> None:
    try:
        action()
    except auth.AuthError as exc:
        error(str(exc))
    else:
        flash(message)


st.title("Brugere og adgang")
show_flash()
users = auth.list_users(store)
figures.dataframe(
    users[["username", "role_label", "unit_name", "email", "status", "failed_logins", "locked_until"]].rename(
        columns={
            "username": "Brugernavn",
            "role_label": "Rolle",
            "unit_name": "Enhed",
            "email": "E-mail",
            "status": "Status",
            "failed_logins": "Forkerte forsøg",
            "locked_until": "Låst til",
        }
    ),
    hide_index=True,
    width="stretch",
)

add, change, mail, stop, sso, codes = st.tabs(
    ["Opret bruger", "Skift rolle / lås op", "E-mail", "Deaktivér / slet", "Kommunalt login (SSO)", "Forkerte koder"]
)
with add, st.form("add_user", clear_on_submit=True):
    username = st.text_input("Brugernavn")
    password = st.text_input("Adgangskode", type="password", help=f"Mindst {auth.MIN_PASSWORD_LENGTH} tegn.")
    role, unit_id = role_and_unit("add")
    if st.form_submit_button("Opret", type="primary"):
        attempt(
            lambda: auth.add_user(store, username, role, password, unit_id, actor=identity.username),
            f"Brugeren {username} er oprettet.",
        )

with change, st.form("change_role"):
    who = st.selectbox("Bruger", users["username"].tolist())
    role, unit_id = role_and_unit("change")
    set_role, unlock = st.columns(2)
    if set_role.form_submit_button("Skift rolle"):
        attempt(
            lambda: auth.set_role(store, who, role, unit_id, actor=identity.username), f"Rollen for {who} er ændret."
        )
    if unlock.form_submit_button("Lås op"):
        attempt(lambda: auth.unlock(store, who, actor=identity.username), f"{who} er låst op.")

with mail, st.form("set_email", clear_on_submit=True):
    st.write(
        "Ledere får påmindelser om åbne målinger på deres e-mailadresse, med svarprocenten i deres enheder "
        "(aldrig svar eller resultater). En tom adresse fjerner den."
    )
    who = st.selectbox("Bruger", users["username"].tolist(), key="email_who")
    email = st.text_input("E-mailadresse", placeholder="fornavn.efternavn@kommune.dk")
    if st.form_submit_button("Gem e-mail"):
        attempt(
            lambda: auth.set_email(store, who, email, actor=identity.username),
            f"E-mailadressen for {who} er gemt." if email.strip() else f"{who} har nu ingen e-mailadresse.",
        )

with stop, st.form("stop_user"):
    st.write(
        "En deaktiveret bruger kan ikke logge ind, og er brugeren logget ind, lukkes adgangen ved næste klik. "
        "Sletning kan ikke fortrydes; revisionsloggen beholder brugernavnet. 'Log brugeren ud overalt' "
        "lukker brugerens åbne sider i alle browsere ved næste klik; brugeren kan logge ind igen."
    )
    who = st.selectbox("Bruger", users["username"].tolist(), key="stop_who")
    confirmed = st.checkbox("Ja, slet brugeren")
    disable, enable, delete, end = st.columns(4)
    if disable.form_submit_button("Deaktivér"):
        attempt(lambda: auth.disable_user(store, who, actor=identity.username), f"{who} er deaktiveret.")
    if enable.form_submit_button("Genaktivér"):
        attempt(lambda: auth.enable_user(store, who, actor=identity.username), f"{who} er aktiv igen.")
    if delete.form_submit_button("Slet"):
        if confirmed:
            attempt(lambda: auth.delete_user(store, who, actor=identity.username), f"{who} er slettet.")
        else:
            error("Sæt hak ved 'Ja, slet brugeren' for at slette.")
    if end.form_submit_button("Log brugeren ud overalt"):
        attempt(lambda: auth.end_sessions(store, who, actor=identity.username), f"{who} er logget ud overalt.")

with sso:
    st.write(
        "Brugere, der logger ind med kommunens login, får den rolle, deres e-mailadresse har her. "
        "Uden en række her får de ingen adgang."
    )
    mappings = auth.sso_mappings(store)
    figures.dataframe(
        mappings[["email", "role_label", "unit_id"]].rename(
            columns={"email": "E-mail", "role_label": "Rolle", "unit_id": "Enheds-id"}
        ),
        empty="Ingen e-mailadresser har fået en rolle endnu. Tilføj en nedenfor.",
        hide_index=True,
        width="stretch",
    )
    with st.form("sso_map", clear_on_submit=True):
        email = st.text_input("E-mail")
        role, unit_id = role_and_unit("sso")
        save, remove = st.columns(2)
        if save.form_submit_button("Gem"):
            attempt(
                lambda: auth.set_sso_mapping(store, email, role, unit_id, actor=identity.username),
                f"{email} har nu rollen {ROLES[role]}.",
            )
        if remove.form_submit_button("Fjern"):
            attempt(lambda: auth.remove_sso_mapping(store, email, actor=identity.username), f"{email} er fjernet.")

with codes:
    st.write(
        f"Forkerte engangskoder og referencekoder pr. dag de seneste 14 dage. Fra den "
        f"{code_guesses.FREE_WRONG_CODES}. forkerte kode i samme browser skal der ventes før hvert nyt forsøg, "
        "og hver forkert kode skrives i revisionsloggen. Der gemmes hverken IP-adresse eller de koder, "
        "der blev prøvet."
    )
    figures.dataframe(
        code_guesses.recent_days(store).rename(columns={"day": "Dag", "kind": "Kode", "wrong": "Forkerte"}),
        empty="Ingen forkerte koder de seneste 14 dage.",
        hide_index=True,
        width="stretch",
    )
