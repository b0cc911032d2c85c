"""Scoring against published worked examples and hand-computed respondent figures."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from trivsel.scoring import (
    WHO5_BANDS,
    dimension_scores,
    enps,
    likert_points,
    respondent_scores,
    stay_share,
    who5_band,
    who5_score,
)
from trivsel.surveys import WHO5_ITEMS, Item, Section, Survey, Text, load_survey

TRIVSEL = Path(__file__).parents[1] / "surveys" / "trivsel.yaml"


def likert(item_id: str, dimension: str, reverse: bool = False) -> Item:
    return Item(item_id, "likert5", Text(item_id), dimension=dimension, reverse=reverse)


# Dimension a has four items (a4 reverse-scored), b has two.
SURVEY = Survey(
    "test",
    1,
    True,
    Text("Test"),
    Text("Test"),
    {"a": Text("A"), "b": Text("B")},
    (
        Section(
            "s",
            Text("S"),
            (
                likert("a1", "a"),
                likert("a2", "a"),
                likert("a3", "a"),
                likert("a4", "a", reverse=True),
                likert("b1", "b"),
                likert("b2", "b"),
                Item("enps", "scale0_10", Text("eNPS")),
                Item("stay", "likert5", Text("Bliver")),
            ),
        ),
    ),
)


def who5_answers(raw: int) -> dict[str, int]:
    """Five answers of 0–5 that add up to `raw`."""
    return {item: raw // 5 + (k < raw % 5) for k, item in enumerate(WHO5_ITEMS)}


# The WHO-5 conversion table: raw score 0–25 times 4 gives the percentage score.
@pytest.mark.parametrize("raw, percent", [(0, 0), (7, 28), (12, 48), (13, 52), (17, 68), (25, 100)])
def test_who5_raw_score_to_percentage(raw, percent):
    assert who5_score(who5_answers(raw)) == percent


def test_who5_needs_all_five_items():
    answers = who5_answers(20)
    assert who5_score({**answers, "who5_3": None}) is None
    assert who5_score({**answers, "who5_3": np.nan}) is None
    del answers["who5_5"]
    assert who5_score(answers) is None


def test_an_answer_outside_the_scale_is_a_bug_not_a_score():
    with pytest.raises(ValueError):
        who5_score({**who5_answers(20), "who5_1": 6})
    with pytest.raises(ValueError):
        enps([11])


@pytest.mark.parametrize(
    "score, band",
    [
        (0, "depression_risk"),
        (28, "depression_risk"),
        (32, "poor"),
        (48, "poor"),
        (50, "ok"),
        (52, "ok"),
        (100, "ok"),
        (None, None),
    ],
)
def test_who5_bands(score, band):
    assert who5_band(score) == band
    assert band is None or WHO5_BANDS[band]


def test_likert_answers_map_to_0_100_and_reverse_items_flip():
    assert [likert_points(v) for v in (5, 4, 3, 2, 1)] == [100, 75, 50, 25, 0]
    assert [likert_points(v, reverse=True) for v in (5, 4, 3, 2, 1)] == [0, 25, 50, 75, 100]
    assert likert_points(None) is None


def test_a_dimension_needs_at_least_half_of_its_items():
    assert dimension_scores({"a1": 5}, SURVEY) == {"a": None, "b": None}
    assert dimension_scores({"a1": 5, "a2": 4, "b2": 2}, SURVEY) == {"a": 87.5, "b": 25.0}
    # a4 is reverse-scored: answering 1 ("I meget ringe grad") gives 100.
    assert dimension_scores({"a1": 3, "a2": 3, "a3": 3, "a4": 1}, SURVEY)["a"] == 62.5


def test_enps_worked_examples():
    # 10 answers: 5 promoters, 3 passives, 2 detractors -> 50 % - 20 % = 30.
    assert enps([9, 10, 9, 10, 9, 7, 8, 7, 6, 0]) == 30.0
    # 100 answers: 60 promoters, 25 passives, 15 detractors -> 45.
    assert enps([10] * 60 + [8] * 25 + [3] * 15) == 45.0
    assert enps([0, 6]) == -100.0
    assert enps([]) is None
    assert enps([None, np.nan]) is None


def test_stay_share_counts_4_and_5():
    assert stay_share([5, 4, 3, 2, None]) == 50.0
    assert stay_share([1, 1, 4]) == pytest.approx(100 / 3)
    assert stay_share([np.nan]) is None


def test_respondent_scores_one_row_per_response_even_without_some_items():
    responses = pd.DataFrame(
        {
            "response_id": [1, 2],
            "unit_id": ["U1", "U2"],
            **{item: [5, np.nan] for item in WHO5_ITEMS},
            "a1": [5, 1],
            "a2": [4, np.nan],
            "a3": [np.nan, np.nan],
            "a4": [5, np.nan],
            "enps": [9, np.nan],
            # no b1, b2 or stay columns: an older round that did not ask them
        }
    )
    scores = respondent_scores(responses, SURVEY)
    assert list(scores.columns) == ["response_id", "unit_id", "who5", "a", "b", "enps_value", "stay_value"]
    first, second = scores.to_dict("records")
    assert (first["who5"], first["a"], first["enps_value"]) == (100.0, (100 + 75 + 0) / 3, 9)
    assert np.isnan(first["b"]) and pd.isna(first["stay_value"])
    assert np.isnan(second["who5"]) and np.isnan(second["a"]) and pd.isna(second["enps_value"])


def test_respondent_scores_follow_the_per_answer_rules_on_random_answer_sets():
    survey = load_survey(TRIVSEL)
    rng = np.random.default_rng(8)
    ranges = {"likert5": (1, 5), "who5": (0, 5), "scale0_10": (0, 10)}
    asked = [i for i in survey.items if i.type in ranges]
    answers = {
        i.id: np.where(rng.random(400) < 0.12, np.nan, rng.integers(*ranges[i.type], endpoint=True, size=400))
        for i in asked
    }
    responses = pd.DataFrame({"response_id": range(400), "unit_id": "U", **answers})
    scores = respondent_scores(responses, survey)
    for row, person in zip(scores.to_dict("records"), responses.to_dict("records"), strict=True):
        expected = {"who5": who5_score(person), **dimension_scores(person, survey)}
        assert {k: None if pd.isna(row[k]) else row[k] for k in expected} == expected
        assert (None if pd.isna(row["enps_value"]) else row["enps_value"]) == (
            None if pd.isna(person["enps"]) else person["enps"]
        )
    with pytest.raises(ValueError, match="outside 0..5"):
        respondent_scores(responses.assign(who5_2=6), survey)


def test_the_most_favourable_answers_score_100_in_every_trivsel_dimension():
    survey = load_survey(TRIVSEL)
    best = {i.id: 1 if i.reverse else 5 for i in survey.items if i.dimension}
    assert set(dimension_scores(best, survey).values()) == {100.0}
    worst = {i.id: 5 if i.reverse else 1 for i in survey.items if i.dimension}
    assert set(dimension_scores(worst, survey).values()) == {0.0}
