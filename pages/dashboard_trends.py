"""Trivsel – udvikling: measures across rounds, what drives the wish to stay, and wellbeing beside absence."""

from datetime import date

import plotly.graph_objects as go
import streamlit as st

from trivsel import org, settings
from trivsel.reports import charts
from trivsel.ui import dashboard as controls
from trivsel.ui import figures, navigation
from trivsel.ui.session import get_store
from trivsel.ui.text import empty_state, escape_markdown
from trivsel.views import dashboard

identity = navigation.require("dashboard_trends")
store = get_store()
today = date.today()
survey = controls.trivsel_survey()
st.title("Trivsel – udvikling")
controls.stop_unless_any_released(controls.scope_rounds(store, survey, identity))
unit_id = controls.drill_down(store, identity)
units = org.units(store).set_index("unit_id")
parent = org.visible_parent(store, identity.scope, unit_id)
compare = [unit_id] + ([parent] if parent else [])

st.subheader("Udvikling fra runde til runde")
all_measures = ["who5", "stay_share", "enps", *survey.dimensions, "who5_below_50"]
chosen = st.multiselect(
    "Mål",
    all_measures,
    default=["who5", "stay_share", "ledelse"],
    format_func=lambda m: dashboard.measure_label(survey, m),
    placeholder="Vælg mål",
    select_all=False,
)
trend = dashboard.trend(store, survey, compare, today)
if trend.empty or trend.loc[trend["unit_id"] == unit_id, "hidden"].all():
    empty_state(
        f"Ingen resultater for enheden i de lukkede runder: den har færre end "
        f"{settings.get(store, 'threshold.survey'):d} svar, eller tallene kunne regnes ud af andre tal. "
        "Vælg en større enhed.",
        ":material/visibility_off:",
    )
    st.stop()
for measure in chosen:
    data = trend[trend["measure"] == measure]
    if data["score"].isna().all():
        empty_state(f"{dashboard.measure_label(survey, measure)}: ingen tal at vise i de lukkede runder.")
        continue
    figures.plotly_chart(
        charts.trend(
            data,
            dashboard.measure_label(survey, measure),
            {uid: units.at[uid, "unit_name"] for uid in compare},
        )
    )
st.caption(
    "Runder, der ikke stillede alle spørgsmål i en dimension, er ikke med i den dimensions kurve. "
    "Skjulte tal (for få svar) er huller i kurven."
)
figures.download_buttons(
    store,
    identity.username,
    "trend",
    {"unit": unit_id},
    trend[~trend["hidden"]].drop(columns=["hidden"]),
    f"udvikling_{unit_id}",
)

rnd, _ = controls.choose_rounds(store, survey, identity, with_baseline=False)

st.subheader("Hvad hænger sammen med ønsket om at blive?")
found = dashboard.drivers(store, survey, rnd, unit_id, today)
if not rnd.results_released(today):
    controls.release_notice(rnd, rates_shown=False)
elif found.table is None:
    empty_state(
        f"Analysen kræver mindst {dashboard.DRIVER_MINIMUM} svar i enheden, og at enhedens tal ikke er skjult.",
        ":material/visibility_off:",
    )
else:
    chart = go.Figure()
    dimensions = figures.chart_text(found.table["label"])
    chart.add_bar(
        y=dimensions, x=found.table["r_stay"], name="Forventer at blive", orientation="h", marker_color="#2c7fb8"
    )
    chart.add_bar(
        y=dimensions, x=found.table["r_enps"], name="Vil anbefale (eNPS-svar)", orientation="h", marker_color="#e8a33d"
    )
    figures.plotly_chart(
        chart,
        barmode="group",
        height=120 + 40 * len(found.table),
        xaxis={"title": "Korrelation (Pearson r)", "range": [-1, 1]},
        yaxis={"autorange": "reversed"},
        margin={"t": 10, "b": 10},
        legend={"orientation": "h", "y": -0.15},
    )
    st.caption(
        f"Pearson-korrelation mellem dimensionens score og svaret på 'forventer at arbejde her om et år' "
        f"(og anbefalingsspørgsmålet), over {found.respondents:d} besvarelser; n pr. par står i tabellen. "
        "Sammenhæng er ikke årsag."
    )
    table = found.table.rename(
        columns={
            "label": "Dimension",
            "r_stay": "r (blive)",
            "n_stay": "n (blive)",
            "r_enps": "r (anbefale)",
            "n_enps": "n (anbefale)",
        }
    ).drop(columns="dimension")
    figures.dataframe(figures.danish_columns(table, {"r (blive)": 2, "r (anbefale)": 2}))
    figures.download_buttons(
        store, identity.username, "drivers", {"round": rnd.label, "unit": unit_id}, table, f"drivere_{unit_id}"
    )

st.subheader("Trivsel og sygefravær")
left, right = st.columns(2)
measure = left.selectbox(
    "Trivselsmål", dashboard.heatmap_measures(survey), format_func=lambda m: dashboard.measure_label(survey, m)
)
following = right.radio(
    "Fravær i", [False, True], horizontal=True, format_func=lambda f: "de følgende 6 måneder" if f else "samme periode"
)
points = dashboard.wellbeing_and_absence(store, survey, rnd, measure, following, unit_id, today)
if points.empty:
    empty_state("Ingen enheder har tal nok i begge datasæt for denne periode.", ":material/visibility_off:")
else:
    chart = go.Figure(
        go.Scatter(
            x=points["absence_rate_pct"],
            y=points["score"],
            mode="markers",
            text=figures.chart_text(points["unit_name"]),
            marker={"size": 10, "color": "#2c7fb8"},
            hovertemplate="%{text}<br>Sygefravær %{x:.1f} %<br>Trivsel %{y:.0f}<extra></extra>",
        )
    )
    figures.plotly_chart(
        chart,
        height=420,
        margin={"t": 10, "b": 10},
        xaxis_title="Sygefravær (%)",
        yaxis_title=figures.chart_text(dashboard.measure_label(survey, measure)),
    )
    st.caption(
        f"Ét punkt pr. enhed med tal nok i både trivsel og fravær ({len(points)} enheder). Tallene kobles kun "
        "på enhedsniveau, aldrig for den enkelte medarbejder."
    )
    figures.download_buttons(
        store,
        identity.username,
        "wellbeing_absence",
        {"round": rnd.label, "unit": unit_id, "measure": measure, "following": following},
        points,
        f"trivsel_fravaer_{unit_id}",
    )
st.caption(escape_markdown(f"Valgt enhed: {units.at[unit_id, 'unit_name']}"))
