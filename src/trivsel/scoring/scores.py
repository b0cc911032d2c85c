"""Scores from survey answers: WHO-5, dimensions, eNPS and intention to stay.

Pure functions over plain values and DataFrames. Which answers go in (round, units) and
which figures may be shown (disclosure control, subtree roll-up) is decided elsewhere.

- WHO-5: raw sum of the five items (0–5 each) × 4, so 0–100; only when all five are answered.
- Dimension: each likert answer 1–5 becomes 0, 25, 50, 75, 100 (reverse items flipped, so
  100 is always the favourable end); the mean of the answered items, or missing when fewer
  than half of the dimension's items are answered.
- eNPS: % promoters (9–10) − % detractors (0–6), −100 to 100.
- Stay share: % answering 4 or 5 ("I høj grad", "I meget høj grad") on `stay`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from trivsel.surveys.definitions import VALUE_RANGES, WHO5_ITEMS, Survey

WHO5_BANDS = {
    "depression_risk": "Kan tyde på depression (28 eller derunder)",
    "poor": "Dårlig trivsel (under 50)",
    "ok": "Ikke dårlig trivsel (50 eller derover)",
}


def _answer(value: Any, item_type: str) -> int | None:
    """An answer as an int, None when unanswered. Out-of-range values are a bug upstream."""
    if value is None or pd.isna(value):
        return None
    low, high = VALUE_RANGES[item_type]
    if value != int(value) or not low <= value <= high:
        raise ValueError(f"{item_type} answer {value!r} is outside {low}..{high}")
    return int(value)


def _answered(values: Iterable[Any], item_type: str) -> list[int]:
    return [a for a in (_answer(v, item_type) for v in values) if a is not None]


def who5_score(answers: Mapping[str, Any]) -> float | None:
    values = [_answer(answers.get(item), "who5") for item in WHO5_ITEMS]
    return None if None in values else float(sum(values) * 4)


def who5_band(score: float | None) -> str | None:
    """One of WHO5_BANDS, or None without a score."""
    if score is None or pd.isna(score):
        return None
    if score <= 28:
        return "depression_risk"
    return "poor" if score < 50 else "ok"


def likert_points(value: Any, reverse: bool = False) -> float | None:
    answer = _answer(value, "likert5")
    if answer is None:
        return None
    points = (answer - 1) * 25.0
    return 100 - points if reverse else points


def dimension_scores(answers: Mapping[str, Any], survey: Survey) -> dict[str, float | None]:
    scores = {}
    for dimension in survey.dimensions:
        items = survey.dimension_items(dimension)
        points = [p for p in (likert_points(answers.get(i.id), i.reverse) for i in items) if p is not None]
        scores[dimension] = sum(points) / len(points) if points and 2 * len(points) >= len(items) else None
    return scores


def enps(values: Iterable[Any]) -> float | None:
    answered = _answered(values, "scale0_10")
    if not answered:
        return None
    promoters = sum(v >= 9 for v in answered)
    detractors = sum(v <= 6 for v in answered)
    return 100 * (promoters - detractors) / len(answered)


def stay_share(values: Iterable[Any]) -> float | None:
    answered = _answered(values, "likert5")
    return 100 * sum(v >= 4 for v in answered) / len(answered) if answered else None


def respondent_scores(responses: pd.DataFrame, survey: Survey) -> pd.DataFrame:
    """One row of scores per response, by the rules above, worked out column by column.

    `responses` has `response_id`, `unit_id` and one column per item id (numbers, NaN when
    unanswered). Item columns may be missing, since older rounds asked fewer items.
    """

    def answers(item_id: str, item_type: str) -> np.ndarray:
        if item_id not in responses:
            return np.full(len(responses), np.nan)
        values = responses[item_id].to_numpy(dtype=float, na_value=np.nan)
        low, high = VALUE_RANGES[item_type]
        answered = values[~np.isnan(values)]
        bad = answered[(answered != np.round(answered)) | (answered < low) | (answered > high)]
        if len(bad):
            raise ValueError(f"{item_type} answer {bad[0]!r} is outside {low}..{high}")
        return values

    out = {
        "response_id": responses["response_id"].to_numpy(),
        "unit_id": responses["unit_id"].to_numpy(),
        "who5": np.sum([answers(i, "who5") for i in WHO5_ITEMS], axis=0) * 4,
    }  # NaN unless all five
    for dimension in survey.dimensions:
        items = survey.dimension_items(dimension)
        points = np.array([(answers(i.id, "likert5") - 1) * 25 for i in items]).reshape(len(items), -1)
        reverse = [i.reverse for i in items]
        points[reverse] = 100 - points[reverse]
        answered = (~np.isnan(points)).sum(axis=0)
        total = np.nansum(points, axis=0)
        out[dimension] = np.where(
            (answered > 0) & (2 * answered >= len(items)), total / np.maximum(answered, 1), np.nan
        )
    out["enps_value"] = pd.array(answers("enps", "scale0_10"), dtype="Int64")
    out["stay_value"] = pd.array(answers("stay", "likert5"), dtype="Int64")
    return pd.DataFrame(out).astype({"who5": float, **dict.fromkeys(survey.dimensions, float)})
