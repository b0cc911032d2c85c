"""The 1-5-14 model: which ongoing spells are due a conversation, and whether it was held on time.

Milestones are days of the spell, counted in calendar days with the first sick day as day 1.
The days are config.milestones() (TRIVSEL_MILESTONES); the defaults follow the domain brief, and a
municipality using e.g. 2-6-14 sets TRIVSEL_MILESTONES=2,6,14,28,56.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from trivsel import audit, config, settings
from trivsel.store import Store


@dataclass(frozen=True)
class Milestone:
    day: int
    conversation: str
    label: str  # the step's short name, in the absence funnel


# The conversations in order, each with the law it meets (shown beside the day in the funnel).
_CONVERSATIONS = [
    ("Sygemelding: kontakt og overlevering af opgaver", ""),
    ("Omsorgssamtale", ""),
    ("Opfølgning: forventet varighed, varsling af sygefraværssamtale", ""),
    ("§ 7a sygefraværssamtale (senest 4 uger)", "§ 7a"),
    ("Tilbud om fastholdelsesplan (§ 7b, 8 uger)", ""),
]


def milestones() -> list[Milestone]:
    found = []
    for i, day in enumerate(config.milestones()):
        conversation, law = _CONVERSATIONS[i] if i < len(_CONVERSATIONS) else (f"Dag {day}", "")
        found.append(Milestone(day, conversation, f"Dag {day} ({law})" if law else f"Dag {day}"))
    return found


def ongoing_spells(store: Store, today: date, unit_ids: list[str]) -> pd.DataFrame:
    """Sickness spells running today for people employed today in the given units, with their day and the
    names of those units joined by "; " (names hold commas; never units outside the given ones)."""
    spells = store.query_df(
        """
        SELECT a.employee_id, string_agg(DISTINCT e.unit_id, ', ' ORDER BY e.unit_id) AS unit_ids,
               string_agg(DISTINCT u.unit_name, '; ' ORDER BY u.unit_name) AS unit_names,
               a.start_date, CAST(? AS DATE) - a.start_date + 1 AS day, a.degree
        FROM absence_spells a
        JOIN employments e ON e.employee_id = a.employee_id
         AND e.start_date <= ? AND coalesce(e.end_date, ?) >= ?
        JOIN units u ON u.unit_id = e.unit_id
        WHERE a.absence_type IN ('sygdom', 'arbejdsskade') AND a.start_date <= ?
          AND coalesce(a.end_date, ?) >= ? AND e.unit_id IN (SELECT unnest(?::VARCHAR[]))
        GROUP BY a.employee_id, a.start_date, a.degree
        ORDER BY day DESC, a.employee_id
        """,
        [today, today, today, today, today, today, today, list(unit_ids)],
    )
    spells["start_date"] = spells["start_date"].dt.date  # plain dates, as the contacts are keyed
    return spells


def due_list(store: Store, today: date, unit_ids: list[str]) -> pd.DataFrame:
    """One row per ongoing spell: the conversation to hold next, and whether it is late.

    status is 'overskredet' (its day has passed), 'i_dag', 'kommende' (due in `days_until`) or
    'alle_holdt' (every conversation is recorded; no milestone or due date). Recording a conversation
    never removes a spell, so the rows are exactly the ongoing spells.
    """
    spells = ongoing_spells(store, today, unit_ids)
    held = contacts(store, spells["employee_id"].unique().tolist())
    rows = []
    for spell in spells.itertuples(index=False):
        done = held.get((spell.employee_id, spell.start_date), {})
        pending = [m for m in milestones() if m.day not in done]
        if not pending:
            rows.append(
                (
                    spell.employee_id,
                    spell.unit_ids,
                    spell.unit_names,
                    spell.start_date,
                    int(spell.day),
                    None,
                    None,
                    None,
                    "alle_holdt",
                    None,
                )
            )
            continue
        # The latest missed conversation is the one still worth holding; else the next one ahead.
        missed = [m for m in pending if m.day <= spell.day]
        nxt = missed[-1] if missed else pending[0]
        status = "overskredet" if spell.day > nxt.day else ("i_dag" if spell.day == nxt.day else "kommende")
        rows.append(
            (
                spell.employee_id,
                spell.unit_ids,
                spell.unit_names,
                spell.start_date,
                int(spell.day),
                nxt.day,
                nxt.conversation,
                spell.start_date + timedelta(days=nxt.day - 1),
                status,
                max(0, nxt.day - int(spell.day)),
            )
        )
    out = pd.DataFrame(
        rows,
        columns=[
            "employee_id",
            "unit_ids",
            "unit_names",
            "start_date",
            "day",
            "milestone",
            "conversation",
            "due_date",
            "status",
            "days_until",
        ],
    )
    out = out.astype({"milestone": "Int64", "days_until": "Int64"})
    urgency = out["status"].map({"overskredet": 0, "i_dag": 1, "kommende": 2, "alle_holdt": 3})
    return (
        out.assign(_u=urgency, _d=pd.to_datetime(out["due_date"]))
        .sort_values(["_u", "_d", "employee_id"])
        .drop(columns=["_u", "_d"])
        .reset_index(drop=True)
    )


def contacts(store: Store, employee_ids: list[str]) -> dict[tuple[str, date], dict[int, date]]:
    """The recorded conversations of these employees, by (employee, spell start) and milestone day."""
    out: dict[tuple[str, date], dict[int, date]] = {}
    for employee_id, spell_start, milestone, contact_date in store.query_all(
        "SELECT employee_id, spell_start, milestone, contact_date FROM absence_contacts "
        "WHERE employee_id IN (SELECT unnest(?::VARCHAR[]))",
        [employee_ids],
    ):
        out.setdefault((employee_id, spell_start), {})[milestone] = contact_date
    return out


class FollowupError(ValueError):
    pass


def record_contact(
    store: Store,
    employee_id: str,
    spell_start: date,
    milestone: int,
    contact_date: date,
    actor: str,
    today: date | None = None,
) -> None:
    today = today or date.today()
    if milestone not in {m.day for m in milestones()}:
        raise FollowupError(f"Dag {milestone} er ikke et opfølgningstrin.")
    if contact_date > today:
        raise FollowupError("Samtalen kan ikke registreres med en dato i fremtiden.")
    if contact_date < spell_start:
        raise FollowupError("Samtalen kan ikke ligge før første sygedag.")
    if not store.query_value(
        "SELECT count(*) FROM absence_spells WHERE employee_id = ? AND start_date = ?", [employee_id, spell_start]
    ):
        raise FollowupError("Fraværsperioden findes ikke.")

    def work(cur):
        cur.execute(
            "INSERT OR REPLACE INTO absence_contacts (employee_id, spell_start, milestone, contact_date, recorded_by) "
            "VALUES (?, ?, ?, ?, ?)",
            [employee_id, spell_start, milestone, contact_date, actor],
        )
        audit.record(
            cur,
            actor,
            "followup_contact",
            employee_id=employee_id,
            spell_start=spell_start,
            milestone=milestone,
            contact_date=contact_date,
        )

    store.write(work)


def compliance(store: Store, period_from: date, period_to: date, today: date, unit_ids: list[str]) -> pd.DataFrame:
    """Per unit: milestones reached by spells started in the period, and how many had a contact in time.

    A contact is in time when it is recorded on or before the milestone's day. Persons are the
    distinct employees behind the milestones, for disclosure control.
    """
    days = [m.day for m in milestones()]
    return store.query_df(
        """
        WITH reached AS (
            SELECT DISTINCT e.unit_id, a.employee_id, a.start_date, m.day
            FROM absence_spells a
            JOIN employments e ON e.employee_id = a.employee_id
             AND e.start_date <= a.start_date AND coalesce(e.end_date, a.start_date) >= a.start_date
            JOIN (SELECT unnest(?::INTEGER[]) AS day) m
              ON coalesce(a.end_date, ?) - a.start_date + 1 >= m.day
            WHERE a.absence_type IN ('sygdom', 'arbejdsskade') AND a.start_date BETWEEN ? AND ?
              AND e.unit_id IN (SELECT unnest(?::VARCHAR[]))
        )
        SELECT r.unit_id, count(DISTINCT r.employee_id) AS persons, count(*) AS milestones_reached,
               count(*) FILTER (WHERE c.contact_date <= r.start_date + r.day - 1) AS contacts_in_time
        FROM reached r LEFT JOIN absence_contacts c
          ON c.employee_id = r.employee_id AND c.spell_start = r.start_date AND c.milestone = r.day
        GROUP BY r.unit_id
        """,
        [days, today, period_from, period_to, list(unit_ids)],
    )


def frequent_absence(store: Store, today: date, unit_ids: list[str]) -> pd.DataFrame:
    """Employees over either signal: many spells in 6 months or many sick days in 12 months."""
    spells_limit = settings.get(store, "signal.spells_6m")
    days_limit = settings.get(store, "signal.days_12m")
    six, twelve = today - timedelta(days=182), today - timedelta(days=365)
    return store.query_df(
        """
        WITH people AS (
            SELECT DISTINCT employee_id FROM employments
            WHERE unit_id IN (SELECT unnest(?::VARCHAR[])) AND start_date <= ? AND coalesce(end_date, ?) >= ?
        ),
        spells AS (
            SELECT a.employee_id, a.start_date,
                   least(coalesce(a.end_date, ?), ?) - greatest(a.start_date, ?) + 1 AS days_in_12m
            FROM absence_spells a JOIN people USING (employee_id)
            WHERE a.absence_type IN ('sygdom', 'arbejdsskade') AND coalesce(a.end_date, ?) >= ?
        )
        SELECT employee_id, count(*) FILTER (WHERE start_date >= ?) AS spells_6m,
               sum(days_in_12m) AS sick_days_12m
        FROM spells GROUP BY employee_id
        HAVING count(*) FILTER (WHERE start_date >= ?) >= ? OR sum(days_in_12m) >= ?
        ORDER BY spells_6m DESC, sick_days_12m DESC
        """,
        [list(unit_ids), today, today, today, today, today, twelve, today, twelve, six, six, spells_limit, days_limit],
    )
