"""Survey data for P6-P8: open link rounds on copies of a database, answer sets from the demo's
answer model, and a cached round with 100,000 responses for the survey-summary export (P8).

The answers come from `trivsel.demo.surveys` (a latent wellbeing per respondent around the unit's
level, a personal offset per dimension, the stay and eNPS answers pulled by the dimensions that weigh
on them), so the distributions are the demo's; the P8 round is written straight into DuckDB through
Arrow, as benchmarks/generate.py writes the absence data.
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from benchmarks import generate
from trivsel import config, org
from trivsel.demo import surveys as demo_surveys
from trivsel.store import Store, open_store
from trivsel.surveys import rounds
from trivsel.surveys.definitions import Survey, load_all

SURVEY_ID = "trivsel"
ROUND_DAYS = (7, 14)  # a round opened a week ago that closes in two weeks
LIFT = 0.2  # the demo's open round: people feel a little better than at the baseline
MIDDLE = {"likert5": 3, "who5": 3, "scale0_10": 5}  # fills a question the model left out (complete sets)


@cache
def survey() -> Survey:
    return load_all(config.surveys_dir())[SURVEY_ID]


def open_link_round(store: Store, today: date, label: str = "Benchmark") -> rounds.Round:
    """A round of the trivsel survey, open on `today`, reached through every unit's staff link."""
    unit_ids = org.units(store)["unit_id"].tolist()
    rnd, _ = rounds.create_round(
        store,
        survey(),
        label,
        today - timedelta(days=ROUND_DAYS[0]),
        today + timedelta(days=ROUND_DAYS[1]),
        unit_ids,
        "link",
        "bench",
    )
    return rnd


def answer_sets(n: int, seed: int, level: float = 0.0) -> list[dict]:
    """`n` complete answer sets, as `rounds.submit` takes them: every question of the survey answered
    (the comment too), values from the demo's answer model for respondents around `level`."""
    rng = np.random.default_rng(seed)
    items = survey().items
    offset = {item.id: rng.normal(0, 0.3) for item in items}
    sets = []
    for _ in range(n):
        answers = {
            item_id: value if text is None else text
            for item_id, value, text in respondent_answers(rng, items, level + LIFT, offset)
        }
        for item in items:
            if item.id not in answers:
                answers[item.id] = (
                    demo_surveys.COMMENTS[int(rng.integers(len(demo_surveys.COMMENTS)))]
                    if item.type == "free_text"
                    else MIDDLE[item.type]
                )
        sets.append(answers)
    return sets


def respondent_answers(rng: np.random.Generator, items, level: float, offset: dict):
    """One respondent's (item_id, value, text) answers, drawn as trivsel.demo.surveys draws them."""
    own = {d: rng.normal(0, 0.7) for d in survey().dimensions}
    return demo_surveys.answers_for(rng, items, rng.normal(level, 1), own, offset)


# ---------------------------------------------------------------- P8: a round with 100,000 responses


@dataclass(frozen=True)
class ExportRound:
    """A closed link round over the unit tree of a `positions`-sized municipality (benchmarks.generate),
    every unit of 5 or more persons `staff_factor` times as large, with exactly `responses` responses
    spread over the units by their persons and a response rate of 55-95 % per unit."""

    responses: int = 100_000
    positions: int = 23_500  # about 500 units
    staff_factor: int = 6
    seed: int = 1
    label: str = "Benchmark 100.000 svar"
    today: date = generate.TODAY

    @property
    def key(self) -> str:
        sources = b"".join(
            Path(p).read_bytes()
            for p in (__file__, generate.__file__, demo_surveys.__file__, config.surveys_dir() / f"{SURVEY_ID}.yaml")
        )
        return (
            f"surveys-r{self.responses}-p{self.positions}-f{self.staff_factor}-s{self.seed}-{self.today:%Y%m%d}"
            f"-{hashlib.sha256(sources).hexdigest()[:8]}"
        )


EXPORT = ExportRound()


def ensure_export_round(spec: ExportRound = EXPORT, data_dir: Path = generate.DATA_DIR, log=print) -> Path:
    """The cached database holding `spec`'s round, generated first when missing (older versions go)."""
    path = data_dir / f"{spec.key}.duckdb"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        for old in data_dir.glob(f"surveys-r{spec.responses}-p{spec.positions}-*"):
            old.unlink()
        log(f"Generating a round with {spec.responses:,} responses ...")
        write_export_round(spec, path, log)
    return path


def _responses_per_unit(persons: np.ndarray, rng: np.random.Generator, total: int) -> np.ndarray:
    """Exactly `total` responses over the units, in proportion to persons × a per-unit response rate."""
    expected = persons * rng.uniform(0.55, 0.95, len(persons))
    share = expected * total / expected.sum()
    counts = np.floor(share).astype(np.int64)
    counts[np.argsort(counts - share)[: total - counts.sum()]] += 1  # the largest remainders first
    return counts


def write_export_round(spec: ExportRound, path: Path, log=print) -> dict:
    t0 = time.perf_counter()
    rng = np.random.default_rng(spec.seed)
    tree = generate.build_tree(generate.scale_of(spec.positions, spec.seed), rng)
    staff = np.array(tree.staff)
    persons = np.where(staff >= 5, staff * spec.staff_factor, staff)
    in_round = np.flatnonzero(persons > 0)
    counts = _responses_per_unit(persons[in_round], rng, spec.responses)
    offset = {item.id: rng.normal(0, 0.3) for item in survey().items}
    # The unit's level as trivsel.demo.surveys sets it: lower where sickness is higher.
    level = 0.4 - 1.5 * (np.array(tree.sickness)[in_round] - 1) + rng.normal(0, 0.25, len(in_round)) + LIFT

    tmp = path.with_suffix(".partial")
    for p in (tmp, Path(f"{tmp}.wal")):
        p.unlink(missing_ok=True)
    store = open_store(tmp)
    cur = store.cursor()
    _insert(
        cur,
        "units",
        pa.table(
            {"unit_id": tree.unit_id, "unit_name": tree.unit_name, "parent_id": tree.parent_id, "area": tree.area}
        ),
    )
    closes = spec.today - timedelta(days=ROUND_DAYS[1])
    answers = write_round(
        cur,
        rng,
        spec.label,
        closes - timedelta(days=21),
        closes,
        False,
        np.array(tree.unit_id)[in_round],
        np.maximum(persons[in_round], counts),
        counts,
        level,
        offset,
    )
    cur.execute("CHECKPOINT")
    store.close()
    os.replace(tmp, path)
    log(f"  {spec.responses:,} responses, {answers:,} answers, written in {time.perf_counter() - t0:.0f} s -> {path}")
    return {"units": len(tree.unit_id), "round_units": len(in_round), "answers": answers}


def write_round(
    cur,
    rng: np.random.Generator,
    label: str,
    opens_on: date,
    closes_on: date,
    is_baseline: bool,
    unit_ids: np.ndarray,
    persons: np.ndarray,
    counts: np.ndarray,
    levels: np.ndarray,
    offset: dict,
) -> int:
    """A closed link round of the trivsel survey: `counts[i]` respondents in unit `unit_ids[i]`, drawn
    around `levels[i]`, written straight into DuckDB; returns the number of answer rows."""
    respondent, item_ids, values, texts = [], [], [], []
    for r, unit_level in enumerate(np.repeat(levels, counts)):  # respondents in unit order
        for item_id, value, text in respondent_answers(rng, survey().items, float(unit_level), offset):
            respondent.append(r)
            item_ids.append(item_id)
            values.append(value)
            texts.append(text)
    n = int(counts.sum())
    response_ids = np.array([f"{a:016x}{b:016x}" for a, b in rng.integers(0, 2**63, (n, 2))])
    round_id = f"{int(rng.integers(0, 2**63)):032x}"
    cur.execute(
        "INSERT INTO survey_rounds (round_id, survey_id, survey_version, label, opens_on, closes_on, "
        "access, is_baseline, created_by) VALUES (?, ?, ?, ?, ?, ?, 'link', ?, 'bench')",
        [round_id, SURVEY_ID, survey().version, label, opens_on, closes_on, is_baseline],
    )
    _insert(
        cur,
        "round_units",
        pa.table(
            {"round_id": [round_id] * len(unit_ids), "unit_id": unit_ids, "persons_at_start": persons.astype(np.int32)}
        ),
    )
    _insert(
        cur,
        "survey_responses",
        pa.table(
            {
                "response_id": response_ids,
                "round_id": [round_id] * n,
                "unit_id": np.repeat(unit_ids, counts),
                "survey_version": np.full(n, survey().version, np.int32),
            }
        ),
    )
    _insert(
        cur,
        "survey_answers",
        pa.table(
            {
                "response_id": pa.array(response_ids[np.array(respondent)]),
                "item_id": pa.array(item_ids).dictionary_encode(),
                "value": pa.array(values, pa.int32()),
                "text": pa.array(texts, pa.string()),
            }
        ),
    )
    return len(respondent)


def _insert(cur, name: str, table: pa.Table) -> None:
    cur.register("gen_table", table)
    cur.execute(f"INSERT INTO {name} BY NAME SELECT * FROM gen_table")
    cur.unregister("gen_table")


def stored(store: Store, round_id: str) -> dict:
    """What a round holds: responses, distinct response ids, responses by their number of answer rows,
    responses per unit, and answer rows whose response is missing."""
    responses, distinct = store.query_one(
        "SELECT count(*), count(DISTINCT response_id) FROM survey_responses WHERE round_id = ?", [round_id]
    )
    by_rows = store.query_all(
        """SELECT answers, count(*) FROM (
               SELECT r.response_id, count(a.item_id) AS answers
               FROM survey_responses r LEFT JOIN survey_answers a USING (response_id)
               WHERE r.round_id = ? GROUP BY r.response_id)
           GROUP BY answers ORDER BY answers""",
        [round_id],
    )
    per_unit = store.query_all(
        "SELECT unit_id, count(*) FROM survey_responses WHERE round_id = ? GROUP BY unit_id ORDER BY unit_id",
        [round_id],
    )
    orphans = store.query_value(
        "SELECT count(*) FROM survey_answers WHERE response_id NOT IN (SELECT response_id FROM survey_responses)"
    )
    return {
        "stored": responses,
        "distinct": distinct,
        "answer_rows": {str(k): v for k, v in by_rows},
        "per_unit": dict(per_unit),
        "orphans": orphans,
    }


def check_export(csv: Path, db: Path, label: str) -> dict:
    """Whether a survey-summary file is complete, worked out from the database on its own: one row per
    unit of the round or above one, and measure (WHO-5, each dimension of the definition, eNPS); the
    WHO-5 respondents (a required question, so every response) of each shown unit equal to the
    responses stored in its subtree; and the root's equal to all responses of the round."""
    table = pd.read_csv(csv, sep=";", decimal=",", encoding="utf-8-sig", dtype={"unit_id": str, "suppressed": str})
    store = open_store(db)
    try:
        round_id = store.query_value(
            "SELECT round_id FROM survey_rounds WHERE survey_id = ? AND label = ?", [SURVEY_ID, label]
        )
        subtree = store.query_df(
            """WITH RECURSIVE up AS (
                   SELECT unit_id AS member, unit_id AS ancestor FROM round_units WHERE round_id = ?
                   UNION ALL
                   SELECT up.member, u.parent_id FROM up JOIN units u ON u.unit_id = up.ancestor
                   WHERE u.parent_id IS NOT NULL)
               SELECT up.ancestor AS unit_id, count(r.response_id) AS responses
               FROM up LEFT JOIN survey_responses r ON r.unit_id = up.member AND r.round_id = ?
               GROUP BY up.ancestor""",
            [round_id, round_id],
        ).set_index("unit_id")["responses"]
        root = store.query_value("SELECT unit_id FROM units WHERE parent_id IS NULL")
        total = store.query_value("SELECT count(*) FROM survey_responses WHERE round_id = ?", [round_id])
    finally:
        store.close()
    measures = ["who5", *survey().dimensions, "enps"]
    cells = set(zip(table["unit_id"], table["measure"]))
    who5 = table[table["measure"] == "who5"].set_index("unit_id")
    shown = who5[who5["suppressed"] == "false"]
    wrong = int((shown["respondents"] != subtree.reindex(shown.index)).sum())
    hidden_with_figures = int(
        table.loc[table["suppressed"] == "true", ["respondents", "score"]].notna().any(axis=1).sum()
    )
    complete = len(table) == len(subtree) * len(measures) == len(cells) and cells == {
        (u, m) for u in subtree.index for m in measures
    }
    root_respondents = who5.loc[root, "respondents"] if root in who5.index else None
    return {
        "rows": len(table),
        "expected_rows": len(subtree) * len(measures),
        "units": len(subtree),
        "measures": len(measures),
        "responses": total,
        "root_respondents": None if pd.isna(root_respondents) else int(root_respondents),
        "suppressed": int((table["suppressed"] == "true").sum()),
        "who5_mismatches": wrong,
        "hidden_with_figures": hidden_with_figures,
        "complete": bool(complete and wrong == 0 and hidden_with_figures == 0 and root_respondents == total),
    }
