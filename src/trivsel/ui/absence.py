"""What the absence pages show before any absence has been imported."""

from __future__ import annotations

import streamlit as st

from trivsel.absence import measures
from trivsel.store import Store
from trivsel.ui import navigation
from trivsel.ui.text import empty_state


def not_imported(role: str) -> str:
    """Says that no absence is imported yet, and who imports it: the user, when the role may."""
    who = (
        "Importér en lønfil under Import."
        if role in navigation.BY_KEY["imports"].roles
        else "Sygefraværsrådgiveren importerer lønfilen under Import."
    )
    return f"Der er ikke importeret fraværsdata endnu. {who}"


def stop_unless_imported(store: Store, role: str) -> None:
    if not measures.any_imported(store):
        empty_state(not_imported(role), ":material/upload_file:")
        st.stop()
