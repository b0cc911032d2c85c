"""Hardening: Streamlit's protections stay on, secrets stay out of the repository, user text stays text."""

import subprocess
import tomllib
from pathlib import Path

from streamlit.testing.v1 import AppTest

from trivsel import auth
from trivsel.surveys import rounds
from trivsel.ui.session import TOKEN_KEY

ROOT = Path(__file__).parents[1]
PAYLOADS = [
    "**fed** _kursiv_ [klik](javascript:alert(1))",
    "<script>alert('x')</script>",
    "<img src=x onerror=alert(1)>",
    '=HYPERLINK("http://evil")',
]


def test_streamlit_keeps_xsrf_protection_and_an_upload_limit():
    settings = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert settings["server"].get("enableXsrfProtection", True) is True
    assert settings["server"].get("enableCORS", True) is True
    assert settings["server"]["maxUploadSize"] <= 50
    assert settings["client"]["showErrorDetails"] == "none"  # no tracebacks with data for users


def test_secrets_never_enter_the_repository():
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert ".streamlit/secrets.toml" in ignored and "data/*.duckdb" in ignored
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    assert not [f for f in tracked if f.endswith(("secrets.toml", ".duckdb"))]


def test_comments_with_markdown_and_html_are_shown_as_plain_text(demo_db, demo_store, monkeypatch):
    monkeypatch.setenv("TRIVSEL_DB", str(demo_db))
    rnd = next(r for r in rounds.all_rounds(demo_store) if r.label == "Forår 2025")
    # Give every existing answer in Familiehuset one of the payloads as its comment.
    ids = [
        r[0]
        for r in demo_store.query_all(
            "SELECT response_id FROM survey_responses WHERE round_id = ? AND unit_id = 'SOC-FAMH'", [rnd.round_id]
        )
    ]
    assert len(ids) >= 10
    demo_store.write(
        lambda cur: cur.executemany(
            "INSERT OR REPLACE INTO survey_answers VALUES (?, 'comment', NULL, ?)",
            [[rid, PAYLOADS[i % len(PAYLOADS)]] for i, rid in enumerate(ids)],
        )
    )
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state[TOKEN_KEY] = auth.start_session(demo_store, "konsulent")
    at.session_state["dashboard_unit"] = "SOC-FAMH"
    at.switch_page("pages/dashboard_overview.py").run()
    at.selectbox(key="dashboard_round").select(rnd.round_id).run()
    shown = "\n\n".join(t.value for t in at.text)  # the comments come as one plain text, "• " before each
    for payload in PAYLOADS:
        assert f"• {payload}" in shown
    assert not any(p in m.value for m in at.markdown for p in ("<script>", "onerror", "javascript:"))
