"""Letters with one-time codes for due lifecycle events, and the pools their answers go into.

A pool is an ordinary code round (survey_rounds, round_codes, survey_responses), one per survey and half-year,
listed in lifecycle_pools and hidden from Målinger. Its units are the areas: a code, and so its answer, carries
the area of the event's unit and nothing finer. The half-year is the one in which the letter is made; the code
can be used until ANSWER_DAYS after the half-year ends, and the pool's results are released only after that.

What is stored when a letter is made: the event's "letter made" flag (lifecycle_letters), one more letter for
the area (round_units.persons_at_start, the response rate's base), and the code's hash in the pool. The pool's
codes are rewritten in the order of their hashes in the same transaction, so neither a column nor the row order
says which code belongs to which event. The codes in clear text exist only in the PDF handed to the leader.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from trivsel import audit, code_letters, org
from trivsel.code_letters import Letter
from trivsel.lifecycle.events import LifecycleError, due_letters
from trivsel.store import Store
from trivsel.surveys import rounds
from trivsel.surveys.definitions import Survey

ANSWER_DAYS = 30  # a letter made on the half-year's last day can still be answered for a month
CREATED_BY = "livsforløb"


@dataclass(frozen=True)
class Period:
    """A calendar half-year."""

    start: date

    @classmethod
    def of(cls, day: date) -> Period:
        return cls(date(day.year, 1 if day.month <= 6 else 7, 1))

    @property
    def end(self) -> date:
        return date(self.start.year, 6, 30) if self.start.month == 1 else date(self.start.year, 12, 31)

    @property
    def closes_on(self) -> date:
        """The last day a code of the pool can be used."""
        return self.end + timedelta(days=ANSWER_DAYS)

    def previous(self) -> Period:
        return Period.of(self.start - timedelta(days=1))

    def label(self) -> str:
        return f"{1 if self.start.month == 1 else 2}. halvår {self.start.year}"


def area_of(store: Store) -> dict[str, str]:
    """Each unit's area: the unit just below the root above it (the root is its own area)."""
    units = org.units(store)
    parent = dict(zip(units["unit_id"], units["parent_id"]))
    areas = {}
    for unit_id in units["unit_id"]:
        node = unit_id
        while isinstance(parent.get(node), str) and isinstance(parent.get(parent[node]), str):
            node = parent[node]
        areas[unit_id] = node
    return areas


def pool_round(store: Store, survey_id: str, period: Period) -> rounds.Round | None:
    round_id = store.query_value(
        "SELECT round_id FROM lifecycle_pools WHERE survey_id = ? AND period_start = ?", [survey_id, period.start]
    )
    return rounds.round_by_id(store, round_id) if round_id else None


def pools(store: Store) -> pd.DataFrame:
    """Every pool: round_id, survey_id, period_start."""
    df = store.query_df(
        "SELECT round_id, survey_id, period_start FROM lifecycle_pools ORDER BY survey_id, period_start"
    )
    df["period_start"] = pd.to_datetime(df["period_start"]).dt.date
    return df


def _pool_id(cur, survey: Survey, period: Period) -> str:
    """The pool's round id, creating the round the first time a letter goes into it."""
    row = cur.execute(
        "SELECT round_id FROM lifecycle_pools WHERE survey_id = ? AND period_start = ?", [survey.id, period.start]
    ).fetchone()
    if row:
        return row[0]
    round_id = uuid.uuid4().hex
    cur.execute(
        """INSERT INTO survey_rounds (round_id, survey_id, survey_version, label, opens_on, closes_on, access,
                                      is_baseline, created_by)
           VALUES (?, ?, ?, ?, ?, ?, 'code', false, ?)""",
        [
            round_id,
            survey.id,
            survey.version,
            f"Livsforløb {period.label()}",
            period.start,
            period.closes_on,
            CREATED_BY,
        ],
    )
    cur.execute("INSERT INTO lifecycle_pools VALUES (?, ?, ?)", [round_id, survey.id, period.start])
    return round_id


# The pool's codes, rewritten in the order of their hashes: the newest code is not the last row.
_SORT_CODES = (
    "CREATE TEMP TABLE pool_codes AS SELECT * FROM round_codes WHERE round_id = ?",
    "DELETE FROM round_codes WHERE round_id = ?",
)
_SORTED_BACK = "INSERT INTO round_codes SELECT * FROM pool_codes ORDER BY code_hash"


def make_letters(
    store: Store, surveys: dict[str, Survey], picked: pd.DataFrame, today: date, actor: str
) -> list[Letter]:
    """One letter with a fresh one-time code per picked event (survey_id, subject_id, anchor_date), which must
    be due today and not made yet. All or nothing; returns the letters in the order picked."""
    if picked.empty:
        raise LifecycleError("Vælg mindst ét brev.")
    due = due_letters(store, today)
    due_keys = set(zip(due["survey_id"], due["subject_id"], due["anchor_date"]))
    keys = list(zip(picked["survey_id"], picked["subject_id"], picked["anchor_date"]))
    if not set(keys) <= due_keys:
        raise LifecycleError("Et eller flere af brevene er ikke aktuelle længere. Opdatér siden, og prøv igen.")
    units_of = dict(zip(zip(due["survey_id"], due["subject_id"], due["anchor_date"]), due["unit_id"]))
    areas = area_of(store)
    names = org.units(store).set_index("unit_id")["unit_name"]
    period = Period.of(today)
    letters = []
    codes = []  # (survey_id, area, code hash)
    for survey_id, subject_id, anchor in keys:
        code = rounds.new_code()
        area = areas[units_of[(survey_id, subject_id, anchor)]]
        codes.append((survey_id, area, rounds.hash_code(code)))
        title = surveys[survey_id].title.da
        letters.append(Letter(names[area], title, code, code_letters.code_link(code), None, period.closes_on))

    def work(cur):
        made = cur.execute(
            """SELECT count(*) FROM lifecycle_letters
               WHERE (survey_id, subject_id, anchor_date) IN (SELECT unnest(?::VARCHAR[]), unnest(?::VARCHAR[]),
                                                                     unnest(?::DATE[]))""",
            [[k[0] for k in keys], [k[1] for k in keys], [k[2] for k in keys]],
        ).fetchone()[0]
        if made:
            raise LifecycleError("Et eller flere af brevene er allerede lavet. Opdatér siden.")
        cur.executemany("INSERT INTO lifecycle_letters VALUES (?, ?, ?)", [list(k) for k in keys])
        pool_ids = {}
        for survey_id, area, code_hash in codes:
            round_id = pool_ids.setdefault(survey_id, _pool_id(cur, surveys[survey_id], period))
            cur.execute(
                """INSERT INTO round_units (round_id, unit_id, persons_at_start) VALUES (?, ?, 1)
                   ON CONFLICT (round_id, unit_id) DO UPDATE SET persons_at_start = persons_at_start + 1""",
                [round_id, area],
            )
            cur.execute(
                "INSERT INTO round_codes (code_hash, round_id, unit_id) VALUES (?, ?, ?)", [code_hash, round_id, area]
            )
        for round_id in pool_ids.values():
            for statement in _SORT_CODES:
                cur.execute(statement, [round_id])
            cur.execute(_SORTED_BACK)
            cur.execute("DROP TABLE pool_codes")
        # Counts only: an id beside the time of making would say when each person got a letter.
        audit.record(cur, actor, "lifecycle_letters", letters=len(codes), survey=", ".join(sorted(pool_ids)))

    store.write(work)
    return letters
