"""Action notes: what a unit agreed to do about a round's results, who does it and by when."""

from __future__ import annotations

import uuid
from datetime import date

import pandas as pd

from trivsel import audit, org
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


def _check_scope(store: Store, scope: str | None, unit_id: str | None) -> None:
    """A leader (scope: their unit) writes only for units in their own subtree; None writes for any unit."""
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
) -> str:
    _check_scope(store, scope, unit_id)
    _check(what, owner, "ikke_startet")
    note_id = uuid.uuid4().hex

    def work(cur):
        cur.execute(
            "INSERT INTO action_notes VALUES (?, ?, ?, ?, ?, ?, 'ikke_startet', ?, ?)",
            [note_id, round_id, unit_id, what.strip(), owner.strip(), due_on, actor, today or date.today()],
        )
        audit.record(cur, actor, "action_note_added", round_id=round_id, unit_id=unit_id)

    store.write(work)
    return note_id


def set_status(
    store: Store, note_id: str, status: str, actor: str, scope: str | None, today: date | None = None
) -> None:
    if status not in STATUSES:
        raise ActionError("Ukendt status.")
    _check_scope(store, scope, store.query_value("SELECT unit_id FROM action_notes WHERE note_id = ?", [note_id]))

    def work(cur):
        cur.execute(
            "UPDATE action_notes SET status = ?, updated_on = ? WHERE note_id = ?",
            [status, today or date.today(), note_id],
        )
        audit.record(cur, actor, "action_note_status", note_id=note_id, status=status)

    store.write(work)


def notes(store: Store, round_id: str, unit_ids: list[str]) -> pd.DataFrame:
    return store.query_df(
        """SELECT n.note_id, n.unit_id, u.unit_name, n.what, n.owner, n.due_on, n.status, n.updated_on
           FROM action_notes n JOIN units u USING (unit_id)
           WHERE n.round_id = ? AND n.unit_id IN (SELECT unnest(?::VARCHAR[]))
           ORDER BY u.unit_name, n.due_on NULLS LAST""",
        [round_id, list(unit_ids)],
    )
