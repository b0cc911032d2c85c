"""Målinger: open a survey round for units, print one-time codes, follow the response rate."""

from datetime import date, timedelta

import streamlit as st

from trivsel import exports, org
from trivsel.surveys import rounds
from trivsel.ui import figures, navigation
from trivsel.ui.session import get_store, survey_catalog
from trivsel.ui.text import error
from trivsel.views import surveys as survey_views

identity = navigation.require("rounds")
store = get_store()
today = date.today()
catalog = {k: s for k, s in survey_catalog().items() if s.anonymous}
st.title("Målinger")

existing = rounds.all_rounds(store)
if existing:
    st.dataframe({
        "Måling": [catalog[r.survey_id].title.da if r.survey_id in catalog else r.survey_id for r in existing],
        "Runde": [r.label for r in existing],
        "Status": [rounds.STATUS_LABELS[r.status(today)] for r in existing],
        "Åbner": [r.opens_on for r in existing], "Lukker": [r.closes_on for r in existing],
        "Adgang": [rounds.ACCESS_LABELS[r.access] for r in existing],
        "Basis": ["Ja" if r.is_baseline else "" for r in existing],
    }, hide_index=True, width="stretch")

if "new_round_codes" in st.session_state:
    # Kept until the admin says they are saved: a download can fail, and the codes are never shown again.
    round_label, codes = st.session_state["new_round_codes"]
    st.warning("Engangskoderne kan kun hentes nu. Hent dem og print dem, før du forlader siden.",
               icon=":material/key:")
    printable = codes.rename(columns={"unit_id": "Enheds-id", "unit_name": "Enhed", "code": "Kode"})
    download, saved = st.columns(2)
    figures.audited_download("Hent koder til print (CSV)", lambda: exports.to_csv(printable), container=download,
                             store=store, actor=identity.username, what="one_time_codes",
                             parameters={"round": round_label}, rows=len(printable),
                             file_name="engangskoder.csv", mime="text/csv", type="primary")
    if saved.button("Jeg har gemt koderne", icon=":material/check:"):
        del st.session_state["new_round_codes"]
        st.rerun()

with st.expander("Ny runde", icon=":material/add:", expanded=not existing):
    units = org.units(store)
    names = dict(zip(units["unit_id"], units["unit_name"]))
    with st.form("new_round"):
        survey_id = st.selectbox("Spørgeskema", list(catalog), format_func=lambda k: catalog[k].title.da)
        label = st.text_input("Navn på runden", placeholder="Efterår 2026")
        opens, closes = st.columns(2)
        opens_on = opens.date_input("Åbner", today, format="DD-MM-YYYY")
        closes_on = closes.date_input("Lukker", today + timedelta(days=21), format="DD-MM-YYYY")
        chosen = st.multiselect("Enheder", list(names), default=list(names), format_func=names.get,
                                placeholder="Vælg enheder")
        access = st.radio("Adgang", ["link", "code"], format_func=rounds.ACCESS_LABELS.get, horizontal=True,
                          help="Link: alle i enheden bruger samme link. Engangskoder: én kode pr. ansat, "
                               "så hver kan svare én gang og gemme undervejs.")
        st.caption("Et enhedslink stoler på dem, der har linket: en enhed kan højst få lige så mange svar, som den "
                   "havde ansatte, men den, der har linket, kan svare flere gange inden for det loft. Vælg "
                   "engangskoder, når den tillid ikke er der.")
        baseline = st.checkbox("Brug som basisrunde ved sammenligninger")
        if st.form_submit_button("Opret runde", type="primary"):
            try:
                created, new_codes = rounds.create_round(store, catalog[survey_id], label, opens_on, closes_on,
                                                         chosen, access, identity.username, baseline)
            except rounds.RoundError as exc:
                error(str(exc))
            else:
                if len(new_codes):
                    st.session_state["new_round_codes"] = (created.label, new_codes)
                st.rerun()

live = [r for r in existing if r.access != "historical"]
if live:
    st.subheader("Svarprocent")
    chosen_round = st.selectbox("Runde", live, format_func=lambda r: f"{r.label} ({rounds.STATUS_LABELS[r.status(today)]})")
    rates = survey_views.response_rates(store, chosen_round)
    low = rates.table["rate_pct"].lt(50).fillna(False)
    st.caption(f"Svar i forhold til ansatte, da runden åbnede. {int(low.sum())} enheder er under 50 %. "
               f"Enheder med {rates.hidden_label()} vises ikke.")
    shown = figures.table(rates, {"unit_name": "Enhed"}, {
        "persons_at_start": ("Ansatte", 0), "responses": ("Svar", 0), "rate_pct": ("Svarprocent", 0)})
    st.dataframe(shown.style.apply(lambda _: ["background-color: #fde8e8" if x else "" for x in low], axis=0,
                                   subset=["Svarprocent"]), hide_index=True, width="stretch")
    full = rounds.units_at_headcount(store, chosen_round.round_id)
    if full:
        st.warning(f"{len(full)} enheder har fået lige så mange svar, som de havde ansatte, og tager ikke flere "
                   "svar. Er det ikke sandsynligt, kan nogen have svaret flere gange via linket:",
                   icon=":material/group_off:")
        st.dataframe({"Enhed": [org.unit_name(store, u) for u in full]}, hide_index=True)
    if chosen_round.status(today) == "aaben":  # markdown-safe: Round.status, not a page helper of that name
        st.caption(chosen_round.release_note())
        sure = st.checkbox("Jeg vil lukke runden før tid. Der kan ikke svares mere, og resultaterne vises fra nu af.",
                           key=f"close_{chosen_round.round_id}")
        if st.button("Luk runden nu", icon=":material/lock:", disabled=not sure):
            rounds.close_round(store, chosen_round, today, identity.username)
            st.rerun()
