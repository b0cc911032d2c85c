"""Supervision – statistik (trivselskonsulent, admin): requests per area, unit, topic and month, aggregated and
protected; never a request's content."""

from datetime import date

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from trivsel.disclosure import Protected
from trivsel.supervision import requests
from trivsel.ui import figures, navigation, periods
from trivsel.ui.dashboard import NO_UNITS
from trivsel.ui.session import get_store, survey_catalog
from trivsel.ui.text import empty_state
from trivsel.views import supervision

identity = navigation.require("supervision_stats")
store = get_store()
today = date.today()
survey = survey_catalog()[requests.SURVEY_ID]
st.title(navigation.BY_KEY["supervision_stats"].title)
st.caption(
    "Anmodninger om gruppesupervision, der kom ind i perioden. Kun samlede tal: indholdet af en anmodning "
    "kan kun supervisoren læse, og grupper med for få anmodninger vises ikke."
)

# Whole months only: a period a day longer than another would show the request made that day.
first, last = periods.month_range(
    "Periode",
    "supervision_period",
    periods.whole_months(today),
    (date(today.year - 1, today.month, 1), periods.last_whole_month_end(today)),
)
result = supervision.summary(store, first, last, survey)
hidden = result.units.hidden_label()
total = result.total
if total is None:
    empty_state(NO_UNITS)
    st.stop()
if total["suppressed"]:  # then every figure is hidden: one line instead of tables that say nothing
    empty_state(
        f"Der er {hidden} i perioden, så der er ingen tal at vise. Vælg en længere periode.",
        ":material/visibility_off:",
    )
    st.stop()

cards = st.columns(3)
cards[0].metric("Anmodninger", figures.danish_number(total["requests"], 0))
for card, column, title, until in (
    (cards[1], "median_days_to_first_response", "Dage til 1. svar", "første svar"),
    (cards[2], "median_days_to_first_session", "Dage til 1. session", "første session"),
):
    value = total[column]
    card.metric(
        title,
        "–" if pd.isna(value) else figures.danish_number(value, 1),
        help=f"Median antal kalenderdage fra anmodningen kom ind til {until}.",
    )

METRICS = {
    "requests": ("Anmodninger", 0),
    "median_days_to_first_response": ("Median dage til første svar", 1),
    "median_days_to_first_session": ("Median dage til første session", 1),
}


def indented(protected: Protected) -> Protected:
    table = protected.table.assign(
        unit_name=["\u2003" * d + n for d, n in zip(protected.table["depth"], protected.table["unit_name"])]
    )
    return Protected(table, protected.threshold, protected.noun)


area_tab, unit_tab, topic_tab, month_tab = st.tabs(["Pr. område", "Pr. enhed", "Pr. emne", "Pr. måned"])
area_tab.dataframe(figures.table(result.areas, {"unit_name": "Område"}, METRICS), hide_index=True, width="stretch")
unit_tab.dataframe(
    figures.table(indented(result.units), {"unit_name": "Enhed"}, METRICS), hide_index=True, width="stretch"
)
unit_tab.caption("Hver enhed tæller anmodninger fra enheden selv og alle enheder under den.")
topic_tab.dataframe(figures.table(result.topics, {"label": "Emne"}, METRICS), hide_index=True, width="stretch")
with month_tab:
    months = result.months.table[result.months.table["parent"].notna()]
    bars = go.Figure(
        go.Bar(x=months["key"], y=months["requests"], text=[hidden if s else "" for s in months["suppressed"]])
    )
    figures.danish_dates(bars, "%{y} anmodninger")
    figures.plotly_chart(bars, height=320, margin={"t": 10, "b": 10}, yaxis_title="Anmodninger")
    st.dataframe(
        figures.table(figures.month_labels(result.months), {"label": "Måned"}, METRICS),
        hide_index=True,
        width="stretch",
    )
st.caption(
    f"Celler med {hidden} vises ikke, og heller ikke tal, der ellers kunne regnes ud ved at trække synlige "
    f"tal fra hinanden. En median vises kun, når mindst {result.units.threshold:d} anmodninger står bag den "
    "(–). Dage er kalenderdage fra anmodningen kom ind."
)

figures.download_buttons(
    store,
    identity.username,
    "supervision_summary",
    {"from": first.isoformat(), "to": last.isoformat()},
    supervision.export_table(result),
    f"supervision_{first:%Y%m%d}_{last:%Y%m%d}",
    {"Definitioner": supervision.definitions(result)},
)
