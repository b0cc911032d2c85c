"""Supervision (supervisor): the queue of requests, and planning, notes, closing and declining.

Free text (descriptions, notes, outcomes, reasons) is shown as plain text only. Every action
carries the version of the request as it was shown, so a change someone else made in between
gives a conflict message instead of being overwritten.
"""

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from trivsel.supervision import STATUS_LABELS, SupervisionError, queue, requests
from trivsel.supervision.queue import Request
from trivsel.ui import figures, navigation
from trivsel.ui.session import get_store, survey_catalog
from trivsel.ui.text import empty_state, flash, show_flash

# The action tabs by the change each one makes (queue.ALLOWED says which statuses may make it).
ACTION_TABS = {"planned": "Planlæg", "note": "Note", "closed": "Afslut", "declined": "Afvis"}

identity = navigation.require("supervision_queue")
store = get_store()
today = date.today()
survey = survey_catalog()[requests.SURVEY_ID]
options = {item.id: {o.value: o.label.da for o in item.options} for item in survey.items if item.options}


def label(item_id: str, value: str) -> str:
    """The Danish label of a stored answer (the value itself if the definition no longer has it)."""
    return options[item_id].get(value, value)


def overview(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Nr.": frame["request_no"],
            "Status": frame["status"].map(STATUS_LABELS),
            "Overskredet": frame["overdue"].map({True: "Overskredet", False: ""}),
            "Alder (dage)": frame["age_days"],
            "Svarfrist": frame["deadline"],
            "Modtaget": frame["created_on"],
            "Enhed": frame["unit_name"],
            "Emne": frame["topic"].map(lambda v: label("topic", v)),
            "Haster": frame["urgency"].map(lambda v: label("urgency", v)),
            "Deltagere": frame["group_size"],
        }
    )


def key(request: Request, name: str) -> str:
    return f"supervision_{name}_{request.request_id}"


def show_request(request: Request, days: int) -> None:
    """The request's facts, description, first answer, sessions and outcome, all as plain text."""
    with st.container(border=True):
        left, right = st.columns(2)
        facts = {
            "Status": request.status_label,
            "Modtaget": f"{request.created_on:%d-%m-%Y}",
            "Enhed": request.unit_name,
            "Kontaktperson": request.contact_name,
            "E-mail eller telefon": request.contact,
            "Rolle": label("role", request.requester_role),
            "Deltagere": str(request.group_size),
            "Emne": label("topic", request.topic),
            "Haster": label("urgency", request.urgency),
            "Lederen ved besked": label("leader_knows", request.leader_knows),
            "Ugedage": ", ".join(label("weekdays", v) for v in request.weekdays.split(",") if v) or "–",
            "Tidspunkter": ", ".join(label("times", v) for v in request.times.split(",") if v) or "–",
        }
        for index, (name, value) in enumerate(facts.items()):
            column = left if index < len(facts) / 2 else right
            column.caption(name)  # markdown-safe: the headings above; the values are drawn as plain text
            column.text(value)
        st.caption("Beskrivelse")
        st.text(request.description)
        deadline = queue.response_deadline(request.created_on, days)
        if request.first_response_on:
            st.caption("Første svar")
            st.text(f"{request.first_response_on:%d-%m-%Y} (frist {deadline:%d-%m-%Y})")
        elif queue.is_overdue(request.created_on, None, today, days):
            st.warning(
                f"Overskredet: første svar skulle være givet senest {deadline:%d-%m-%Y}.", icon=":material/alarm:"
            )
        else:
            st.caption("Første svar")
            st.text(f"Ikke endnu (frist {deadline:%d-%m-%Y})")
        if request.session_dates:
            st.caption(f"Sessioner ({request.sessions_planned:d} i alt)")
            st.text(", ".join(f"{d:%d-%m-%Y}" for d in request.session_dates))
        if request.status == "closed":
            st.caption("Udfald")
            st.text(
                queue.OUTCOMES.get(request.outcome, request.outcome or "")
                + (f": {request.outcome_text}" if request.outcome_text else "")
            )
        if request.status == "declined":
            st.caption("Begrundelse for afvisning")
            st.text(request.decline_reason or "")


def show_history(request: Request) -> None:
    history = queue.events(store, request.request_id)
    st.caption("Historik")
    figures.dataframe(
        pd.DataFrame(
            {
                "Tidspunkt": history["logged_at"],
                "Af": history["actor"],
                "Hændelse": history["kind"].map(lambda k: queue.EVENT_LABELS.get(k, k)),
                "Tekst": history["detail"],
            }
        )
    )


# The buttons' callbacks. Each gets the request as it was drawn, so the version it hands on is the one
# the supervisor saw when pressing, not the one a colleague may have saved since.


def act(change, done: str, *clear: str) -> None:
    """Run one change; say on the next run what came of it, and empty the fields in `clear` when it worked."""
    try:
        change()
    except SupervisionError as exc:
        flash(str(exc), refused=True)
    else:
        for field in clear:
            st.session_state[field] = ""
        flash(done)


def do_plan(request: Request) -> None:
    first = st.session_state[key(request, "first")]
    weeks, count = int(st.session_state[key(request, "weeks")]), int(st.session_state[key(request, "sessions")])
    planned = [first + timedelta(weeks=weeks * n) for n in range(count)]
    act(
        lambda: queue.plan(store, request.request_id, request.version, planned, count, identity.username, today),
        f"Anmodning nr. {request.request_no} er planlagt.",
    )


def do_start(request: Request) -> None:
    act(
        lambda: queue.start(store, request.request_id, request.version, identity.username, today),
        f"Anmodning nr. {request.request_no} er sat i gang.",
    )


def do_note(request: Request) -> None:
    first = bool(st.session_state.get(key(request, "first_response"), False))
    act(
        lambda: queue.add_note(
            store,
            request.request_id,
            st.session_state[key(request, "note")],
            identity.username,
            today,
            expected_version=request.version,
            first_response=first,
        ),
        "Noten er gemt." + (" Første svar er registreret." if first else ""),
        key(request, "note"),
    )


def do_close(request: Request) -> None:
    act(
        lambda: queue.close(
            store,
            request.request_id,
            request.version,
            st.session_state[key(request, "outcome")],
            st.session_state[key(request, "outcome_text")],
            identity.username,
            today,
        ),
        f"Anmodning nr. {request.request_no} er afsluttet.",
    )


def do_decline(request: Request) -> None:
    act(
        lambda: queue.decline(
            store,
            request.request_id,
            request.version,
            st.session_state[key(request, "reason")],
            identity.username,
            today,
        ),
        f"Anmodning nr. {request.request_no} er afvist.",
    )


# The action tabs' forms.


def plan_form(request: Request) -> None:
    with st.form(key(request, "plan_form")):
        st.write("Acceptér anmodningen og planlæg sessionerne. Et forløb er typisk hver 3.–4. uge.")
        count_col, first_col, weeks_col = st.columns(3)
        count_col.number_input(
            "Antal sessioner",
            1,
            queue.MAX_SESSIONS,
            request.sessions_planned or 4,
            step=1,
            key=key(request, "sessions"),
        )
        start_at = request.session_dates[0] if request.session_dates else max(today, request.created_on)
        first_col.date_input(
            "Første session",
            start_at + timedelta(days=0 if request.session_dates else 14),
            min_value=request.created_on,
            format="DD-MM-YYYY",
            key=key(request, "first"),
        )
        weeks_col.number_input("Uger mellem sessionerne", 1, 8, 3, step=1, key=key(request, "weeks"))
        st.form_submit_button("Gem plan", type="primary", icon=":material/event:", on_click=do_plan, args=(request,))


def note_form(request: Request) -> None:
    with st.form(key(request, "note_form")):
        st.text_area("Intern note (kun for supervisorer)", max_chars=queue.MAX_NOTE, key=key(request, "note"))
        if request.first_response_on is None and request.status in queue.ALLOWED["contacted"]:
            st.checkbox("Jeg har svaret kontaktpersonen (tæller som første svar)", key=key(request, "first_response"))
        st.form_submit_button("Gem note", icon=":material/note_add:", on_click=do_note, args=(request,))


def close_form(request: Request) -> None:
    with st.form(key(request, "close_form")):
        st.selectbox("Udfald", list(queue.OUTCOMES), format_func=queue.OUTCOMES.get, key=key(request, "outcome"))
        st.text_area("Bemærkning (valgfri)", max_chars=queue.MAX_REASON, key=key(request, "outcome_text"))
        st.form_submit_button(
            "Afslut anmodningen", type="primary", icon=":material/task_alt:", on_click=do_close, args=(request,)
        )


def decline_form(request: Request) -> None:
    with st.form(key(request, "decline_form")):
        st.text_area(
            "Begrundelse (kontaktpersonen får besked direkte fra dig)",
            max_chars=queue.MAX_REASON,
            key=key(request, "reason"),
        )
        st.form_submit_button("Afvis anmodningen", icon=":material/block:", on_click=do_decline, args=(request,))


ACTION_FORMS = {"planned": plan_form, "note": note_form, "closed": close_form, "declined": decline_form}


# The page

st.title("Supervision – anmodninger")  # breaks at the space on a phone, not inside one long word
show_flash()

days = queue.response_days(store)
open_list = queue.listing(store, today)
done_list = queue.listing(store, today, requests.DONE_STATUSES)
every = pd.concat([open_list, done_list], ignore_index=True)
if every.empty:
    empty_state(
        "Der er ingen anmodninger endnu. De vises her, når nogen beder om supervision.",
        ":material/inbox:",
    )
    st.stop()
counts = queue.counts(store)
cards = st.columns(4)
cards[0].metric("Nye", int(counts["new"]))
cards[1].metric("Planlagte", int(counts["planned"]))
cards[2].metric("I gang", int(counts["in_progress"]))
cards[3].metric(
    "Overskredne",
    int(open_list["overdue"].sum()),
    help=f"Uden første svar inden for {days:d} arbejdsdage (hverdage uden helligdage).",
)

open_tab, done_tab = st.tabs([f"Åbne ({len(open_list)})", f"Afsluttede og afviste ({len(done_list)})"])
figures.dataframe(overview(open_list), empty="Der er ingen åbne anmodninger.", container=open_tab)
figures.dataframe(overview(done_list), empty="Der er ingen afsluttede eller afviste anmodninger.", container=done_tab)

st.subheader("Behandl en anmodning")
# Labels never change with the status: the chosen request must stay chosen after an action.
labels = {
    r.request_id: f"Nr. {r.request_no} · {r.unit_name} · {label('topic', r.topic)} · modtaget {r.created_on:%d-%m-%Y}"
    for r in every.itertuples()
}
chosen = st.selectbox("Anmodning", list(labels), format_func=labels.get, key="supervision_chosen")
request = queue.get(store, chosen)
show_request(request, days)
show_history(request)

if request.status in queue.ALLOWED["started"]:
    st.button(
        "Første session er holdt: markér som i gang",
        icon=":material/play_arrow:",
        on_click=do_start,
        args=(request,),
        key=key(request, "start"),
    )
kinds = [kind for kind in ACTION_TABS if request.status in queue.ALLOWED[kind]]
for kind, tab in zip(kinds, st.tabs([ACTION_TABS[kind] for kind in kinds])):
    with tab:
        ACTION_FORMS[kind](request)
