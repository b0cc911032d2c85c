"""Organisation (admin): the unit tree, staff employed today, and the staff links (with posters)."""

from datetime import date

import streamlit as st

from trivsel import org
from trivsel.ui import figures, navigation, poster_download, tables
from trivsel.ui.session import get_store
from trivsel.ui.text import flash, show_flash

identity = navigation.require("organisation")
store = get_store()
st.title("Organisation")
show_flash()
units = org.units(store)
if units.empty:
    st.info("Der er ingen enheder endnu. Importér enhederne under Import.", icon=":material/info:")
    st.stop()

today = date.today()
counts = org.headcount(store, units["unit_id"].tolist(), today).set_index("unit_id")
tree = tables.unit_tree(units)
tree["Ansatte i dag"] = units["unit_id"].map(counts["persons"]).fillna(0).astype(int)
tree["Årsværk i dag"] = units["unit_id"].map(counts["fte"]).fillna(0.0)
st.subheader("Enheder")
st.caption(f"{len(units)} enheder. Tallene tæller kun dem, der er ansat direkte i enheden pr. {today:%d-%m-%Y}.")
figures.dataframe(tree, height=500, decimals=1)

st.subheader("Links til medarbejdere")
st.write(
    "Hver enhed har sit eget link til medarbejdernes spørgeskemaer. "
    "Forny et link, hvis det er delt uden for enheden; det gamle holder straks op med at virke, "
    "også på udskrevne plakater."
)
st.dataframe(
    org.staff_links(store)[["unit_name", "link"]].rename(columns={"unit_name": "Enhed", "link": "Link"}),
    hide_index=True,
    width="stretch",
    column_config={"Link": st.column_config.LinkColumn()},
)
names = dict(zip(units["unit_id"], units["unit_name"]))
poster_download.unit_poster(store, identity.username, names, today)
with st.form("renew_link"):
    unit_id = st.selectbox("Enhed", list(names), format_func=names.get)
    if st.form_submit_button("Forny link"):
        org.renew_staff_link(store, unit_id, actor=identity.username)
        flash(f"Linket til {names[unit_id]} er fornyet.")
