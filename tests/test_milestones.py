"""The 1-5-14 follow-up days: read once (config.milestones, TRIVSEL_MILESTONES), and the list, the absence
funnel, the spell lengths and the export's reached_dayN columns all follow them."""

import json
from datetime import date
from pathlib import Path

import pytest

from trivsel import config, exports, web
from trivsel.absence import followup
from trivsel.views import absence

ROOT = Path(__file__).parents[1]
YEAR = (date(2025, 1, 1), date(2025, 12, 31))
MONTH_END = date(2026, 10, 31)
DEFAULT_COLUMNS = (  # the documented CSV contract (docs/data-formats.md) with the default days
    "unit_id,unit_name,period_start,period_end,persons,employed_fte_days,absence_fte_days,absence_rate_pct,"
    "spells_started,reached_day5,reached_day14,reached_day28,reached_day56,suppressed"
)


@pytest.fixture
def day21(monkeypatch):
    monkeypatch.setenv("TRIVSEL_MILESTONES", "1,5,14,21,56")


def test_the_days_default_to_1_5_14_28_56(monkeypatch):
    monkeypatch.delenv("TRIVSEL_MILESTONES", raising=False)
    assert config.milestones() == (1, 5, 14, 28, 56)
    monkeypatch.setenv("TRIVSEL_MILESTONES", " 2, 6,14,28,56 ")
    assert config.milestones() == (2, 6, 14, 28, 56)


@pytest.mark.parametrize(
    "value, reason",
    [
        ("5,x", "hele dage"),
        ("0,5,14", "hele dage"),
        ("", "hele dage"),
        ("5;14", "hele dage"),
        ("1,14,5", "stigende"),
        ("1,5,5,14", "stigende"),
    ],
)
def test_a_bad_value_is_refused_in_danish(monkeypatch, value, reason):
    monkeypatch.setenv("TRIVSEL_MILESTONES", value)
    with pytest.raises(ValueError, match=f"TRIVSEL_MILESTONES .*{reason}.*'{value}'"):
        config.milestones()


def test_the_app_does_not_start_with_bad_days(monkeypatch, capsys):
    from streamlit.web import cli

    started = []
    monkeypatch.setattr(cli, "main", lambda: started.append(True))  # never a real server in a unit test
    monkeypatch.setenv("TRIVSEL_MILESTONES", "5,x")
    with pytest.raises(SystemExit) as stopped:
        web.main([])
    assert stopped.value.code == 2 and not started
    assert capsys.readouterr().err.startswith("Fejl: TRIVSEL_MILESTONES skal være hele dage")


def test_with_the_default_days_the_export_columns_stay_as_documented(monkeypatch, demo_store):
    monkeypatch.delenv("TRIVSEL_MILESTONES", raising=False)
    table = absence.export_table(absence.summary(demo_store, *YEAR, MONTH_END))
    assert ",".join(table.columns) == DEFAULT_COLUMNS
    assert f"`{DEFAULT_COLUMNS}`" in (ROOT / "docs" / "data-formats.md").read_text(encoding="utf-8")
    assert list(absence.funnel_steps()) == ["Begyndt", "Dag 5", "Dag 14", "Dag 28 (§ 7a)", "Dag 56"]


def test_the_list_follows_the_configured_days(day21):
    assert [m.day for m in followup.milestones()] == [1, 5, 14, 21, 56]


def test_the_summary_and_the_spell_lengths_follow_the_configured_days(day21, demo_store):
    row = absence.summary(demo_store, *YEAR, MONTH_END).table.set_index("unit_id").loc["SO-PC-SOL"]
    assert "reached_day21" in row.index and "reached_day28" not in row.index
    lengths = absence.durations(demo_store, "SO-PC-SOL", *YEAR, MONTH_END).table.set_index("bucket")
    assert list(lengths.index) == ["I alt", "1–4", "5–13", "14–20", "21–55", "56+"]
    assert not lengths["suppressed"].any()
    assert row["reached_day21"] == lengths.loc[["21–55", "56+"], "spells"].sum() > 0


def test_the_funnel_and_the_export_follow_the_configured_days(day21, demo_store):
    assert absence.funnel_steps() == {
        "Begyndt": "spells_started",
        "Dag 5": "reached_day5",
        "Dag 14": "reached_day14",
        "Dag 21 (§ 7a)": "reached_day21",
        "Dag 56": "reached_day56",
    }
    summary = absence.summary(demo_store, *YEAR, MONTH_END)
    table = absence.export_table(summary)
    assert ",".join(table.columns) == DEFAULT_COLUMNS.replace("reached_day28", "reached_day21")
    assert exports.heading("reached_day21") == "Nåede dag 21"
    meaning = dict(zip(absence.definitions(summary)["Navn i CSV-filen"], absence.definitions(summary)["Betydning"]))
    text = meaning["reached_day5, reached_day14, reached_day21, reached_day56"]
    assert "mindst 5, 14, 21 eller 56 dage" in text and "14-20, 21-55 og 56+ dage" in text


def test_the_absence_page_draws_the_configured_days(day21, demo_db, demo_store, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from trivsel import auth
    from trivsel.ui.session import TOKEN_KEY

    monkeypatch.setenv("TRIVSEL_DB", str(demo_db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state[TOKEN_KEY] = auth.start_session(demo_store, "raadgiver")
    at.switch_page("pages/absence.py")
    at.run()
    assert not at.exception
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    funnel = next(s["data"][0] for s in specs if s["data"][0]["type"] == "funnel")
    assert "Dag 21 (§ 7a)" in funnel["y"] and not [y for y in funnel["y"] if "28" in y]
    bars = next(s["data"][0] for s in specs if s["data"][0]["type"] == "bar")
    assert list(bars["x"]) == ["1–4 dage", "5–13 dage", "14–20 dage", "21–55 dage", "56+ dage"]
    units = at.dataframe[0].value
    assert "Nåede dag 21" in units.columns and "Nåede dag 28" not in units.columns
    at.switch_page("pages/followup.py").run()
    steps = next(s for s in at.selectbox if s.label == "Næste samtale")
    assert "Dag 21: § 7a sygefraværssamtale (senest 4 uger)" in steps.options


def test_the_csv_export_follows_the_configured_days(day21, demo_db, tmp_path):
    import subprocess
    import sys

    out = tmp_path / "fravaer.csv"
    trivsel = str(Path(sys.executable).parent / "trivsel")
    result = subprocess.run(
        [
            trivsel,
            "export",
            "unit-summary",
            "--from",
            "01-01-2025",
            "--to",
            "31-12-2025",
            "--format",
            "csv",
            "-o",
            str(out),
        ]
        + ["--db", str(demo_db)],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    header = out.read_text(encoding="utf-8-sig").splitlines()[0]
    assert header == DEFAULT_COLUMNS.replace("reached_day28", "reached_day21").replace(",", ";")
