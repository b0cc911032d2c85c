"""What people are told about the jobs: the table under Indstillinger, and the CLI's word when the app runs."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pandas as pd

from trivsel import config
from trivsel.jobs import runs
from trivsel.jobs.inbox import KINDS
from trivsel.jobs.scheduler import next_slot
from trivsel.store import Store, StoreLockedError


def _when(moment: datetime | None) -> str:
    return f"{moment:%d-%m-%Y %H:%M}" if moment else ""


def overview(store: Store, now: datetime) -> pd.DataFrame:
    """Each job's last run, its result and its next run. Raises ValueError (Danish) for a wrong setting."""
    at = {runs.RETENTION: config.jobs_time(), runs.BACKUP: config.jobs_time(), runs.NUDGES: config.nudges_time()}
    inbox = config.inbox_dir()
    latest = runs.latest(store)
    rows = []
    for job, label in runs.JOBS.items():
        last = latest.get(job)
        if job == runs.INBOX:
            coming = _inbox_watch(inbox)
        else:
            slot = next_slot(runs.last_attempt(store, job) or now, at[job])
            coming = _when(slot) if slot > now else f"Straks (en {'dag' if job == runs.NUDGES else 'nat'} er ikke kørt)"
        rows.append(
            {
                "Job": label,
                "Sidste kørsel": _when(last.started_at) if last else "Ingen endnu",
                "Status": runs.STATUS[last.status] if last else "",
                "Resultat": last.result if last else "",
                "Næste kørsel": coming,
            }
        )
    return pd.DataFrame(rows)


def _inbox_watch(inbox: Path | None) -> str:
    if inbox is None:
        return "Slået fra (TRIVSEL_INBOX er ikke sat)"
    missing = "" if inbox.is_dir() else " (mappen findes ikke endnu)"
    return f"Hvert {config.inbox_poll_seconds()}. sekund ser appen i {inbox}{missing}"


def locked_message(exc: StoreLockedError, command: str, subcommand: str | None = None) -> str:
    """The CLI's refusal while the app holds the file, naming the job in the app that does the same work."""
    if command == "backup":  # the general advice already points to the backup button
        return f"{exc} Appen tager også selv en sikkerhedskopi hver nat kl. {_hour()} i {config.backup_dir()}."
    hint = _in_app(command, subcommand)
    if hint is None:
        return str(exc)
    return f"Databasen {exc.path} er i brug af et andet program, sandsynligvis appen. {hint}"


def _in_app(command: str, subcommand: str | None) -> str | None:
    if command == "retention":
        return f"Appen kører og sletter selv hver nat kl. {_hour()} (se Indstillinger)."
    if command == "nudges":
        hour = _hour(config.nudges_time, "TRIVSEL_NUDGES_HOUR")
        return f"Appen kører og sender selv påmindelserne til lederne hver dag kl. {hour} (se Indstillinger)."
    kind = next((k for k in KINDS if command == "import" and k.name == subcommand), None)
    if kind is None:
        return None
    inbox = config.inbox_dir()
    where = f"indbakken {inbox}" if inbox else "indbakken TRIVSEL_INBOX"
    return (
        f"Appen kører: læg filen i {where} med et navn, der begynder med {kind.prefixes[0]}, eller brug siden Import."
    )


def _hour(setting=config.jobs_time, name: str = "TRIVSEL_JOBS_HOUR") -> str:
    try:
        return f"{setting():%H:%M}"
    except ValueError:
        return f"({name} er ugyldig)"
