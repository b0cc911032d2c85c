"""The unit poster download shared by Min enhed and Organisation."""

from __future__ import annotations

import re
from datetime import date

import streamlit as st

from trivsel import posters
from trivsel.store import Store
from trivsel.ui import figures
from trivsel.ui.text import error, escape_markdown

LABEL = "Hent plakat med QR-kode (PDF)"


def unit_poster(store: Store, actor: str, names: dict[str, str], today: date) -> None:
    """Pick one of `names` (unit id -> name) and download its A4 poster. The download is audited with the
    unit and round, never the link: the link is the unit's key."""
    if not names:
        return
    unit_id = st.selectbox("Plakat til enheden", list(names), format_func=names.get, key="poster_unit")
    try:
        poster = posters.unit_poster(store, unit_id, today)
    except posters.PosterError as exc:
        error(str(exc))
        return
    if poster.round_label:
        st.caption(escape_markdown(f"Plakaten nævner runden '{poster.round_label}': {poster.round_line()}."))
    else:
        st.caption(
            "Enheden er ikke med i en åben runde med enhedens link lige nu; plakaten viser enheden og "
            "QR-koden til linket."
        )
    figures.audited_download(
        LABEL,
        lambda: posters.pdf([poster]),
        store=store,
        actor=actor,
        what="poster",
        parameters={"unit": unit_id, "round": poster.round_label},
        rows=1,
        file_name=f"plakat-{re.sub(r'[^A-Za-z0-9_-]', '_', unit_id)}.pdf",
        mime="application/pdf",
        key="poster_download",
    )
