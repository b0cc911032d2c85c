"""Absence figures as pages and exports show them: protected, exact columns, audited, and 1-5-14."""

import subprocess
import sys
from datetime import date, timedelta
from io import BytesIO, StringIO
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from attacker import assert_nothing_small_derivable, direct_persons
from trivsel import exports, org, settings
from trivsel.absence import followup as rules
from trivsel.store import open_store
from trivsel.views import absence, followup

YEAR = (date(2025, 1, 1), date(2025, 12, 31))
TODAY = date(2026, 11, 23)
MONTH_END = date(2026, 10, 31)  # the as-of date of a whole-month view
TRIVSEL = str(Path(sys.executable).parent / "trivsel")


def test_summary_hides_small_units_and_their_subtraction_partners(demo_store):
    protected = absence.summary(demo_store, *YEAR, MONTH_END)
    table = protected.table.set_index("unit_id")
    assert table.loc["SOC-PAAR", "suppression_reason"] == "for_faa"  # 3 persons
    assert table.loc[table["suppressed"], ["persons", "absence_rate_pct", "spells_started"]].isna().all().all()
    assert not table.loc["V", "suppressed"] and 5 <= table.loc["V", "absence_rate_pct"] <= 9
    # At 8, Pårørenderådgivningen and Ungekontakten (7 together) would be Socialområdet minus
    # the rest, so the next smallest unit under Socialområdet is hidden with them.
    settings.set_value(demo_store, "threshold.absence", 8, actor="admin")
    strict = absence.summary(demo_store, *YEAR, MONTH_END).table
    under_soc = strict[strict["parent_id"] == "SOC"]
    assert (under_soc["suppression_reason"] == "beskytter").sum() == 1


@pytest.mark.parametrize("scope", [None, "SO-PC-SOL", "SOC"])
def test_summary_view_and_export_survive_the_attacker(demo_store, scope):
    protected = absence.summary(demo_store, *YEAR, MONTH_END, unit_id=scope)
    direct = dict(
        zip(protected.table["unit_id"], direct_persons(demo_store, protected.table["unit_id"].tolist(), *YEAR))
    )
    assert_nothing_small_derivable(protected.table, direct, protected.threshold)
    exported = absence.export_table(protected)
    hidden = exported["suppressed"] == "true"
    assert exported.loc[hidden, "persons"].isna().all()
    assert (exported.loc[hidden, "unit_id"] == protected.table.loc[protected.table["suppressed"], "unit_id"]).all()


def test_a_higher_threshold_hides_more(demo_store):
    default = absence.summary(demo_store, *YEAR, MONTH_END).table["suppressed"].sum()
    settings.set_value(demo_store, "threshold.absence", 10, actor="admin")
    assert absence.summary(demo_store, *YEAR, MONTH_END).table["suppressed"].sum() > default
    with pytest.raises(ValueError, match="under administratorens tærskel på 10"):
        absence.summary(demo_store, *YEAR, MONTH_END, min_persons=2)


def test_figures_kept_for_reruns_follow_a_change_made_through_another_store(demo_store):
    default = absence.summary(demo_store, *YEAR, MONTH_END).table["suppressed"].sum()
    other = open_store(demo_store.path)  # e.g. a CLI command in the same process
    settings.set_value(other, "threshold.absence", 10, actor="admin")
    assert absence.summary(demo_store, *YEAR, MONTH_END).table["suppressed"].sum() > default


def test_monthly_trend_is_protected_month_by_month(demo_store):
    trend = absence.monthly(demo_store, "SO-DEMK", *YEAR, MONTH_END).table
    assert set(trend["unit_id"]) == {"SO-DEMK", "SO"}
    assert trend.loc[trend["unit_id"] == "SO-DEMK", "suppressed"].all()  # 3 persons
    assert trend.loc[trend["unit_id"] == "SO-DEMK", "absence_rate_pct"].isna().all()
    leader_view = absence.monthly(demo_store, "SO-PC-SOL", *YEAR, MONTH_END, with_parent=False).table
    assert set(leader_view["unit_id"]) == {"SO-PC-SOL"} and len(leader_view) == 12


def test_duration_buckets_add_up_to_the_spells_started(demo_store):
    buckets = absence.durations(demo_store, "SO-PC-SOL", *YEAR, MONTH_END).table.set_index("bucket")
    started = absence.summary(demo_store, *YEAR, MONTH_END).table.set_index("unit_id").at["SO-PC-SOL", "spells_started"]
    assert buckets.at["I alt", "spells"] == started
    assert buckets.drop("I alt")["spells"].sum() == started


def run_cli(*args):
    return subprocess.run([TRIVSEL, *args], check=False, capture_output=True, text=True, timeout=120)


def test_export_unit_summary_csv_has_the_exact_columns_and_is_audited(demo_db, tmp_path):
    out = tmp_path / "summary.csv"
    result = run_cli(
        "export",
        "unit-summary",
        "--from",
        "2025-01-01",
        "--to",
        "2025-12-31",
        "--as-of",
        MONTH_END.isoformat(),
        "--format",
        "csv",
        "-o",
        str(out),
        "--db",
        str(demo_db),
    )
    assert result.returncode == 0, result.stderr
    frame = pd.read_csv(StringIO(out.read_bytes().decode("utf-8-sig")), sep=";", decimal=",", dtype={"suppressed": str})
    assert list(frame.columns) == absence.export_columns()
    assert len(frame) == 54 and set(frame["suppressed"]) == {"true", "false"}
    hidden = frame[frame["suppressed"] == "true"]
    assert hidden[absence.export_columns()[4:-1]].isna().all().all()
    root = frame.set_index("unit_id").loc["V"]
    assert 5 <= root["absence_rate_pct"] <= 9

    from trivsel.store import open_store

    store = open_store(demo_db)
    details = store.query_value("SELECT details FROM audit_log WHERE action = 'export'")
    store.close()
    assert '"what": "unit_summary"' in details and '"rows": 54' in details


def test_export_unit_summary_xlsx_for_a_subtree_has_definitions(demo_db, tmp_path):
    out = tmp_path / "summary.xlsx"
    result = run_cli(
        "export",
        "unit-summary",
        "--from",
        "01-01-2025",
        "--to",
        "31-12-2025",
        "--unit",
        "SO-PC-SOL",
        "--min-persons",
        "5",
        "--format",
        "xlsx",
        "-o",
        str(out),
        "--db",
        str(demo_db),
    )
    assert result.returncode == 0, result.stderr
    book = load_workbook(BytesIO(out.read_bytes()))
    assert book.sheetnames == ["Enheder", "Definitioner"]
    rows = list(book["Enheder"].iter_rows(values_only=True))
    assert list(rows[0]) == [exports.heading(c) for c in absence.export_columns()]  # Danish, for people
    assert [r[0] for r in rows[1:]] == ["SO-PC-SOL", "SO-PC-SOL-VE", "SO-PC-SOL-OE", "SO-PC-SOL-DE"]
    assert rows[1][2].date() == date(2025, 1, 1)  # a date cell, not the text "2025-01-01"
    assert ("Skjult", "suppressed") in [r[:2] for r in book["Definitioner"].iter_rows(values_only=True)]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--from", "2025-02-30", "--to", "2025-12-31"], "ikke en gyldig dato"),
        (["--from", "2025-01-01", "--to", "2025-12-31", "--as-of", "2025-06-30"], "ligger før periodens slutning"),
        (["--from", "2025-01-01", "--to", "2025-12-31", "--min-persons", "2"], "tærskel på 5"),
        (["--from", "2025-01-01", "--to", "2025-12-31", "--unit", "FINDES-IKKE"], "FINDES-IKKE"),
    ],
)
def test_export_refuses_bad_options_in_danish(demo_db, tmp_path, args, message):
    result = run_cli(
        "export", "unit-summary", *args, "--format", "csv", "-o", str(tmp_path / "x.csv"), "--db", str(demo_db)
    )
    assert result.returncode != 0 and message in result.stderr and result.stderr.startswith("Fejl:")
    assert not (tmp_path / "x.csv").exists()


# --- 1-5-14 -----------------------------------------------------------------------------------


@pytest.fixture
def one_unit(store):
    store.write(lambda cur: cur.execute("INSERT INTO units VALUES ('U', 'Enhed', NULL, '')"))
    for i in range(6):
        store.write(
            lambda cur, i=i: (
                cur.execute("INSERT INTO employees VALUES (?)", [f"E{i}"]),
                cur.execute("INSERT INTO employments VALUES (?, 'U', DATE '2020-01-01', NULL, 1, 'SSA')", [f"E{i}"]),
            )
        )
    return store


def sick(store, employee, start: date, end: date | None = None):
    store.write(
        lambda cur: cur.execute("INSERT INTO absence_spells VALUES (?, ?, ?, 'sygdom', 1)", [employee, start, end])
    )


def test_due_list_shows_the_conversation_to_hold_next(one_unit):
    sick(one_unit, "E0", TODAY)  # day 1: sick call today
    sick(one_unit, "E1", TODAY - timedelta(days=2))  # day 3: omsorgssamtale in 2 days
    sick(one_unit, "E2", TODAY - timedelta(days=29))  # day 30: § 7a missed
    sick(one_unit, "E3", TODAY - timedelta(days=10), TODAY - timedelta(days=5))  # ended: not listed
    rules.record_contact(one_unit, "E1", TODAY - timedelta(days=2), 1, TODAY - timedelta(days=2), "leder", TODAY)
    rules.record_contact(one_unit, "E2", TODAY - timedelta(days=29), 28, TODAY - timedelta(days=3), "leder", TODAY)
    due = rules.due_list(one_unit, TODAY, ["U"]).set_index("employee_id")
    assert set(due.index) == {"E0", "E1", "E2"}
    assert (due.at["E0", "milestone"], due.at["E0", "status"]) == (1, "i_dag")
    assert (due.at["E1", "milestone"], due.at["E1", "status"], due.at["E1", "days_until"]) == (5, "kommende", 2)
    # Day 28 was recorded, so the latest missed one is day 14.
    assert (due.at["E2", "milestone"], due.at["E2", "status"]) == (14, "overskredet")
    assert due.index[0] == "E2"  # overdue first


def test_contact_dates_are_checked(one_unit):
    sick(one_unit, "E0", TODAY - timedelta(days=5))
    for milestone, held, message in [
        (3, TODAY, "ikke et opfølgningstrin"),
        (5, TODAY + timedelta(days=1), "fremtiden"),
        (5, TODAY - timedelta(days=9), "før første sygedag"),
    ]:
        with pytest.raises(rules.FollowupError, match=message):
            rules.record_contact(one_unit, "E0", TODAY - timedelta(days=5), milestone, held, "leder", TODAY)
    with pytest.raises(rules.FollowupError, match="findes ikke"):
        rules.record_contact(one_unit, "E5", TODAY, 1, TODAY, "leder", TODAY)


def test_compliance_counts_contacts_on_or_before_their_day(one_unit):
    start = date(2026, 1, 5)
    sick(one_unit, "E0", start, start + timedelta(days=19))  # 20 days: reaches day 1, 5 and 14
    rules.record_contact(one_unit, "E0", start, 1, start, "leder", TODAY)  # in time
    rules.record_contact(one_unit, "E0", start, 5, start + timedelta(days=6), "leder", TODAY)  # late
    figures = rules.compliance(one_unit, date(2026, 1, 1), date(2026, 12, 31), TODAY, ["U"]).iloc[0]
    assert (figures["milestones_reached"], figures["contacts_in_time"], figures["persons"]) == (3, 1, 1)


def test_compliance_view_hides_units_with_few_persons(one_unit):
    sick(one_unit, "E0", date(2026, 1, 5), date(2026, 1, 10))
    rate = followup.compliance(one_unit, date(2026, 1, 1), date(2026, 12, 31), TODAY, None).table
    assert rate["suppressed"].all() and rate["in_time_pct"].isna().all()


def test_frequent_absence_signal(one_unit):
    for weeks in (2, 6, 10):  # three short spells within 6 months
        sick(one_unit, "E0", TODAY - timedelta(weeks=weeks), TODAY - timedelta(weeks=weeks) + timedelta(days=1))
    sick(one_unit, "E1", TODAY - timedelta(days=300), TODAY - timedelta(days=286))  # 15 days in 12 months
    sick(one_unit, "E2", TODAY - timedelta(days=60), TODAY - timedelta(days=50))  # 11 days, 1 spell
    signal = rules.frequent_absence(one_unit, TODAY, ["U"]).set_index("employee_id")
    assert set(signal.index) == {"E0", "E1"}
    assert signal.at["E0", "spells_6m"] == 3 and signal.at["E1", "sick_days_12m"] == 15
    settings.set_value(one_unit, "signal.days_12m", 16, actor="admin")
    assert set(rules.frequent_absence(one_unit, TODAY, ["U"])["employee_id"]) == {"E0"}


def test_viewing_spell_level_lists_is_audited(one_unit):
    sick(one_unit, "E0", TODAY)
    assert len(followup.spell_lists(one_unit, TODAY, "U", "leder.u").due) == 1
    assert one_unit.query_one("SELECT actor, action FROM audit_log WHERE action = 'view_spell_level'") == (
        "leder.u",
        "view_spell_level",
    )


@pytest.fixture
def two_units(one_unit):
    """Enhed (U) with Underenhed (C) under it; E5 works in C."""
    one_unit.write(
        lambda cur: (
            cur.execute("INSERT INTO units VALUES ('C', 'Underenhed', 'U', '')"),
            cur.execute("UPDATE employments SET unit_id = 'C' WHERE employee_id = 'E5'"),
        )
    )
    return one_unit


def test_the_list_shows_unit_names_and_the_status_first(two_units):
    sick(two_units, "E0", TODAY - timedelta(days=20))  # day 21: day 14 overdue
    sick(two_units, "E5", TODAY)
    shown = followup.table(followup.spell_lists(two_units, TODAY, None, "raadgiver").due)
    assert list(shown.columns) == [
        "Status",
        "Næste samtale",
        "Medarbejder",
        "Enhed",
        "Første sygedag",
        "Sygedag nr.",
        "Senest",
    ]
    assert dict(zip(shown["Medarbejder"], shown["Enhed"])) == {"E0": "Enhed", "E5": "Underenhed"}
    assert list(shown["Status"]) == ["Overskredet – dag 14", "I dag – dag 1"]


def test_recording_a_conversation_leaves_the_ongoing_count_unchanged(two_units):
    start = TODAY - timedelta(days=59)  # day 60: every milestone reached
    sick(two_units, "E0", start)
    sick(two_units, "E1", TODAY)  # day 1: the sick call is due today
    for day in (1, 5, 14, 28):
        rules.record_contact(two_units, "E0", start, day, start + timedelta(days=day - 1), "raadgiver", TODAY)
    before = followup.spell_lists(two_units, TODAY, None, "raadgiver")
    rules.record_contact(two_units, "E0", start, 56, TODAY, "raadgiver", TODAY)  # the last one
    after = followup.spell_lists(two_units, TODAY, None, "raadgiver")
    assert before.ongoing == after.ongoing == 2
    assert (before.overdue, after.overdue) == (1, 0)
    row = after.due.set_index("employee_id").loc["E0"]
    assert row["status"] == "alle_holdt" and pd.isna(row["due_date"])
    assert followup.table(after.due).set_index("Medarbejder").at["E0", "Status"] == "Alle samtaler holdt"


def test_the_list_filters_by_unit_milestone_and_overdue_but_the_counts_do_not(two_units):
    sick(two_units, "E0", TODAY - timedelta(days=20))  # day 14 overdue
    sick(two_units, "E1", TODAY - timedelta(days=2))  # day 5 ahead, day 1 held
    rules.record_contact(two_units, "E1", TODAY - timedelta(days=2), 1, TODAY - timedelta(days=2), "r", TODAY)
    sick(two_units, "E5", TODAY - timedelta(days=8))  # in C: day 5 overdue
    ids = lambda lists: sorted(lists.due["employee_id"])  # noqa: E731
    assert ids(followup.spell_lists(two_units, TODAY, None, "r", unit="C")) == ["E5"]
    assert ids(followup.spell_lists(two_units, TODAY, None, "r", milestone=5)) == ["E1", "E5"]
    assert ids(followup.spell_lists(two_units, TODAY, None, "r", overdue_only=True)) == ["E0", "E5"]
    both = followup.spell_lists(two_units, TODAY, None, "r", milestone=5, overdue_only=True)
    assert ids(both) == ["E5"] and (both.ongoing, both.overdue) == (3, 2)
    logged = two_units.query_value("SELECT details FROM audit_log WHERE action = 'view_spell_level' ORDER BY id DESC")
    assert '"milestone": 5' in logged and '"overdue_only": true' in logged


def test_a_leader_cannot_filter_outside_the_own_subtree(two_units):
    sick(two_units, "E0", TODAY)
    assert org.visible_units(two_units, "C")["unit_id"].tolist() == ["C"]
    with pytest.raises(followup.OutOfScope, match="dit eget område"):
        followup.spell_lists(two_units, TODAY, "C", "leder.c", unit="U")
    assert two_units.query_value("SELECT count(*) FROM audit_log WHERE action = 'view_spell_level'") == 0
    assert followup.spell_lists(two_units, TODAY, "C", "leder.c", unit="C").due.empty
