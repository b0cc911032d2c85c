"""Supervision (supervisor): the queue of requests, and planning, notes, closing and declining.

Free text (descriptions, notes, outcomes, reasons) is shown as plain text only. Every action
carries the version of the request as it was shown, so a change someone else made in between
gives a conflict message instead of being overwritten.
"""

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from trivsel.supervision import STATUS_LABELS, SupervisionError, queue, requests
from trivsel.ui import navigation
from trivsel.ui.session import get_store, survey_catalog
from trivsel.ui.text import error, success

FLASH, FAILURE = "supervision_flash", "supervision_error"

identity = navigation.require("supervision_queue")
store = get_store()
today = date.today()
survey = survey_catalog()[requests.SURVEY_ID]
options = {item.id: {o.value: o.label.da for o in item.options} for item in survey.items if item.options}
st.title("Supervisionsanmodninger")
if st.session_state.get(FLASH):
    success(st.session_state.pop(FLASH))
if st.session_state.get(FAILURE):
    error(st.session_state.pop(FAILURE))

days = queue.response_days(store)
open_list = queue.listing(store, today)
done_list = queue.listing(store, today, requests.DONE_STATUSES)
counts = queue.counts(store)
cards = st.columns(4)
cards[0].metric("Nye", int(counts["new"]))
cards[1].metric("Planlagte", int(counts["planned"]))
cards[2].metric("I gang", int(counts["in_progress"]))
cards[3].metric("Overskredne", int(open_list["overdue"].sum()),
                help=f"Uden første svar inden for {days:d} arbejdsdage (hverdage uden helligdage).")


def overview(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Nr.": frame["request_no"], "Status": frame["status"].map(STATUS_LABELS),
        "Overskredet": frame["overdue"].map({True: "Overskredet", False: ""}), "Alder (dage)": frame["age_days"],
        "Svarfrist": frame["deadline"], "Modtaget": frame["created_on"], "Enhed": frame["unit_name"],
        "Emne": frame["topic"].map(lambda v: options["topic"].get(v, v)),
        "Haster": frame["urgency"].map(lambda v: options["urgency"].get(v, v)), "Deltagere": frame["group_size"],
    })


dates = {c: st.column_config.DateColumn(format="DD-MM-YYYY") for c in ("Modtaget", "Svarfrist")}
open_tab, done_tab = st.tabs([f"Åbne ({len(open_list)})", f"Afsluttede og afviste ({len(done_list)})"])
open_tab.dataframe(overview(open_list), hide_index=True, width="stretch", column_config=dates)
done_tab.dataframe(overview(done_list), hide_index=True, width="stretch", column_config=dates)

every = pd.concat([open_list, done_list], ignore_index=True)
if every.empty:
    st.info("Der er ingen anmodninger endnu.", icon=":material/inbox:")
    st.stop()

st.subheader("Behandl en anmodning")
# Labels never change with the status: the chosen request must stay chosen after an action.
labels = {r.request_id: f"Nr. {r.request_no} · {r.unit_name} · {options['topic'].get(r.topic, r.topic)} · "
                        f"modtaget {r.created_on:%d-%m-%Y}" for r in every.itertuples()}
chosen = st.selectbox("Anmodning", list(labels), format_func=labels.get, key="supervision_chosen")
request = queue.get(store, chosen)
version = request.version

with st.container(border=True):
    left, right = st.columns(2)
    facts = {
        "Status": request.status_label, "Modtaget": f"{request.created_on:%d-%m-%Y}",
        "Enhed": request.unit_name, "Kontaktperson": request.contact_name, "E-mail eller telefon": request.contact,
        "Rolle": options["role"].get(request.requester_role, request.requester_role),
        "Deltagere": str(request.group_size),
        "Emne": options["topic"].get(request.topic, request.topic),
        "Haster": options["urgency"].get(request.urgency, request.urgency),
        "Lederen ved besked": options["leader_knows"].get(request.leader_knows, request.leader_knows),
        "Ugedage": ", ".join(options["weekdays"].get(v, v) for v in request.weekdays.split(",") if v) or "–",
        "Tidspunkter": ", ".join(options["times"].get(v, v) for v in request.times.split(",") if v) or "–",
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
        st.warning(f"Overskredet: første svar skulle være givet senest {deadline:%d-%m-%Y}.", icon=":material/alarm:")
    else:
        st.caption("Første svar")
        st.text(f"Ikke endnu (frist {deadline:%d-%m-%Y})")
    if request.session_dates:
        st.caption(f"Sessioner ({request.sessions_planned:d} i alt)")
        st.text(", ".join(f"{d:%d-%m-%Y}" for d in request.session_dates))
    if request.status == "closed":
        st.caption("Udfald")
        st.text(queue.OUTCOMES.get(request.outcome, request.outcome or "")
                + (f": {request.outcome_text}" if request.outcome_text else ""))
    if request.status == "declined":
        st.caption("Begrundelse for afvisning")
        st.text(request.decline_reason or "")

history = queue.events(store, chosen)
st.caption("Historik")
st.dataframe(pd.DataFrame({
    "Tidspunkt": history["logged_at"], "Af": history["actor"],
    "Hændelse": history["kind"].map(lambda k: queue.EVENT_LABELS.get(k, k)), "Tekst": history["detail"],
}), hide_index=True, width="stretch",
    column_config={"Tidspunkt": st.column_config.DatetimeColumn(format="DD-MM-YYYY HH:mm")})


def act(change, done: str, *clear: str) -> None:
    """Run one change (a callback, so `version` is the one the supervisor saw when pressing)."""
    try:
        change()
    except SupervisionError as exc:
        st.session_state[FAILURE] = str(exc)
    else:
        st.session_state[FLASH] = done
        for key in clear:
            st.session_state[key] = ""


def key(name: str) -> str:
    return f"supervision_{name}_{chosen}"


def do_plan(request_id: str, seen: int) -> None:
    first = st.session_state[key("first")]
    weeks, count = int(st.session_state[key("weeks")]), int(st.session_state[key("sessions")])
    planned = [first + timedelta(weeks=weeks * n) for n in range(count)]
    act(lambda: queue.plan(store, request_id, seen, planned, count, identity.username, today),
        f"Anmodning nr. {request.request_no} er planlagt.")


def do_start(request_id: str, seen: int) -> None:
    act(lambda: queue.start(store, request_id, seen, identity.username, today),
        f"Anmodning nr. {request.request_no} er sat i gang.")


def do_note(request_id: str, seen: int) -> None:
    first = bool(st.session_state.get(key("first_response"), False))
    act(lambda: queue.add_note(store, request_id, st.session_state[key("note")], identity.username, today,
                               expected_version=seen, first_response=first),
        "Noten er gemt." + (" Første svar er registreret." if first else ""), key("note"))


def do_close(request_id: str, seen: int) -> None:
    act(lambda: queue.close(store, request_id, seen, st.session_state[key("outcome")],
                            st.session_state[key("outcome_text")], identity.username, today),
        f"Anmodning nr. {request.request_no} er afsluttet.")


def do_decline(request_id: str, seen: int) -> None:
    act(lambda: queue.decline(store, request_id, seen, st.session_state[key("reason")], identity.username, today),
        f"Anmodning nr. {request.request_no} er afvist.")


seen = (chosen, version)
actions = [name for name, kinds in (("Planlæg", "planned"), ("Note", None), ("Afslut", "closed"),
                                    ("Afvis", "declined")) if kinds is None or request.status in queue.ALLOWED[kinds]]
if request.status in queue.ALLOWED["started"]:
    st.button("Første session er holdt: markér som i gang", icon=":material/play_arrow:", on_click=do_start,
              args=seen, key=key("start"))
for tab, name in zip(st.tabs(actions), actions):
    with tab:
        if name == "Planlæg":
            with st.form(key("plan_form")):
                st.write("Acceptér anmodningen og planlæg sessionerne. Et forløb er typisk hver 3.–4. uge.")
                count_col, first_col, weeks_col = st.columns(3)
                count_col.number_input("Antal sessioner", 1, queue.MAX_SESSIONS,
                                       request.sessions_planned or 4, step=1, key=key("sessions"))
                start_at = request.session_dates[0] if request.session_dates else max(today, request.created_on)
                first_col.date_input("Første session", start_at + timedelta(days=0 if request.session_dates else 14),
                                     min_value=request.created_on, format="DD-MM-YYYY", key=key("first"))
                weeks_col.number_input("Uger mellem sessionerne", 1, 8, 3, step=1, key=key("weeks"))
                st.form_submit_button("Gem plan", type="primary", icon=":material/event:", on_click=do_plan,
                                      args=seen)
        elif name == "Note":
            with st.form(key("note_form")):
                st.text_area("Intern note (kun for supervisorer)", max_chars=queue.MAX_NOTE, key=key("note"))
                if request.first_response_on is None and request.status not in requests.DONE_STATUSES:
                    st.checkbox("Jeg har svaret kontaktpersonen (tæller som første svar)", key=key("first_response"))
                st.form_submit_button("Gem note", icon=":material/note_add:", on_click=do_note, args=seen)
        elif name == "Afslut":
            with st.form(key("close_form")):
                st.selectbox("Udfald", list(queue.OUTCOMES), format_func=queue.OUTCOMES.get, key=key("outcome"))
                st.text_area("Bemærkning (valgfri)", max_chars=queue.MAX_REASON, key=key("outcome_text"))
                st.form_submit_button("Afslut anmodningen", type="primary", icon=":material/task_alt:",
                                      on_click=do_close, args=seen)
        else:
            with st.form(key("decline_form")):
                st.text_area("Begrundelse (kontaktpersonen får besked direkte fra dig)", max_chars=queue.MAX_REASON,
                             key=key("reason"))
                st.form_submit_button("Afvis anmodningen", icon=":material/block:", on_click=do_decline, args=seen)
