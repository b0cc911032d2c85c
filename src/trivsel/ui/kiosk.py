"""Shared-tablet mode (kiosk): a unit link with `kiosk=1`, opened by a leader on a tablet that staff share.

One person after another answers on the same page. After "Send svar" the thanks shows for a few seconds,
then the form starts afresh; a survey left unfinished is cleared after TRIVSEL_KIOSK_IDLE_MINUTES without
a page change. Either way nothing of the previous person stays: the form's keys leave the session
(`survey_form.reset`), and the next form gets new widget keys, so the browser has no old widget whose
value it could show again.

Kiosk shows nothing a unit link does not: a staff member who adds `kiosk=1` gets the same survey and may
answer again, as after a reload; the unit's cap (no more answers than staff) holds as always.
"""

from __future__ import annotations

import time

import pandas as pd
import streamlit as st

from trivsel import config
from trivsel.surveys.definitions import Survey
from trivsel.ui import survey_form, survey_language
from trivsel.ui.session import current_identity, sign_out
from trivsel.ui.text import error

PARAM = "kiosk"
THANKS_SECONDS = 5
GENERATION_KEY = "kiosk_generation"  # counts the people the tablet has started afresh for
ACTIVE_AT_KEY = "kiosk_active_at"  # when the page last ran for the person at the tablet
THANKS_UNTIL_KEY = "kiosk_thanks_until"
_now = time.monotonic  # tests move the clock


def active() -> bool:
    """Whether this is a unit link opened as kiosk (a one-time code is one person's, never a kiosk)."""
    params = st.query_params
    return params.get(PARAM) == "1" and bool(params.get("adgang")) and not params.get("kode")


def link(unit_link: str) -> str:
    return f"{unit_link}&{PARAM}=1"


def refuse_a_login() -> None:
    """A tablet everyone uses must not carry a login: the next person could open the logged-in user's pages
    from the menu. Offer to log out, and start only then."""
    if current_identity() is None:
        return
    st.warning(
        "Du er logget ind på denne enhed. En fælles tablet må ikke være logget ind, for så kan den næste "
        "åbne dine sider. Log ud for at starte kiosk-tilstanden.",
        icon=":material/lock_person:",
    )
    if st.button("Log ud og start kiosk", type="primary", icon=":material/logout:"):
        sign_out()
        st.rerun()
    st.stop()


def state_key(base: str) -> str:
    """A key of the survey form or the language picker: in kiosk one for each person, so no widget of the previous
    person is reused (the next person starts in Danish: a language left chosen would tell who stood there before)."""
    return f"{base}_{st.session_state.get(GENERATION_KEY, 0)}" if active() else base


def restart_after_thanks(done_key: str, lang: str) -> None:
    """Show the thanks for THANKS_SECONDS, then forget `done_key` and run the page afresh. Stops the page."""
    st.caption(survey_language.KIOSK_RESTART.get(lang))  # markdown-safe: our own text
    until = st.session_state.setdefault(THANKS_UNTIL_KEY, _now() + THANKS_SECONDS)

    @st.fragment(run_every=1)
    def restart_when_due() -> None:
        if _now() >= until:
            st.session_state.pop(THANKS_UNTIL_KEY, None)
            st.session_state.pop(done_key, None)
            _next_person()
            st.rerun()

    restart_when_due()
    st.stop()


def clear_when_idle(key: str, survey: Survey) -> None:
    """Clear the survey when no page change has come for the idle time (a run of this page is activity)."""
    idle = _idle_minutes() * 60
    st.session_state[ACTIVE_AT_KEY] = _now()

    # Checked often enough that the clear comes within a tenth of the idle time after it is due.
    @st.fragment(run_every=min(max(idle / 10, 1), 30))
    def clear_when_due() -> None:
        if _now() - st.session_state.get(ACTIVE_AT_KEY, _now()) >= idle:
            survey_form.reset(key, survey)
            _next_person()
            st.rerun()

    clear_when_due()


def _idle_minutes() -> float:
    try:
        return config.kiosk_idle_minutes()
    except ValueError as exc:  # a wrong setting is named, in Danish, where kiosk needs it
        error(str(exc))
        st.stop()


def _next_person() -> None:
    st.session_state[GENERATION_KEY] = st.session_state.get(GENERATION_KEY, 0) + 1


def offer(links: pd.DataFrame) -> None:
    """Min enhed: the kiosk links of the leader's units (`links` has unit_name and link), with what kiosk does."""
    st.markdown("**Åbn på fælles tablet (kiosk)**")
    minutes = f"{_idle_minutes():g}".replace(".", ",")
    st.write(
        "Har I en tablet, som flere deler, fx i personalestuen? Åbn enhedens kiosk-link på tabletten. "
        "Efter hvert svar starter skemaet forfra for den næste, uden at den næste kan se de tidligere svar, "
        f"og et skema, der ikke bliver gjort færdigt, ryddes efter {minutes} minutter uden aktivitet. "
        "Tabletten må ikke være logget ind: er du logget ind dér, beder siden dig logge ud først."
    )
    st.dataframe(
        pd.DataFrame({"Enhed": links["unit_name"], "Link": links["link"].map(link)}),
        hide_index=True,
        width="stretch",
        column_config={"Link": st.column_config.LinkColumn(display_text="Åbn på fælles tablet (kiosk)")},
    )
