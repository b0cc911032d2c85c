"""The note "Du har allerede svaret": a mark in the browser that it has answered a round through a unit link.

The mark lives in the browser's localStorage, one key per round (`trivsel-svaret-<round id>`) holding the
round's closing date, so the browser drops it once the round has closed; it holds nothing of the answers.
A small script (a components-v2 component: it runs in the page and can send a value back) writes it after
"Send svar", and, when the link is opened again in a new session (a new tab, a new visit), reports which of
the unit's open rounds it holds a mark for. The page then says so and offers a colleague who shares the
device to answer anyway. The server keeps the mark nowhere: it arrives as this session's widget value and
is neither stored nor logged. Why localStorage and not a cookie: see docs/anonymity.md.
"""

from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from trivsel.surveys.rounds import Round
from trivsel.ui import survey_language

_JS = """
export default function ({ data, setStateValue }) {
    const prefix = "trivsel-svaret-";
    let marked = [];
    try {
        const today = new Date().toISOString().slice(0, 10);
        for (let i = localStorage.length - 1; i >= 0; i--) {  // a closed round's mark is no longer needed
            const key = localStorage.key(i);
            if (key.startsWith(prefix) && localStorage.getItem(key) < today) localStorage.removeItem(key);
        }
        if (data.mark) localStorage.setItem(prefix + data.mark, data.closes);
        marked = (data.rounds || []).filter((id) => localStorage.getItem(prefix + id) !== null);
    } catch (e) {
        return;  // storage switched off: no mark, and the survey shows as it would without one
    }
    if (marked.length) setStateValue("marked", marked);
}
"""
_marker = st.components.v2.component("trivsel.answered_marker", js=_JS)
WAIVED_KEY = "answered_marker_waived"  # rounds a colleague on the same device has chosen to answer anyway


def mark(rnd: Round) -> None:
    """Have the browser remember that it answered `rnd` (until the round closes)."""
    _marker(key="answered_marker_write", data={"mark": rnd.round_id, "closes": rnd.closes_on.isoformat()}, height=0)


def unmarked(open_rounds: list[Round], lang: str, language_slot: DeltaGenerator) -> list[Round]:
    """The open rounds this browser holds no mark for (or a colleague answers anyway). When it has answered
    them all: the language picker (in `language_slot`), the note, and the button for a colleague; the page stops."""
    marked = _read([r.round_id for r in open_rounds]) - st.session_state.get(WAIVED_KEY, set())
    fresh = [r for r in open_rounds if r.round_id not in marked]
    if fresh or not open_rounds:
        return fresh
    survey_language.picker(language_slot)  # the colleague on a shared device may read no Danish
    st.info(survey_language.ALREADY_ANSWERED.get(lang), icon=":material/task_alt:")  # markdown-safe: our own text
    st.caption(survey_language.SHARED_DEVICE.get(lang))  # markdown-safe: our own text
    st.button(
        survey_language.ANSWER_ANYWAY.get(lang),  # markdown-safe: our own text
        on_click=_waive,
        args=(marked,),
        icon=":material/person_add:",
    )
    st.stop()


def _read(round_ids: list[str]) -> set[str]:
    """Which of these rounds the browser holds a mark for. Empty in the first run of a session: the script
    reports once it has looked, which runs the page again."""
    result = _marker(
        key="answered_marker_read",
        data={"rounds": round_ids},
        default={"marked": []},
        on_marked_change=lambda: None,
        height=0,
    )
    return set(result.marked or [])


def _waive(round_ids: set[str]) -> None:
    st.session_state[WAIVED_KEY] = st.session_state.get(WAIVED_KEY, set()) | round_ids
