"""The app's own jobs, driven through the Scheduler with a fake clock: nightly retention and backup with
rotation, the payroll inbox, what Indstillinger shows, and the CLI's word while the app holds the file.
The real server running them is tests/browser/test_jobs_server.py; a kill -9 mid-import is below."""

import json
import os
import shutil
import signal
import subprocess
import sys
from datetime import datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from conftest import DATA, snapshot
from trivsel import auth, jobs
from trivsel.jobs import server
from trivsel.store import open_store
from trivsel.ui.session import TOKEN_KEY

ROOT = Path(__file__).parents[1]
WORKERS = Path(__file__).parent / "workers"
TRIVSEL = [str(Path(sys.executable).parent / "trivsel")]
NIGHT = clock_time(2, 0)
EVENING = datetime(2026, 11, 23, 22, 0)


class FakeClock:
    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock():
    return FakeClock(EVENING)


def scheduler(store, clock, tmp_path, inbox: Path | None = None, keep: int = 14) -> jobs.Scheduler:
    return jobs.Scheduler(store, clock, NIGHT, tmp_path / "backups", keep, inbox=inbox, poll_seconds=60)


def job_runs(store, job: str) -> list[tuple]:
    return store.query_all("SELECT status, started_at FROM job_runs WHERE job = ? ORDER BY run_id", [job])


def old_audit_row(store) -> None:
    """An audit entry from 2019: past its 60 months at any night in 2026."""
    store.write(
        lambda cur: cur.execute(
            "INSERT INTO audit_log (logged_at, actor, action) VALUES (TIMESTAMP '2019-01-01 12:00', 'x', 'gammel')"
        )
    )


def has_old_row(store) -> bool:
    return bool(store.query_value("SELECT count(*) FROM audit_log WHERE action = 'gammel'"))


# ---------------------------------------------------------------- nightly: retention and backup


def test_retention_deletes_an_expired_row_at_its_hour_and_a_backup_follows(store, clock, tmp_path):
    old_audit_row(store)
    jobs_ = scheduler(store, clock, tmp_path)
    clock.now = datetime(2026, 11, 24, 1, 59, 59)
    jobs_.tick()
    assert has_old_row(store), "ran before its hour"
    assert job_runs(store, "retention") == []

    clock.now = datetime(2026, 11, 24, 2, 0, 0)
    jobs_.tick()
    assert not has_old_row(store)
    assert job_runs(store, "retention") == [("ok", datetime(2026, 11, 24, 2, 0))]
    assert store.query_value("SELECT actor FROM audit_log WHERE action = 'retention_run'") == "planlægger"
    folder = tmp_path / "backups" / "trivsel-2026-11-24"
    assert json.loads((folder / "trivsel-backup.json").read_text())["tables"]["audit_log"] >= 1
    assert job_runs(store, "backup") == [("ok", datetime(2026, 11, 24, 2, 0))]

    clock.now = datetime(2026, 11, 24, 2, 30)
    jobs_.tick()
    assert len(job_runs(store, "retention")) == 1 and len(job_runs(store, "backup")) == 1, "ran twice in one night"


def test_a_new_database_waits_for_the_coming_night(store, clock, tmp_path):
    old_audit_row(store)
    clock.now = datetime(2026, 11, 24, 10, 0)
    jobs_ = scheduler(store, clock, tmp_path)
    jobs_.tick()
    assert has_old_row(store) and job_runs(store, "retention") == []
    clock.now = datetime(2026, 11, 25, 2, 0)
    jobs_.tick()
    assert not has_old_row(store)


def test_a_night_missed_while_the_app_was_down_is_made_up_once_at_start(store, clock, tmp_path):
    store.write(
        lambda cur: cur.execute(
            "INSERT INTO job_runs (job, started_at, finished_at, status) VALUES "
            "('retention', TIMESTAMP '2026-11-20 02:00', TIMESTAMP '2026-11-20 02:00', 'ok')"
        )
    )
    old_audit_row(store)
    clock.now = datetime(2026, 11, 24, 9, 15)  # the app was down for three nights
    jobs_ = scheduler(store, clock, tmp_path)
    jobs_.tick()
    assert not has_old_row(store)
    clock.now = datetime(2026, 11, 24, 9, 16)
    jobs_.tick()
    assert [s for s, _ in job_runs(store, "retention")] == ["ok", "ok"]


def test_a_failed_job_is_recorded_and_the_next_job_still_runs(store, clock, tmp_path):
    (tmp_path / "backups").write_text("a file where the backup folder should be")
    old_audit_row(store)
    jobs_ = scheduler(store, clock, tmp_path)
    clock.now = datetime(2026, 11, 24, 2, 0)
    jobs_.tick()
    assert [s for s, _ in job_runs(store, "backup")] == ["failed"]
    assert store.query_value("SELECT result FROM job_runs WHERE job = 'backup'").startswith("Fejl: ")
    assert not has_old_row(store)


def test_backups_rotate_to_the_newest_n_and_leave_other_folders_alone(store, clock, tmp_path):
    backups = tmp_path / "backups"
    for day in (19, 20, 21, 22):
        folder = backups / f"trivsel-2026-11-{day}"
        folder.mkdir(parents=True)
        (folder / "trivsel-backup.json").write_text("{}")
    (backups / "trivsel-2026-11-23").mkdir()  # cut off by a crash: no manifest
    (backups / "20261101-120000").mkdir()  # taken with the button under Indstillinger
    jobs_ = scheduler(store, clock, tmp_path, keep=3)
    clock.now = datetime(2026, 11, 24, 2, 0)
    jobs_.tick()
    assert sorted(p.name for p in backups.iterdir()) == [
        "20261101-120000",
        "trivsel-2026-11-21",
        "trivsel-2026-11-22",
        "trivsel-2026-11-24",
    ]
    assert "3 ældre slettet" in store.query_value("SELECT result FROM job_runs WHERE job = 'backup'")


def test_a_backup_cut_off_earlier_the_same_night_is_taken_again(store, clock, tmp_path):
    half = tmp_path / "backups" / "trivsel-2026-11-24"
    half.mkdir(parents=True)
    (half / "units.parquet").write_text("half written")
    store.write(
        lambda cur: cur.execute(
            "INSERT INTO job_runs (job, started_at, status) VALUES ('backup', TIMESTAMP '2026-11-24 02:00', 'running')"
        )
    )
    clock.now = datetime(2026, 11, 24, 2, 5)
    jobs_ = scheduler(store, clock, tmp_path)  # the app starts again after the crash
    assert [s for s, _ in job_runs(store, "backup")] == ["interrupted"]
    jobs_.tick()
    assert [s for s, _ in job_runs(store, "backup")] == ["interrupted", "ok"]
    assert (half / "trivsel-backup.json").is_file()


# ---------------------------------------------------------------- the inbox


def inbox_scheduler(store, clock, tmp_path) -> tuple[jobs.Scheduler, Path]:
    inbox = tmp_path / "indbakke"
    inbox.mkdir()
    return scheduler(store, clock, tmp_path, inbox=inbox), inbox


def poll(jobs_, clock) -> None:
    clock.now += timedelta(minutes=1)
    jobs_.tick()


def test_dropped_files_are_imported_in_order_and_moved_to_done(store, clock, tmp_path):
    jobs_, inbox = inbox_scheduler(store, clock, tmp_path)
    # Dropped together; absence needs the employees, and they need the units.
    shutil.copy(DATA / "fravaer.csv", inbox / "fravaer_2024.csv")
    shutil.copy(DATA / "ansaettelser_excel.csv", inbox / "Ansaettelser.CSV")
    shutil.copy(DATA / "enheder.csv", inbox / "enheder.csv")
    jobs_.tick()
    assert store.query_value("SELECT count(*) FROM units") == 0, "a file was taken at first sight"
    poll(jobs_, clock)
    assert sorted(p.name for p in (inbox / "done").iterdir()) == ["Ansaettelser.CSV", "enheder.csv", "fravaer_2024.csv"]
    assert [p.name for p in inbox.iterdir()] == ["done"]
    assert store.query_value("SELECT count(*) FROM absence_spells") == 5
    actions = store.query_all("SELECT action, actor FROM audit_log WHERE actor = 'planlægger' ORDER BY id")
    assert [a for a, _ in actions] == [
        "import_units",
        "inbox_file",
        "import_employees",
        "inbox_file",
        "import_absence",
        "inbox_file",
    ]
    assert [s for s, _ in job_runs(store, "inbox")] == ["ok"] * 3


def test_a_file_still_being_written_waits_until_it_stops_changing(store, clock, tmp_path):
    jobs_, inbox = inbox_scheduler(store, clock, tmp_path)
    rows = (DATA / "enheder.csv").read_bytes().splitlines(keepends=True)
    target = inbox / "enheder.csv"
    target.write_bytes(b"".join(rows[:2]))
    jobs_.tick()
    with target.open("ab") as file:
        file.write(b"".join(rows[2:]))
    poll(jobs_, clock)
    assert target.exists() and store.query_value("SELECT count(*) FROM units") == 0
    poll(jobs_, clock)
    assert not target.exists()
    assert store.query_value("SELECT count(*) FROM units") == len(rows) - 1


def test_a_bad_file_lands_in_failed_with_its_errors_and_changes_nothing(demo_store, clock, tmp_path):
    jobs_, inbox = inbox_scheduler(demo_store, clock, tmp_path)
    (inbox / "fravaer.csv").write_text(
        "employee_id;start_date;end_date;absence_type;degree\n"
        "UKENDT;01-02-2024;03-02-2024;sygdom;1\n"
        "UKENDT2;31-02-2024;03-03-2024;influenza;1\n",
        encoding="utf-8",
    )
    (inbox / "loenudtraek.csv").write_text("employee_id\nE1\n", encoding="utf-8")
    before = snapshot(demo_store)
    jobs_.tick()
    poll(jobs_, clock)
    failed = inbox / "failed"
    assert sorted(p.name for p in failed.iterdir()) == [
        "fravaer.csv",
        "fravaer.csv.fejl.txt",
        "loenudtraek.csv",
        "loenudtraek.csv.fejl.txt",
    ]
    errors = (failed / "fravaer.csv.fejl.txt").read_text(encoding="utf-8")
    assert "intet fra den er gemt" in errors
    assert "Række 2, kolonne employee_id:" in errors and "Række 3, kolonne start_date:" in errors
    assert "Række 3, kolonne absence_type:" in errors
    assert "Filnavnet skal begynde med enheder…, ansaettelser… eller fravaer…" in (
        failed / "loenudtraek.csv.fejl.txt"
    ).read_text(encoding="utf-8")
    after = snapshot(demo_store)
    assert {t: rows for t, rows in after.items() if t != "audit_log"} == {
        t: rows for t, rows in before.items() if t != "audit_log"
    }
    audited = demo_store.query_all("SELECT details FROM audit_log WHERE action = 'inbox_file' ORDER BY id")
    assert [json.loads(d)["outcome"] for (d,) in audited] == ["rejected", "rejected"]
    assert [s for s, _ in job_runs(demo_store, "inbox")] == ["failed", "failed"]


def test_a_second_file_of_the_same_name_does_not_overwrite_the_first(store, clock, tmp_path):
    jobs_, inbox = inbox_scheduler(store, clock, tmp_path)
    for _ in range(2):
        shutil.copy(DATA / "enheder.csv", inbox / "enheder.csv")
        poll(jobs_, clock)
        poll(jobs_, clock)
    assert sorted(p.name for p in (inbox / "done").iterdir()) == ["enheder-20261123-220400.csv", "enheder.csv"]


# ---------------------------------------------------------------- kill -9 in the middle of an inbox import


def _absence_file(path: Path, employees: int, spells_each: int) -> None:
    rows = ["employee_id;start_date;end_date;absence_type;degree"]
    for e in range(employees):
        for s in range(spells_each):
            start = datetime(2023, 1, 1) + timedelta(days=10 * s)
            rows.append(f"E{e:05d};{start:%d-%m-%Y};{start + timedelta(days=2):%d-%m-%Y};sygdom;1")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


# Where the worker stops dead to be killed (see tests/workers/inbox_import.py), and what the crash leaves.
STAGES = {
    "reading": "importerer fravaer.csv",
    "uncommitted": "stopped after import_absence",
    "moved": "stopped after inbox_file",
}


@pytest.mark.parametrize("stage", list(STAGES))
def test_a_kill_9_mid_import_loses_nothing_and_leaves_no_half_import(tmp_path, stage):
    db = tmp_path / "jobs.duckdb"
    store = open_store(db)
    store.write(
        lambda cur: (
            cur.execute("INSERT INTO units VALUES ('U', 'Enhed', NULL, '')"),
            cur.execute("INSERT INTO employees SELECT printf('E%05d', i) FROM range(2000) t(i)"),
            cur.execute(
                "INSERT INTO employments SELECT printf('E%05d', i), 'U', DATE '2020-01-01', NULL, 1, 'SSA' "
                "FROM range(2000) t(i)"
            ),
        )
    )
    store.close()
    inbox = tmp_path / "indbakke"
    inbox.mkdir()
    _absence_file(inbox / "fravaer.csv", 2000, 40)  # 80,000 spells

    worker = subprocess.Popen(
        [sys.executable, str(WORKERS / "inbox_import.py"), str(db), str(inbox), stage],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])},
    )
    lines = []
    for line in worker.stdout:
        lines.append(line.strip())
        if STAGES[stage] in line:
            os.kill(worker.pid, signal.SIGKILL)
            break
    worker.wait(timeout=60)
    assert worker.returncode == -signal.SIGKILL, lines

    store = open_store(db)
    try:
        spells = store.query_value("SELECT count(*) FROM absence_spells")
        committed = stage == "moved"
        assert spells == (80_000 if committed else 0), f"{spells} spells: a partial import survived the crash"
        assert (inbox / "fravaer.csv").exists() != committed, "the file left the inbox before its rows were in"
        # The app starts again: the cut-off run is marked, and a file still in the inbox is imported.
        clock = FakeClock(datetime.now())
        jobs_ = jobs.Scheduler(store, clock, NIGHT, tmp_path / "backups", 14, inbox=inbox)
        jobs_.tick()
        poll(jobs_, clock)
        assert store.query_value("SELECT count(*) FROM absence_spells") == 80_000
        assert [p.name for p in inbox.iterdir()] == ["done"]
        assert [p.name for p in (inbox / "done").iterdir()] == ["fravaer.csv"]
        assert [s for s, _ in job_runs(store, "inbox")] == (["interrupted"] if committed else ["interrupted", "ok"])
    finally:
        store.close()


# ---------------------------------------------------------------- Indstillinger, AppTest and the CLI


@pytest.fixture
def settings_page(demo_db, monkeypatch):
    monkeypatch.setenv("TRIVSEL_DB", str(demo_db))

    def run() -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        store = open_store(demo_db)
        at.session_state[TOKEN_KEY] = auth.start_session(store, "admin")  # the admin has logged in in this tab
        store.close()
        at.switch_page("pages/settings_page.py")
        return at.run()

    return run


def test_settings_show_each_jobs_last_run_result_and_next_run(settings_page, demo_db, monkeypatch, tmp_path):
    store = open_store(demo_db)
    store.write(
        lambda cur: cur.execute(
            "INSERT INTO job_runs (job, started_at, finished_at, status, result) VALUES "
            "('retention', TIMESTAMP '2026-11-24 02:00', TIMESTAMP '2026-11-24 02:00', 'ok', '12 rækker slettet.'), "
            "('inbox', TIMESTAMP '2026-11-24 09:31', NULL, 'interrupted', '')"
        )
    )
    store.close()
    monkeypatch.setenv("TRIVSEL_JOBS_HOUR", "03:30")
    monkeypatch.setenv("TRIVSEL_INBOX", str(tmp_path / "indbakke"))
    at = settings_page()
    assert not at.exception
    rows = {row["Job"]: row for row in at.dataframe[0].value.to_dict("records")}
    retention_row = rows["Sletning efter opbevaringsperioden"]
    assert (retention_row["Sidste kørsel"], retention_row["Status"], retention_row["Resultat"]) == (
        "24-11-2026 02:00",
        "OK",
        "12 rækker slettet.",
    )
    assert retention_row["Næste kørsel"] == "Straks (en nat er ikke kørt)"  # nights have passed since
    assert rows["Sikkerhedskopi"]["Sidste kørsel"] == "Ingen endnu"
    assert (
        rows["Sikkerhedskopi"]["Næste kørsel"] == f"{jobs.next_slot(datetime.now(), clock_time(3, 30)):%d-%m-%Y %H:%M}"
    )
    assert rows["Indbakke (lønudtræk)"]["Status"] == "Afbrudt (appen stoppede)"
    assert str(tmp_path / "indbakke") in rows["Indbakke (lønudtræk)"]["Næste kørsel"]
    assert server._running is None, "AppTest started the scheduler"


def test_a_wrong_job_setting_is_shown_in_settings(settings_page, monkeypatch):
    monkeypatch.setenv("TRIVSEL_JOBS_HOUR", "kl. to")
    at = settings_page()
    assert any(
        "De automatiske job kører ikke: TRIVSEL_JOBS_HOUR skal være et klokkeslæt" in e.value.replace("\\", "")
        for e in at.error
    )


def trivsel(*args, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        TRIVSEL + list(args),
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


def test_the_cli_names_the_apps_job_while_the_app_holds_the_database(tmp_path):
    db = tmp_path / "app.duckdb"
    holder = open_store(db)  # the running app
    try:
        retention_run = trivsel("retention", "run", "--db", str(db), env={"TRIVSEL_JOBS_HOUR": "03:30"})
        absence = trivsel(
            "import", "absence", str(DATA / "fravaer.csv"), "--db", str(db), env={"TRIVSEL_INBOX": "/srv/indbakke"}
        )
        backup = trivsel("backup", "-o", str(tmp_path / "kopi"), "--db", str(db))
        users = trivsel("users", "list", "--db", str(db))
    finally:
        holder.close()
    assert retention_run.returncode == 1
    assert retention_run.stderr.strip() == (
        f"Fejl: Databasen {db} er i brug af et andet program, sandsynligvis appen. "
        "Appen kører og sletter selv hver nat kl. 03:30 (se Indstillinger)."
    )
    assert absence.returncode == 1
    assert "læg filen i indbakken /srv/indbakke med et navn, der begynder med fravaer, eller brug siden Import" in (
        absence.stderr
    )
    assert "Appen tager også selv en sikkerhedskopi hver nat kl. 02:00" in backup.stderr
    assert users.returncode == 1 and "er i brug af et andet program" in users.stderr
    assert "Traceback" not in retention_run.stderr + absence.stderr + backup.stderr + users.stderr
