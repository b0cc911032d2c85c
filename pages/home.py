"""Forside: who you are, what you can reach."""

import streamlit as st

from trivsel import org
from trivsel.roles import role_label
from trivsel.ui import navigation
from trivsel.ui.session import get_store

identity = navigation.require("home")
st.title("Forside")
st.text(f"Du er logget ind som {identity.username} med rollen {role_label(identity.role)}.")
visible = org.visible_units(get_store(), identity.scope)
if len(visible) and visible["depth"].iloc[0] > 0:  # a leader of a unit below the top sees only that part of the tree
    st.text(f"Du ser data for {visible['unit_name'].iloc[0]} og enhederne under den.")

others = [spec for spec in navigation.visible_pages(identity.role) if spec.key != "home"]
if others:
    st.subheader("Dine sider")
    for spec in others:
        st.page_link(spec.script, label=spec.title, icon=spec.icon)
