"""Min enhed: the leader's units, the staff links to hand out (also as posters with a QR code) and the due
lifecycle letters."""

from datetime import date

import streamlit as st

from trivsel import org
from trivsel.lifecycle import events
from trivsel.ui import kiosk, lifecycle, navigation, poster_download, tables
from trivsel.ui.session import get_store

identity = navigation.require("my_unit")
store = get_store()
st.title("Min enhed")
mine = org.visible_units(store, identity.scope)
st.subheader("Enheder under dig")
st.dataframe(tables.unit_tree(mine), hide_index=True, width="stretch")
st.subheader("Links til medarbejdere")
st.write(
    "Del linket med medarbejderne i enheden, fx som plakat med QR-kode i personalestuen. "
    "Linket giver kun adgang til enhedens spørgeskemaer, ikke til resultater."
)
links = org.staff_links(store)
links = links[links["unit_id"].isin(mine["unit_id"])]
st.dataframe(
    links[["unit_name", "link"]].rename(columns={"unit_name": "Enhed", "link": "Link"}),
    hide_index=True,
    width="stretch",
    column_config={"Link": st.column_config.LinkColumn()},
)
poster_download.unit_poster(store, identity.username, dict(zip(mine["unit_id"], mine["unit_name"])), date.today())
kiosk.offer(links)

st.subheader("Breve til livsforløb")
st.write(
    "Breve med en engangskode til nye medarbejdere efter 3 måneder, til medarbejdere, der stopper, og til "
    "elever og studerende i praktikkens sidste uge. Giv brevet til personen. Du ser kun, hvilke breve der skal "
    "laves, aldrig svarene."
)
lifecycle.due_letters(events.letters_for_leader(store, identity.scope, date.today()), identity.username, date.today())
