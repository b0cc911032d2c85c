"""The server start (`python -m trivsel.web`)."""

import subprocess
import sys
from pathlib import Path

from trivsel import web

ROOT = Path(__file__).parents[1]
# Some of what the pages import, each in a different way: `from trivsel.ui import figures`, `from
# trivsel.views import lifecycle as view`, `import plotly.graph_objects as go`, `from trivsel.ui.session import ...`.
NEEDED = ["trivsel.ui.figures", "trivsel.views.lifecycle", "plotly.graph_objects", "trivsel.ui.session"]


def test_the_server_imports_what_every_page_needs_before_the_first_visitor():
    # Otherwise the first visitor after a start waited half a second while the pages' modules loaded.
    assert set(NEEDED) <= set(web.page_modules())
    check = f"import sys; from trivsel import web; web.warm_up(); print(sorted(set({NEEDED!r}) - set(sys.modules)))"
    missing = subprocess.run([sys.executable, "-c", check], cwd=ROOT, capture_output=True, text=True, check=True)
    assert missing.stdout.strip() == "[]"
