"""Sygefravær: trend against a baseline, milestones, spell lengths and a unit comparison."""

from datetime import date

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from trivsel import org
from trivsel.reports import charts
from trivsel.ui import absence as absence_state
from trivsel.ui import figures, navigation, periods
from trivsel.ui.session import get_store
from trivsel.ui.text import escape_markdown
from trivsel.views import absence

identity = navigation.require("absence")
store = get_store()
st.title("Sygefravær")
absence_state.stop_unless_imported(store, identity.role)

units = org.visible_units(store, identity.scope)
names = dict(zip(units["unit_id"], units["unit_name"]))
# Who may read the 1-5-14 list of single spells may pick any days; everyone else whole months.
person_level = identity.role in navigation.BY_KEY["followup"].roles

today = date.today()
last_month = periods.last_whole_month_end(today)
with st.container(border=True):
    unit_id = st.selectbox("Enhed", list(names), format_func=names.get, key="absence_unit")
    if person_level:
        left, right = st.columns(2)
        period = left.date_input(
            "Periode", (date(today.year - 1, today.month, 1), last_month), max_value=today, format="DD-MM-YYYY"
        )
        baseline = right.date_input(
            "Basisperiode", (date(2022, 7, 1), date(2023, 6, 30)), max_value=today, format="DD-MM-YYYY"
        )
        if len(period) != 2 or len(baseline) != 2:
            st.info("Vælg både en start- og en slutdato.", icon=":material/date_range:")
            st.stop()
        as_of = today
    else:
        months = periods.whole_months(today)
        left, right = st.columns(2)
        with left:
            period = periods.month_range(
                "Periode", "absence_period", months, (date(today.year - 1, today.month, 1), last_month.replace(day=1))
            )
        with right:
            baseline = periods.month_range(
                "Basisperiode", "absence_baseline", months, (date(2022, 7, 1), date(2023, 6, 1))
            )
        as_of = last_month
        st.caption(
            f"Perioder vælges i hele måneder, og igangværende sygeperioder tælles til og med "
            f"{as_of:%d-%m-%Y}, så ingen enkeltdage kan regnes ud."
        )
(first, last), (base_first, base_last) = period, baseline

summary = absence.summary(store, first, last, as_of, identity.scope, person_level=person_level)
base = absence.summary(store, base_first, base_last, as_of, identity.scope, person_level=person_level)
row = summary.table.set_index("unit_id").loc[unit_id]
base_row = base.table.set_index("unit_id").loc[unit_id]
hidden = summary.hidden_label()


def number(value, decimals: int) -> str:
    """A figure, or "–" where it stays blank so that it does not give a hidden spell length away."""
    return "–" if pd.isna(value) else figures.danish_number(value, decimals)


st.subheader(escape_markdown(names[unit_id]), anchor=False)
st.caption(f"Periode {first:%d-%m-%Y} – {last:%d-%m-%Y}")
cards = st.columns(4)
if row["suppressed"]:
    figures.hidden_metric(cards[0], "Sygefravær", hidden)
else:
    delta = (
        None
        if base_row["suppressed"]
        else (f"{figures.signed_number(row['absence_rate_pct'] - base_row['absence_rate_pct'], 1)} point")
    )
    cards[0].metric(
        "Sygefravær",
        f"{figures.danish_number(row['absence_rate_pct'], 1)} %",
        delta,
        delta_color="inverse",
        help="Sygefraværsdage × fte × grad / ansatte dage × fte, kalenderdage.",
    )
    cards[1].metric("Personer", figures.danish_number(row["persons"], 0))
    cards[2].metric(  # markdown-safe: a number or –
        "Perioder begyndt", number(row["spells_started"], 0), help="Fraværsperioder, der begyndte i perioden."
    )
    child_pct = 100 * row["child_sick_fte_days"] / row["employed_fte_days"] if row["employed_fte_days"] else 0
    cards[3].metric(
        "Barns sygdom",
        f"{figures.danish_number(child_pct, 1)} %",
        help="Fravær på grund af barns sygdom, opgjort for sig og ikke talt med i sygefraværet.",
    )
if not base_row["suppressed"]:
    st.caption(
        f"Basisperiode {base_first:%d-%m-%Y} – {base_last:%d-%m-%Y}: "
        f"{figures.danish_number(base_row['absence_rate_pct'], 1)} %"
    )

st.subheader("Udvikling måned for måned")
with_parent = org.visible_parent(store, identity.scope, unit_id) is not None
trend = absence.monthly(
    store, unit_id, min(first, base_first), last, as_of, with_parent=with_parent, person_level=person_level
).table
figures.plotly_chart(
    charts.absence_trend(
        trend, None if base_row["suppressed"] else base_row["absence_rate_pct"], (base_first, base_last)
    )
)
st.caption(
    f"Måneder med {hidden} er udeladt, og en enhed vises kun for en periode, når den vises i hver af "
    f"periodens måneder. Landstal (KL/KRL) er dage pr. fuldtidsansat omregnet til procent af ca. "
    f"{absence.WORKING_DAYS_PER_YEAR} arbejdsdage og er kun vejledende."
)

funnel_col, length_col = st.columns(2)
with funnel_col:
    st.subheader("1-5-14: perioder, der nåede dag …")
    shown = charts.funnel_steps(row)
    if not shown:
        st.info(hidden.capitalize(), icon=":material/visibility_off:")
    else:
        figures.plotly_chart(charts.funnel(shown))
        if len(shown) < len(absence.funnel_steps()):
            st.caption("Trin, der sammen med varighederne ville vise en skjult varighed, er udeladt.")
with length_col:
    st.subheader("Varighed af perioder")
    lengths = absence.durations(store, unit_id, first, last, as_of, person_level=person_level)
    buckets = lengths.table[lengths.table["bucket"] != absence.TOTAL]
    bars = go.Figure(
        go.Bar(
            x=buckets["bucket"] + " dage",
            y=buckets["spells"],
            text=[hidden if s else "" for s in buckets["suppressed"]],
        )
    )
    figures.plotly_chart(bars, height=320, margin={"t": 10, "b": 10}, yaxis_title="Perioder")

st.subheader("Enheder")
view = absence.summary(store, first, last, as_of, unit_id, person_level=person_level)  # the unit's subtree
st.dataframe(
    figures.table(
        view,
        {"unit_name": "Enhed"},
        {
            "persons": ("Personer", 0),
            "absence_rate_pct": ("Sygefravær %", 1),
            "spells_started": ("Perioder", 0),
            # The first follow-up day after day 1 is left out: it is nearly every spell begun.
            **{column: (f"Nåede dag {day}", 0) for column, day in list(absence.reached_columns().items())[1:]},
        },
    ),
    hide_index=True,
    width="stretch",
)
st.caption(
    "– betyder, at tallet sammen med fordelingen på varighed ville vise en varighed, som færre end "
    f"{summary.threshold:d} personer står bag."
)
figures.download_buttons(
    store,
    identity.username,
    "unit_summary",
    {"from": first.isoformat(), "to": last.isoformat(), "unit": unit_id},
    absence.export_table(view),
    f"sygefravaer_{unit_id}_{first:%Y%m%d}_{last:%Y%m%d}",
    {"Definitioner": absence.definitions(view)},
)
