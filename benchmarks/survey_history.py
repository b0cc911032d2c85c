"""A scale's survey history for P5 and P11: 4 trivsel rounds a year for 10 years on the municipal (or the
tenfold) database, so the dashboards (overview, heatmap, trends over every round) run on real-sized data.

Each round reaches every unit that employs someone on its first day; a unit answers at a response rate
of 55-95 % of those persons, with the demo's answer model (benchmarks.survey_data) around a level of
its own that drifts a little from year to year. The round opened in November 2022 is the baseline.
Written straight into a copy of the scale's database through Arrow and cached next to it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from benchmarks import generate, survey_data
from trivsel import config
from trivsel.store import open_store

ROUND_MONTHS = (2, 5, 8, 11)  # 4 rounds a year
ROUND_DAYS = 21
BASELINE = date(2022, 11, 1)


def _rounds(today: date, years: int) -> list[date]:
    """The first days of the rounds: ROUND_MONTHS of the last `years` years, all closed before today."""
    starts = [date(year, month, 1) for year in range(today.year - years, today.year + 1) for month in ROUND_MONTHS]
    closed = [d for d in starts if d + timedelta(days=ROUND_DAYS) < today]
    return closed[-years * len(ROUND_MONTHS) :]


def key(db: Path) -> str:
    sources = b"".join(
        Path(p).read_bytes()
        for p in (__file__, survey_data.__file__, config.surveys_dir() / f"{survey_data.SURVEY_ID}.yaml")
    )
    return f"{db.stem}-history-{hashlib.sha256(sources).hexdigest()[:8]}"


def ensure(scale: generate.Scale = generate.MUNICIPAL, log=print) -> Path:
    """The scale's database with its survey history, generated first when missing."""
    source = generate.ensure(scale, log=log)
    path = source.parent / f"{key(source)}.duckdb"
    if not path.exists():
        for old in source.parent.glob(f"{source.stem}-history-*"):
            old.unlink()
        log(f"Generating {scale.years} years of survey rounds on {source.name} ...")
        write(source, path, scale, log)
    return path


def counts(db: Path) -> dict:
    store = open_store(db)
    try:
        rounds, responses, answers = store.query_one(
            "SELECT (SELECT count(*) FROM survey_rounds), (SELECT count(*) FROM survey_responses), "
            "(SELECT count(*) FROM survey_answers)"
        )
    finally:
        store.close()
    return {"rounds": rounds, "responses": responses, "answers": answers, "mb": db.stat().st_size / 1024 / 1024}


def write(source: Path, path: Path, scale: generate.Scale, log=print) -> dict:
    t0 = time.perf_counter()
    tmp = path.with_suffix(".partial")
    shutil.copy(source, tmp)
    rng = np.random.default_rng(scale.seed)
    offset = {item.id: rng.normal(0, 0.3) for item in survey_data.survey().items}
    store = open_store(tmp)
    cur = store.cursor()
    units = [u for (u,) in cur.execute("SELECT unit_id FROM units ORDER BY unit_id").fetchall()]
    unit_level = dict(zip(units, rng.normal(0.3, 0.5, len(units)), strict=True))
    responses = answers = 0
    for opens_on in _rounds(scale.today, scale.years):
        staff = cur.execute(
            """SELECT unit_id, count(DISTINCT employee_id) FROM employments
               WHERE start_date <= ? AND coalesce(end_date, ?) >= ? GROUP BY unit_id ORDER BY unit_id""",
            [opens_on, opens_on, opens_on],
        ).fetchall()
        unit_ids = np.array([u for u, _ in staff])
        persons = np.array([n for _, n in staff])
        counts = np.floor(persons * rng.uniform(0.55, 0.95, len(persons)) + rng.random(len(persons))).astype(int)
        levels = np.array([unit_level[u] for u in unit_ids]) + rng.normal(0, 0.15)  # the year's drift
        label = f"{opens_on.year} runde {ROUND_MONTHS.index(opens_on.month) + 1}"
        answers += survey_data.write_round(
            cur,
            rng,
            label,
            opens_on,
            opens_on + timedelta(days=ROUND_DAYS),
            opens_on == BASELINE,
            unit_ids,
            persons,
            counts,
            levels,
            offset,
        )
        responses += int(counts.sum())
    cur.execute("CHECKPOINT")
    store.close()
    os.replace(tmp, path)
    log(f"  {responses:,} responses, {answers:,} answers in {time.perf_counter() - t0:.0f} s -> {path.name}")
    return {"responses": responses, "answers": answers}
