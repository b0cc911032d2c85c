"""The web server: Streamlit's ASGI host (st.App) running app.py, plus our route that sets the login cookie.

Started by `python -m trivsel.web` (`make run`), which passes it to `streamlit run`.
"""

import streamlit as st

from trivsel.ui import login_cookie

app = st.App("app.py", routes=login_cookie.ROUTES)
