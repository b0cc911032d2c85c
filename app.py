"""Entry point: who is logged in decides the navigation. Each page checks its own access too."""

import streamlit as st

from trivsel.roles import role_label
from trivsel.ui import navigation
from trivsel.ui.session import current_identity, get_store, hand_over_cookie, sign_out
from trivsel.ui.text import escape_markdown

st.set_page_config(page_title="Trivsel", page_icon=navigation.FAVICON, layout="wide")
get_store()  # opens and migrates the database, or shows why it cannot
identity = current_identity()
page = navigation.build(identity)
if identity is not None:
    with st.sidebar:
        st.caption(f"Logget ind som {escape_markdown(identity.username)} ({role_label(identity.role)})")
        if st.button("Log ud", icon=":material/logout:"):
            sign_out()
            st.switch_page(navigation.LOGIN.script)
        hand_over_cookie()
page.run()
