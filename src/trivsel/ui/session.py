"""The store and the logged-in identity for the current Streamlit session.

Identity lives in one function so tests can set it through session state
(AppTest cannot fake `st.user`).
"""

from __future__ import annotations

import time

import streamlit as st

from trivsel import auth, config, jobs
from trivsel.auth import Identity
from trivsel.store import Store, StoreLockedError, open_store
from trivsel.surveys.definitions import load_all
from trivsel.ui.text import escape_markdown

IDENTITY_KEY = "identity"
LAST_SEEN_KEY = "identity_last_seen"
EXPIRED_KEY = "identity_expired"
REVOKED_KEY = "identity_revoked"


@st.cache_resource(show_spinner=False)
def _open(path: str) -> Store:
    store = open_store(path)
    jobs.start_in_server(store)  # nightly retention and backup, the payroll inbox: once per server process
    return store


def get_store() -> Store:
    try:
        return _open(str(config.db_path()))
    except StoreLockedError as exc:
        st.error(escape_markdown(exc), icon=":material/lock:")
        st.stop()


@st.cache_resource(show_spinner=False)
def survey_catalog() -> dict:
    """Every survey definition, loaded and validated once per process."""
    return load_all(config.surveys_dir())


def sso_configured() -> bool:
    try:
        return "auth" in st.secrets
    except FileNotFoundError:  # no secrets.toml at all (Streamlit's own error subclasses this)
        return False


def current_identity() -> Identity | None:
    """Who is logged in, as the database has it now.

    Every call reads a local user's role, scope and status again (one primary-key lookup), and an
    SSO address's role likewise, so an admin's change reaches open sessions at their next run.
    A user who was disabled or deleted is logged out.
    """
    identity = st.session_state.get(IDENTITY_KEY)
    if identity is not None:
        return _reread(identity.username) if _still_active() else None
    if sso_configured() and st.user.is_logged_in and st.user.get("email"):
        return auth.sso_identity(get_store(), str(st.user.get("email")))
    return None


def _reread(username: str) -> Identity | None:
    identity = auth.active_identity(get_store(), username)
    if identity is None:
        st.session_state.pop(IDENTITY_KEY)
        st.session_state[REVOKED_KEY] = True
    else:
        st.session_state[IDENTITY_KEY] = identity
    return identity


def _still_active() -> bool:
    """Log a local session out after the configured idle time; otherwise note this activity."""
    now = time.monotonic()
    last = st.session_state.get(LAST_SEEN_KEY, now)
    if now - last > config.IDLE_MINUTES * 60:
        st.session_state.pop(IDENTITY_KEY, None)
        st.session_state[EXPIRED_KEY] = True
        return False
    st.session_state[LAST_SEEN_KEY] = now
    return True


def sign_in(identity: Identity) -> None:
    st.session_state[IDENTITY_KEY] = identity
    st.session_state[LAST_SEEN_KEY] = time.monotonic()
    st.session_state.pop(EXPIRED_KEY, None)
    st.session_state.pop(REVOKED_KEY, None)


def sign_out() -> None:
    identity = st.session_state.pop(IDENTITY_KEY, None)
    if sso_configured() and st.user.is_logged_in and (identity is None or identity.via_sso):
        st.logout()
