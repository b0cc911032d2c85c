"""Revisionslog (admin): who exported, imported or changed what, and when."""

import streamlit as st

from trivsel import audit, exports
from trivsel.ui import figures, navigation, tables
from trivsel.ui.session import get_store

identity = navigation.require("audit_log")
store = get_store()
st.title("Revisionslog")
st.write("Loggen kan ikke ændres fra appen. Den slettes kun efter opbevaringsperioden under Indstillinger.")
log = audit.recent(store, limit=5000)
actions = sorted(log["action"].unique(), key=audit.action_label)
chosen = st.multiselect(
    "Vis kun handlinger", actions, format_func=audit.action_label, placeholder="Alle handlinger vises", select_all=False
)
shown = log[log["action"].isin(chosen)] if chosen else log
figures.dataframe(tables.audit_entries(shown), empty="Ingen handlinger i loggen.")
# The file keeps the recorded keys and details as written, for whoever checks the log by program.
recorded = shown.rename(
    columns={"logged_at": "Tidspunkt", "actor": "Hvem", "action": "Handling", "details": "Detaljer"}
)
figures.audited_download(
    "Hent som CSV",
    lambda: exports.to_csv(recorded),
    store=store,
    actor=identity.username,
    what="audit_log",
    parameters={"actions": chosen},
    rows=len(recorded),
    file_name="revisionslog.csv",
    mime="text/csv",
)
