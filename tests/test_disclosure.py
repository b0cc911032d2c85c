"""Disclosure control, attacked: random trees, then linear algebra over what is left visible."""

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from attacker import assert_nothing_small_derivable
from trivsel.disclosure import COMPLEMENTARY, PRIMARY, protect, visible_comments
from trivsel.disclosure.comments import NAME_MARK


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
    return pd.DataFrame({
        "unit_id": [f"u{u}" for u in range(len(parents))],
        "parent_id": [f"u{p}" if p is not None else None for p in parents],
        "persons": counts,
        "direct": direct,
        # A figure that adds up like sick days: each person contributes a distinct amount.
        "sick_days": [sum(direct[v] * (v + 1) for v in subtree(parents, u)) for u in range(len(parents))],
    })


def attack(parents, direct, threshold, result):
    assert_nothing_small_derivable(result.table, {f"u{u}": n for u, n in enumerate(direct)}, threshold)


@settings(max_examples=600, deadline=None)
@given(unit_trees())
def test_no_small_group_is_derivable_with_known_direct_counts(tree):
    parents, direct, threshold = tree
    result = protect(table(parents, direct), threshold=threshold, noun="personer", count="persons",
                     values=["sick_days"], direct_count="direct")
    attack(parents, direct, threshold, result)


@settings(max_examples=600, deadline=None)
@given(unit_trees())
def test_no_small_group_is_derivable_with_inferred_direct_counts(tree):
    parents, direct, threshold = tree
    result = protect(table(parents, direct), threshold=threshold, noun="personer", count="persons",
                     values=["sick_days"])
    attack(parents, direct, threshold, result)


@settings(max_examples=500, deadline=None)
@given(unit_trees())
def test_every_cell_under_the_threshold_is_hidden_and_blank(tree):
    parents, direct, threshold = tree
    cells = table(parents, direct)
    result = protect(cells, threshold=threshold, noun="personer", count="persons", values=["sick_days"],
                     direct_count="direct").table
    small = cells["persons"] < threshold
    assert (result.loc[small, "suppression_reason"] == PRIMARY).all()
    assert result.loc[result["suppressed"], ["persons", "sick_days"]].isna().all().all()
    shown = ~result["suppressed"]
    assert (result.loc[shown, "persons"].astype(int) == cells.loc[shown, "persons"]).all()


def test_small_child_hides_its_smallest_sibling_too():
    cells = pd.DataFrame({
        "unit_id": ["P", "A", "B", "C"], "parent_id": [None, "P", "P", "P"],
        "persons": [32, 3, 9, 20], "rate": [6.0, 12.0, 5.0, 5.5],
    })
    result = protect(cells, threshold=5, noun="personer", count="persons", values=["rate"]).table
    reasons = result.set_index("unit_id")["suppression_reason"]
    assert (reasons["A"], reasons["B"]) == (PRIMARY, COMPLEMENTARY)
    assert result.set_index("unit_id")["suppressed"].to_dict() == {"P": False, "A": True, "B": True, "C": False}


def test_small_direct_staff_of_a_parent_is_protected():
    # The leader and a secretary sit directly in P: P minus its departments would show their figures.
    cells = pd.DataFrame({"unit_id": ["P", "A", "B"], "parent_id": [None, "P", "P"],
                          "persons": [32, 10, 20], "direct": [2, 10, 20], "rate": [6.0, 5.0, 7.0]})
    result = protect(cells, threshold=5, noun="personer", count="persons", values=["rate"],
                     direct_count="direct").table
    assert result["suppressed"].tolist() == [False, True, False]


def test_only_child_under_threshold_hides_the_parent():
    cells = pd.DataFrame({"unit_id": ["P", "A"], "parent_id": [None, "P"], "persons": [12, 3], "direct": [9, 3],
                          "rate": [6.0, 5.0]})
    result = protect(cells, threshold=5, noun="personer", count="persons", values=["rate"],
                     direct_count="direct").table
    # P's own 9 people plus A's 3: hiding A alone leaves P minus nothing = P, which is fine (region 12 >= 5).
    assert result["suppressed"].tolist() == [False, True]


def test_groups_are_protected_independently():
    cells = pd.DataFrame({"unit_id": ["P", "A", "B"] * 2, "parent_id": [None, "P", "P"] * 2,
                          "month": ["2025-01"] * 3 + ["2025-02"] * 3,
                          "persons": [20, 10, 10, 20, 2, 18], "rate": [1.0] * 6})
    result = protect(cells, threshold=5, noun="personer", count="persons", values=["rate"],
                     group_by=("month",)).table
    assert result["suppressed"].tolist() == [False, False, False, False, True, True]


def test_hidden_label_is_words_not_a_number():
    cells = pd.DataFrame({"unit_id": ["A"], "parent_id": [None], "persons": [2], "rate": [4.0]})
    assert protect(cells, threshold=5, noun="svar", count="persons", values=["rate"]).hidden_label() == \
        "færre end 5 svar"


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
