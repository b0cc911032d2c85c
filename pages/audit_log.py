"""Revisionslog (admin): who exported, imported or changed what, and when."""

import streamlit as st

from trivsel import audit, exports
from trivsel.ui import figures, navigation
from trivsel.ui.session import get_store

identity = navigation.require("audit_log")
store = get_store()
st.title("Revisionslog")
st.write("Loggen kan ikke ændres fra appen. Den slettes kun efter opbevaringsperioden under Indstillinger.")
log = audit.recent(store, limit=5000)
actions = sorted(log["action"].unique())
chosen = st.multiselect("Vis kun handlinger", actions, placeholder="Alle handlinger vises")
shown = log[log["action"].isin(chosen)] if chosen else log
table = shown.rename(columns={"logged_at": "Tidspunkt", "actor": "Hvem", "action": "Handling", "details": "Detaljer"})
st.dataframe(table, hide_index=True, width="stretch")
figures.audited_download("Hent som CSV", lambda: exports.to_csv(table), store=store, actor=identity.username,
                         what="audit_log", parameters={"actions": chosen}, rows=len(table),
                         file_name="revisionslog.csv", mime="text/csv")
