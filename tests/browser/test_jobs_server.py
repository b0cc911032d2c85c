"""The app's jobs in the real server (`python -m trivsel.web`): while it runs and holds the database, a file
dropped in the inbox is imported, the nightly jobs run at their hour, and the CLI names the job instead.

The scheduler's clock starts at TRIVSEL_FAKE_NOW (a few seconds before the nightly hour) and runs on."""

import os
import shutil
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

from playwright.sync_api import Page

from conftest import DATA
from trivsel.store import open_store

from .conftest import open_app, start_app

TRIVSEL = str(Path(sys.executable).parent / "trivsel")


def wait_for(condition, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"{what} did not happen within {seconds} s"
        time.sleep(0.3)


def test_the_running_app_imports_its_inbox_and_runs_the_nightly_jobs(page: Page, tmp_path, monkeypatch):
    db = tmp_path / "app.duckdb"
    store = open_store(db)
    store.write(
        lambda cur: cur.execute(
            "INSERT INTO audit_log (logged_at, actor, action) VALUES (TIMESTAMP '2019-01-01 12:00', 'x', 'gammel')"
        )
    )
    store.close()
    inbox, backups = tmp_path / "indbakke", tmp_path / "kopier"
    inbox.mkdir()
    for name, value in {
        "TRIVSEL_INBOX": str(inbox),
        "TRIVSEL_INBOX_POLL_SECONDS": "1",
        "TRIVSEL_BACKUP_DIR": str(backups),
        "TRIVSEL_JOBS_HOUR": "02:00",
        "TRIVSEL_FAKE_NOW": "2026-11-24T01:59:50",
    }.items():
        monkeypatch.setenv(name, value)

    for url in start_app(db):
        open_app(page, url)  # the first page run opens the database, and with it starts the scheduler
        shutil.copy(DATA / "enheder.csv", inbox / "enheder.csv")
        wait_for(lambda: (inbox / "done" / "enheder.csv").exists(), "the inbox import")
        wait_for(lambda: (backups / "trivsel-2026-11-24" / "trivsel-backup.json").exists(), "the nightly backup")
        refused = subprocess.run(
            [TRIVSEL, "retention", "run", "--db", str(db)],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            env=os.environ,
        )
        assert refused.returncode == 1
        assert "Appen kører og sletter selv hver nat kl. 02:00 (se Indstillinger)." in refused.stderr

    store = open_store(db)
    try:
        assert (
            store.query_value("SELECT count(*) FROM units") == len((DATA / "enheder.csv").read_text().splitlines()) - 1
        )
        assert store.query_value("SELECT count(*) FROM audit_log WHERE action = 'gammel'") == 0
        runs = store.query_all("SELECT job, status, started_at FROM job_runs ORDER BY run_id")
        assert sorted((job, status) for job, status, _ in runs) == [
            ("backup", "ok"),
            ("inbox", "ok"),
            ("retention", "ok"),
        ]
        assert all(datetime(2026, 11, 24, 1, 59) < started < datetime(2026, 11, 24, 2, 5) for *_, started in runs)
    finally:
        store.close()
