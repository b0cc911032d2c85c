"""Livsforløb on pages: the due letters a leader or the konsulent makes, and pooled results as period columns."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from trivsel import code_letters
from trivsel.disclosure import Protected
from trivsel.lifecycle import events, pools
from trivsel.ui import figures
from trivsel.ui.session import get_store, survey_catalog
from trivsel.ui.text import error

LETTERS_KEY = "lifecycle_letters_pdf"


def due_letters(due: pd.DataFrame, actor: str, today: date) -> None:
    """The due letters as a table, and a button that makes them all as one PDF (kept in this session only)."""
    made = st.session_state.get(LETTERS_KEY)
    if made:
        pdf, count = made
        st.warning(
            # markdown-safe: a number and our own text
            f"{int(count)} breve er lavet. Hent PDF'en nu: koderne gemmes ikke og kan ikke vises igen.",
            icon=":material/warning:",
        )
        left, right = st.columns(2)
        figures.audited_download(
            "Hent brevene (PDF)",
            lambda: pdf,
            container=left,
            store=get_store(),
            actor=actor,
            what="code_letters",
            parameters={"letters": count},
            rows=count,
            file_name="livsforloeb-breve.pdf",
            mime="application/pdf",
            type="primary",
        )
        if right.button("Jeg har gemt brevene", icon=":material/check:"):
            del st.session_state[LETTERS_KEY]
            st.rerun()
    shown = pd.DataFrame(
        {
            "Spørgeskema": due["survey"],
            "Person (id)": due["subject_id"],
            "Enhed": due["unit_name"],
            "Aktuelt til og med": [f"{d:%d-%m-%Y}" for d in due["due_until"]],
        }
    )
    figures.dataframe(shown, empty="Der er ingen breve, der skal laves i dag.", hide_index=True, width="stretch")
    if due.empty:
        return
    st.caption(
        "Brevene er ens for samme spørgeskema: giv hver person et brev til det spørgeskema, der står ud for dem. "
        "Systemet gemmer kun, at brevet er lavet, ikke hvilken kode det havde."
    )
    if st.button(f"Lav {len(due)} breve (PDF)", icon=":material/print:"):
        try:
            letters = pools.make_letters(get_store(), survey_catalog(), due, today, actor)
        except events.LifecycleError as exc:
            error(str(exc))
            return
        st.session_state[LETTERS_KEY] = (code_letters.pdf(letters), len(letters))
        st.rerun()


def _cell(value, suppressed: bool, hidden: str) -> str:
    if suppressed:
        return hidden
    return "–" if pd.isna(value) else f"{value:.0f}"


def by_period(protected: Protected, row_columns: dict[str, str], value: str) -> pd.DataFrame:
    """A protected long table as one column per half-year (newest first), hidden cells saying why."""
    table = protected.table
    hidden = protected.hidden_label()
    if table.empty:
        return pd.DataFrame()
    table = table.assign(shown=[_cell(v, s, hidden) for v, s in zip(table[value], table["suppressed"])])
    periods = list(dict.fromkeys(table.sort_values("period_start", ascending=False)["period"]))
    wide = table.pivot_table(index=list(row_columns), columns="period", values="shown", aggfunc="first", sort=False)
    return wide.reindex(columns=periods).reset_index().rename(columns=row_columns)
