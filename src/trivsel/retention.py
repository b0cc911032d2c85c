"""Retention: each dataset is deleted when its period has run out, and the counts are logged."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from trivsel import audit, settings
from trivsel.store import Store
from trivsel.surveys import rounds


@dataclass(frozen=True)
class Rule:
    dataset: str
    label: str
    setting: str | None  # None: due as soon as the cutoff date has passed (kept 0 months)
    count_sql: str  # both take the cutoff date as their only parameter
    delete_sql: str
    before_sql: tuple[str, ...] = ()  # run first, with the same cutoff: rows that belong to the deleted ones


_SUPERVISION_DUE = "status IN ('closed', 'declined') AND closed_on < ?"
_DRAFTS_DUE = (
    "code_hash IN (SELECT c.code_hash FROM round_codes c JOIN survey_rounds r USING (round_id) WHERE r.closes_on < ?)"
)
_ROUNDS_DUE = "round_id IN (SELECT round_id FROM survey_rounds WHERE closes_on < ?)"
# An APV goes when a newer APV of its unit has been approved for the period; the current one always stays.
_APVS_DUE = (
    "apv_id IN (SELECT a.apv_id FROM apvs a JOIN apvs n ON n.unit_id = a.unit_id "
    "AND n.created_on > a.created_on AND n.approved_on < ?)"
)
RULES = [
    Rule(
        "survey_answers",
        "Trivselssvar (efter rundens lukning)",
        "retention.survey_answers",
        "SELECT count(*) FROM survey_responses WHERE " + _ROUNDS_DUE,
        "DELETE FROM survey_responses WHERE " + _ROUNDS_DUE,
        (
            "DELETE FROM survey_answers WHERE response_id IN (SELECT response_id FROM survey_responses WHERE "
            + _ROUNDS_DUE
            + ")",
        ),
    ),
    # A code holder's unfinished answers are of no use once the round has closed.
    Rule(
        "code_drafts",
        "Ufærdige svar med engangskode (når runden er lukket)",
        None,
        "SELECT count(*) FROM code_drafts WHERE " + _DRAFTS_DUE,
        "DELETE FROM code_drafts WHERE " + _DRAFTS_DUE,
    ),
    Rule(
        "absence_spells",
        "Fraværsperioder (efter periodens slutdato)",
        "retention.absence_spells",
        "SELECT count(*) FROM absence_spells WHERE end_date < ?",
        "DELETE FROM absence_spells WHERE end_date < ?",
    ),
    # With its problems, approvals and action plan (the round's notes for the unit).
    Rule(
        "apvs",
        "APV'er (når en nyere APV for enheden har været godkendt så længe)",
        "retention.apv",
        "SELECT count(*) FROM apvs WHERE " + _APVS_DUE,
        "DELETE FROM apvs WHERE " + _APVS_DUE,
        (
            "DELETE FROM apv_problems WHERE " + _APVS_DUE,
            "DELETE FROM apv_approvals WHERE " + _APVS_DUE,
            "DELETE FROM action_notes WHERE EXISTS (SELECT 1 FROM apvs x WHERE x.round_id = action_notes.round_id "
            "AND x.unit_id = action_notes.unit_id AND x." + _APVS_DUE + ")",
        ),
    ),
    Rule(
        "apv_discussions",
        "Arbejdsmiljødrøftelser (efter den dag, de blev holdt)",
        "retention.apv",
        "SELECT count(*) FROM apv_discussions WHERE held_on < ?",
        "DELETE FROM apv_discussions WHERE held_on < ?",
    ),
    Rule(
        "audit_log",
        "Revisionslog",
        "retention.audit_log",
        "SELECT count(*) FROM audit_log WHERE logged_at < ?",
        "DELETE FROM audit_log WHERE logged_at < ?",
    ),
    # A closed or declined request goes with its sessions and events; open requests are never due.
    Rule(
        "supervision_requests",
        "Supervisionsanmodninger (efter lukning)",
        "retention.supervision_requests",
        f"SELECT count(*) FROM supervision_requests WHERE {_SUPERVISION_DUE}",
        f"DELETE FROM supervision_requests WHERE {_SUPERVISION_DUE}",
        tuple(
            f"DELETE FROM {table} WHERE request_id IN "
            f"(SELECT request_id FROM supervision_requests WHERE {_SUPERVISION_DUE})"
            for table in ("supervision_events", "supervision_sessions")
        ),
    ),
    # Sessions also go at the next login; this catches those left when nobody has logged in since.
    Rule(
        "login_sessions",
        "Login-sessioner (når de er udløbet)",
        None,
        "SELECT count(*) FROM login_sessions WHERE expires_at < ?",
        "DELETE FROM login_sessions WHERE expires_at < ?",
    ),
]


@dataclass(frozen=True)
class Due:
    rule: Rule
    months: int
    cutoff: date
    rows: int


def cutoff(today: date, months: int) -> date:
    """The same day `months` earlier (the month's last day when that day does not exist)."""
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    return date(year, month + 1, min(today.day, calendar.monthrange(year, month + 1)[1]))


def due(store: Store, today: date) -> list[Due]:
    out = []
    for rule in RULES:
        months = settings.get(store, rule.setting) if rule.setting else 0
        limit = cutoff(today, months)
        out.append(Due(rule, months, limit, int(store.query_value(rule.count_sql, [limit]))))
    return out


def run(store: Store, today: date, actor: str, dry_run: bool = False) -> list[Due]:
    """Delete what is due (all datasets in one transaction) unless `dry_run`; return the counts."""
    found = due(store, today)
    if dry_run:
        return found

    def work(cur):
        for item in found:
            for sql in item.rule.before_sql:
                cur.execute(sql, [item.cutoff])
            cur.execute(item.rule.delete_sql, [item.cutoff])
        audit.record(cur, actor, "retention_run", **{d.rule.dataset: d.rows for d in found})

    store.write(work)
    rounds.shuffle_answers(store)  # nightly: answers that came in since the last run lose their order
    return found
