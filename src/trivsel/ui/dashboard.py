"""Controls shared by the trivsel dashboards: the round, the baseline and the unit drill-down."""

from __future__ import annotations

from datetime import date

import streamlit as st

from trivsel import org
from trivsel.auth import Identity
from trivsel.disclosure import Protected
from trivsel.store import Store
from trivsel.surveys import rounds
from trivsel.surveys.definitions import Survey
from trivsel.ui import figures, navigation
from trivsel.ui.session import survey_catalog
from trivsel.ui.text import empty_state, escape_markdown
from trivsel.views import dashboard

UNIT_KEY = "dashboard_unit"
CIVIDIS = "Cividis"  # readable with the common colour-vision deficiencies


def trivsel_survey() -> Survey:
    return survey_catalog()["trivsel"]


NO_UNITS = "Der er ingen enheder endnu. Administratoren importerer dem under Import."


def scope_rounds(store: Store, survey: Survey, identity: Identity) -> list[rounds.Round]:
    """The survey's rounds that asked the units the user may see, oldest first; stops the page, saying why, when
    there are none (a leader sees only rounds that asked the own unit or units under it)."""
    visible = org.visible_units(store, identity.scope)
    if visible.empty:
        empty_state(NO_UNITS)
        st.stop()
    found = dashboard.covering(store, dashboard.dated_rounds(store, survey), visible["unit_id"].iloc[0])
    if not found:
        if identity.role in navigation.BY_KEY["rounds"].roles:
            empty_state("Der er ingen runder endnu. Opret en under Målinger.", ":material/event_busy:")
        else:
            empty_state(
                "Din enhed har ikke været med i nogen runde endnu. Trivselskonsulenten opretter runderne.",
                ":material/event_busy:",
            )
        st.stop()
    return found


def stop_unless_any_released(found: list[rounds.Round]) -> None:
    """Before any round has closed there are no results at all: say when the first one comes."""
    today = date.today()
    if not any(r.results_released(today) for r in found):
        release_notice(min((r for r in found if r.closes_on), key=lambda r: r.closes_on), rates_shown=False)
        st.stop()


def choose_rounds(store: Store, survey: Survey, identity: Identity, with_baseline: bool = True):
    """Round and baseline pickers; stops the page when there is no round yet."""
    found = scope_rounds(store, survey, identity)
    today = date.today()
    label = {r.round_id: f"{r.label} ({rounds.STATUS_LABELS[r.status(today)]})" for r in found}
    by_id = {r.round_id: r for r in found}
    newest_first = list(reversed(by_id))
    # Open on the newest round with results: an open round shows only its response rate.
    with_results = [i for i in newest_first if by_id[i].results_released(today)]
    left, right = st.columns(2)
    chosen = left.selectbox(
        "Runde",
        newest_first,
        index=newest_first.index(with_results[0]) if with_results else 0,
        format_func=label.get,
        key="dashboard_round",
    )
    baseline = None
    if with_baseline:
        default = next((r.round_id for r in found if r.is_baseline), found[0].round_id)
        options = list(by_id)
        baseline_id = right.selectbox(
            "Sammenlign med", options, index=options.index(default), format_func=label.get, key="dashboard_baseline"
        )
        baseline = by_id[baseline_id]
    return by_id[chosen], baseline


def release_notice(rnd: rounds.Round, rates_shown: bool = True) -> None:
    """Why an open or planned round has no results, and when they come."""
    text = f"Ingen resultater endnu – runden lukker {rnd.closes_on:%d-%m-%Y}. {rnd.release_note()}"
    empty_state(text + (" Indtil da vises kun svarprocenten." if rates_shown else ""), ":material/schedule:")


def response_rate_table(rates: Protected) -> None:
    """Responses against headcount per unit, the units under 50 % marked; one line instead when all are hidden."""
    if figures.all_hidden(rates):
        empty_state(
            f"Svarprocenten vises kun for enheder med mindst {rates.threshold:d} ansatte; "
            "her er den skjult for alle enheder.",
            ":material/visibility_off:",
        )
        return
    low = rates.table["rate_pct"].lt(50).fillna(False).tolist()
    shown = figures.table(
        rates,
        {"unit_name": "Enhed"},
        {"persons_at_start": ("Ansatte", 0), "responses": ("Svar", 0), "rate_pct": ("Svarprocent", 0)},
    )
    st.dataframe(
        shown.style.apply(lambda _: ["background-color: #fde8e8" if x else "" for x in low], subset=["Svarprocent"]),
        hide_index=True,
        width="stretch",
    )
    marked = f"{sum(low)} enheder under 50 % er markeret" if any(low) else "Ingen af enhederne er under 50 %"
    st.caption(
        f"Svar i forhold til ansatte, da runden åbnede. {marked}. Enheder med {rates.hidden_label()} vises ikke."
    )


def stop_unless_covered(store: Store, rnd: rounds.Round, unit_id: str) -> None:
    """A unit the round did not ask has no figures: say so rather than draw empty tables."""
    if not dashboard.covers(store, rnd, unit_id):
        empty_state("Enheden var ikke med i denne runde. Vælg en anden runde eller enhed.")
        st.stop()


def stop_unless_released(rnd: rounds.Round) -> None:
    """Results wait until the round has closed; say so and end the page."""
    if not rnd.results_released(date.today()):
        release_notice(rnd, rates_shown=False)
        st.stop()


def drill_down(store: Store, identity: Identity) -> str:
    """Breadcrumb from the top of what the user may see to the current unit, and a picker for its children."""
    units = org.visible_units(store, identity.scope).set_index("unit_id")
    if units.empty:
        empty_state(NO_UNITS)
        st.stop()
    root = units.index[0]
    current = st.session_state.get(UNIT_KEY, root)
    if current not in units.index:
        current = root
    path = [current]
    while path[-1] != root:
        path.append(units.at[path[-1], "parent_id"])
    crumbs = st.columns(len(path) + 1)
    for column, unit_id in zip(crumbs, reversed(path)):
        if column.button(
            escape_markdown(units.at[unit_id, "unit_name"]),
            key=f"crumb_{unit_id}",
            type="tertiary",
            icon=":material/chevron_right:",
        ):
            st.session_state[UNIT_KEY] = unit_id
            st.rerun()
    children = units[units["parent_id"] == current]
    if len(children):
        picked = st.selectbox(
            "Gå ned til",
            list(children.index),
            index=None,
            placeholder="Vælg en underenhed …",
            format_func=lambda u: units.at[u, "unit_name"],
            key=f"down_{current}",
        )
        if picked:
            st.session_state[UNIT_KEY] = picked
            st.rerun()
    return current
