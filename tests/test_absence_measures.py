"""Absence measures against hand-computed figures, and the demo against a naive day-by-day count."""

from datetime import date, timedelta

import pandas as pd
import pytest

from trivsel.absence.measures import monthly_persons, monthly_rates, period_figures, unit_summary

# V ─┬─ A ─┬─ A1
#    │     └─ A2
#    └─ B
TREE = [
    ("V", "Velfærdsområdet", None),
    ("A", "Område A", "V"),
    ("A1", "Afdeling A1", "A"),
    ("A2", "Afdeling A2", "A"),
    ("B", "Område B", "V"),
]
MARCH = (date(2024, 3, 1), date(2024, 3, 31))


def d(text: str) -> date:
    return date.fromisoformat(text)


@pytest.fixture
def org(store):
    store.write(lambda cur: cur.executemany("INSERT INTO units VALUES (?, ?, ?, '')", TREE))
    return store


def employ(store, employee: str, unit: str, start: str, end: str | None = None, fte: float = 1.0) -> None:
    def work(cur):
        cur.execute("INSERT OR IGNORE INTO employees VALUES (?)", [employee])
        cur.execute(
            "INSERT INTO employments VALUES (?, ?, ?, ?, ?, 'SSA')", [employee, unit, d(start), end and d(end), fte]
        )

    store.write(work)


def sick(store, employee: str, start: str, end: str | None, kind: str = "sygdom", degree: float = 1.0) -> None:
    store.write(
        lambda cur: cur.execute(
            "INSERT INTO absence_spells VALUES (?, ?, ?, ?, ?)", [employee, d(start), end and d(end), kind, degree]
        )
    )


def by_unit(df: pd.DataFrame) -> dict[str, dict]:
    return {r["unit_id"]: r for r in df.to_dict("records")}


def test_columns_tree_order_and_units_without_staff(org):
    employ(org, "E1", "A1", "2020-01-01")
    summary = unit_summary(org, *MARCH)
    assert list(summary.columns) == [
        "unit_id",
        "unit_name",
        "parent_id",
        "period_start",
        "period_end",
        "persons",
        "employed_fte_days",
        "absence_fte_days",
        "absence_rate_pct",
        "spells_started",
        "reached_day5",
        "reached_day14",
        "reached_day28",
        "reached_day56",
        "child_sick_fte_days",
    ]
    assert summary["unit_id"].tolist() == ["V", "A", "A1", "A2", "B"]
    empty = by_unit(summary)["B"]
    assert (empty["persons"], empty["employed_fte_days"], empty["spells_started"]) == (0, 0.0, 0)
    assert pd.isna(empty["absence_rate_pct"])
    assert (empty["period_start"], empty["period_end"]) == MARCH
    assert unit_summary(org, *MARCH, unit_id="A")["unit_id"].tolist() == ["A", "A1", "A2"]


def test_spells_crossing_the_period_edges_count_only_their_days_inside(org):
    employ(org, "E1", "A1", "2020-01-01")
    sick(org, "E1", "2024-02-25", "2024-03-04")  # 4 days in March, started before it
    sick(org, "E1", "2024-03-30", "2024-04-05")  # 2 days in March, lasts 7 days
    row = by_unit(unit_summary(org, *MARCH))["A1"]
    assert row["employed_fte_days"] == 31
    assert row["absence_fte_days"] == 6
    assert row["absence_rate_pct"] == pytest.approx(600 / 31)
    assert (row["spells_started"], row["reached_day5"], row["reached_day14"]) == (1, 1, 0)


def test_a_transfer_mid_spell_splits_the_days_but_the_spell_starts_in_one_unit(org):
    employ(org, "E2", "A1", "2023-01-01", "2024-03-15")
    employ(org, "E2", "A2", "2024-03-16", fte=0.8)
    sick(org, "E2", "2024-03-10", "2024-03-20")  # 6 days in A1, 5 days in A2, 11 days long
    units = by_unit(unit_summary(org, *MARCH))
    assert (units["A1"]["employed_fte_days"], units["A1"]["absence_fte_days"]) == (15, 6)
    assert units["A2"]["employed_fte_days"] == pytest.approx(16 * 0.8)
    assert units["A2"]["absence_fte_days"] == pytest.approx(5 * 0.8)
    assert units["A"]["absence_fte_days"] == pytest.approx(6 + 4)
    assert units["A"]["absence_rate_pct"] == pytest.approx(100 * 10 / (15 + 12.8))
    assert units["A"]["persons"] == 1
    assert [units[u]["spells_started"] for u in ("V", "A", "A1", "A2", "B")] == [1, 1, 1, 0, 0]
    assert [units[u]["reached_day5"] for u in ("A1", "A2")] == [1, 0]


def test_partial_sick_leave_counts_its_degree(org):
    employ(org, "E3", "B", "2020-01-01", fte=0.8)
    sick(org, "E3", "2024-03-05", "2024-03-14", degree=0.5)
    row = by_unit(unit_summary(org, *MARCH))["B"]
    assert row["absence_fte_days"] == pytest.approx(10 * 0.8 * 0.5)
    assert row["absence_rate_pct"] == pytest.approx(100 * 4 / (31 * 0.8))


def test_an_ongoing_spell_lasts_until_the_as_of_date(org):
    employ(org, "E4", "B", "2020-01-01")
    sick(org, "E4", "2024-03-20", None)
    milestones = ["reached_day5", "reached_day14", "reached_day28", "reached_day56"]
    default = by_unit(unit_summary(org, *MARCH))["B"]  # as of 31-03: 12 days
    assert default["absence_fte_days"] == 12
    assert [default[m] for m in milestones] == [1, 0, 0, 0]
    later = by_unit(unit_summary(org, *MARCH, as_of=d("2024-04-16")))["B"]  # 28 days
    assert later["absence_fte_days"] == 12
    assert [later[m] for m in milestones] == [1, 1, 1, 0]
    custom = unit_summary(org, *MARCH, as_of=d("2024-04-16"), milestones=(2, 29))
    assert by_unit(custom)["B"]["reached_day2"] == 1 and by_unit(custom)["B"]["reached_day29"] == 0


def test_february_of_a_leap_year_has_29_days(org):
    employ(org, "E5", "A2", "2020-01-01")
    sick(org, "E5", "2024-02-28", "2024-03-02")
    row = by_unit(unit_summary(org, d("2024-02-01"), d("2024-02-29")))["A2"]
    assert (row["employed_fte_days"], row["absence_fte_days"]) == (29, 2)
    assert row["absence_rate_pct"] == pytest.approx(200 / 29)


def test_two_concurrent_half_time_employments(org):
    employ(org, "E6", "A1", "2020-01-01", fte=0.5)
    employ(org, "E6", "B", "2020-01-01", fte=0.5)
    sick(org, "E6", "2024-03-11", "2024-03-20")
    units = by_unit(unit_summary(org, *MARCH))
    for unit in ("A1", "A", "B"):
        assert (units[unit]["employed_fte_days"], units[unit]["absence_fte_days"]) == (15.5, 5)
    assert (units["V"]["persons"], units["V"]["employed_fte_days"], units["V"]["absence_fte_days"]) == (1, 31, 10)
    assert [units[u]["spells_started"] for u in ("V", "A", "A1", "A2", "B")] == [1, 1, 1, 0, 1]


def test_a_spell_counts_once_in_a_parent_whose_children_both_employ_the_person(org):
    employ(org, "E7", "A1", "2020-01-01", fte=0.5)
    employ(org, "E7", "A2", "2020-01-01", fte=0.5)
    sick(org, "E7", "2024-03-04", "2024-03-08")
    units = by_unit(unit_summary(org, *MARCH))
    assert [units[u]["spells_started"] for u in ("V", "A", "A1", "A2", "B")] == [1, 1, 1, 1, 0]
    assert [units[u]["reached_day5"] for u in ("V", "A", "A1", "A2")] == [1, 1, 1, 1]
    assert units["A"]["absence_fte_days"] == 5


def test_days_outside_every_employment_are_not_absence(org):
    employ(org, "E8", "B", "2024-03-11", "2024-03-20")
    sick(org, "E8", "2024-03-06", "2024-03-12")  # starts before the employment
    row = by_unit(unit_summary(org, *MARCH))["B"]
    assert (row["employed_fte_days"], row["absence_fte_days"], row["spells_started"]) == (10, 2, 0)


def test_child_sickness_is_reported_apart_from_the_sickness_rate(org):
    employ(org, "E9", "A1", "2020-01-01", fte=0.5)
    sick(org, "E9", "2024-03-04", "2024-03-05", kind="barns_sygdom")
    sick(org, "E9", "2024-03-11", "2024-03-13", kind="arbejdsskade")
    row = by_unit(unit_summary(org, *MARCH))["A1"]
    assert row["child_sick_fte_days"] == 1
    assert row["absence_fte_days"] == 1.5
    assert row["spells_started"] == 1


def test_monthly_rates_clip_the_months_to_the_period(org):
    employ(org, "E1", "A1", "2020-01-01")
    sick(org, "E1", "2024-01-30", "2024-02-02")
    rates = monthly_rates(org, ["A", "B"], d("2024-01-15"), d("2024-03-10"))
    assert list(rates.columns) == [
        "unit_id",
        "month",
        "persons",
        "employed_fte_days",
        "absence_fte_days",
        "absence_rate_pct",
    ]
    a = rates[rates["unit_id"] == "A"]
    assert a["month"].tolist() == [d("2024-01-01"), d("2024-02-01"), d("2024-03-01")]
    assert a["employed_fte_days"].tolist() == [17, 29, 10]
    assert a["absence_fte_days"].tolist() == [2, 2, 0]
    assert a["absence_rate_pct"].tolist() == pytest.approx([200 / 17, 200 / 29, 0])
    b = rates[rates["unit_id"] == "B"]
    assert b["persons"].tolist() == [0, 0, 0] and b["absence_rate_pct"].isna().all()


def test_duration_buckets_count_spells_and_persons(org):
    employ(org, "E1", "A1", "2020-01-01")
    employ(org, "E2", "A2", "2020-01-01")
    for start, days in (
        ("2024-01-01", 1),
        ("2024-01-03", 4),
        ("2024-01-10", 5),
        ("2024-01-20", 13),
        ("2024-02-10", 14),
        ("2024-03-01", 28),
        ("2024-04-01", 55),
    ):
        sick(org, "E1", start, (d(start) + timedelta(days=days - 1)).isoformat())
    sick(org, "E2", "2024-01-02", "2024-01-03")
    sick(org, "E2", "2024-06-03", None)  # 56 days until the as-of date
    sick(org, "E2", "2024-02-01", "2024-02-01", kind="barns_sygdom")
    sick(org, "E2", "2023-12-20", "2023-12-22")  # started before the period
    summary, lengths = period_figures(org, d("2024-01-01"), d("2024-06-30"), as_of=d("2024-07-28"))
    by = lengths.set_index(["unit_id", "bucket"])
    assert by.loc["A"].reset_index().values.tolist() == [
        ["1–4", 3, 2, 0],
        ["5–13", 2, 1, 0],
        ["14–27", 1, 1, 0],
        ["28–55", 2, 1, 0],
        ["56+", 1, 1, 0],
    ]
    assert by.loc["A1", "direct_persons"].tolist() == [1, 1, 1, 1, 0]  # E1's spells began in A1 itself
    assert by.loc["A2", "direct_persons"].tolist() == [1, 0, 0, 0, 1]
    assert by.loc["B", "spells"].tolist() == [0] * 5
    # The buckets from day N up are the spells that reached day N.
    a = summary.set_index("unit_id").loc["A"]
    assert (a["spells_started"], a["reached_day14"], a["reached_day56"]) == (9, 4, 1)


def test_monthly_persons_count_the_subtree_and_the_unit_itself(org):
    employ(org, "E1", "A1", "2020-01-01")
    employ(org, "E2", "A", "2024-02-10", "2024-02-20")
    employ(org, "E1", "A2", "2024-02-15", "2024-02-28", fte=0.2)  # a second job: counted once in A
    persons = monthly_persons(org, d("2024-01-15"), d("2024-02-29")).set_index(["unit_id", "start"])
    assert persons.loc[("A", d("2024-01-15")), ["end", "persons", "direct_persons"]].tolist() == [d("2024-01-31"), 1, 0]
    assert persons.loc[("A", d("2024-02-01")), ["persons", "direct_persons"]].tolist() == [2, 1]
    assert persons.loc[("V", d("2024-02-01")), ["persons", "direct_persons"]].tolist() == [2, 0]
    assert persons.loc[("A2", d("2024-02-01")), "persons"] == 1 and persons.loc[("B", d("2024-02-01")), "persons"] == 0


def test_bad_arguments_are_refused_in_danish(org):
    with pytest.raises(ValueError, match="Opgørelsesdatoen 30-03-2024 ligger før periodens slutning"):
        unit_summary(org, *MARCH, as_of=d("2024-03-30"))
    with pytest.raises(ValueError, match="Perioden er tom"):
        monthly_rates(org, ["A"], MARCH[1], MARCH[0])
    with pytest.raises(ValueError, match="Ukendt enhed: X"):
        period_figures(org, *MARCH, unit_id="X")


def test_demo_rate_for_2023_is_realistic(demo_store):
    root = unit_summary(demo_store, d("2023-01-01"), d("2023-12-31")).iloc[0]
    assert root["parent_id"] is None or pd.isna(root["parent_id"])
    assert 5 < root["absence_rate_pct"] < 9


def test_demo_root_matches_a_naive_day_by_day_count(demo_store):
    first, last = d("2024-02-01"), d("2024-02-29")
    days = pd.DataFrame({"day": pd.date_range(first, last)})
    jobs = demo_store.query_df("SELECT employee_id, start_date, end_date, fte FROM employments")
    jobs = jobs.merge(days, how="cross")
    jobs = jobs[(jobs["day"] >= jobs["start_date"]) & (jobs["end_date"].isna() | (jobs["day"] <= jobs["end_date"]))]
    spells = demo_store.query_df("SELECT * FROM absence_spells WHERE absence_type <> 'barns_sygdom'")
    spells = spells.merge(days, how="cross")
    spells = spells[
        (spells["day"] >= spells["start_date"]) & (spells["day"] <= spells["end_date"].fillna(pd.Timestamp(last)))
    ]
    absent = jobs.merge(spells, on=["employee_id", "day"])

    root = unit_summary(demo_store, first, last).iloc[0]
    assert root["employed_fte_days"] == pytest.approx(jobs["fte"].sum())
    assert root["absence_fte_days"] == pytest.approx((absent["fte"] * absent["degree"]).sum())
    assert root["persons"] == jobs["employee_id"].nunique()


def test_demo_monthly_persons_match_a_naive_count_of_each_month(demo_store):
    # Counted by steps for people with one employment in the period, split by month for the others: the
    # same persons per subtree and per unit as a plain count of who was employed in each month. The demo
    # has one employment per person, so some move unit mid-month and some take a second job.
    first, last = d("2023-06-15"), d("2024-03-10")
    units = demo_store.query_df("SELECT unit_id, parent_id FROM units")
    staff = demo_store.query_df(
        "SELECT employee_id, unit_id FROM employments WHERE end_date IS NULL AND start_date < '2023-01-01' "
        "ORDER BY employee_id LIMIT 40"
    )
    other = {u: units["unit_id"].iloc[(i * 7) % len(units)] for i, u in enumerate(staff["unit_id"])}

    def move_and_add(cur):
        for i, (employee, unit) in enumerate(staff.itertuples(index=False)):
            if i % 2:  # moves on the 20th of a month
                cur.execute("UPDATE employments SET end_date = ? WHERE employee_id = ?", [d("2023-09-19"), employee])
                cur.execute(
                    "INSERT INTO employments VALUES (?, ?, ?, NULL, 1.0, 'SSA')",
                    [employee, other[unit], d("2023-09-20")],
                )
            else:  # a second job over three months, sometimes in the same unit
                second = unit if i % 4 == 0 else other[unit]
                cur.execute(
                    "INSERT INTO employments VALUES (?, ?, ?, ?, 0.2, 'SSA')",
                    [employee, second, d("2023-11-05"), d("2024-01-31")],
                )

    demo_store.write(move_and_add)
    persons = monthly_persons(demo_store, first, last)
    jobs = demo_store.query_df("SELECT employee_id, unit_id, start_date, end_date FROM employments")
    parent = units.set_index("unit_id")["parent_id"]
    for start, end in persons[["start", "end"]].drop_duplicates().itertuples(index=False):
        employed = jobs[(jobs["start_date"].dt.date <= end) & ~(jobs["end_date"].dt.date < start)]
        month = persons[persons["start"] == start].set_index("unit_id")
        direct = employed.groupby("unit_id")["employee_id"].nunique()
        assert month["direct_persons"].to_dict() == direct.reindex(month.index, fill_value=0).to_dict()
        above = []  # each employment with every unit above it: the subtrees it is counted in
        for employee, unit in employed[["employee_id", "unit_id"]].itertuples(index=False):
            while isinstance(unit, str):
                above.append((unit, employee))
                unit = parent[unit]
        subtree = pd.DataFrame(above, columns=["unit_id", "employee_id"]).groupby("unit_id")["employee_id"].nunique()
        assert month["persons"].to_dict() == subtree.reindex(month.index, fill_value=0).to_dict()
