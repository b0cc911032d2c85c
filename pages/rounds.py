"""Målinger: open a survey round for units, print one-time codes (a list, or a letter per code) or posters,
follow the response rate, and rename, extend, close or delete a round."""

from datetime import date, timedelta
from functools import partial

import streamlit as st

from trivsel import apv, code_letters, exports, org, posters
from trivsel.surveys import rounds
from trivsel.ui import figures, navigation, survey_translations
from trivsel.ui.dashboard import NO_UNITS, response_rate_table
from trivsel.ui.session import get_store, survey_catalog
from trivsel.ui.text import empty_state, error, flash, show_flash
from trivsel.views import surveys as survey_views

TRIVSEL, APV = "trivsel", apv.SURVEY_ID
CODES_KEY = "new_round_codes"
UNITS_KEY, UNITS_BEFORE_KEY = "new_round_units", "new_round_units_before"
ROUND_KEY, NEXT_ROUND_KEY = "chosen_round", "round_to_show"

identity = navigation.require("rounds")
store = get_store()
today = date.today()
catalog = {k: s for k, s in survey_catalog().items() if s.anonymous}
st.title("Målinger")
show_flash()


def day(value: date | None) -> str:
    return "" if value is None else f"{value:%d-%m-%Y}"


def unit_labels() -> dict[str, str]:
    """'Overenhed › Enhed' for each unit, in tree order (the top two levels by their own name): short enough
    for a chip, and typing a centre's name finds it and its departments."""
    tree = org.units(store)
    names = dict(zip(tree["unit_id"], tree["unit_name"]))
    return {
        unit_id: f"{names[parent]} › {name}" if depth > 1 else name
        for unit_id, name, parent, depth in tree[["unit_id", "unit_name", "parent_id", "depth"]].itertuples(index=False)
    }


labels = unit_labels()


def units_text(count: int) -> str:
    return "1 enhed" if count == 1 else f"{count} enheder"


def done(message: str, round_id: str) -> None:
    """Show the message and this round after the rerun. The picker is set again even when the round stays the
    same: the browser keeps the label it showed, and a renamed or closed round has a new one."""
    st.session_state[NEXT_ROUND_KEY] = round_id
    flash(message)


def add_subtrees() -> None:
    """Choosing a unit chooses everything under it; a unit taken out again stays out."""
    wanted = set(st.session_state[UNITS_KEY])
    for unit_id in wanted - set(st.session_state.get(UNITS_BEFORE_KEY, [])):
        wanted.update(org.subtree_ids(store, unit_id))
    st.session_state[UNITS_KEY] = [u for u in labels if u in wanted]


existing = rounds.all_rounds(store)
if existing:
    st.dataframe(
        {
            "Måling": [catalog[r.survey_id].title.da if r.survey_id in catalog else r.survey_id for r in existing],
            "Runde": [r.label for r in existing],
            "Status": [rounds.STATUS_LABELS[r.status(today)] for r in existing],
            "Åbner": [day(r.opens_on) for r in existing],
            "Lukker": [day(r.closes_on) for r in existing],
            "Adgang": [rounds.ACCESS_LABELS[r.access] for r in existing],
            "Basis": ["Ja" if r.is_baseline else "" for r in existing],
        },
        hide_index=True,
        width="stretch",
    )

codes_round = None
if CODES_KEY in st.session_state:
    codes_round = next((r for r in existing if r.round_id == st.session_state[CODES_KEY][0]), None)
    if codes_round is None:  # deleted in another session: its codes open nothing
        del st.session_state[CODES_KEY]
if codes_round:
    # Kept until the admin says they are saved: a download can fail, and the codes are never shown again.
    # The round as it is now: a name or close date changed since it was created is what the letters print.
    codes = st.session_state[CODES_KEY][2]
    st.warning(
        "Engangskoderne kan kun hentes nu. Hent dem som liste eller som breve med én kode pr. side, og print "
        "dem, før du forlader siden.",
        icon=":material/key:",
    )
    printable = codes.rename(columns={"unit_id": "Enheds-id", "unit_name": "Enhed", "code": "Kode"})
    download, letters, saved = st.columns(3)
    figures.audited_download(
        "Hent koder til print (CSV)",
        lambda: exports.to_csv(printable),
        container=download,
        store=store,
        actor=identity.username,
        what="one_time_codes",
        parameters={"round": codes_round.label},
        rows=len(printable),
        file_name="engangskoder.csv",
        mime="text/csv",
        type="primary",
    )
    # audited with the round and the count only: the letters hold the codes, the log must not
    figures.audited_download(
        "Hent breve med koder og QR-kode (PDF)",
        partial(code_letters.pdf, code_letters.round_letters(codes_round, codes, today)),
        container=letters,
        store=store,
        actor=identity.username,
        what="code_letters",
        parameters={"round": codes_round.label},
        rows=len(codes),
        file_name="kodebreve.pdf",
        mime="application/pdf",
    )
    letters.caption(f"Én A4-side pr. kode ({len(codes)} sider) med koden og en QR-kode, der udfylder den.")
    if saved.button("Jeg har gemt koderne", icon=":material/check:"):
        del st.session_state[CODES_KEY]
        st.rerun()

with st.expander("Ny runde", icon=":material/add:", expanded=not existing):
    # No form: choosing a unit must add its subtree, and the overlap warning must show, before the click.
    if not labels:
        empty_state(NO_UNITS)
    survey_ids = list(catalog)
    survey_id = st.selectbox(
        "Spørgeskema",
        survey_ids,
        index=survey_ids.index(TRIVSEL) if TRIVSEL in catalog else 0,
        format_func=lambda k: catalog[k].title.da,
    )
    label = st.text_input("Navn på runden", placeholder="Efterår 2026")
    opens, closes = st.columns(2)
    opens_on = opens.date_input("Åbner", today, format="DD-MM-YYYY")
    closes_on = closes.date_input("Lukker", today + timedelta(days=21), format="DD-MM-YYYY")
    chosen = st.multiselect(
        "Enheder",
        list(labels),
        format_func=labels.get,
        key=UNITS_KEY,
        on_change=add_subtrees,
        placeholder="Vælg enheder",
        select_all=False,
        help="Vælger du en enhed, kommer alle enheder under den med. Du kan tage enkelte ud igen.",
    )
    st.session_state[UNITS_BEFORE_KEY] = chosen  # what the next change is compared with
    if chosen:
        persons = int(org.headcount(store, chosen, opens_on)["persons"].sum())
        chosen_text = f"{units_text(len(chosen))} valgt med {persons} ansatte den {opens_on:%d-%m-%Y}."
        st.caption(chosen_text)  # markdown-safe: a count and a date
    access = st.radio(
        "Adgang",
        ["link", "code"],
        format_func=rounds.ACCESS_LABELS.get,
        horizontal=True,
        help="Link: alle i enheden bruger samme link. Engangskoder: én kode pr. ansat, "
        "så hver kan svare én gang og gemme undervejs.",
    )
    st.caption(
        "Et enhedslink stoler på dem, der har linket: en enhed kan højst få lige så mange svar, som den "
        "havde ansatte, men den, der har linket, kan svare flere gange inden for det loft. Vælg "
        "engangskoder, når den tillid ikke er der."
    )
    baseline = st.checkbox("Brug som basisrunde ved sammenligninger")
    # The APV mapping asked with the trivsel survey: a second round, same units, dates and link; staff go on to
    # it from the thank-you. One-time codes are one per round, so only with the unit link.
    with_apv = (
        survey_id == TRIVSEL
        and APV in catalog
        and access == "link"
        and st.checkbox(
            "Spørg også APV-kortlægningen (samme enheder, datoer og link)",
            help="Opretter en APV-runde ved siden af. Medarbejderne går videre til den fra takkesiden.",
        )
    )
    confirmed = True
    if chosen and closes_on >= opens_on:
        overlaps = rounds.overlapping_rounds(store, survey_id, chosen, opens_on, closes_on, today)
        if len(overlaps):
            st.warning(
                f"{overlaps['unit_id'].nunique():d} af de valgte enheder er allerede med i en åben eller "
                "planlagt runde af samme spørgeskema i perioden. Medarbejderne bliver spurgt to gange, og "
                "enhedens svar deles mellem runderne.",
                icon=":material/warning:",
            )
            for (other, opened, closing), shared in overlaps.groupby(["label", "opens_on", "closes_on"], sort=False):
                st.text(f"{other} ({day(opened)} – {day(closing)}): {len(shared)} af de valgte enheder")
            st.dataframe(
                {"Enhed": [labels[u] for u in overlaps["unit_id"]], "Runde": overlaps["label"].tolist()},
                hide_index=True,
                width="stretch",
            )
            # A new key when the overlaps change, so a yes to other overlaps does not carry over.
            confirmed = st.checkbox(
                "Opret runden alligevel", key=f"overlap_ok_{hash(tuple(zip(overlaps['label'], overlaps['unit_id'])))}"
            )
    if st.button("Opret runde", type="primary", disabled=not confirmed):
        try:
            created, new_codes = rounds.create_round(
                store, catalog[survey_id], label, opens_on, closes_on, chosen, access, identity.username, baseline
            )
            if with_apv:
                try:
                    rounds.create_round(
                        store, catalog[APV], f"{label} – APV", opens_on, closes_on, chosen, access, identity.username
                    )
                except rounds.RoundError:
                    rounds.delete_round(store, created, identity.username)  # both or neither
                    raise
        except rounds.RoundError as exc:
            error(str(exc))
        else:
            if len(new_codes):
                st.session_state[CODES_KEY] = (created.round_id, created.label, new_codes)
            also = f" sammen med APV-runden '{label} – APV'" if with_apv else ""
            done(f"Runden '{created.label}' er oprettet{also} for {units_text(len(chosen))}.", created.round_id)


survey_translations.section(store, identity.username)

if existing:
    by_id = {r.round_id: r for r in existing}
    st.subheader("Runder")
    if NEXT_ROUND_KEY in st.session_state:
        st.session_state[ROUND_KEY] = st.session_state.pop(NEXT_ROUND_KEY)
    # A round deleted meanwhile gets no label, so the picker falls back to the newest round.
    chosen_round = by_id[
        st.selectbox(
            "Runde",
            list(by_id),
            key=ROUND_KEY,
            format_func=lambda r: (
                f"{by_id[r].label} ({rounds.STATUS_LABELS[by_id[r].status(today)]})" if r in by_id else ""
            ),
        )
    ]
    status = chosen_round.status(today)  # markdown-safe: Round.status, not a page helper of that name
    if chosen_round.access != "historical":
        st.markdown("**Svarprocent**")
        response_rate_table(survey_views.response_rates(store, chosen_round))
        full = survey_views.units_at_headcount(store, chosen_round)
        if full:
            st.warning(
                f"{len(full)} enheder har fået lige så mange svar, som de havde ansatte, og tager ikke flere "
                "svar. Er det ikke sandsynligt, kan nogen have svaret flere gange via linket:",
                icon=":material/group_off:",
            )
            st.dataframe({"Enhed": [org.unit_name(store, u) for u in full]}, hide_index=True)

    if chosen_round.access == "link" and status in ("aaben", "planlagt"):
        st.markdown("**Plakater**")
        unit_posters = posters.round_posters(store, chosen_round, today)
        st.caption(
            f"Én A4-side pr. enhed ({len(unit_posters)} enheder) med runden, lukkedatoen og en QR-kode til "
            "enhedens link."
        )
        # partial, not a lambda: the file is made at the click, after other runs may have rebound the names
        figures.audited_download(
            "Hent plakater til alle enheder (PDF)",
            partial(posters.pdf, unit_posters),
            store=store,
            actor=identity.username,
            what="poster",
            parameters={"survey": chosen_round.survey_id, "round": chosen_round.label},
            rows=len(unit_posters),
            file_name="plakater.pdf",
            mime="application/pdf",
        )

    st.markdown("**Ret runden**")
    name_column, button_column = st.columns([3, 1], vertical_alignment="bottom")
    new_label = name_column.text_input("Nyt navn", chosen_round.label, key=f"label_{chosen_round.round_id}")
    if button_column.button("Omdøb", icon=":material/edit:"):
        try:
            rounds.rename_round(store, chosen_round, new_label, identity.username)
        except rounds.RoundError as exc:
            error(str(exc))
        else:
            done(f"Runden hedder nu '{new_label.strip()}'.", chosen_round.round_id)

    if status in ("aaben", "planlagt"):
        later = chosen_round.closes_on + timedelta(days=1)
        date_column, button_column = st.columns([3, 1], vertical_alignment="bottom")
        # The close date is in the key: after an extension the picker starts again from the new one.
        new_close = date_column.date_input(
            "Ny lukkedato",
            later,
            min_value=later,
            format="DD-MM-YYYY",
            key=f"closes_{chosen_round.round_id}_{chosen_round.closes_on}",
        )
        if button_column.button("Forlæng", icon=":material/event:"):
            try:
                rounds.extend_round(store, chosen_round, new_close, today, identity.username)
            except rounds.RoundError as exc:
                error(str(exc))
            else:
                done(f"Runden lukker nu den {new_close:%d-%m-%Y}.", chosen_round.round_id)

    if status == "aaben":
        st.caption(chosen_round.release_note())
        sure = st.checkbox(
            "Jeg vil lukke runden før tid. Der kan ikke svares mere, og resultaterne vises fra nu af.",
            key=f"close_{chosen_round.round_id}",
        )
        if st.button("Luk runden nu", icon=":material/lock:", disabled=not sure):
            rounds.close_round(store, chosen_round, today, identity.username)
            done("Runden er lukket, og resultaterne vises fra nu af.", chosen_round.round_id)

    if rounds.has_answers(store, chosen_round.round_id):
        st.caption(rounds.HAS_ANSWERS)
    else:
        sure = st.checkbox(
            "Jeg vil slette runden med dens enheder, engangskoder og påbegyndte svar.",
            key=f"delete_{chosen_round.round_id}",
        )
        if st.button("Slet runden", icon=":material/delete:", disabled=not sure):
            try:
                rounds.delete_round(store, chosen_round, identity.username)
            except rounds.RoundError as exc:
                error(str(exc))
            else:
                if st.session_state.get(CODES_KEY, (None,))[0] == chosen_round.round_id:
                    del st.session_state[CODES_KEY]  # the printed codes of a deleted round open nothing
                flash(f"Runden '{chosen_round.label}' er slettet.")
