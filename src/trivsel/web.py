"""Start the web app: `streamlit run asgi.py` (app.py plus our login-cookie route, see asgi.py) with
Streamlit's page router set up before any visitor.

The screens live in `pages/`, which Streamlit also takes as the sign of its old multipage layout
until a script has called st.navigation once. Until then the very first visitor of a sub-page (after
a nightly restart, usually a member of staff opening a unit link) was routed by file name and got an
English "Page not found" box above the right page (streamlit/streamlit#9992). app.py always routes
with st.navigation, so the old layout is switched off here, in the server process, before it starts.
"""

from __future__ import annotations

import sys
from pathlib import Path

SERVER = Path(__file__).parents[2] / "asgi.py"


def main(argv: list[str] | None = None) -> None:
    from streamlit.runtime.pages_manager import PagesManager

    from trivsel import config

    try:  # a bad value stops the start, rather than every absence page once it is running
        config.milestones()
    except ValueError as exc:
        print(f"Fejl: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    from streamlit.web import cli

    PagesManager.uses_pages_directory = False
    sys.argv = ["streamlit", "run", str(SERVER), *(sys.argv[1:] if argv is None else argv)]
    cli.main()


if __name__ == "__main__":
    main()
