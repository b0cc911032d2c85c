"""Settings, retention, the audit log and the privacy page: the rules staff are promised."""

import ast
from datetime import date, datetime
from pathlib import Path

import pytest

from trivsel import audit, config, exports, retention, settings
from trivsel.settings import SettingError
from trivsel.surveys import rounds
from trivsel.surveys.definitions import load_all

ROOT = Path(__file__).parents[1]


def test_threshold_defaults_and_allowed_range(store):
    assert settings.get(store, "threshold.survey") == 5
    settings.set_value(store, "threshold.survey", 3, actor="admin")
    assert settings.get(store, "threshold.survey") == 3
    for bad in (2, 11):
        with pytest.raises(SettingError, match="mellem 3 og 10"):
            settings.set_value(store, "threshold.survey", bad, actor="admin")
    assert settings.get(store, "threshold.survey") == 3


def test_threshold_change_is_audited(store):
    settings.set_value(store, "threshold.absence", 7, actor="admin")
    actor, details = store.query_one("SELECT actor, details FROM audit_log WHERE action = 'setting_changed'")
    assert actor == "admin" and '"new": 7' in details and '"old": 5' in details


@pytest.mark.parametrize(
    "today, months, expected",
    [
        (date(2026, 11, 23), 60, date(2021, 11, 23)),
        (date(2026, 3, 31), 1, date(2026, 2, 28)),
        (date(2024, 2, 29), 12, date(2023, 2, 28)),
        (date(2026, 1, 15), 13, date(2024, 12, 15)),
    ],
)
def test_retention_cutoff_counts_calendar_months(today, months, expected):
    assert retention.cutoff(today, months) == expected


def test_retention_dry_run_changes_nothing_and_run_deletes_what_is_due(demo_store):
    today = date(2026, 11, 23)
    settings.set_value(demo_store, "retention.absence_spells", 36, actor="admin")
    limit = date(2023, 11, 23)
    expected = demo_store.query_value("SELECT count(*) FROM absence_spells WHERE end_date < ?", [limit])
    total = demo_store.query_value("SELECT count(*) FROM absence_spells")
    assert expected > 0

    dry = {d.rule.dataset: d.rows for d in retention.run(demo_store, today, actor="admin", dry_run=True)}
    assert dry["absence_spells"] == expected
    assert demo_store.query_value("SELECT count(*) FROM absence_spells") == total

    retention.run(demo_store, today, actor="cli")
    assert demo_store.query_value("SELECT count(*) FROM absence_spells") == total - expected
    assert demo_store.query_value("SELECT min(end_date) FROM absence_spells") >= limit
    # Ongoing spells are never due.
    assert demo_store.query_value("SELECT count(*) FROM absence_spells WHERE end_date IS NULL") > 0
    assert f'"absence_spells": {expected}' in demo_store.query_value(
        "SELECT details FROM audit_log WHERE action = 'retention_run'"
    )


def test_old_audit_entries_expire(store):
    store.write(
        lambda cur: cur.execute(
            "INSERT INTO audit_log (logged_at, actor, action) VALUES (?, 'x', 'old'), (?, 'x', 'new')",
            [datetime(2019, 1, 1), datetime(2026, 1, 1)],
        )
    )
    retention.run(store, date(2026, 11, 23), actor="cli")
    assert [r[0] for r in store.query_all("SELECT action FROM audit_log ORDER BY id")] == ["new", "retention_run"]


def test_audit_log_is_append_only_in_the_application():
    """Only the retention module may delete audit entries, and nothing may update them."""
    offenders = []
    for path in [*ROOT.glob("src/trivsel/**/*.py"), *ROOT.glob("pages/*.py"), ROOT / "app.py"]:
        text = path.read_text(encoding="utf-8").lower()
        if "update audit_log" in text or ("delete from audit_log" in text and path.name != "retention.py"):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_exports_neutralise_formulas():
    import pandas as pd

    df = pd.DataFrame(
        {
            "tekst": ['=HYPERLINK("x")', "+45 1234", "-1", "@SUM(A1)", "\tx", "\rx", "normal"],
            "tal": [1.5, 2, 3, 4, 5, 6, 7],
        }
    )
    csv = exports.to_csv(df).decode("utf-8-sig")
    assert "'=HYPERLINK" in csv and "'+45" in csv and "'-1" in csv and "'@SUM" in csv and "'\tx" in csv
    assert "1,5" in csv and csv.splitlines()[0] == "tekst;tal"

    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(exports.to_xlsx({"Ark": df}))).active
    values = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert all(not v.startswith(("=", "+", "-", "@", "\t", "\r")) for v in values)
    assert sheet.cell(2, 1).data_type != "f"


def test_export_is_audited(store):
    audit.record_export(store, "admin", "audit_log", {"actions": []}, 12)
    assert store.query_one("SELECT actor, action, details FROM audit_log") == (
        "admin",
        "export",
        '{"parameters": {"actions": []}, "rows": 12, "what": "audit_log"}',
    )


# Raw figures a page must not show without going through src/trivsel/views (disclosure control
# and, for spell-level lists, the audit log). None means every function of the module.
RAW = {
    "trivsel.absence.measures": None,
    "trivsel.scoring": None,
    "trivsel.absence.followup": {"compliance", "due_list", "frequent_absence", "ongoing_spells", "contacts"},
    "trivsel.supervision.statistics": None,
    "trivsel.supervision": {"statistics"},
    "trivsel.surveys.responses": None,
    "trivsel.surveys": {"responses"},
}


def _page_trees():
    for path in [*ROOT.glob("pages/*.py"), ROOT / "app.py"]:
        yield path, ast.parse(path.read_text(encoding="utf-8"))


def test_pages_never_touch_the_database_directly():
    """Pages call src/trivsel; they never import duckdb or the store, or run SQL themselves."""
    forbidden_modules = {"duckdb", "trivsel.store"}
    forbidden_calls = {"execute", "sql", "query_df", "query_all", "query_one", "query_value", "cursor"}
    problems = []
    for path, tree in _page_trees():
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            problems += [
                f"{path.name}: imports {n}"
                for n in names
                if any(n == m or n.startswith(m + ".") for m in forbidden_modules)
            ]
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                receiver = getattr(node.func.value, "id", "")
                if node.func.attr in forbidden_calls or (node.func.attr == "write" and receiver != "st"):
                    problems.append(f"{path.name}:{node.lineno}: .{node.func.attr}()")
    assert problems == []


def test_pages_take_figures_only_through_the_views():
    """No page calls a raw aggregate or spell list; src/trivsel/views applies disclosure and audit."""
    problems = []
    for path, tree in _page_trees():
        aliases = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                for a in node.names:
                    full = f"{node.module}.{a.name}"
                    if full in RAW or node.module in RAW:
                        aliases[a.asname or a.name] = full if full in RAW else node.module
                        if node.module in RAW and full not in RAW:
                            allowed = RAW[node.module]
                            if allowed is None or a.name in allowed:
                                problems.append(f"{path.name}: from {node.module} import {a.name}")
            elif isinstance(node, ast.Import):
                for a in node.names:
                    if a.name in RAW:
                        aliases[a.asname or a.name] = a.name
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases:
                module = aliases[node.value.id]
                if RAW[module] is None or node.attr in RAW[module]:
                    problems.append(f"{path.name}:{node.lineno}: {module}.{node.attr}")
    assert problems == []


def test_survey_answers_expire_with_their_round(demo_store):
    today = date(2026, 11, 23)
    settings.set_value(demo_store, "retention.survey_answers", 24, actor="admin")
    old = demo_store.query_value(
        "SELECT count(*) FROM survey_responses r JOIN survey_rounds s USING (round_id) WHERE s.closes_on < ?",
        [date(2024, 11, 23)],
    )
    assert old > 0  # the 2022/23 baseline
    kept = demo_store.query_value("SELECT count(*) FROM survey_responses") - old
    done = {d.rule.dataset: d.rows for d in retention.run(demo_store, today, actor="cli")}
    assert done["survey_answers"] == old
    assert demo_store.query_value("SELECT count(*) FROM survey_responses") == kept
    orphans = demo_store.query_value(
        "SELECT count(*) FROM survey_answers WHERE response_id NOT IN (SELECT response_id FROM survey_responses)"
    )
    assert orphans == 0


def test_unfinished_code_answers_are_deleted_once_their_round_has_closed(demo_store):
    survey = load_all(config.surveys_dir())["trivsel"]
    today = date(2026, 11, 23)
    _, closed_codes = rounds.create_round(
        demo_store, survey, "Lukket koderunde", date(2026, 10, 1), date(2026, 10, 31), ["SOC-FAMH"], "code", "admin"
    )
    _, open_codes = rounds.create_round(
        demo_store, survey, "Åben koderunde", date(2026, 11, 1), date(2026, 12, 15), ["SOC-FAMH"], "code", "admin"
    )
    rounds.save_draft(demo_store, closed_codes["code"].iloc[0], {"q1": 3})
    rounds.save_draft(demo_store, open_codes["code"].iloc[0], {"q1": 4})

    due = {d.rule.dataset: d.rows for d in retention.due(demo_store, today)}
    assert due["code_drafts"] == 1
    retention.run(demo_store, today, actor="cli")
    kept = demo_store.query_all("SELECT code_hash FROM code_drafts")
    assert kept == [(rounds.hash_code(open_codes["code"].iloc[0]),)]
