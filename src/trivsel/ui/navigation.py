"""Which pages exist and which roles may open them: the one table both the menu and the page guards read."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from trivsel import config
from trivsel.auth import Identity
from trivsel.roles import ADMIN, AMR, KONSULENT, LEDER, RAADGIVER, ROLES, SUPERVISOR, role_label
from trivsel.ui.session import ENDED_KEY, EXPIRED_KEY, REVOKED_KEY, current_identity

ALL_ROLES = frozenset(ROLES)
# The browser tab's icon, served by the app: a ":material/…:" page icon has every browser fetch it from
# fonts.gstatic.com, which tells Google the IP address of each respondent opening the survey.
FAVICON = Path(__file__).with_name("favicon.svg")


@dataclass(frozen=True)
class PageSpec:
    key: str
    script: str
    title: str
    icon: str
    url_path: str
    roles: frozenset[str]  # empty: public (no login)


LOGIN = PageSpec("login", "pages/login.py", "Log ind", ":material/login:", "login", frozenset())
STAFF = PageSpec("staff", "pages/staff.py", "Medarbejder", ":material/groups:", config.STAFF_PATH, frozenset())
PRIVACY = PageSpec("privacy", "pages/privacy.py", "Privatliv", ":material/shield_person:", "privatliv", frozenset())
SUPERVISION_REQUEST = PageSpec(
    "supervision_request",
    "pages/supervision_request.py",
    "Bed om supervision",
    ":material/support:",
    "supervision",
    frozenset(),
)
SUPERVISION_STATUS = PageSpec(
    "supervision_status",
    "pages/supervision_status.py",
    "Status på anmodning",
    ":material/pending_actions:",
    "supervision-status",
    frozenset(),
)
PAGES = [
    PageSpec("home", "pages/home.py", "Forside", ":material/home:", "forside", ALL_ROLES),
    PageSpec(
        "dashboard_overview",
        "pages/dashboard_overview.py",
        "Trivsel – overblik",
        ":material/dashboard:",
        "trivsel",
        frozenset({KONSULENT, LEDER, AMR}),
    ),
    PageSpec(
        "dashboard_heatmap",
        "pages/dashboard_heatmap.py",
        "Trivsel – heatmap",
        ":material/grid_on:",
        "heatmap",
        frozenset({KONSULENT, LEDER, AMR}),
    ),
    PageSpec(
        "dashboard_trends",
        "pages/dashboard_trends.py",
        "Trivsel – udvikling",
        ":material/trending_up:",
        "udvikling",
        frozenset({KONSULENT, LEDER, AMR}),
    ),
    PageSpec(
        "rounds", "pages/rounds.py", "Målinger", ":material/checklist:", "maalinger", frozenset({ADMIN, KONSULENT})
    ),
    PageSpec(
        "reports", "pages/reports.py", "Rapporter", ":material/summarize:", "rapporter", frozenset({ADMIN, KONSULENT})
    ),
    PageSpec(
        "absence",
        "pages/absence.py",
        "Sygefravær",
        ":material/sick:",
        "sygefravaer",
        frozenset({KONSULENT, RAADGIVER, LEDER}),
    ),
    PageSpec(
        "followup",
        "pages/followup.py",
        "1-5-14 opfølgning",
        ":material/event_upcoming:",
        "opfoelgning",
        frozenset({RAADGIVER, LEDER}),
    ),
    PageSpec(
        "lifecycle", "pages/lifecycle.py", "Livsforløb", ":material/timeline:", "livsforloeb", frozenset({KONSULENT})
    ),
    PageSpec(
        "apv", "pages/apv.py", "APV", ":material/health_and_safety:", "apv", frozenset({ADMIN, KONSULENT, LEDER, AMR})
    ),
    PageSpec("my_unit", "pages/my_unit.py", "Min enhed", ":material/apartment:", "min-enhed", frozenset({LEDER})),
    PageSpec(
        "organisation",
        "pages/organisation.py",
        "Organisation",
        ":material/account_tree:",
        "organisation",
        frozenset({ADMIN}),
    ),
    PageSpec(
        "imports", "pages/imports.py", "Import", ":material/upload_file:", "import", frozenset({ADMIN, RAADGIVER})
    ),
    PageSpec(
        "users", "pages/users.py", "Brugere og adgang", ":material/manage_accounts:", "brugere", frozenset({ADMIN})
    ),
    PageSpec(
        "settings", "pages/settings_page.py", "Indstillinger", ":material/tune:", "indstillinger", frozenset({ADMIN})
    ),
    PageSpec(
        "audit_log", "pages/audit_log.py", "Revisionslog", ":material/history:", "revisionslog", frozenset({ADMIN})
    ),
    PageSpec(
        "supervision_queue",
        "pages/supervision_queue.py",
        "Supervision",
        ":material/support_agent:",
        "supervision-koe",
        frozenset({SUPERVISOR}),
    ),
    PageSpec(
        "supervision_stats",
        "pages/supervision_stats.py",
        "Supervision – statistik",  # breaks at the space on a phone, not inside one long word
        ":material/monitoring:",
        "supervision-statistik",
        frozenset({ADMIN, KONSULENT}),
    ),
]
PUBLIC = [LOGIN, STAFF, PRIVACY, SUPERVISION_REQUEST, SUPERVISION_STATUS]
BY_KEY = {spec.key: spec for spec in [*PUBLIC, *PAGES]}


def visible_pages(role: str | None) -> list[PageSpec]:
    """The menu for a role: its own pages, then the privacy page everyone may read."""
    return [spec for spec in PAGES if role in spec.roles] + [PRIVACY]


def build(identity: Identity | None):
    """The navigation for this run. Pages the role may not open are still registered, but hidden,

    so that a typed URL reaches the page and its own guard refuses it (rather than silently
    landing somewhere else).
    """
    visible = visible_pages(identity.role) if identity else [LOGIN]
    pages = []
    for spec in [*PAGES, *PUBLIC]:
        pages.append(
            st.Page(
                spec.script,
                title=spec.title,
                icon=spec.icon,
                url_path=spec.url_path,
                default=identity is not None and spec is visible[0],
                visibility="visible" if spec in visible else "hidden",
            )
        )
    if identity is None:
        # The default page is served at "/" only, so the login page as default would make its own address,
        # a bookmarked /login, "Page not found". Logged out, "/" goes on to /login instead.
        pages.append(st.Page(_to_login, title=LOGIN.title, default=True, visibility="hidden"))
    return st.navigation(pages, position="sidebar" if identity else "hidden")


def _to_login() -> None:
    st.switch_page(LOGIN.script)


def require(page_key: str) -> Identity:
    """Stop the page unless the logged-in role may open it. Every non-public page calls this first.

    It reads the role from the database, not the one the session logged in with (see current_identity).
    """
    spec = BY_KEY[page_key]
    identity = current_identity()
    if identity is None:
        if st.session_state.get(REVOKED_KEY) or st.session_state.get(ENDED_KEY):
            st.switch_page(LOGIN.script)  # it says why
        st.title(spec.title)
        expired = st.session_state.get(EXPIRED_KEY)
        st.error(
            "Du er logget ud, fordi du ikke har været aktiv et stykke tid. Log ind igen."
            if expired
            else "Du skal logge ind for at se denne side.",
            icon=":material/lock:",
        )
        st.page_link(LOGIN.script, label="Gå til log ind", icon=":material/login:")
        st.stop()
    if identity.role not in spec.roles:
        st.title(spec.title)
        st.error(f"Ingen adgang. Rollen {role_label(identity.role)} kan ikke åbne denne side.", icon=":material/block:")
        st.stop()
    return identity
