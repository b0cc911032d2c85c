"""Demo trivsel rounds: a 2022/23 baseline, a closed round and one open now, with answers.

Each respondent has a latent wellbeing drawn around their unit's level, which is lower
where the demo's sickness level is higher, so wellbeing and absence go together at unit
level as they do in real data. Deterministic for a seed and a date.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from trivsel.surveys.definitions import Survey

COMMENTS = [
    "Der er for lidt tid til den enkelte borger, især om aftenen.",
    "Godt sammenhold i gruppen, vi hjælper hinanden.",
    "Vagtplanen kommer for sent, det gør det svært at planlægge familielivet.",
    "Vores leder lytter, men der sker ikke så meget bagefter.",
    "Mette og Lars har været gode til at tage imod nye kolleger.",
    "For mange vikarer gør det svært at holde kvaliteten.",
    "Jeg savner faglig sparring om de svære forløb.",
    "Tak for en god arbejdsplads.",
    "De pårørende fylder meget, og vi står alene med konflikterne.",
    "Bedre introduktion til nye medarbejdere, tak.",
]


@dataclass(frozen=True)
class DemoRound:
    label: str
    opens_on: date
    closes_on: date
    access: str
    is_baseline: bool
    response_rate: tuple[float, float]
    lift: float  # how much better people feel than at the baseline
    skip_prefix: str = ""  # older rounds asked fewer items


def demo_rounds(today: date) -> list[DemoRound]:
    return [
        DemoRound(
            "Basis 2022/23",
            date(2023, 3, 1),
            date(2023, 3, 21),
            "historical",
            True,
            (0.6, 0.9),
            0.0,
            skip_prefix="balance_",
        ),
        DemoRound("Forår 2025", date(2025, 4, 1), date(2025, 4, 21), "link", False, (0.6, 0.9), 0.1),
        DemoRound(
            "Efterår " + str(today.year),
            today - timedelta(days=14),
            today + timedelta(days=7),
            "link",
            False,
            (0.3, 0.75),
            0.2,
        ),
    ]


def apv_rounds(today: date) -> list[DemoRound]:
    """The APV survey's rounds: one a little over three years ago (its APVs are due now) and one last year."""
    first = today.replace(year=today.year - 3) - timedelta(days=120)
    second = today - timedelta(days=300)
    return [
        DemoRound(f"APV {first.year}", first, first + timedelta(days=21), "link", False, (0.6, 0.9), 0.0),
        DemoRound(f"APV {second.year}", second, second + timedelta(days=21), "link", False, (0.6, 0.9), 0.1),
    ]


def generate(
    survey: Survey,
    employments: pd.DataFrame,
    sickness: dict[str, float],
    seed: int,
    today: date,
    specs: list[DemoRound] | None = None,
) -> dict[str, pd.DataFrame]:
    """Rows for survey_rounds, round_units, survey_responses and survey_answers: of the trivsel rounds, or of the
    rounds given."""
    rng = np.random.default_rng(seed)
    unit_effect = {u: rng.normal(0, 0.25) for u in sorted(sickness)}
    item_offset = {i.id: rng.normal(0, 0.3) for i in survey.items}
    rounds, units, responses, answers = [], [], [], []
    for spec in demo_rounds(today) if specs is None else specs:
        round_id = uuid.UUID(int=int(rng.integers(0, 2**63))).hex
        rounds.append(
            (
                round_id,
                survey.id,
                survey.version,
                spec.label,
                spec.opens_on,
                spec.closes_on,
                spec.access,
                spec.is_baseline,
                "demo",
            )
        )
        working = employments[
            (employments["start_date"] <= spec.opens_on)
            & (employments["end_date"].isna() | (employments["end_date"] >= spec.opens_on))
        ]
        items = [i for i in survey.items if not (spec.skip_prefix and i.id.startswith(spec.skip_prefix))]
        for unit_id, persons in working.groupby("unit_id")["employee_id"].nunique().items():
            units.append((round_id, unit_id, int(persons)))
            level = 0.4 - 1.5 * (sickness[unit_id] - 1) + unit_effect[unit_id] + spec.lift
            for _ in range(rng.binomial(persons, rng.uniform(*spec.response_rate))):
                response_id = uuid.UUID(int=int(rng.integers(0, 2**63))).hex
                responses.append((response_id, round_id, unit_id, survey.version))
                wellbeing = rng.normal(level, 1)
                # Each person also differs per dimension; some dimensions weigh more on staying.
                own = {d: rng.normal(0, 0.7) for d in survey.dimensions}
                answers += [
                    (response_id, item_id, value, text)
                    for item_id, value, text in answers_for(rng, items, wellbeing, own, item_offset)
                ]
    return {
        "survey_rounds": pd.DataFrame(
            rounds,
            columns=[
                "round_id",
                "survey_id",
                "survey_version",
                "label",
                "opens_on",
                "closes_on",
                "access",
                "is_baseline",
                "created_by",
            ],
        ),
        "round_units": pd.DataFrame(units, columns=["round_id", "unit_id", "persons_at_start"]),
        "survey_responses": pd.DataFrame(responses, columns=["response_id", "round_id", "unit_id", "survey_version"]),
        "survey_answers": pd.DataFrame(answers, columns=["response_id", "item_id", "value", "text"]).astype(
            {"value": "Int64", "text": object}
        ),
    }


STAY_WEIGHTS = {"ledelse": 0.9, "balance": 0.7, "anerkendelse": 0.5, "faglig_udvikling": 0.3}


def answers_for(rng: np.random.Generator, items, wellbeing: float, own: dict[str, float], offset: dict[str, float]):
    """One respondent's answers to `items`, as (item_id, value, text) tuples drawn from `rng`.

    `wellbeing` is the respondent's latent wellbeing (the demo draws it with standard deviation 1 around
    their unit's level), `own` their personal offset per dimension and `offset` each item's offset.
    An optional question is skipped 3 % of the time, and 12 % write a comment. The benchmarks draw
    their answer sets from this too, so their distributions are the demo's.
    """
    for item in items:
        if not item.required and rng.random() < 0.03:
            continue
        noise = rng.normal(0, 0.8)
        if item.id == "stay":
            pull = sum(weight * own.get(d, 0.0) for d, weight in STAY_WEIGHTS.items())
            yield item.id, int(np.clip(round(3.3 + 0.6 * wellbeing + pull + noise), 1, 5)), None
        elif item.type == "likert5":
            personal = own.get(item.dimension, 0.0) if item.dimension else 0.0
            value = int(np.clip(round(3.2 + 0.9 * wellbeing + personal + offset[item.id] + noise), 1, 5))
            yield item.id, (6 - value if item.reverse else value), None
        elif item.type == "who5":
            yield item.id, int(np.clip(round(2.9 + 0.9 * wellbeing + noise), 0, 5)), None
        elif item.type == "scale0_10":
            yield item.id, int(np.clip(round(7 + 1.6 * wellbeing + 1.8 * noise), 0, 10)), None
        elif item.type == "free_text" and rng.random() < 0.12:
            yield item.id, None, COMMENTS[int(rng.integers(len(COMMENTS)))]
