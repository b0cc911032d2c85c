"""Scoring of survey answers: WHO-5, dimensions, eNPS, intention to stay."""

from trivsel.scoring.scores import (
    WHO5_BANDS,
    dimension_scores,
    enps,
    likert_points,
    respondent_scores,
    stay_share,
    who5_band,
    who5_score,
)

__all__ = [
    "WHO5_BANDS",
    "dimension_scores",
    "enps",
    "likert_points",
    "respondent_scores",
    "stay_share",
    "who5_band",
    "who5_score",
]
