"""Lifecycle events: the moments in a working life a survey is handed over, worked out from the data we import.

- a start (an employment with no employment of the same person running the day before): a new employee gets
  the 3-month survey; a start in a leader job group that does not continue a leader job is a new leader, who
  gets the onboarding survey instead;
- an end with no employment of the same person running the day after: a leaver gets the exit survey;
- the end of a placement (the placements import): the placement survey;
- a mentor programme the konsulent records for a new leader: the mentor evaluation.

Each survey has a schedule (days from the start or end, and for how many days the letter is due), set by the
konsulent. Per event only "the letter was made" is stored (`lifecycle_letters`), never which code it carried.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from trivsel import audit, org
from trivsel.store import Store

NEW_EMPLOYEE, EXIT, PLACEMENT, ONBOARDING, MENTOR = (
    "new_employee_3m",
    "exit",
    "placement",
    "leader_onboarding",
    "leader_mentor",
)
LEADER_SURVEYS = (ONBOARDING, MENTOR)  # about a leader: handed over by the leader above, or the konsulent
LABELS = {
    NEW_EMPLOYEE: "3 måneder efter start",
    EXIT: "Fratrædelse",
    PLACEMENT: "Praktik",
    ONBOARDING: "Ny leder: introduktion",
    MENTOR: "Ny leder: mentorforløb",
}
# A job group is a leader group when a word in it is or ends in "leder" (Leder, Afdelingsleder, Pædagogisk
# leder), or it says "ledende" (Ledende sygeplejerske). RE2 syntax, run by DuckDB.
LEADER_PATTERN = r"(?i)(leder\b|\bledende\b)"
OFFSET_RANGE = (-90, 365)
WINDOW_RANGE = (1, 90)


@dataclass(frozen=True)
class Schedule:
    offset_days: int  # from the start or end the event is about
    window_days: int  # how many days the letter stays due

    def due_from(self, anchor: date) -> date:
        return anchor + timedelta(days=self.offset_days)

    def due_until(self, anchor: date) -> date:
        return self.due_from(anchor) + timedelta(days=self.window_days - 1)

    def describe(self, survey_id: str) -> str:
        """The schedule in Danish, e.g. "90 dage efter start, i 30 dage"."""
        anchor = "start" if survey_id in (NEW_EMPLOYEE, ONBOARDING, MENTOR) else "slutdato"
        if survey_id == MENTOR:
            anchor = "mentorforløbets start"
        when = (
            f"{self.offset_days} dage efter {anchor}"
            if self.offset_days >= 0
            else f"{-self.offset_days} dage før {anchor}"
        )
        return f"{when}, i {self.window_days} dage"


DEFAULT_SCHEDULE = {
    NEW_EMPLOYEE: Schedule(90, 30),
    EXIT: Schedule(-14, 15),  # from 14 days before the last day, through the last day
    PLACEMENT: Schedule(-6, 7),  # the placement's last week
    ONBOARDING: Schedule(90, 30),
    MENTOR: Schedule(182, 30),  # six months
}


class LifecycleError(ValueError):
    """A refusal with a Danish message."""


def schedule(store: Store) -> dict[str, Schedule]:
    """The schedule of every lifecycle survey: the konsulent's where set, else the default."""
    stored = {
        survey_id: Schedule(offset, window)
        for survey_id, offset, window in store.query_all(
            "SELECT survey_id, offset_days, window_days FROM lifecycle_schedule"
        )
    }
    return {survey_id: stored.get(survey_id, default) for survey_id, default in DEFAULT_SCHEDULE.items()}


def set_schedule(store: Store, survey_id: str, offset_days: int, window_days: int, actor: str) -> None:
    if survey_id not in DEFAULT_SCHEDULE:
        raise LifecycleError(f"Ukendt spørgeskema: {survey_id}.")
    low, high = OFFSET_RANGE
    if not low <= offset_days <= high:
        raise LifecycleError(f"Antal dage fra start eller slut skal være mellem {low} og {high}.")
    low, high = WINDOW_RANGE
    if not low <= window_days <= high:
        raise LifecycleError(f"Antal dage, brevet er aktuelt, skal være mellem {low} og {high}.")

    def work(cur):
        cur.execute("INSERT OR REPLACE INTO lifecycle_schedule VALUES (?, ?, ?)", [survey_id, offset_days, window_days])
        audit.record(cur, actor, "lifecycle_schedule", survey=survey_id, offset=offset_days, window=window_days)

    store.write(work)


def add_mentor_programme(store: Store, unit_id: str, start_date: date, actor: str) -> None:
    """Record a new leader's mentor programme: the unit they lead and its start."""
    if org.unit_name(store, unit_id) is None:
        raise LifecycleError(f"Ukendt enhed: {unit_id}.")
    if store.query_value(
        "SELECT count(*) FROM mentor_programmes WHERE unit_id = ? AND start_date = ?", [unit_id, start_date]
    ):
        raise LifecycleError(f"Der er allerede et mentorforløb for enheden med start {start_date:%d-%m-%Y}.")

    def work(cur):
        cur.execute("INSERT INTO mentor_programmes VALUES (?, ?)", [unit_id, start_date])
        audit.record(cur, actor, "mentor_programme", unit_id=unit_id, start=start_date)

    store.write(work)


def mentor_programmes(store: Store) -> pd.DataFrame:
    return store.query_df(
        """SELECT m.unit_id, u.unit_name, m.start_date FROM mentor_programmes m JOIN units u USING (unit_id)
           ORDER BY m.start_date DESC, u.unit_name"""
    )


# Every event with its anchor between two days: survey_id, subject_id, unit_id, anchor_date and (for new
# leaders) whether the person had an earlier employment in the municipality. Joins of a person's own few
# employments; bound parameters only.
_EVENTS = """
WITH starts AS (
    SELECT e.employee_id, e.unit_id, e.start_date,
           regexp_matches(e.job_group, $leader) AS leader,
           EXISTS (SELECT 1 FROM employments p WHERE p.employee_id = e.employee_id AND p.start_date < e.start_date
                   AND (p.end_date IS NULL OR p.end_date >= e.start_date - 1)) AS continues,
           EXISTS (SELECT 1 FROM employments p WHERE p.employee_id = e.employee_id AND p.start_date < e.start_date
                   AND (p.end_date IS NULL OR p.end_date >= e.start_date - 1)
                   AND regexp_matches(p.job_group, $leader)) AS continues_leader,
           EXISTS (SELECT 1 FROM employments p WHERE p.employee_id = e.employee_id
                   AND p.start_date < e.start_date) AS internal
    FROM employments e WHERE e.start_date BETWEEN $first AND $last
)
SELECT $new_employee AS survey_id, employee_id AS subject_id, unit_id, start_date AS anchor_date, NULL AS internal
FROM starts WHERE NOT continues AND NOT leader
UNION ALL
SELECT $onboarding, employee_id, unit_id, start_date, internal FROM starts WHERE leader AND NOT continues_leader
UNION ALL
SELECT $exit, e.employee_id, e.unit_id, e.end_date, NULL FROM employments e
WHERE e.end_date BETWEEN $first AND $last
  AND NOT EXISTS (SELECT 1 FROM employments n WHERE n.employee_id = e.employee_id
                  AND n.start_date <= e.end_date + 1 AND (n.end_date IS NULL OR n.end_date > e.end_date))
UNION ALL
SELECT $placement, person_id, unit_id, end_date, NULL FROM placements WHERE end_date BETWEEN $first AND $last
UNION ALL
SELECT $mentor, unit_id, unit_id, start_date, NULL FROM mentor_programmes WHERE start_date BETWEEN $first AND $last
ORDER BY survey_id, anchor_date, subject_id
"""


def events(store: Store, first: date, last: date) -> pd.DataFrame:
    """Every event whose start or end lies between first and last (both included)."""
    df = store.query_df(
        _EVENTS,
        {
            "leader": LEADER_PATTERN,
            "first": first,
            "last": last,
            "new_employee": NEW_EMPLOYEE,
            "onboarding": ONBOARDING,
            "exit": EXIT,
            "placement": PLACEMENT,
            "mentor": MENTOR,
        },
    )
    df["anchor_date"] = pd.to_datetime(df["anchor_date"]).dt.date
    return df


def due_letters(store: Store, today: date) -> pd.DataFrame:
    """The events whose letter is due today and not made yet: survey_id, survey (label), subject_id, unit_id,
    unit_name, anchor_date, due_until, sorted by the last day."""
    plan = schedule(store)
    # Anchors far enough back and ahead for any schedule the konsulent may set.
    first = today - timedelta(days=OFFSET_RANGE[1] + WINDOW_RANGE[1])
    last = today - timedelta(days=OFFSET_RANGE[0])
    df = events(store, first, last)
    made = set(store.query_all("SELECT survey_id, subject_id, anchor_date FROM lifecycle_letters"))
    keep = [
        plan[s].due_from(a) <= today <= plan[s].due_until(a) and (s, subject, a) not in made
        for s, subject, a in zip(df["survey_id"], df["subject_id"], df["anchor_date"])
    ]
    df = df[pd.Series(keep, index=df.index, dtype=bool)].copy()
    df["due_until"] = [plan[s].due_until(a) for s, a in zip(df["survey_id"], df["anchor_date"])]
    df["survey"] = df["survey_id"].map(LABELS)
    names = org.units(store).set_index("unit_id")["unit_name"]
    df["unit_name"] = df["unit_id"].map(names)
    columns = ["survey_id", "survey", "subject_id", "unit_id", "unit_name", "anchor_date", "due_until"]
    return df.sort_values(["due_until", "survey_id", "unit_name", "subject_id"])[columns].reset_index(drop=True)


def letters_for_leader(store: Store, leader_unit: str, today: date) -> pd.DataFrame:
    """The due letters a leader hands over: for staff and students in their units; for a new leader (onboarding,
    mentor) only in the units below their own, since a leader's letter comes from the leader above."""
    scope = set(org.subtree_ids(store, leader_unit))
    due = due_letters(store, today)
    mine = due["unit_id"].isin(scope) & ~(due["survey_id"].isin(LEADER_SURVEYS) & (due["unit_id"] == leader_unit))
    return due[mine].reset_index(drop=True)


def new_leaders(store: Store, first: date, last: date) -> pd.DataFrame:
    """New leaders who started between first and last: unit_id, anchor_date, internal (an earlier employment
    in the municipality). HR data about persons: only ever shown aggregated and protected."""
    df = events(store, first, last)
    df = df[df["survey_id"] == ONBOARDING]
    return df[["unit_id", "anchor_date", "internal"]].astype({"internal": bool}).reset_index(drop=True)
