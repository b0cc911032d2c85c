"""The supervisor's queue: list requests, and move them from new to planned, in progress and closed.

Every change goes through `_change`, one transaction that checks the version, updates the request,
writes an event (who, when, what) and an audit entry (who, when, which request; never the content).
Each change names the version of the request the supervisor was looking at; the UPDATE checks it,
so when two supervisors work on the same request, the second gets a Danish conflict message instead
of silently overwriting the first. A plain note only adds to the history and needs no version.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

from trivsel import audit, settings
from trivsel.store import Store
from trivsel.supervision.requests import (
    OPEN_STATUSES,
    STATUS_LABELS,
    STATUSES,
    ConflictError,
    SupervisionError,
)
from trivsel.supervision.workdays import add_working_days

RESPONSE_DAYS_SETTING = "supervision.response_days"
MAX_SESSIONS = 20
MAX_NOTE = 1000
MAX_REASON = 500
OUTCOMES = {
    "gennemfoert": "Forløbet er gennemført",
    "kort_forloeb": "Afklaret i en enkelt samtale",
    "henvist": "Henvist til anden hjælp (fx psykolog eller arbejdsmiljøorganisation)",
    "ikke_behov": "Gruppen har ikke længere behov",
    "andet": "Andet",
}
EVENT_LABELS = {
    "created": "Anmodning modtaget",
    "contacted": "Første svar til kontaktpersonen",
    "planned": "Planlagt",
    "started": "Forløbet er i gang",
    "note": "Intern note",
    "closed": "Afsluttet",
    "declined": "Afvist",
}
_DETAIL_COLUMNS = [
    "request_id",
    "request_no",
    "unit_id",
    "unit_name",
    "contact_name",
    "contact",
    "requester_role",
    "group_size",
    "topic",
    "description",
    "urgency",
    "weekdays",
    "times",
    "leader_knows",
    "status",
    "created_on",
    "first_response_on",
    "sessions_planned",
    "outcome",
    "outcome_text",
    "decline_reason",
    "closed_on",
    "version",
]
_DETAIL_SQL = (
    f"SELECT {', '.join('u.unit_name' if c == 'unit_name' else 'r.' + c for c in _DETAIL_COLUMNS)} "
    "FROM supervision_requests r LEFT JOIN units u USING (unit_id) WHERE r.request_id = ?"
)


@dataclass(frozen=True)
class _Action:
    """A change of a request: the statuses it may start from, and its UPDATE (which checks the version).

    Without an UPDATE the change only adds to the history (a plain note): it needs no version."""

    allowed: frozenset[str]
    refusal: str = ""
    update_sql: str | None = None  # parameters: the action's own values, today, request_id, the expected version
    only_before_first_response: bool = False


def _update(*assignments: str) -> str:
    """Any change but a plain note is also the first answer to the requester, if none was recorded."""
    changes = ", ".join([*assignments, "first_response_on = coalesce(first_response_on, ?)", "version = version + 1"])
    return f"UPDATE supervision_requests SET {changes} WHERE request_id = ? AND version = ?"


ACTIONS = {
    # Planning again keeps a running course in progress.
    "planned": _Action(
        frozenset(OPEN_STATUSES),
        "En afsluttet eller afvist anmodning kan ikke planlægges.",
        _update("status = CASE WHEN status = 'in_progress' THEN status ELSE 'planned' END", "sessions_planned = ?"),
    ),
    "started": _Action(
        frozenset({"planned"}), "Kun en planlagt anmodning kan sættes i gang.", _update("status = 'in_progress'")
    ),
    "closed": _Action(
        frozenset(OPEN_STATUSES),
        "Anmodningen er allerede afsluttet eller afvist.",
        _update("status = 'closed'", "closed_on = ?", "outcome = ?", "outcome_text = ?"),
    ),
    "declined": _Action(
        frozenset({"new", "planned"}),
        "Et forløb, der er i gang eller afsluttet, kan ikke afvises. Afslut det i stedet.",
        _update("status = 'declined'", "closed_on = ?", "decline_reason = ?"),
    ),
    # A note that records the first answer to the requester (e.g. a phone call).
    "contacted": _Action(
        frozenset(OPEN_STATUSES),
        "Anmodningen er allerede afsluttet eller afvist.",
        _update(),
        only_before_first_response=True,
    ),
    "note": _Action(frozenset(STATUSES)),
}
# Which statuses each action may start from (the page offers only these).
ALLOWED = {kind: action.allowed for kind, action in ACTIONS.items()}


@dataclass(frozen=True)
class Request:
    request_id: str
    request_no: int
    unit_id: str
    unit_name: str
    contact_name: str
    contact: str
    requester_role: str
    group_size: int
    topic: str
    description: str
    urgency: str
    weekdays: str
    times: str
    leader_knows: str
    status: str
    created_on: date
    first_response_on: date | None
    sessions_planned: int | None
    outcome: str | None
    outcome_text: str | None
    decline_reason: str | None
    closed_on: date | None
    version: int
    session_dates: tuple[date, ...] = ()

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


def response_days(store: Store) -> int:
    """Working days the supervisor has for a first answer (the admin's setting, default 5)."""
    return settings.get(store, RESPONSE_DAYS_SETTING)


def response_deadline(created_on: date, days: int) -> date:
    return add_working_days(created_on, days)


def is_overdue(created_on: date, first_response_on: date | None, today: date, days: int) -> bool:
    """No first answer within `days` working days after the request came in."""
    return first_response_on is None and today > response_deadline(created_on, days)


def listing(store: Store, today: date, statuses: tuple[str, ...] = OPEN_STATUSES) -> pd.DataFrame:
    """One row per request in the statuses: number, unit, topic, urgency, status, age, deadline, overdue.

    Overdue requests come first, then the oldest. No free text: that is for the detail view.
    """
    frame = store.query_df(
        """SELECT r.request_id, r.request_no, r.unit_id, coalesce(u.unit_name, r.unit_id) AS unit_name, r.topic,
                  r.urgency, r.group_size, r.status, r.created_on, r.first_response_on, r.closed_on,
                  (SELECT min(s.session_date) FROM supervision_sessions s WHERE s.request_id = r.request_id)
                      AS first_session_on
           FROM supervision_requests r LEFT JOIN units u USING (unit_id)
           WHERE list_contains(?, r.status)
           ORDER BY r.created_on, r.request_no""",
        [list(statuses)],
    )
    days = response_days(store)
    for column in ("created_on", "first_response_on", "closed_on", "first_session_on"):
        frame[column] = [None if pd.isna(v) else pd.Timestamp(v).date() for v in frame[column]]
    frame["age_days"] = [
        ((closed or today) - created).days for created, closed in zip(frame["created_on"], frame["closed_on"])
    ]
    frame["deadline"] = [response_deadline(c, days) for c in frame["created_on"]]
    frame["overdue"] = [is_overdue(c, f, today, days) for c, f in zip(frame["created_on"], frame["first_response_on"])]
    frame = frame.sort_values(["overdue", "created_on", "request_no"], ascending=[False, True, True])
    return frame.reset_index(drop=True)


def counts(store: Store) -> dict[str, int]:
    """Requests per status (every status, zero included)."""
    found = dict(store.query_all("SELECT status, count(*) FROM supervision_requests GROUP BY status"))
    return {status: int(found.get(status, 0)) for status in STATUS_LABELS}


def get(store: Store, request_id: str) -> Request:
    row = store.query_one(_DETAIL_SQL, [request_id])
    if row is None:
        raise SupervisionError("Anmodningen findes ikke længere.")
    values = dict(zip(_DETAIL_COLUMNS, row))
    values["unit_name"] = values["unit_name"] or values["unit_id"]
    sessions = store.query_all(
        "SELECT session_date FROM supervision_sessions WHERE request_id = ? ORDER BY session_date", [request_id]
    )
    return Request(**values, session_dates=tuple(r[0] for r in sessions))


def events(store: Store, request_id: str) -> pd.DataFrame:
    """The request's history, oldest first: logged_at, actor, kind, detail."""
    return store.query_df(
        "SELECT logged_at, actor, kind, detail FROM supervision_events WHERE request_id = ? ORDER BY event_id",
        [request_id],
    )


# Changes. Each runs in one transaction, here: check the version, update, add the event, audit.


def _change(
    store: Store,
    request_id: str,
    expected_version: int | None,
    actor: str,
    kind: str,
    detail: str,
    today: date,
    params: tuple = (),
    session_dates: list[date] | None = None,
) -> None:
    action = ACTIONS[kind]

    def work(cur):
        row = cur.execute(
            "SELECT status, version, request_no, first_response_on FROM supervision_requests WHERE request_id = ?",
            [request_id],
        ).fetchall()
        if not row:
            raise SupervisionError("Anmodningen findes ikke længere.")
        status, version, number, first_response = row[0]
        if action.update_sql is not None:
            if version != expected_version:
                raise _conflict(cur, request_id, status)
            if status not in action.allowed:
                raise SupervisionError(action.refusal)
            if action.only_before_first_response and first_response is not None:
                raise SupervisionError(f"Første svar er allerede registreret {first_response:%d-%m-%Y}.")
            updated = cur.execute(action.update_sql, [*params, today, request_id, expected_version]).fetchall()
            if updated[0][0] != 1:
                raise _conflict(cur, request_id, status)
        _event(cur, request_id, actor, kind, detail)
        if session_dates is not None:
            cur.execute("DELETE FROM supervision_sessions WHERE request_id = ?", [request_id])
            cur.executemany("INSERT INTO supervision_sessions VALUES (?, ?)", [[request_id, d] for d in session_dates])
        audit.record(cur, actor, f"supervision_{kind}", request_no=number)

    store.write(work)


def _conflict(cur, request_id: str, status: str) -> ConflictError:
    last = cur.execute(
        "SELECT actor, logged_at FROM supervision_events WHERE request_id = ? ORDER BY event_id DESC LIMIT 1",
        [request_id],
    ).fetchall()
    who = f" af {last[0][0]} kl. {last[0][1]:%H:%M}" if last else ""
    return ConflictError(
        f"Anmodningen er blevet ændret{who}, mens du havde den åben (status nu: {STATUS_LABELS[status]}). "
        "Din ændring er ikke gemt. Se de nye oplysninger, og prøv igen."
    )


def _event(cur, request_id: str, actor: str, kind: str, detail: str) -> None:
    cur.execute(
        "INSERT INTO supervision_events (request_id, logged_at, actor, kind, detail) VALUES (?, ?, ?, ?, ?)",
        [request_id, datetime.now(), actor, kind, detail],
    )


def _text(value: str | None, limit: int, what: str, required: bool) -> str:
    text = (value or "").strip()
    if required and not text:
        raise SupervisionError(f"Skriv {what}.")
    if len(text) > limit:
        raise SupervisionError(f"{what[0].upper()}{what[1:]} må højst være {limit} tegn.")
    return text


def plan(
    store: Store,
    request_id: str,
    expected_version: int,
    session_dates: list[date],
    sessions: int,
    actor: str,
    today: date,
) -> None:
    """Accept the request and plan its sessions: the number of sessions and the dates known so far."""
    dates = sorted(set(session_dates))
    if not 1 <= sessions <= MAX_SESSIONS:
        raise SupervisionError(f"Antallet af sessioner skal være mellem 1 og {MAX_SESSIONS}.")
    if not dates:
        raise SupervisionError("Angiv mindst datoen for den første session.")
    if len(dates) > sessions:
        raise SupervisionError(f"Der er {len(dates)} datoer, men kun {sessions} sessioner.")
    created = store.query_value("SELECT created_on FROM supervision_requests WHERE request_id = ?", [request_id])
    if created is not None and dates[0] < created:
        raise SupervisionError(f"Den første session kan ikke ligge før anmodningen kom ind ({created:%d-%m-%Y}).")
    detail = f"{sessions} sessioner: " + ", ".join(f"{d:%d-%m-%Y}" for d in dates)
    _change(store, request_id, expected_version, actor, "planned", detail, today, (sessions,), session_dates=dates)


def start(store: Store, request_id: str, expected_version: int, actor: str, today: date) -> None:
    """The first session has been held: the course is in progress."""
    _change(store, request_id, expected_version, actor, "started", "", today)


def close(
    store: Store, request_id: str, expected_version: int, outcome: str, text: str | None, actor: str, today: date
) -> None:
    """Close the request with an outcome (one of OUTCOMES) and, optionally, a few words."""
    if outcome not in OUTCOMES:
        raise SupervisionError("Vælg et udfald.")
    words = _text(text, MAX_REASON, "en bemærkning", required=False)
    detail = OUTCOMES[outcome] + (f": {words}" if words else "")
    _change(store, request_id, expected_version, actor, "closed", detail, today, (today, outcome, words or None))


def decline(store: Store, request_id: str, expected_version: int, reason: str, actor: str, today: date) -> None:
    """Decline the request with a reason (for the supervisor's records; the requester is told directly)."""
    words = _text(reason, MAX_REASON, "en begrundelse", required=True)
    _change(store, request_id, expected_version, actor, "declined", words, today, (today, words))


def add_note(
    store: Store,
    request_id: str,
    text: str,
    actor: str,
    today: date,
    expected_version: int | None = None,
    first_response: bool = False,
) -> None:
    """Add an internal note. With `first_response`, the note also records the first answer to the
    requester (e.g. a phone call), which stops the overdue mark; that changes the request, so it
    checks `expected_version` like any other change. A plain note only appends and never conflicts."""
    words = _text(text, MAX_NOTE, "en note", required=True)
    if first_response and expected_version is None:
        raise ValueError("a first response changes the request and needs the expected version")
    _change(store, request_id, expected_version, actor, "contacted" if first_response else "note", words, today)
