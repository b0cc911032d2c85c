"""Trivsel – overblik: headline figures against the baseline, units, response rate, WHO-5, comments, action plans."""

from datetime import date

import streamlit as st

from trivsel import org, settings
from trivsel.reports import charts
from trivsel.roles import AMR
from trivsel.surveys import actions
from trivsel.ui import dashboard as controls
from trivsel.ui import figures, navigation
from trivsel.ui.report_download import unit_report_button
from trivsel.ui.session import get_store
from trivsel.ui.text import empty_state, error, escape_markdown, flash, show_flash
from trivsel.views import dashboard
from trivsel.views import surveys as survey_views

identity = navigation.require("dashboard_overview")
store = get_store()
today = date.today()
survey = controls.trivsel_survey()
st.title("Trivsel – overblik")
show_flash()
rnd, baseline = controls.choose_rounds(store, survey, identity)
unit_id = controls.drill_down(store, identity)
st.subheader(escape_markdown(org.unit_name(store, unit_id)), anchor=False)

controls.stop_unless_covered(store, rnd, unit_id)
released = rnd.results_released(today)
if not released:
    controls.release_notice(rnd)
if rnd.status(today) == "aaben":
    st.subheader("Svarprocent, mens runden er åben")
    controls.response_rate_table(dashboard.response_rates(store, rnd, unit_id))
if not released:
    st.stop()
unit_report_button(store, identity, survey, rnd, baseline, unit_id, today)


def show_cards() -> None:
    cards, hidden = dashboard.headline(store, survey, rnd, baseline, unit_id, today)
    for column, card in zip(st.columns(len(cards)), cards):
        if card.hidden:
            figures.hidden_metric(column, card.label, f"{hidden} svar")
            continue
        decimals = 1 if card.unit != "%" or card.key == "absence" else 0
        value = "–" if card.value is None else figures.danish_number(card.value, decimals) + (" %" if card.unit else "")
        delta, colour, arrow = None, "inverse" if card.key in ("who5_below_50", "absence") else "normal", "auto"
        if card.value is not None and card.baseline is not None:  # a change in points, never a bare number
            change = round(card.value - card.baseline, 1)
            delta = figures.signed_number(change, 1) + " point"
            if change == 0:  # a change that rounds away is no rise: grey, without an arrow
                delta, colour, arrow = "±0,0 point", "off", "off"
        column.metric(card.label, value, delta, delta_color=colour, delta_arrow=arrow)
    if any(card.hidden for card in cards):
        st.caption(f"Skjult: {hidden} svar, eller tallet kunne regnes ud af andre tal.")
    st.caption(
        f"Ændring i forhold til {escape_markdown(baseline.label)}. "
        "Sygefravær er de 12 hele kalendermåneder før den måned, runden lukker i."
    )


def show_notes() -> None:
    """The unit's action plan for the round: it can be written even when no figure is shown."""
    st.subheader("Handleplan")
    notes = dashboard.notes(store, rnd, unit_id)
    figures.dataframe(
        notes.drop(columns=["note_id", "unit_id"]).rename(
            columns={
                "unit_name": "Enhed",
                "what": "Hvad",
                "owner": "Hvem",
                "due_on": "Hvornår",
                "status": "Status",
                "updated_on": "Opdateret",
            }
        ),
        empty="Der er ingen aftaler i handleplanen endnu.",
    )
    figures.download_buttons(
        store,
        identity.username,
        "action_notes",
        {"round": rnd.label, "unit": unit_id},
        notes.drop(columns=["note_id"]),
        f"handleplan_{unit_id}",
    )
    if identity.role == AMR:  # reads the plan; the leader writes it
        return
    with st.form("note", clear_on_submit=True):
        st.write("Ny aftale")
        what = st.text_area("Hvad har I aftalt?", max_chars=actions.MAX_LENGTH)
        owner_col, due_col = st.columns(2)
        owner = owner_col.text_input("Hvem har ansvaret?", max_chars=100)
        due = due_col.date_input("Hvornår?", None, format="DD-MM-YYYY")
        if st.form_submit_button("Gem aftale", type="primary"):
            try:
                actions.add(
                    store,
                    rnd.round_id,
                    unit_id,
                    what,
                    owner,
                    due,
                    identity.username,
                    identity.scope,
                    role=identity.role,
                )
            except actions.ActionError as exc:
                error(str(exc))
            else:
                flash("Aftalen er gemt.")
    if len(notes):
        with st.form("note_status"):
            note = st.selectbox(
                "Opdatér status", notes["note_id"], format_func=dict(zip(notes["note_id"], notes["what"])).get
            )
            status = st.radio("Status", list(actions.STATUSES), format_func=actions.STATUSES.get, horizontal=True)
            if st.form_submit_button("Opdatér"):
                try:
                    actions.set_status(store, note, status, identity.username, identity.scope, role=identity.role)
                except actions.ActionError as exc:
                    error(str(exc))
                else:
                    flash("Status er opdateret.")


summary = survey_views.summary(store, survey, rnd, today)
table = summary.subset((summary.table["unit_id"] == unit_id) | (summary.table["parent_id"] == unit_id))
if figures.all_hidden(table.subset(table.table["unit_id"] == unit_id)):
    empty_state(
        f"Ingen resultater for enheden i denne runde: den har {summary.hidden_label()}, eller tallene kunne "
        "regnes ud af andre tal. Vælg en anden runde eller en større enhed.",
        ":material/visibility_off:",
    )
    show_notes()
    st.stop()
show_cards()
wide = figures.table(
    table, {"unit_name": "Enhed", "measure": "Mål"}, {"respondents": ("Svar", 0), "score": ("Score", 1)}
)
wide["Mål"] = table.table["measure"].map(lambda m: dashboard.measure_label(survey, m)).values
st.subheader("Enhederne under")
pivot = wide.pivot_table(index="Enhed", columns="Mål", values="Score", aggfunc="first", sort=False)
figures.dataframe(pivot, hide_index=False)
figures.download_buttons(
    store,
    identity.username,
    "survey_summary",
    {"round": rnd.label, "unit": unit_id},
    survey_views.export_table(table, survey),
    f"trivsel_{unit_id}",
)

st.subheader("WHO-5: fordeling og gennemsnit")
bands = dashboard.who5_bands(store, survey, rnd, unit_id, today)
figures.plotly_chart(charts.who5(bands))
st.caption(
    f"Enheder med {summary.hidden_label()} er tomme. 28 eller under tyder på depression; under 50 er dårlig trivsel."
)

st.subheader("Kommentarer")
comments = survey_views.comments(store, survey, rnd, unit_id, today)
if comments is None:
    st.info(
        f"Kommentarer vises kun, når mindst {settings.get(store, 'threshold.comments'):d} i gruppen har skrevet "
        "en, og de ikke kan findes ved at sammenligne med andre enheders kommentarer.",
        icon=":material/visibility_off:",
    )
else:
    with st.expander(f"{len(comments)} kommentarer (tilfældig rækkefølge, fornavne fjernet)"):
        # One plain text, not one element per comment: a whole municipality's thousands took the browser seconds.
        st.text("\n\n".join(f"• {comment}" for comment in comments))

show_notes()
