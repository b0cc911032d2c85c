"""Trivsel – heatmap: units × dimensions (0–100) for a round, hidden cells marked, drill-down."""

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from trivsel.ui import dashboard as controls
from trivsel.ui import figures, navigation
from trivsel.ui.session import get_store
from trivsel.ui.text import empty_state
from trivsel.views import dashboard
from trivsel.views import surveys as survey_views

identity = navigation.require("dashboard_heatmap")
store = get_store()
survey = controls.trivsel_survey()
st.title("Trivsel – heatmap")
rnd, _ = controls.choose_rounds(store, survey, identity, with_baseline=False)
controls.stop_unless_released(rnd)
unit_id = controls.drill_down(store, identity)
controls.stop_unless_covered(store, rnd, unit_id)

measures = dashboard.heatmap_measures(survey)
sort_by = st.selectbox("Sortér enhederne efter", measures, format_func=lambda m: dashboard.measure_label(survey, m))
scores, hidden = dashboard.heatmap(store, survey, rnd, unit_id, sort_by)
hidden_label = survey_views.summary(store, survey, rnd).hidden_label()
if hidden[measures].all().all():
    empty_state(
        f"Ingen resultater for enhederne i denne runde: de har {hidden_label}, eller tallene kunne regnes ud af "
        "andre tal. Vælg en anden runde eller en større enhed.",
        ":material/visibility_off:",
    )
    st.stop()
values = scores[measures].astype(float)
text = [
    [
        hidden_label if hide else ("" if pd.isna(value) else figures.danish_number(value, 0))
        for value, hide in zip(row_values, row_hidden)
    ]
    for row_values, row_hidden in zip(values.to_numpy(), hidden[measures].to_numpy())
]
labels = [dashboard.measure_label(survey, m) for m in measures]
chart = go.Figure(
    go.Heatmap(
        z=values.to_numpy(),
        x=figures.chart_text(labels),
        y=figures.chart_text(scores["unit_name"]),
        text=text,
        texttemplate="%{text}",
        textfont={"size": 11},
        colorscale=controls.CIVIDIS,
        zmin=0,
        zmax=100,
        colorbar={"title": "0–100"},
        hoverongaps=False,
        hovertemplate="%{y}<br>%{x}: %{text}<extra></extra>",
    )
)
figures.plotly_chart(
    chart,
    height=160 + 44 * len(scores),
    margin={"t": 10, "b": 10},
    yaxis={"autorange": "reversed"},
    xaxis={"side": "top", "tickangle": -30},
    plot_bgcolor="#d9d9d9",
)  # hidden cells have no colour and show the grey background
st.caption(
    f"Grå felter: {hidden_label}, eller skjult, fordi en mindre gruppes tal ellers kunne regnes ud af de andre "
    "(de to slags vises ens, så ingen kan se, hvilken gruppe der er den lille). Alle mål er på en skala fra "
    "0 til 100, hvor 100 er bedst (eNPS står på overblikket)."
)
st.info("Vælg en underenhed ovenfor for at gå et niveau ned.", icon=":material/touch_app:")
export = survey_views.summary(store, survey, rnd)
figures.download_buttons(
    store,
    identity.username,
    "heatmap",
    {"round": rnd.label, "unit": unit_id},
    survey_views.export_table(export.subset(export.table["unit_id"].isin(scores.index)), survey),
    f"heatmap_{unit_id}",
)
