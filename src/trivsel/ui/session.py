"""The store and the logged-in identity for the current Streamlit session.

Identity lives in one function; tests give a tab a login session through session state (TOKEN_KEY)
and the browser's cookie through `_cookie_token` (AppTest can fake neither `st.user` nor cookies).
"""

from __future__ import annotations

import streamlit as st

from trivsel import auth, config, jobs
from trivsel.auth import Identity
from trivsel.store import Store, StoreLockedError, open_store
from trivsel.surveys.definitions import load_all
from trivsel.ui import login_cookie
from trivsel.ui.text import escape_markdown

TOKEN_KEY = "login_token"  # this tab's login session; the database keeps only the token's hash
IDENTITY_KEY = "identity"  # its user as of this tab's last run
COOKIE_CODE_KEY = "login_cookie_code"  # offered to the browser for the cookie, until it is fetched
# Why this tab's session ended; the login page says it once.
EXPIRED_KEY = "identity_expired"
REVOKED_KEY = "identity_revoked"
ENDED_KEY = "identity_ended"


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

    A local login is the tab's session, or, after a reload or in a new tab, the session in the login
    cookie. Every call reads the session and the user's role, scope and status again (primary-key
    lookups), and an SSO address's role likewise, so logging out in another tab and an admin's change
    reach open pages at their next run.
    """
    identity = _local_identity()
    if identity is not None:
        return identity
    if sso_configured() and st.user.is_logged_in and st.user.get("email"):
        return auth.sso_identity(get_store(), str(st.user.get("email")))
    return None


def _local_identity() -> Identity | None:
    in_tab = st.session_state.get(TOKEN_KEY)
    token = in_tab or _cookie_token()
    if not token:
        return None
    try:
        identity = auth.resume_session(get_store(), token)
    except auth.SessionExpired:
        _ended(EXPIRED_KEY)
        return None
    if identity is None:
        if in_tab:  # the tab was logged in: say why it no longer is
            known = st.session_state.get(IDENTITY_KEY)
            gone = known is not None and auth.active_identity(get_store(), known.username) is None
            _ended(REVOKED_KEY if gone else ENDED_KEY)
        return None
    st.session_state[TOKEN_KEY] = token
    st.session_state[IDENTITY_KEY] = identity
    return identity


def _cookie_token() -> str | None:
    """The login cookie as the browser sent it when this tab connected (a reload or a new tab reconnects)."""
    token = st.context.cookies.get(login_cookie.NAME)
    return token if isinstance(token, str) else None  # AppTest's stand-in browser has no real cookies


def _ended(reason: str) -> None:
    for key in (TOKEN_KEY, IDENTITY_KEY, COOKIE_CODE_KEY):
        st.session_state.pop(key, None)
    st.session_state[reason] = True


def sign_in(identity: Identity) -> None:
    """Open a login session for this tab, and have the browser keep it in the login cookie."""
    token = auth.start_session(get_store(), identity.username)
    st.session_state[TOKEN_KEY] = token
    st.session_state[IDENTITY_KEY] = identity
    st.session_state[COOKIE_CODE_KEY] = login_cookie.offer(token)
    for reason in (EXPIRED_KEY, REVOKED_KEY, ENDED_KEY):
        st.session_state.pop(reason, None)


def hand_over_cookie() -> None:
    """On the first pages after a login, the script that fetches the login cookie (again until it has)."""
    code = st.session_state.get(COOKIE_CODE_KEY)
    if code is None:
        return
    if login_cookie.offered(code):
        login_cookie.fetch(code)
    else:
        del st.session_state[COOKIE_CODE_KEY]


def sign_out() -> None:
    """Log out: the session is deleted, so every tab that shares it is logged out at its next run."""
    token = st.session_state.pop(TOKEN_KEY, None)
    identity = st.session_state.pop(IDENTITY_KEY, None)
    st.session_state.pop(COOKIE_CODE_KEY, None)
    if token is not None:
        auth.end_session(get_store(), token)
    if identity is None and sso_configured() and st.user.is_logged_in:  # no local login: an SSO one
        st.logout()
