"""The record of job runs (table job_runs): started, then finished as ok or failed, or found cut off."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from trivsel.store import Store

RETENTION, BACKUP, INBOX, NUDGES = "retention", "backup", "inbox", "nudges"
JOBS = {
    RETENTION: "Sletning efter opbevaringsperioden",
    BACKUP: "Sikkerhedskopi",
    INBOX: "Indbakke (lønudtræk)",
    NUDGES: "Påmindelser til ledere (e-mail)",
}
STATUS = {"running": "Kører", "ok": "OK", "failed": "Fejlet", "interrupted": "Afbrudt (appen stoppede)"}


@dataclass(frozen=True)
class Run:
    job: str
    started_at: datetime
    finished_at: datetime | None
    status: str
    result: str


def begin(store: Store, job: str, at: datetime) -> int:
    return store.write(
        lambda cur: cur.execute(
            "INSERT INTO job_runs (job, started_at, status) VALUES (?, ?, 'running') RETURNING run_id", [job, at]
        ).fetchall()[0][0],
        bookkeeping=True,
    )


def finish(store: Store, run_id: int, ok: bool, result: str, at: datetime) -> None:
    store.write(
        lambda cur: cur.execute(
            "UPDATE job_runs SET status = ?, result = ?, finished_at = ? WHERE run_id = ?",
            ["ok" if ok else "failed", result, at, run_id],
        ),
        bookkeeping=True,
    )


def mark_interrupted(store: Store, at: datetime) -> int:
    """Runs left 'running' by a process that died; only one process can have the file open, so none is live."""
    return store.write(
        lambda cur: len(
            cur.execute(
                "UPDATE job_runs SET status = 'interrupted', finished_at = ? WHERE status = 'running' RETURNING run_id",
                [at],
            ).fetchall()
        ),
        bookkeeping=True,
    )


def last_attempt(store: Store, job: str) -> datetime | None:
    """When the job last ran to an end (ok or failed); its next slot comes after this.

    A run cut off by a crash does not count, so its slot is made up; a job that has only ever been cut
    off counts from just before its first run."""
    finished, first_cut = store.query_one(
        "SELECT max(started_at) FILTER (status IN ('ok', 'failed')), min(started_at) FILTER (status = 'interrupted') "
        "FROM job_runs WHERE job = ?",
        [job],
    )
    if finished is None and first_cut is not None:
        return first_cut - timedelta(microseconds=1)
    return finished


def latest(store: Store) -> dict[str, Run]:
    """The most recent run of each job."""
    rows = store.query_all(
        "SELECT job, started_at, finished_at, status, result FROM job_runs "
        "WHERE run_id IN (SELECT max(run_id) FROM job_runs GROUP BY job)"
    )
    return {row[0]: Run(*row) for row in rows}
