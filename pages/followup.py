"""1-5-14 opfølgning: who is due a conversation today, record that it was held, and frequent absence."""

from datetime import date, timedelta

import streamlit as st

from trivsel.absence import followup as rules
from trivsel.ui import figures, navigation
from trivsel.ui.session import get_store
from trivsel.ui.text import error, flash, show_flash
from trivsel.views import followup

identity = navigation.require("followup")
store = get_store()
today = date.today()
scope_root = identity.scope
st.title("1-5-14 opfølgning")
show_flash()
st.caption(
    "Medarbejdere vises kun med pseudonymt nummer. Registrér aldrig en diagnose eller årsag. "
    "Hver visning af denne side skrives i revisionsloggen."
)

due, frequent = followup.spell_lists(store, today, scope_root, identity.username)
late = int((due["status"] == "overskredet").sum())
now = int((due["status"] == "i_dag").sum())
cols = st.columns(3)
cols[0].metric("Igangværende sygeperioder", len(due))
cols[1].metric("Samtaler i dag", now)
cols[2].metric("Overskredne samtaler", late)

st.subheader("Næste samtale pr. sygeperiode")
figures.dataframe(
    due.assign(status=due["status"].map(followup.STATUS_LABELS)).rename(
        columns={
            "employee_id": "Medarbejder",
            "unit_ids": "Enhed",
            "start_date": "Første sygedag",
            "day": "Sygedag nr.",
            "milestone": "Trin (dag)",
            "conversation": "Samtale",
            "due_date": "Senest",
            "status": "Status",
            "days_until": "Dage til",
        }
    ),
    hide_index=True,
    width="stretch",
    column_config={
        "Første sygedag": st.column_config.DateColumn(format="DD-MM-YYYY"),
        "Senest": st.column_config.DateColumn(format="DD-MM-YYYY"),
    },
)

if not due.empty:
    with st.form("contact"):
        st.write("Registrér en afholdt samtale")
        keys = list(zip(due["employee_id"], due["start_date"]))
        chosen = st.selectbox(
            "Sygeperiode", range(len(keys)), format_func=lambda i: f"{keys[i][0]} – sygemeldt {keys[i][1]:%d-%m-%Y}"
        )
        steps = {m.day: m.conversation for m in rules.milestones()}
        step = st.selectbox(
            "Samtale",
            list(steps),
            format_func=lambda d: f"Dag {d}: {steps[d]}",
            index=list(steps).index(int(due["milestone"].iloc[0])),
        )
        held = st.date_input("Dato for samtalen", today, max_value=today, format="DD-MM-YYYY")
        if st.form_submit_button("Registrér", type="primary"):
            employee_id, spell_start = keys[chosen]
            try:
                rules.record_contact(store, employee_id, spell_start, step, held, identity.username, today)
            except rules.FollowupError as exc:
                error(str(exc))
            else:
                flash(f"Samtalen på dag {step} er registreret for {employee_id}.")

st.subheader("Hyppigt fravær")
st.caption(
    "Signal, ikke en vurdering: mindst det antal sygeperioder inden for 6 måneder eller sygedage inden "
    "for 12 måneder, som administratoren har sat under Indstillinger."
)
figures.dataframe(
    frequent.rename(
        columns={"employee_id": "Medarbejder", "spells_6m": "Perioder (6 mdr.)", "sick_days_12m": "Sygedage (12 mdr.)"}
    ),
    decimals=0,
)

st.subheader("Samtaler holdt til tiden, seneste 12 måneder")
rate = followup.compliance(store, today - timedelta(days=365), today, today, scope_root)
st.dataframe(
    figures.table(
        rate,
        {"unit_name": "Enhed"},
        {
            "milestones_reached": ("Trin nået", 0),
            "contacts_in_time": ("Samtaler til tiden", 0),
            "in_time_pct": ("Andel til tiden %", 0),
        },
    ),
    hide_index=True,
    width="stretch",
)
