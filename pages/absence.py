"""Sygefravær: trend against a baseline, milestones, spell lengths and a unit comparison."""

from datetime import date, timedelta

import plotly.graph_objects as go
import streamlit as st

from trivsel import org
from trivsel.ui import figures, navigation
from trivsel.ui.session import get_store
from trivsel.ui.text import escape_markdown
from trivsel.views import absence

identity = navigation.require("absence")
store = get_store()
st.title("Sygefravær")

units = org.units(store)
scope_root = identity.scope
if scope_root:
    units = units[units["unit_id"].isin(org.subtree_ids(store, scope_root))]
names = dict(zip(units["unit_id"], units["unit_name"]))

today = date.today()
with st.container(border=True):
    left, middle, right = st.columns(3)
    unit_id = left.selectbox("Enhed", list(names), format_func=names.get)
    period = middle.date_input("Periode", (date(today.year - 1, today.month, 1), today.replace(day=1) - timedelta(days=1)),
                               max_value=today, format="DD-MM-YYYY")
    baseline = right.date_input("Basisperiode", (date(2022, 7, 1), date(2023, 6, 30)), max_value=today,
                                format="DD-MM-YYYY")
if len(period) != 2 or len(baseline) != 2:
    st.info("Vælg både en start- og en slutdato.", icon=":material/date_range:")
    st.stop()
(first, last), (base_first, base_last) = period, baseline

summary = absence.summary(store, first, last, today, scope_root)
base = absence.summary(store, base_first, base_last, today, scope_root)
row = summary.table.set_index("unit_id").loc[unit_id]
base_row = base.table.set_index("unit_id").loc[unit_id]
hidden = summary.hidden_label()

st.subheader(escape_markdown(names[unit_id]), anchor=False)
cards = st.columns(4)
if row["suppressed"]:
    cards[0].metric("Sygefravær", hidden)
else:
    delta = None if base_row["suppressed"] else (
        f"{figures.signed_number(row['absence_rate_pct'] - base_row['absence_rate_pct'], 1)} point")
    cards[0].metric("Sygefravær", f"{figures.danish_number(row['absence_rate_pct'], 1)} %", delta,
                    delta_color="inverse", help="Sygefraværsdage × fte × grad / ansatte dage × fte, kalenderdage.")
    cards[1].metric("Personer", figures.danish_number(row["persons"], 0))
    cards[2].metric("Fraværsperioder begyndt", figures.danish_number(row["spells_started"], 0))
    child_pct = 100 * row["child_sick_fte_days"] / row["employed_fte_days"] if row["employed_fte_days"] else 0
    cards[3].metric("Barns sygdom (særskilt)", f"{figures.danish_number(child_pct, 1)} %")
if not base_row["suppressed"]:
    st.caption(f"Basisperiode {base_first:%d-%m-%Y} – {base_last:%d-%m-%Y}: "
               f"{figures.danish_number(base_row['absence_rate_pct'], 1)} %")

st.subheader("Udvikling måned for måned")
trend = absence.monthly(store, unit_id, min(first, base_first), last, today, with_parent=scope_root is None).table
chart = go.Figure()
for _, series in trend.groupby("unit_id", sort=False):
    chart.add_scatter(x=series["month"], y=series["absence_rate_pct"], mode="lines+markers",
                      name=figures.chart_text(series["unit_name"].iloc[0]), connectgaps=False)
if not base_row["suppressed"]:
    chart.add_hline(y=base_row["absence_rate_pct"], line_dash="dash", line_color="#555",
                    annotation_text="Basisperiode", annotation_position="top left")
for label, rate in absence.national_reference_rates().items():
    chart.add_hline(y=rate, line_dash="dot", line_color="#b0b0b0", annotation_text=label,
                    annotation_position="bottom right")
chart.add_vrect(x0=base_first, x1=base_last, fillcolor="#e8eef7", opacity=0.5, line_width=0)
figures.danish_dates(chart, "%{y:.1f} %")
figures.plotly_chart(chart, yaxis_title="Sygefravær (%)", xaxis_title=None, height=380, margin={"t": 20, "b": 20},
                     legend={"orientation": "h", "y": -0.15})
st.caption(f"Måneder med {hidden} er udeladt. Landstal (KL/KRL) er dage pr. fuldtidsansat omregnet til "
           f"procent af ca. {absence.WORKING_DAYS_PER_YEAR} arbejdsdage og er kun vejledende.")

funnel_col, length_col = st.columns(2)
with funnel_col:
    st.subheader("1-5-14: perioder, der nåede dag …")
    if row["suppressed"]:
        st.info(hidden.capitalize(), icon=":material/visibility_off:")
    else:
        steps = ["spells_started", "reached_day5", "reached_day14", "reached_day28", "reached_day56"]
        funnel = go.Figure(go.Funnel(y=["Begyndt", "Dag 5", "Dag 14", "Dag 28 (§ 7a)", "Dag 56"],
                                     x=[row[s] for s in steps], textinfo="value+percent initial",
                                     hovertemplate="%{y}: %{x} perioder (%{percentInitial:.0%} af de begyndte)"
                                                   "<extra></extra>"))
        figures.plotly_chart(funnel, height=320, margin={"t": 10, "b": 10})
with length_col:
    st.subheader("Varighed af perioder")
    lengths = absence.durations(store, unit_id, first, last, today)
    buckets = lengths.table[lengths.table["bucket"] != "I alt"]
    bars = go.Figure(go.Bar(x=buckets["bucket"] + " dage", y=buckets["spells"],
                            text=[hidden if s else "" for s in buckets["suppressed"]]))
    figures.plotly_chart(bars, height=320, margin={"t": 10, "b": 10}, yaxis_title="Perioder")

st.subheader("Enheder")
scope = set(org.subtree_ids(store, unit_id))
view = summary.subset(summary.table["unit_id"].isin(scope))
st.dataframe(figures.table(view, {"unit_name": "Enhed"}, {
    "persons": ("Personer", 0), "absence_rate_pct": ("Sygefravær %", 1), "spells_started": ("Perioder", 0),
    "reached_day14": ("Nåede dag 14", 0), "reached_day28": ("Nåede dag 28", 0), "reached_day56": ("Nåede dag 56", 0),
}), hide_index=True, width="stretch")
figures.download_buttons(
    store, identity.username, "unit_summary",
    {"from": first.isoformat(), "to": last.isoformat(), "unit": unit_id}, absence.export_table(view),
    f"sygefravaer_{unit_id}_{first:%Y%m%d}_{last:%Y%m%d}", {"Definitioner": absence.definitions(view)},
)
