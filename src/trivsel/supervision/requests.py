"""Submitting a supervision request from a staff link, and looking up its status by reference code.

The form is the survey definition `surveys/supervision_request.yaml` (identified, not
anonymous); its answers are checked with the survey engine's own rules, plus sanity checks
on the contact details, which the form also runs on each step. The requester gets a random
reference code, stored only as a hash, that shows the request's status (and, once planned,
the date of the first session) and nothing else.
"""

from __future__ import annotations

import re
import secrets
import uuid
from datetime import date, datetime

from trivsel import audit, org
from trivsel.store import Store
from trivsel.surveys.definitions import Survey
from trivsel.surveys.rounds import CODE_ALPHABET, answer_problems, hash_code

SURVEY_ID = "supervision_request"
REQUESTER = "anmoder"  # the actor of a request's first event: the requester has no login

STATUSES = ("new", "planned", "in_progress", "closed", "declined")
OPEN_STATUSES = ("new", "planned", "in_progress")
DONE_STATUSES = ("closed", "declined")
# What the supervisor reads.
STATUS_LABELS = {
    "new": "Ny",
    "planned": "Planlagt",
    "in_progress": "I gang",
    "closed": "Afsluttet",
    "declined": "Afvist",
}
# What the requester reads with the reference code: the status, never the content.
PUBLIC_STATUS = {
    "new": ("Modtaget", "Supervisoren har modtaget anmodningen og vender tilbage til kontaktpersonen."),
    "planned": ("Planlagt", "Supervisionen er planlagt. Supervisoren aftaler datoerne med kontaktpersonen."),
    "in_progress": ("I gang", "Supervisionsforløbet er i gang."),
    "closed": ("Afsluttet", "Supervisionsforløbet er afsluttet."),
    "declined": (
        "Afsluttet uden forløb",
        ("Supervisoren har ikke kunnet tilbyde et forløb og har givet kontaktpersonen besked direkte."),
    ),
}

# Survey item id -> column of supervision_requests.
COLUMNS = {
    "contact_name": "contact_name",
    "contact": "contact",
    "role": "requester_role",
    "group_size": "group_size",
    "topic": "topic",
    "description": "description",
    "urgency": "urgency",
    "leader_knows": "leader_knows",
    "weekdays": "weekdays",
    "times": "times",
}

_INSERT_SQL = (
    f"INSERT INTO supervision_requests (request_id, status_code_hash, unit_id, survey_version, "
    f"created_on, {', '.join(COLUMNS.values())}) VALUES (?, ?, ?, ?, ?{', ?' * len(COLUMNS)}) "
    "RETURNING request_no"
)
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]{2,}")
_PHONE_CHARACTERS = re.compile(r"\+?[0-9 ()./-]+")


class SupervisionError(ValueError):
    """A refusal with a Danish message for the requester or the supervisor."""


class ConflictError(SupervisionError):
    """Someone else changed the request after this user opened it; nothing was saved."""


def new_reference_code() -> str:
    """12 characters in three groups (about 60 bits): unguessable, and easy to read aloud."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def contact_problem(contact: str) -> str | None:
    """Why a contact is neither an e-mail address nor a phone number, or None when it looks fine."""
    text = contact.strip()
    if "@" in text:
        return None if _EMAIL.fullmatch(text) else "e-mailadressen ser ikke rigtig ud (fx navn@kommune.dk)."
    digits = re.sub(r"\D", "", text)
    if not _PHONE_CHARACTERS.fullmatch(text):
        return "skriv en e-mailadresse eller et telefonnummer."
    international = text.startswith(("+", "00"))
    if international and 8 <= len(digits) - (2 if text.startswith("00") else 0) <= 15:
        return None
    if not international and len(digits) == 8:
        return None
    return "et telefonnummer skal have 8 cifre (eller starte med + og landekode)."


def clean(answers: dict) -> dict:
    """Answers with text stripped and empty answers dropped."""
    out = {}
    for key, value in answers.items():
        if isinstance(value, str):
            value = value.strip()
        if value not in (None, "", []):
            out[key] = value
    return out


def problems(survey: Survey, answers: dict) -> list[str]:
    """Every Danish reason the answers cannot be stored: the definition's rules, then the request's own."""
    answers = clean(answers)
    return answer_problems(survey, answers) + request_problems(survey, answers)


def request_problems(survey: Survey, answers: dict) -> list[str]:
    """The request's own rules (the contact details; staff or leader), on whatever is answered so far.

    The form runs them as each section is left, so a bad e-mail is named on the step where it was typed;
    problems() runs them again on the whole request before it is stored."""
    answers = clean(answers)
    found = []
    numbers = {item.id: n for n, item in enumerate(survey.items, start=1)}
    contact = answers.get("contact")
    # Too long a contact is already named by the definition's rules.
    if isinstance(contact, str) and len(contact) <= survey.item("contact").max_length:
        reason = contact_problem(contact)
        if reason:
            found.append(f"Spørgsmål {numbers['contact']} (e-mail eller telefonnummer): {reason}")
    if answers.get("role") == "medarbejder" and answers.get("leader_knows") == "er_selv_leder":
        found.append(
            f"Spørgsmål {numbers['leader_knows']}: du har svaret, at du er medarbejder, men også, at du selv er leder."
        )
    return found


def submit(store: Store, survey: Survey, unit_id: str, answers: dict, today: date) -> str:
    """Store a request for the unit; return the reference code (shown once, stored only as a hash)."""
    if survey.id != SURVEY_ID or survey.anonymous:
        raise ValueError("a supervision request needs the identified supervision_request survey")
    missing = set(COLUMNS) - {item.id for item in survey.items}
    if missing:
        raise ValueError(f"the supervision survey lacks the items {sorted(missing)}")
    if org.unit_name(store, unit_id) is None:
        raise SupervisionError("Enheden findes ikke. Bed din leder om et nyt link.")
    found = problems(survey, answers)
    if found:
        raise SupervisionError(" ".join(found))
    answers = clean(answers)
    values = [_stored(answers.get(item_id)) for item_id in COLUMNS]
    code = new_reference_code()
    request_id = uuid.uuid4().hex

    def work(cur):
        number = cur.execute(
            _INSERT_SQL, [request_id, hash_code(code), unit_id, survey.version, today, *values]
        ).fetchall()[0][0]
        cur.execute(
            "INSERT INTO supervision_events (request_id, logged_at, actor, kind) VALUES (?, ?, ?, 'created')",
            [request_id, datetime.now(), REQUESTER],
        )
        # The audit log is read by the admin: the number only, never the unit or the content.
        audit.record(cur, REQUESTER, "supervision_requested", request_no=number)

    store.write(work)
    return code


def _stored(value):
    if value is None:
        return ""
    if isinstance(value, list):
        return ",".join(value)
    return value


def status_for_code(store: Store, code: str) -> str | None:
    """The status of the request a reference code belongs to, or None for an unknown code."""
    if not code or not code.strip():
        return None
    return store.query_value("SELECT status FROM supervision_requests WHERE status_code_hash = ?", [hash_code(code)])


def first_session_on(store: Store, code: str) -> date | None:
    """The date of the first planned session of a planned or running course, for the requester's status
    page; None before anything is planned, after the course has ended, and for an unknown code."""
    if not code or not code.strip():
        return None
    return store.query_value(
        "SELECT min(s.session_date) FROM supervision_requests r JOIN supervision_sessions s USING (request_id) "
        "WHERE r.status_code_hash = ? AND r.status IN ('planned', 'in_progress')",
        [hash_code(code)],
    )
