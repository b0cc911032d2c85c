"""Disclosure control, attacked: random trees, then linear algebra over what is left visible."""

from datetime import date
from unittest.mock import patch

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from attacker import (
    assert_nothing_small_derivable,
    assert_nothing_small_derivable_in_grid,
    assert_regions_safe,
)
from trivsel.disclosure import COMPLEMENTARY, PRIMARY, protect, rules, visible_comments
from trivsel.disclosure.comments import NAME_MARK
from trivsel.disclosure.rules import PeriodError, check_whole_months, protect_grid


@st.composite
def unit_trees(draw):
    """A random forest of units with persons directly in each unit (many small groups)."""
    n = draw(st.integers(1, 18))
    parents = [None] + [draw(st.one_of(st.none(), st.integers(0, i - 1))) if i > 0 else None for i in range(1, n)]
    direct = [draw(st.sampled_from([0, 0, 1, 2, 3, 4, 5, 6, 8, 12, 20])) for _ in range(n)]
    threshold = draw(st.integers(3, 10))
    return parents, direct, threshold


def subtree(parents, u):
    return {u}.union(*(subtree(parents, v) for v, p in enumerate(parents) if p == u))


def table(parents, direct):
    counts = [sum(direct[v] for v in subtree(parents, u)) for u in range(len(parents))]
    return pd.DataFrame(
        {
            "unit_id": [f"u{u}" for u in range(len(parents))],
            "parent_id": [f"u{p}" if p is not None else None for p in parents],
            "persons": counts,
            "direct": direct,
            # A figure that adds up like sick days: each person contributes a distinct amount.
            "sick_days": [sum(direct[v] * (v + 1) for v in subtree(parents, u)) for u in range(len(parents))],
        }
    )


def attack(parents, direct, threshold, result):
    direct_of = {f"u{u}": n for u, n in enumerate(direct)}
    assert_nothing_small_derivable(result.table, direct_of, threshold)
    assert_regions_safe(result.table, direct_of, threshold)


@settings(max_examples=600, deadline=None)
@given(unit_trees())
def test_no_small_group_is_derivable_with_known_direct_counts(tree):
    parents, direct, threshold = tree
    result = protect(
        table(parents, direct),
        threshold=threshold,
        noun="personer",
        count="persons",
        values=["sick_days"],
        direct_count="direct",
    )
    attack(parents, direct, threshold, result)


@settings(max_examples=600, deadline=None)
@given(unit_trees())
def test_no_small_group_is_derivable_with_inferred_direct_counts(tree):
    parents, direct, threshold = tree
    result = protect(
        table(parents, direct), threshold=threshold, noun="personer", count="persons", values=["sick_days"]
    )
    attack(parents, direct, threshold, result)


@settings(max_examples=500, deadline=None)
@given(unit_trees())
def test_every_cell_under_the_threshold_is_hidden_and_blank(tree):
    parents, direct, threshold = tree
    cells = table(parents, direct)
    result = protect(
        cells, threshold=threshold, noun="personer", count="persons", values=["sick_days"], direct_count="direct"
    ).table
    small = cells["persons"] < threshold
    assert (result.loc[small, "suppression_reason"] == PRIMARY).all()
    # At the threshold or above, a cell is never hidden as too small (at most to protect another).
    assert (result.loc[~small, "suppression_reason"] != PRIMARY).all()
    assert result.loc[result["suppressed"], ["persons", "sick_days"]].isna().all().all()
    shown = ~result["suppressed"]
    assert (result.loc[shown, "persons"].astype(int) == cells.loc[shown, "persons"]).all()


@settings(max_examples=400, deadline=None)
@given(unit_trees(), st.data())
def test_cells_hidden_beforehand_stay_hidden_and_cannot_be_derived(tree, data):
    # Cells another table hides (a month, a spell length) are hidden here too, whatever their size,
    # and neither they nor anything small can be worked out from what is left.
    parents, direct, threshold = tree
    cells = table(parents, direct)
    before = pd.Series(data.draw(st.lists(st.booleans(), min_size=len(cells), max_size=len(cells))), index=cells.index)
    result = protect(
        cells,
        threshold=threshold,
        noun="personer",
        count="persons",
        values=["sick_days"],
        direct_count="direct",
        suppressed=before,
    )
    assert result.table.loc[before, "suppressed"].all()
    attack(parents, direct, threshold, result)


@st.composite
def grids(draw):
    """A random tree × 2-4 parts (spell lengths, months) with persons per unit and part, and a total."""
    parents, _, threshold = draw(unit_trees())
    parts = [f"s{i}" for i in range(draw(st.integers(2, 4)))]
    direct = {(u, s): draw(st.sampled_from([0, 0, 1, 2, 3, 5, 8, 20])) for u in range(len(parents)) for s in parts}
    hidden_totals = draw(st.lists(st.booleans(), min_size=len(parents), max_size=len(parents)))
    return parents, parts, direct, threshold, hidden_totals


def grid_table(parents, parts, direct) -> pd.DataFrame:
    rows = []
    for u in range(len(parents)):
        below = subtree(parents, u)
        for s in [*parts, "T"]:
            some = parts if s == "T" else [s]
            rows.append(
                {
                    "unit_id": f"u{u}",
                    "parent_id": f"u{parents[u]}" if parents[u] is not None else None,
                    "split": s,
                    "persons": sum(direct[v, p] for v in below for p in some),
                    "direct": sum(direct[u, p] for p in some),
                    "spells": sum(direct[v, p] * (v + 2) for v in below for p in some),
                }
            )
    return pd.DataFrame(rows)


@settings(max_examples=400, deadline=None)
@given(grids())
def test_no_small_group_is_derivable_from_a_table_split_two_ways(grid):
    parents, parts, direct, threshold, hidden_totals = grid
    cells = grid_table(parents, parts, direct)
    # Totals hidden beforehand, as a unit's spells begun are when its row is hidden.
    before = (cells["split"] == "T") & cells["unit_id"].map({f"u{u}": h for u, h in enumerate(hidden_totals)})
    result = protect_grid(
        cells,
        threshold=threshold,
        noun="personer",
        count="persons",
        values=["spells"],
        split="split",
        total="T",
        direct_count="direct",
        suppressed=before,
    ).table
    assert result.loc[before, "suppressed"].all()
    assert (result.loc[cells["persons"] < threshold, "suppressed"]).all()
    assert result.loc[result["suppressed"], ["persons", "spells"]].isna().all().all()
    assert_nothing_small_derivable_in_grid(
        result, {(f"u{u}", s): n for (u, s), n in direct.items()}, threshold, split="split", total="T"
    )


@settings(max_examples=300, deadline=None)
@given(grids())
def test_a_table_too_large_to_check_shows_a_total_only_with_all_its_parts(grid):
    parents, parts, direct, threshold, hidden_totals = grid
    cells = grid_table(parents, parts, direct)
    before = (cells["split"] == "T") & cells["unit_id"].map({f"u{u}": h for u, h in enumerate(hidden_totals)})
    with patch.object(rules, "AUDIT_LIMIT", -1):
        result = protect_grid(
            cells,
            threshold=threshold,
            noun="personer",
            count="persons",
            values=["spells"],
            split="split",
            total="T",
            direct_count="direct",
            suppressed=before,
        ).table
    assert result.loc[before, "suppressed"].all()
    for _, unit in result.groupby("unit_id"):
        total_shown = not unit.loc[unit["split"] == "T", "suppressed"].iloc[0]
        parts_with_members = unit[(unit["split"] != "T") & (cells.loc[unit.index, "persons"] > 0)]
        assert not total_shown or not parts_with_members["suppressed"].any()
    assert_nothing_small_derivable_in_grid(
        result, {(f"u{u}", s): n for (u, s), n in direct.items()}, threshold, split="split", total="T"
    )


def test_a_hidden_spell_length_hides_another_so_the_total_cannot_give_it_away():
    # All spells 40 (20 persons): 1-4 days 12 persons, 5-13 days 6, 14+ days 2 (hidden). The total minus
    # the two visible lengths would be the 2 persons' spells, so the smaller visible length goes too.
    cells = pd.DataFrame(
        {
            "unit_id": ["A"] * 4,
            "parent_id": [None] * 4,
            "bucket": ["I alt", "1-4", "5-13", "14+"],
            "persons": [20, 12, 6, 2],
            "spells": [40, 30, 8, 2],
        }
    )
    result = protect_grid(
        cells, threshold=5, noun="personer", count="persons", values=["spells"], split="bucket", total="I alt"
    ).table.set_index("bucket")
    assert result["suppressed"].to_dict() == {"I alt": False, "1-4": False, "5-13": True, "14+": True}
    assert result.loc["5-13", "suppression_reason"] == COMPLEMENTARY


def test_a_total_hidden_elsewhere_is_not_left_as_the_sum_of_its_visible_parts():
    cells = pd.DataFrame(
        {
            "unit_id": ["A"] * 3,
            "parent_id": [None] * 3,
            "bucket": ["I alt", "1-4", "5+"],
            "persons": [20, 12, 8],
            "spells": [40, 30, 10],
        }
    )
    result = protect_grid(
        cells,
        threshold=5,
        noun="personer",
        count="persons",
        values=["spells"],
        split="bucket",
        total="I alt",
        suppressed=pd.Series([True, False, False]),
    ).table
    assert result["suppressed"].tolist() == [True, False, True]


def test_lines_safe_one_by_one_are_checked_together():
    # Solgården's departments in 2025 (persons with a spell of each length). Line by line every hidden
    # length is covered, but Øst's and Vest's totals, the 28-55 and the 56+ columns together give
    # Demensafsnittet's 56+ spells; the exact check finds that and hides a total.
    own = {"SOL": [11, 5, 2, 0, 0], "DE": [47, 28, 12, 7, 6], "OE": [45, 20, 14, 6, 4], "VE": [50, 28, 16, 6, 4]}
    lengths = ["1-4", "5-13", "14-27", "28-55", "56+"]
    rows = []
    for unit in own:
        below = [unit] if unit != "SOL" else list(own)
        for i, length in enumerate([*lengths, "I alt"]):
            take = range(5) if length == "I alt" else [i]
            rows.append(
                {
                    "unit_id": unit,
                    "parent_id": None if unit == "SOL" else "SOL",
                    "bucket": length,
                    "persons": sum(own[u][j] for u in below for j in take),
                    "direct": sum(own[unit][j] for j in take),
                    "spells": sum(3 * own[u][j] for u in below for j in take),
                }
            )
    result = protect_grid(
        pd.DataFrame(rows),
        threshold=5,
        noun="personer",
        count="persons",
        values=["spells"],
        split="bucket",
        total="I alt",
        direct_count="direct",
    ).table
    shown = result.set_index(["unit_id", "bucket"])["suppressed"]
    assert shown["DE", "56+"] and shown["OE", "56+"] and shown["VE", "56+"]
    assert shown.xs("I alt", level="bucket").any() and not shown["SOL", "I alt"]
    assert_nothing_small_derivable_in_grid(
        result, {(u, b): n for u in own for b, n in zip(lengths, own[u])}, 5, split="bucket", total="I alt"
    )


@pytest.mark.parametrize(
    "period, as_of, message",
    [
        ((date(2025, 1, 2), date(2025, 1, 31)), None, "begynde den 1. i en måned"),
        ((date(2025, 1, 1), date(2025, 1, 30)), None, "slutte på en måneds sidste dag"),
        ((date(2025, 1, 1), date(2025, 1, 31)), date(2025, 2, 3), "Opgørelsesdatoen skal være en måneds sidste dag"),
    ],
)
def test_periods_are_whole_calendar_months(period, as_of, message):
    with pytest.raises(PeriodError, match=message):
        check_whole_months(*period, as_of)
    check_whole_months(date(2024, 2, 1), date(2024, 2, 29), date(2024, 12, 31))  # a leap year's February


def test_a_region_is_checked_again_after_a_suppression_below_it():
    # u0 > u1 > u2 > (u3 > u5 with 6, u4 with 1); threshold 6. Hiding u4 makes u2 hide u3, which
    # changes the region of u2's nearest visible ancestor: that one must be checked again, or a visible
    # parent minus its visible children leaves the 1 person of u4.
    parents, direct, threshold = [None, 0, 1, 2, 2, 3], [0, 0, 0, 0, 1, 6], 6
    for direct_count in ("direct", None):
        result = protect(
            table(parents, direct),
            threshold=threshold,
            noun="personer",
            count="persons",
            values=["sick_days"],
            direct_count=direct_count,
        )
        attack(parents, direct, threshold, result)


def test_small_child_hides_its_smallest_sibling_too():
    cells = pd.DataFrame(
        {
            "unit_id": ["P", "A", "B", "C"],
            "parent_id": [None, "P", "P", "P"],
            "persons": [32, 3, 9, 20],
            "rate": [6.0, 12.0, 5.0, 5.5],
        }
    )
    result = protect(cells, threshold=5, noun="personer", count="persons", values=["rate"]).table
    reasons = result.set_index("unit_id")["suppression_reason"]
    assert (reasons["A"], reasons["B"]) == (PRIMARY, COMPLEMENTARY)
    assert result.set_index("unit_id")["suppressed"].to_dict() == {"P": False, "A": True, "B": True, "C": False}


def test_small_direct_staff_of_a_parent_is_protected():
    # The leader and a secretary sit directly in P: P minus its departments would show their figures.
    cells = pd.DataFrame(
        {
            "unit_id": ["P", "A", "B"],
            "parent_id": [None, "P", "P"],
            "persons": [32, 10, 20],
            "direct": [2, 10, 20],
            "rate": [6.0, 5.0, 7.0],
        }
    )
    result = protect(cells, threshold=5, noun="personer", count="persons", values=["rate"], direct_count="direct").table
    assert result["suppressed"].tolist() == [False, True, False]


def test_only_child_under_threshold_hides_the_parent():
    cells = pd.DataFrame(
        {"unit_id": ["P", "A"], "parent_id": [None, "P"], "persons": [12, 3], "direct": [9, 3], "rate": [6.0, 5.0]}
    )
    result = protect(cells, threshold=5, noun="personer", count="persons", values=["rate"], direct_count="direct").table
    # P's own 9 people plus A's 3: hiding A alone leaves P minus nothing = P, which is fine (region 12 >= 5).
    assert result["suppressed"].tolist() == [False, True]


def test_groups_are_protected_independently():
    cells = pd.DataFrame(
        {
            "unit_id": ["P", "A", "B"] * 2,
            "parent_id": [None, "P", "P"] * 2,
            "month": ["2025-01"] * 3 + ["2025-02"] * 3,
            "persons": [20, 10, 10, 20, 2, 18],
            "rate": [1.0] * 6,
        }
    )
    result = protect(cells, threshold=5, noun="personer", count="persons", values=["rate"], group_by=("month",)).table
    assert result["suppressed"].tolist() == [False, False, False, False, True, True]


def test_hidden_label_is_words_not_a_number():
    cells = pd.DataFrame({"unit_id": ["A"], "parent_id": [None], "persons": [2], "rate": [4.0]})
    assert (
        protect(cells, threshold=5, noun="svar", count="persons", values=["rate"]).hidden_label() == "færre end 5 svar"
    )


def test_comments_need_their_own_threshold_and_lose_names():
    comments = ["Mette og Lars gør et godt stykke arbejde", "For travlt om aftenen", ""]
    assert visible_comments(comments, respondents=9, threshold=10) is None
    shown = visible_comments(comments, respondents=10, threshold=10)
    assert sorted(shown) == sorted([f"{NAME_MARK} og {NAME_MARK} gør et godt stykke arbejde", "For travlt om aftenen"])


def test_comment_order_is_shuffled():
    comments = [f"kommentar {i}" for i in range(30)]
    orders = {tuple(visible_comments(comments, respondents=30, threshold=10)) for _ in range(5)}
    assert len(orders) > 1


@pytest.mark.parametrize("threshold", [0, -1])
def test_threshold_must_be_positive(threshold):
    cells = pd.DataFrame({"unit_id": ["A"], "parent_id": [None], "persons": [2], "rate": [4.0]})
    with pytest.raises(ValueError):
        protect(cells, threshold=threshold, noun="svar", count="persons", values=["rate"])
