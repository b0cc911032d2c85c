"""1-5-14 opfølgning: who is due a conversation today, record that it was held, and frequent absence."""

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from trivsel import org
from trivsel.absence import followup as rules
from trivsel.ui import absence as absence_state
from trivsel.ui import figures, navigation
from trivsel.ui.session import get_store
from trivsel.ui.text import error, flash, show_flash
from trivsel.views import followup

identity = navigation.require("followup")
store = get_store()
today = date.today()
st.title("1-5-14 opfølgning")
show_flash()
st.caption(
    "Medarbejdere vises kun med pseudonymt nummer. Registrér aldrig en diagnose eller årsag. "
    "Hver visning af listen skrives i revisionsloggen."
)

absence_state.stop_unless_imported(store, identity.role)
visible = org.visible_units(store, identity.scope)
units = dict(zip(visible["unit_id"], visible["unit_name"]))
steps = {m.day: m.conversation for m in rules.milestones()}
filters = st.columns(3)
unit = filters[0].selectbox(
    "Enhed",
    list(units),
    index=None,
    format_func=units.get,
    placeholder="Alle enheder" if visible["depth"].iloc[0] == 0 else "Hele dit område",
    help="Enheden og alle enheder under den.",
)
milestone = filters[1].selectbox(
    "Næste samtale", list(steps), index=None, placeholder="Alle samtaler", format_func=lambda d: f"Dag {d}: {steps[d]}"
)
overdue_only = filters[2].radio(
    "Vis", [False, True], horizontal=True, format_func=lambda only: "Kun overskredne" if only else "Alle"
)
try:
    lists = followup.spell_lists(
        store, today, identity.scope, identity.username, unit=unit, milestone=milestone, overdue_only=overdue_only
    )
except followup.OutOfScope as exc:
    error(str(exc))
    st.stop()
due = lists.due
cols = st.columns(3)
cols[0].metric(
    "Igangværende perioder",
    f"{lists.ongoing:d}",
    help="Alle sygeperioder, der løber i dag, også når alle samtaler er holdt.",
)
cols[1].metric("Samtaler i dag", f"{lists.due_today:d}")
cols[2].metric("Overskredne", f"{lists.overdue:d}", help="Samtaler, hvis frist er overskredet.")

st.subheader("Næste samtale pr. sygeperiode")
figures.dataframe(
    followup.table(due),
    empty="Ingen sygeperioder passer til filtrene.",
    column_config={
        name: (
            st.column_config.DateColumn(format="DD-MM-YYYY", width=width)
            if name in ("Første sygedag", "Senest")
            else st.column_config.Column(width=width)
        )
        for name, width in followup.WIDTHS.items()
    },
)

if not due.empty:
    with st.form("contact"):
        st.write("Registrér en afholdt samtale")
        keys = list(zip(due["employee_id"], due["start_date"]))
        chosen = st.selectbox(
            "Sygeperiode", range(len(keys)), format_func=lambda i: f"{keys[i][0]} – sygemeldt {keys[i][1]:%d-%m-%Y}"
        )
        first = due["milestone"].iloc[0]
        step = st.selectbox(
            "Samtale",
            list(steps),
            format_func=lambda d: f"Dag {d}: {steps[d]}",
            index=0 if pd.isna(first) else list(steps).index(int(first)),
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
    lists.frequent.rename(
        columns={"employee_id": "Medarbejder", "spells_6m": "Perioder (6 mdr.)", "sick_days_12m": "Sygedage (12 mdr.)"}
    ),
    decimals=0,
    empty="Ingen medarbejdere har hyppigt fravær lige nu.",
)

st.subheader("Samtaler holdt til tiden, seneste 12 måneder")
rate = followup.compliance(store, today - timedelta(days=365), today, today, identity.scope, unit)
figures.dataframe(
    figures.table(
        rate,
        {"unit_name": "Enhed"},
        {
            "milestones_reached": ("Trin nået", 0),
            "contacts_in_time": ("Samtaler til tiden", 0),
            "in_time_pct": ("Andel til tiden %", 0),
        },
    ),
    empty="Ingen sygeperioder har nået et samtaletrin de seneste 12 måneder.",
)
