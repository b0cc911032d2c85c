"""Start the web app: `streamlit run asgi.py` (app.py plus our login-cookie route, see asgi.py) with
Streamlit's page router set up before any visitor.

The screens live in `pages/`, which Streamlit also takes as the sign of its old multipage layout
until a script has called st.navigation once. Until then the very first visitor of a sub-page (after
a nightly restart, usually a member of staff opening a unit link) was routed by file name and got an
English "Page not found" box above the right page (streamlit/streamlit#9992). app.py always routes
with st.navigation, so the old layout is switched off here, in the server process, before it starts.

The modules the pages import are imported here too, before the server listens: otherwise the first
visitor after a start waited about half a second for them.
"""

from __future__ import annotations

import ast
import importlib
import sys
from pathlib import Path

ROOT = Path(__file__).parents[2]
SERVER = ROOT / "asgi.py"


def page_modules() -> list[str]:
    """Every module app.py and the pages import (a name taken from a package may be a module of its own)."""
    names = set()
    for script in [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]:
        for node in ast.walk(ast.parse(script.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module)
                names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return sorted(names)


def warm_up() -> None:
    """Import what the pages import, as their first run would."""
    for name in page_modules():
        try:
            importlib.import_module(name)
        except ModuleNotFoundError:  # a function or class taken from a module, not a module
            if name.rpartition(".")[0] not in sys.modules:
                raise


def main(argv: list[str] | None = None) -> None:
    from streamlit.runtime.pages_manager import PagesManager

    from trivsel import config

    try:  # a bad value stops the start, rather than every absence page once it is running
        config.milestones()
    except ValueError as exc:
        print(f"Fejl: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    from streamlit.web import cli

    warm_up()
    PagesManager.uses_pages_directory = False
    sys.argv = ["streamlit", "run", str(SERVER), *(sys.argv[1:] if argv is None else argv)]
    cli.main()


if __name__ == "__main__":
    main()
