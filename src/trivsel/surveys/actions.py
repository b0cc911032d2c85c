"""Action notes: what a unit agreed to do about a round's results, who does it and by when.

An APV's action plan is made of the same notes (on the APV's round), each naming the problem it answers
and its follow-up date.
"""

from __future__ import annotations

import uuid
from datetime import date

import pandas as pd

from trivsel import audit, org
from trivsel.roles import AMR
from trivsel.store import Store

STATUSES = {"ikke_startet": "Ikke startet", "i_gang": "I gang", "faerdig": "Færdig"}
MAX_LENGTH = 500


class ActionError(ValueError):
    pass


def _check(what: str, owner: str, status: str) -> None:
    if not what.strip() or not owner.strip():
        raise ActionError("Skriv både hvad der skal ske, og hvem der gør det.")
    if len(what) > MAX_LENGTH or len(owner) > 100:
        raise ActionError(f"Teksten må højst være {MAX_LENGTH} tegn (ansvarlig højst 100).")
    if status not in STATUSES:
        raise ActionError("Ukendt status.")


def _check_scope(store: Store, scope: str | None, unit_id: str | None, role: str | None) -> None:
    """A leader (scope: their unit) writes only for units in their own subtree; None writes for any unit.
    An arbejdsmiljørepræsentant reads the plan and takes part in approving an APV, but does not write it."""
    if role == AMR:
        raise ActionError("Som arbejdsmiljørepræsentant kan du se handleplanen, men ikke ændre den.")
    if unit_id not in set(org.visible_units(store, scope)["unit_id"]):
        raise ActionError("Du kan kun skrive handleplaner for dine egne enheder.")


def add(
    store: Store,
    round_id: str,
    unit_id: str,
    what: str,
    owner: str,
    due_on: date | None,
    actor: str,
    scope: str | None,
    today: date | None = None,
    *,
    role: str | None = None,
    problem_id: str | None = None,
    follow_up_on: date | None = None,
) -> str:
    _check_scope(store, scope, unit_id, role)
    _check(what, owner, "ikke_startet")
    note_id = uuid.uuid4().hex

    def work(cur):
        cur.execute(
            """INSERT INTO action_notes (note_id, round_id, unit_id, what, owner, due_on, status, written_by,
                   updated_on, problem_id, follow_up_on)
               VALUES (?, ?, ?, ?, ?, ?, 'ikke_startet', ?, ?, ?, ?)""",
            [
                note_id,
                round_id,
                unit_id,
                what.strip(),
                owner.strip(),
                due_on,
                actor,
                today or date.today(),
                problem_id,
                follow_up_on,
            ],
        )
        audit.record(cur, actor, "action_note_added", round_id=round_id, unit_id=unit_id, problem_id=problem_id)

    store.write(work)
    return note_id


def set_status(
    store: Store,
    note_id: str,
    status: str,
    actor: str,
    scope: str | None,
    today: date | None = None,
    *,
    role: str | None = None,
) -> None:
    if status not in STATUSES:
        raise ActionError("Ukendt status.")
    unit_id = store.query_value("SELECT unit_id FROM action_notes WHERE note_id = ?", [note_id])
    _check_scope(store, scope, unit_id, role)

    def work(cur):
        cur.execute(
            "UPDATE action_notes SET status = ?, updated_on = ? WHERE note_id = ?",
            [status, today or date.today(), note_id],
        )
        audit.record(cur, actor, "action_note_status", note_id=note_id, status=status)

    store.write(work)


def notes(store: Store, round_id: str, unit_ids: list[str], *, apv: bool = False) -> pd.DataFrame:
    """The round's notes for the units; with `apv`, also the problem each answers and its follow-up date."""
    params = [round_id, list(unit_ids)]
    return store.query_df(_NOTES_APV, params) if apv else store.query_df(_NOTES, params)


_NOTES_COLUMNS = "n.note_id, n.unit_id, u.unit_name, n.what, n.owner, n.due_on, n.status, n.updated_on"
_NOTES_FROM = """FROM action_notes n JOIN units u USING (unit_id)
           WHERE n.round_id = ? AND n.unit_id IN (SELECT unnest(?::VARCHAR[]))
           ORDER BY u.unit_name, n.due_on NULLS LAST"""
_NOTES = f"SELECT {_NOTES_COLUMNS} {_NOTES_FROM}"
_NOTES_APV = f"SELECT {_NOTES_COLUMNS}, n.problem_id, n.follow_up_on {_NOTES_FROM}"
