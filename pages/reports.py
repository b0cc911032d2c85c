"""Rapporter (trivselskonsulent, admin): the follow-up report for the trivselsteam, the baseline against a later
round and period for the whole welfare area and each area, as a PDF or PowerPoint slides."""

from datetime import date

import streamlit as st

from trivsel.reports import followup
from trivsel.reports.unit import ReportError
from trivsel.supervision import requests
from trivsel.ui import dashboard as controls
from trivsel.ui import navigation, periods
from trivsel.ui.report_download import followup_report_buttons
from trivsel.ui.session import get_store, survey_catalog
from trivsel.ui.text import empty_state, error
from trivsel.views import dashboard

identity = navigation.require("reports")
store = get_store()
today = date.today()
survey = controls.trivsel_survey()
st.title(navigation.BY_KEY["reports"].title)
st.subheader("Opfølgning på trivselsteamet", anchor=False)
st.caption(
    "Basis mod en senere runde og periode for hele velfærdsområdet og hvert område: sygefravær, sygedage pr. "
    "fuldtidsansat, lange sygeperioder, 1-5-14-samtaler, WHO-5, eNPS, svarprocent og supervision. En side med "
    "sammenfatningen, derefter et diagram pr. mål. Tal, som for få står bag, vises ikke, som på de andre sider."
)

closed = [r for r in dashboard.dated_rounds(store, survey) if r.results_released(today)]
if len(closed) < 2:
    empty_state("Opfølgningen kræver to lukkede runder: en basisrunde og en senere runde.", ":material/schedule:")
    st.stop()
by_id = {r.round_id: r for r in closed}
label = {r.round_id: r.label for r in closed}
default_base = next((r for r in closed if r.is_baseline), closed[0])
later = [r.round_id for r in reversed(closed) if r.round_id != default_base.round_id]
months = periods.whole_months(today)
last_month = periods.last_whole_month_end(today)

with st.container(border=True):
    left, right = st.columns(2)
    base_id = left.selectbox(
        "Basisrunde",
        list(by_id),
        index=list(by_id).index(default_base.round_id),
        format_func=label.get,
        key="report_baseline_round",
    )
    round_id = right.selectbox("Opfølgningsrunde", later, format_func=label.get, key="report_round")
    baseline_period = periods.month_range(
        "Basisperiode", "report_baseline_period", months, (followup.BASELINE_PERIOD[0], date(2023, 6, 1))
    )
    period = periods.month_range(
        "Opfølgningsperiode",
        "report_period",
        months,
        (date(today.year - 1, today.month, 1), last_month.replace(day=1)),
    )
    st.caption("Fravær og supervision tælles i hele kalendermåneder, der er slut.")

baseline, rnd = by_id[base_id], by_id[round_id]
try:
    catalog = survey_catalog()
    report = followup.gather(
        store, survey, catalog[requests.SURVEY_ID], baseline, rnd, baseline_period, period, today,
        followup.lifecycle_surveys(catalog),
    )  # fmt: skip
except ReportError as exc:
    error(str(exc))
    st.stop()
followup_report_buttons(store, identity, report, followup.parameters(survey, baseline, rnd, baseline_period, period))
st.caption("Hver rapport, der hentes, skrives i revisionsloggen med runder og perioder.")
