"""Issue 14 against the absence figures: no view, period, scope or threshold gives away what another hides.

The attacker (tests/attacker.py) sees every cell the views in question show at once and works out by
linear algebra what it can; nothing hidden and no group under the threshold may come out.
"""

import subprocess
import sys
from datetime import date
from io import StringIO
from itertools import pairwise
from pathlib import Path

import pandas as pd
import pytest

from attacker import assert_nothing_small_derivable, assert_nothing_small_derivable_in_grid, direct_persons
from trivsel import org, settings
from trivsel.disclosure.rules import PeriodError
from trivsel.views import absence

YEAR = (date(2025, 1, 1), date(2025, 12, 31))
TODAY = date(2026, 11, 23)
MONTH_END = date(2026, 10, 31)
TRIVSEL = str(Path(sys.executable).parent / "trivsel")
DEFAULT_DAYS = (5, 14, 28, 56)  # the follow-up days after day 1 (TRIVSEL_MILESTONES=1,5,14,28,56)


def bucket_names(days: tuple[int, ...]) -> list[str]:
    """The spell-length buckets the follow-up days make: 1–4, 5–13, 14–27, 28–55 and 56+ by default."""
    lows = [1, *days]
    ranges = [f"{low}–{high - 1}" if high - 1 > low else f"{low}" for low, high in pairwise(lows)]
    return [*ranges, f"{lows[-1]}+"]


def levels(days: tuple[int, ...]) -> dict[str, list[str]]:
    """Each reached_dayN column and the buckets it is the sum of."""
    names = bucket_names(days)
    return {f"reached_day{day}": names[i:] for i, day in enumerate(days, start=1)}


def run_cli(*args):
    return subprocess.run([TRIVSEL, *args], check=False, capture_output=True, text=True, timeout=120)


def parents_with_children(store) -> list[str]:
    units = org.units(store)
    return sorted(set(units["parent_id"].dropna()))


# --- item 4: one protection for the whole tree, every scope a cut of it ---------------------------


def test_every_scope_is_a_cut_of_the_whole_tree_table(demo_store):
    whole = absence.summary(demo_store, *YEAR, MONTH_END).table.set_index("unit_id")
    for scope in [*parents_with_children(demo_store), "SO-HJM", "SOC-FAMH"]:
        scoped = absence.summary(demo_store, *YEAR, MONTH_END, unit_id=scope).table.set_index("unit_id")
        assert set(scoped.index) == set(org.subtree_ids(demo_store, scope))
        pd.testing.assert_frame_equal(scoped, whole.loc[scoped.index], check_dtype=False)


def test_a_leaders_page_and_the_konsulents_page_together_reveal_nothing(demo_store):
    whole = absence.summary(demo_store, *YEAR, MONTH_END).table
    seen = ~whole.set_index("unit_id")["suppressed"]
    for scope in [*parents_with_children(demo_store), "SO-HJM"]:
        scoped = absence.summary(demo_store, *YEAR, MONTH_END, unit_id=scope).table.set_index("unit_id")
        seen.loc[scoped.index] |= ~scoped["suppressed"]  # whatever either of them shows
    union = whole.assign(suppressed=~whole["unit_id"].map(seen))
    direct = dict(zip(whole["unit_id"], direct_persons(demo_store, whole["unit_id"].tolist(), *YEAR)))
    assert_nothing_small_derivable(union, direct, absence.threshold(demo_store))


def test_export_for_one_unit_hides_what_the_whole_area_export_hides(demo_db, tmp_path):
    # Hjælpemiddeldepotet is hidden in the whole-area file so that Sundhed og Omsorg minus its visible
    # units does not give Demenskoordinatorerne (3 persons); its own export used to show it.
    files = {}
    for name, extra in (("whole", []), ("unit", ["--unit", "SO-HJM"])):
        out = tmp_path / f"{name}.csv"
        result = run_cli(
            "export",
            "unit-summary",
            "--from",
            "2025-01-01",
            "--to",
            "2025-12-31",
            *extra,
            "--format",
            "csv",
            "-o",
            str(out),
            "--db",
            str(demo_db),
        )
        assert result.returncode == 0, result.stderr
        files[name] = pd.read_csv(
            StringIO(out.read_bytes().decode("utf-8-sig")), sep=";", decimal=",", dtype={"suppressed": str}
        ).set_index("unit_id")
    assert files["whole"].at["SO-HJM", "suppressed"] == "true"
    assert files["unit"].at["SO-HJM", "suppressed"] == "true" and pd.isna(files["unit"].at["SO-HJM", "persons"])


def month_direct_persons(store, months: list[tuple[date, date]]) -> dict[tuple[str, str], float]:
    """Persons employed in each unit itself (not below it) in each month, counted here independently."""
    rows = store.query_all(
        """SELECT e.unit_id, m.first, count(DISTINCT e.employee_id)
           FROM employments e JOIN (SELECT unnest(?::DATE[]) AS first, unnest(?::DATE[]) AS last) m
             ON e.start_date <= m.last AND coalesce(e.end_date, m.last) >= m.first
           GROUP BY ALL""",
        [[m[0] for m in months], [m[1] for m in months]],
    )
    return {(unit, first.isoformat()): float(n) for unit, first, n in rows}


def months_of(period: tuple[date, date]) -> list[tuple[date, date]]:
    return [(p.start_time.date(), p.end_time.date()) for p in pd.period_range(*period, freq="M")]


def test_every_units_monthly_trend_comes_from_one_table_and_together_they_reveal_nothing(demo_store):
    units = org.units(demo_store)
    cells = {}
    for unit_id in units["unit_id"]:
        trend = absence.monthly(demo_store, unit_id, *YEAR, MONTH_END).table
        alone = absence.monthly(demo_store, unit_id, *YEAR, MONTH_END, with_parent=False).table
        mine = trend[trend["unit_id"] == unit_id].reset_index(drop=True)
        pd.testing.assert_frame_equal(
            alone.drop(columns="parent_id"), mine.drop(columns="parent_id"), check_dtype=False
        )
        for row in trend.itertuples():
            cells.setdefault((row.unit_id, row.month.isoformat()), set()).add(bool(row.suppressed))
    assert all(len(seen) == 1 for seen in cells.values())  # a month hidden in one trend is hidden in all
    parent_of = dict(zip(units["unit_id"], units["parent_id"]))
    grid = pd.DataFrame(
        [
            {"unit_id": u, "parent_id": parent_of[u], "month": m, "suppressed": seen.pop()}
            for (u, m), seen in cells.items()
        ]
    )
    summary = absence.summary(demo_store, *YEAR, MONTH_END).table
    grid = pd.concat([grid, summary[["unit_id", "parent_id", "suppressed"]].assign(month="år")], ignore_index=True)
    assert_nothing_small_derivable_in_grid(
        grid,
        month_direct_persons(demo_store, months_of(YEAR)),
        absence.threshold(demo_store),
        split="month",
        total="år",
    )


# --- item 5: whole months, and no period gives away part of another ------------------------------


@pytest.fixture
def newcomers(store):
    """V over A and B. A has 4 persons all year and 2 more from July; B has 10."""
    store.write(
        lambda cur: cur.executemany(
            "INSERT INTO units VALUES (?, ?, ?, '')", [("V", "Velfærdsområdet", None), ("A", "A", "V"), ("B", "B", "V")]
        )
    )

    def employ(cur, employee, unit, start, days_sick):
        cur.execute("INSERT INTO employees VALUES (?)", [employee])
        cur.execute("INSERT INTO employments VALUES (?, ?, ?, NULL, 1, 'SSA')", [employee, unit, start])
        for month in range(1, 13):
            if days_sick and date(2025, month, 1) >= start:
                cur.execute(
                    "INSERT INTO absence_spells VALUES (?, ?, ?, 'sygdom', 1)",
                    [employee, date(2025, month, 3), date(2025, month, 2 + days_sick)],
                )

    def fill(cur):
        for i in range(4):
            employ(cur, f"A{i}", "A", date(2020, 1, 1), i + 1)
        for i in range(4, 6):
            employ(cur, f"A{i}", "A", date(2025, 7, 1), 2)
        for i in range(10):
            employ(cur, f"B{i}", "B", date(2020, 1, 1), i % 3)

    store.write(fill)
    return store


def test_two_periods_never_give_away_a_hidden_month(newcomers):
    # A's first half year (4 persons) is hidden month by month. If A showed for the year and for
    # July-December, the year minus July-December would be those 4 persons' absence.
    periods = [YEAR, (date(2025, 7, 1), date(2025, 12, 31)), (date(2025, 1, 1), date(2025, 6, 30))]
    tables = {p: absence.summary(newcomers, *p).table for p in periods}
    months = pd.concat([absence.monthly(newcomers, u, *YEAR, with_parent=False).table for u in ("V", "A", "B")])
    grid = pd.concat([months.assign(month=months["month"].map(date.isoformat)), tables[YEAR].assign(month="år")])
    grid["parent_id"] = grid["unit_id"].map({"V": None, "A": "V", "B": "V"})
    others = [
        (row.unit_id, [m.isoformat() for m, _ in months_of(p)])
        for p in periods[1:]
        for row in tables[p].itertuples()
        if not row.suppressed
    ]
    assert_nothing_small_derivable_in_grid(
        grid.reset_index(drop=True),
        month_direct_persons(newcomers, months_of(YEAR)),
        5,
        split="month",
        total="år",
        extra=others,
    )
    assert tables[YEAR].set_index("unit_id").at["A", "suppressed"]


@pytest.mark.parametrize(
    "call",
    [
        lambda s, p, **k: absence.summary(s, *p, **k),
        lambda s, p, **k: absence.monthly(s, "SOC-FAMH", *p, **k),
        lambda s, p, **k: absence.durations(s, "SOC-FAMH", *p, **k),
    ],
)
def test_without_person_level_access_periods_are_whole_months(demo_store, call):
    # One-day periods gave every spell's first day and length bracket in Familiehuset.
    day = (date(2025, 3, 4), date(2025, 3, 4))
    with pytest.raises(PeriodError, match="hele kalendermåneder"):
        call(demo_store, day)
    with pytest.raises(PeriodError, match="Opgørelsesdatoen"):
        call(demo_store, YEAR, as_of=TODAY)
    call(demo_store, YEAR, as_of=MONTH_END)
    call(demo_store, day, as_of=TODAY, person_level=True)  # the sygefraværsrådgiver and the leader


@pytest.mark.parametrize(
    "args, message",
    [
        (["--from", "2025-01-02", "--to", "2025-12-31"], "begynde den 1. i en måned"),
        (["--from", "2025-01-01", "--to", "2025-12-30"], "slutte på en måneds sidste dag"),
        (["--from", "2025-01-01", "--to", "2025-12-31", "--as-of", TODAY.isoformat()], "Opgørelsesdatoen skal være"),
    ],
)
def test_the_unit_summary_export_takes_whole_months_only(demo_db, tmp_path, args, message):
    result = run_cli(
        "export", "unit-summary", *args, "--format", "csv", "-o", str(tmp_path / "x.csv"), "--db", str(demo_db)
    )
    assert result.returncode == 1 and result.stderr.startswith("Fejl:") and message in result.stderr
    assert not (tmp_path / "x.csv").exists()


# --- item 6: the funnel and the spell lengths are one table ---------------------------------------


def length_direct_persons(
    store, period: tuple[date, date], as_of: date, days: tuple[int, ...] = DEFAULT_DAYS
) -> dict[tuple[str, str], float]:
    """Persons with a sickness spell begun in the period, by the unit employing them on its first day and
    the spell's length bucket, counted here independently of trivsel.absence."""
    rows = store.query_all(
        """SELECT e.unit_id, len(list_filter(?::INTEGER[], lambda low: low <= d)) AS bucket,
                  count(DISTINCT a.employee_id)
           FROM (SELECT *, coalesce(end_date, ?) - start_date + 1 AS d FROM absence_spells
                 WHERE absence_type IN ('sygdom', 'arbejdsskade') AND start_date BETWEEN ? AND ?) a
           JOIN employments e ON e.employee_id = a.employee_id AND e.start_date <= a.start_date
            AND coalesce(e.end_date, a.start_date) >= a.start_date
           GROUP BY ALL""",
        [list(days), as_of, *period],
    )
    names = bucket_names(days)
    return {(unit, names[bucket]): float(n) for unit, bucket, n in rows}


@pytest.mark.parametrize(
    "limit, days", [(5, DEFAULT_DAYS), (8, DEFAULT_DAYS), (5, (5, 14, 21, 56)), (5, (2, 6, 14, 28, 56))]
)
def test_the_funnel_and_the_unit_table_never_give_away_a_hidden_spell_length(demo_store, monkeypatch, limit, days):
    monkeypatch.setenv("TRIVSEL_MILESTONES", ",".join(map(str, (1, *days))))
    settings.set_value(demo_store, "threshold.absence", limit, actor="admin")
    units = org.units(demo_store)
    parent_of = dict(zip(units["unit_id"], units["parent_id"]))
    summary = absence.summary(demo_store, *YEAR, MONTH_END).table
    lengths = pd.concat(
        [absence.durations(demo_store, u, *YEAR, MONTH_END).table.assign(unit_id=u) for u in units["unit_id"]],
        ignore_index=True,
    )
    lengths["parent_id"] = lengths["unit_id"].map(parent_of)
    shown = []  # the funnel's levels and the unit table's columns, where they are not blank
    for row in summary.itertuples():
        if pd.notna(row.spells_started):
            shown.append((row.unit_id, bucket_names(days)))
        shown += [(row.unit_id, parts) for level, parts in levels(days).items() if pd.notna(getattr(row, level))]
    assert shown, "the funnel shows something"
    famh = summary.set_index("unit_id").loc["SOC-FAMH"]
    assert pd.isna(famh["reached_day56"])  # one person's spell reached day 56
    assert set(lengths["bucket"]) == {"I alt", *bucket_names(days)}
    assert_nothing_small_derivable_in_grid(
        lengths,
        length_direct_persons(demo_store, YEAR, MONTH_END, days),
        limit,
        split="bucket",
        total="I alt",
        extra=shown,
    )


def test_the_funnel_keeps_what_the_spell_lengths_allow(demo_store):
    row = absence.summary(demo_store, *YEAR, MONTH_END).table.set_index("unit_id").loc["SO-PC-SOL"]
    lengths = absence.durations(demo_store, "SO-PC-SOL", *YEAR, MONTH_END).table.set_index("bucket")
    assert not lengths["suppressed"].any()  # every length has at least 5 persons
    assert row["spells_started"] == lengths.at["I alt", "spells"]
    assert row["reached_day14"] == lengths.loc[["14–27", "28–55", "56+"], "spells"].sum()


# --- item 8c: --min-persons can only raise the threshold ------------------------------------------


def test_a_threshold_override_can_only_raise_the_admins_threshold(demo_store):
    settings.set_value(demo_store, "threshold.absence", 10, actor="admin")
    with pytest.raises(ValueError, match="administratorens tærskel på 10"):
        absence.summary(demo_store, *YEAR, min_persons=3)
    admins = absence.summary(demo_store, *YEAR).table
    stricter = absence.summary(demo_store, *YEAR, min_persons=12).table
    assert stricter.loc[admins["suppressed"], "suppressed"].all()  # both files together show no more than one


def test_the_export_refuses_a_lower_threshold(demo_db, tmp_path):
    from trivsel.store import open_store

    store = open_store(demo_db)
    settings.set_value(store, "threshold.absence", 10, actor="admin")
    store.close()
    result = run_cli(
        "export",
        "unit-summary",
        "--from",
        "2025-01-01",
        "--to",
        "2025-12-31",
        "--min-persons",
        "3",
        "--format",
        "csv",
        "-o",
        str(tmp_path / "x.csv"),
        "--db",
        str(demo_db),
    )
    assert result.returncode == 1 and result.stderr.startswith("Fejl:") and "tærskel på 10" in result.stderr
    assert not (tmp_path / "x.csv").exists()


def test_a_stricter_file_hides_at_least_what_the_standard_file_hides(store):
    """Velfærdsområdet → P (2 people of its own) → C → G (5 people). With the admin's threshold of 5, G and C
    show, so P is hidden (P minus C would be P's own 2). With 7, C and G are too small but P's 7 would pass.
    Side by side, the two files would give P minus C all the same: the stricter file starts from the
    standard one."""

    def work(cur):
        cur.execute(
            "INSERT INTO units VALUES ('V', 'Velfærdsområdet', NULL, ''), ('P', 'Enhed P', 'V', ''), "
            "('C', 'Enhed C', 'P', ''), ('G', 'Enhed G', 'C', '')"
        )
        for unit, n in (("P", 2), ("G", 5)):
            for i in range(n):
                cur.execute("INSERT INTO employees VALUES (?)", [f"{unit}{i}"])
                cur.execute(
                    "INSERT INTO employments VALUES (?, ?, DATE '2020-01-01', NULL, 1, 'SSA')", [f"{unit}{i}", unit]
                )

    store.write(work)
    period = (date(2025, 1, 1), date(2025, 12, 31))
    standard = absence.summary(store, *period).table.set_index("unit_id")["suppressed"]
    assert standard[["P", "V"]].all() and not standard[["C", "G"]].any()
    stricter = absence.summary(store, *period, min_persons=7).table.set_index("unit_id")["suppressed"]
    assert stricter[standard].all()  # every unit hidden in the standard file is hidden in the stricter one
