"""The demo's lifecycle surveys: two years of placements, mentor programmes for new leaders, and the pooled
answers of the half-years before `today` (letters for the events HR data shows, about 60 % answered).

Written after the municipality, since the events are worked out from its employments."""

from __future__ import annotations

import random
import uuid
from datetime import date, timedelta

from trivsel import config
from trivsel.lifecycle import events, pools
from trivsel.store import Store
from trivsel.surveys import rounds
from trivsel.surveys.definitions import Item, Survey, load_all

EDUCATIONS = {
    "sosu_hjaelper": "SOSU-hjælper",
    "sosu_assistent": "SOSU-assistent",
    "sygeplejerske": "Sygeplejerske",
    "paedagog": "Pædagog",
}
_PLACEMENT_UNITS = ("pleje", "hjemme", "botilbud", "sygepleje")
_ANSWER_RATE = 0.6


def load(store: Store, units_by_kind: dict[str, list[str]], seed: int, today: date) -> None:
    rng = random.Random(seed + 13)
    surveys = load_all(config.surveys_dir())
    first = pools.Period.of(today - timedelta(days=730))
    placement_rows, mentor_rows = _placements(rng, units_by_kind, first.start, today), []
    leaders = events.new_leaders(store, first.start, today)
    for unit_id, started in zip(leaders["unit_id"], leaders["anchor_date"]):
        if rng.random() < 0.7:  # most new leaders get a mentor
            mentor_rows.append((unit_id, started + timedelta(days=rng.randint(7, 30))))

    def work(cur):
        cur.executemany("INSERT INTO placements VALUES (?, ?, ?, ?, ?)", placement_rows)
        cur.executemany("INSERT OR IGNORE INTO mentor_programmes VALUES (?, ?)", mentor_rows)

    store.write(work)
    _pools(store, rng, surveys, first, today)
    rounds.shuffle_answers(store)


def _placements(rng: random.Random, units_by_kind: dict[str, list[str]], first: date, today: date) -> list[tuple]:
    """About 150 placements a year, 8 to 20 weeks each, in the care and residential units."""
    units = [u for kind in _PLACEMENT_UNITS for u in units_by_kind.get(kind, [])]
    rows, day, n = [], first, 0
    while day <= today + timedelta(days=120):
        n += 1
        start = day + timedelta(days=rng.randint(0, 6))
        weeks = rng.randint(8, 20)
        rows.append(
            (
                f"P{n:05d}",
                rng.choice(units),
                rng.choice(list(EDUCATIONS.values())),
                start,
                start + timedelta(weeks=weeks, days=-3),
            )
        )
        day += timedelta(days=rng.choice([1, 2, 3, 4]))
    return rows


def _pools(store: Store, rng: random.Random, surveys: dict[str, Survey], first: pools.Period, today: date) -> None:
    """For each closed half-year: a pool per survey with one letter per event due in it, and answers."""
    plan = events.schedule(store)
    areas = pools.area_of(store)
    found = events.events(store, first.start - timedelta(days=400), today)
    period = first
    while period.closes_on < today:
        for survey_id, survey in ((s, surveys[s]) for s in events.LABELS):
            mine = found[found["survey_id"] == survey_id]
            due = [plan[survey_id].due_from(a) for a in mine["anchor_date"]]
            letters = [areas[u] for u, d in zip(mine["unit_id"], due) if period.start <= d <= period.end]
            if letters:
                _write_pool(store, rng, survey, period, letters)
        period = pools.Period.of(period.end + timedelta(days=1))


def _write_pool(store: Store, rng: random.Random, survey: Survey, period: pools.Period, letters: list[str]) -> None:
    round_id = uuid.uuid4().hex
    per_area = {a: letters.count(a) for a in sorted(set(letters))}

    def work(cur):
        cur.execute(
            """INSERT INTO survey_rounds (round_id, survey_id, survey_version, label, opens_on, closes_on, access,
                                          is_baseline, created_by) VALUES (?, ?, ?, ?, ?, ?, 'code', false, 'demo')""",
            [round_id, survey.id, survey.version, f"Livsforløb {period.label()}", period.start, period.closes_on],
        )
        cur.execute("INSERT INTO lifecycle_pools VALUES (?, ?, ?)", [round_id, survey.id, period.start])
        for area, n in per_area.items():
            cur.execute(
                "INSERT INTO round_units (round_id, unit_id, persons_at_start) VALUES (?, ?, ?)", [round_id, area, n]
            )
            for _ in range(sum(rng.random() < _ANSWER_RATE for _ in range(n))):
                answers = {i.id: v for i in survey.items if (v := _answer(rng, i)) is not None}
                rounds.insert_response(cur, round_id, area, survey.version, rounds.answer_rows(survey, answers))

    store.write(work)


def _answer(rng: random.Random, item: Item):
    if item.type == "likert5":
        return rng.choices([1, 2, 3, 4, 5], [5, 10, 25, 40, 20])[0]
    if item.type == "scale0_10":
        return rng.choices(range(11), [2, 1, 2, 3, 4, 6, 8, 14, 20, 20, 20])[0]
    if item.type == "single_choice":
        return rng.choice(item.options).value
    if item.type == "multiple_choice":
        return sorted({rng.choice(item.options).value for _ in range(rng.randint(1, 3))})
    return None
