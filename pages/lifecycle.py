"""Livsforløb: the konsulent's lifecycle surveys (3 months, exit, placement, new leaders' onboarding and mentor
programme): due letters, pooled results per half-year, internal recruitment of new leaders, schedule, mentors."""

from datetime import date

import streamlit as st

from trivsel import org
from trivsel.lifecycle import events
from trivsel.lifecycle.pools import ANSWER_DAYS
from trivsel.ui import figures, navigation
from trivsel.ui import lifecycle as ui
from trivsel.ui.session import get_store, survey_catalog
from trivsel.ui.text import error, success
from trivsel.views import lifecycle as view

identity = navigation.require("lifecycle")
store = get_store()
today = date.today()
surveys = survey_catalog()
st.title("Livsforløb")
st.write(
    "Spørgeskemaer på faste tidspunkter i et arbejdsliv: 3 måneder efter start, ved fratrædelse, i praktikkens "
    "sidste uge, og for nye ledere introduktion og mentorforløb. Svarene samles pr. halvår og område og vises "
    "først, når halvåret er lukket, og kun hvor der er svar nok."
)

st.subheader("Breve til nye ledere")
st.write(
    "Lederne laver brevene til deres medarbejdere og praktikanter på *Min enhed*. Her laver du brevene til nye "
    "ledere (introduktion og mentorforløb) og giver dem videre."
)
due = events.due_letters(store, today)
ui.due_letters(due[due["survey_id"].isin(events.LEADER_SURVEYS)].reset_index(drop=True), identity.username, today)

st.subheader("Resultater")
survey_id = st.selectbox(
    "Spørgeskema", list(events.LABELS), format_func=lambda s: f"{events.LABELS[s]} – {surveys[s].title.da}"
)
survey = surveys[survey_id]
rates = view.response_rates(store, survey, today)
st.caption("Svarprocent pr. lukket halvår (breve lavet og svar modtaget i hele velfærdsområdet).")
figures.dataframe(
    ui.by_period(rates, {"group_id": "Gruppe"}, "rate").drop(columns="Gruppe", errors="ignore"),
    empty="Intet lukket halvår endnu.",
    hide_index=True,
)
results = view.results(store, survey, today)
figures.dataframe(
    ui.by_period(results, {"measure_name": "Mål", "group_name": "Gruppe"}, "value"),
    empty="Ingen svar endnu.",
    hide_index=True,
    width="stretch",
)
st.caption(
    "Hvert halvår står ved siden af det forrige. Et halvår vises, når koderne ikke længere kan bruges "
    f"({ANSWER_DAYS} dage efter halvårets slut). "
    f"Skjulte felter har {results.hidden_label()}, eller tallet kunne regnes ud af andre tal."
)

st.subheader("Nye ledere rekrutteret internt")
recruited = view.internal_recruitment(store, today)
if recruited.table["suppressed"].all():
    figures.empty_state(
        f"Andelen vises for et afsluttet halvår med mindst {recruited.threshold} nye ledere. Der er ingen endnu."
    )
else:
    figures.dataframe(
        ui.by_period(recruited, {"group_id": "Gruppe"}, "internal_share").drop(columns="Gruppe", errors="ignore"),
        hide_index=True,
    )
st.caption("Andel i % af nye ledere, der havde en tidligere ansættelse i kommunen (fra ansættelsesdata).")

with st.expander("Tidsplan", icon=":material/schedule:"):
    plan = events.schedule(store)
    for key, label in events.LABELS.items():
        st.text(f"{label}: {plan[key].describe(key)}")
    with st.form("schedule"):
        chosen = st.selectbox("Spørgeskema", list(events.LABELS), format_func=events.LABELS.get)
        offset = st.number_input("Dage fra start eller slut (negativ: før)", *events.OFFSET_RANGE, value=90)
        window = st.number_input("Antal dage, brevet er aktuelt", *events.WINDOW_RANGE, value=30)
        if st.form_submit_button("Gem tidsplan"):
            try:
                events.set_schedule(store, chosen, int(offset), int(window), identity.username)
            except events.LifecycleError as exc:
                error(str(exc))
            else:
                success("Tidsplanen er gemt.")

with st.expander("Mentorforløb for nye ledere", icon=":material/diversity_3:"):
    units = org.units(store)
    with st.form("mentor"):
        unit_id = st.selectbox(
            "Enhed, den nye leder leder",
            units["unit_id"].tolist(),
            format_func=dict(zip(units["unit_id"], units["path"])).get,
        )
        start = st.date_input("Start", value=today, format="DD-MM-YYYY")
        if st.form_submit_button("Registrér mentorforløb"):
            try:
                events.add_mentor_programme(store, unit_id, start, identity.username)
            except events.LifecycleError as exc:
                error(str(exc))
            else:
                success("Mentorforløbet er registreret. Evalueringen bliver aktuel efter tidsplanen.")
    programmes = events.mentor_programmes(store)
    figures.dataframe(
        programmes.rename(columns={"unit_name": "Enhed", "start_date": "Start"})[["Enhed", "Start"]],
        empty="Ingen mentorforløb registreret.",
        hide_index=True,
    )
