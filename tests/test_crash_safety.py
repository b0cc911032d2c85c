"""Crash safety: kill -9 in the middle of concurrent submissions and of a large import.

Every submission acknowledged before the kill must be stored exactly once; an import is
either all there or not there at all.
"""

import os
import signal
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pytest

from trivsel import config
from trivsel.store import open_store
from trivsel.surveys import rounds
from trivsel.surveys.definitions import load_all

WORKERS = Path(__file__).parent / "workers"


def _run_and_kill(args: list[str], kill_when) -> tuple[list[str], int]:
    """Start a worker, kill -9 it when kill_when(lines) is true; return its output lines and exit code."""
    worker = subprocess.Popen(
        [sys.executable, *args],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])},
    )
    lines = []
    deadline = time.monotonic() + 120
    for line in worker.stdout:
        lines.append(line.strip())
        if kill_when(lines) or time.monotonic() > deadline:
            os.kill(worker.pid, signal.SIGKILL)
            break
    worker.wait(timeout=30)
    lines += [line.strip() for line in worker.stdout.read().splitlines()]
    return lines, worker.returncode


@pytest.fixture
def unit_round(tmp_path):
    db = tmp_path / "crash.duckdb"
    store = open_store(db)
    staff = [f"E{i}" for i in range(250)]  # more than the worker sends: a unit takes one answer per employee
    store.write(
        lambda cur: (
            cur.execute("INSERT INTO units VALUES ('U', 'Enhed', NULL, '')"),
            cur.executemany("INSERT INTO employees VALUES (?)", [[e] for e in staff]),
            cur.executemany(
                "INSERT INTO employments VALUES (?, 'U', DATE '2020-01-01', NULL, 1, 'SSA')", [[e] for e in staff]
            ),
        )
    )
    survey = load_all(config.surveys_dir())["trivsel"]
    rounds.create_round(
        store,
        survey,
        "Crash",
        date.today() - timedelta(days=1),
        date.today() + timedelta(days=1),
        ["U"],
        "link",
        "test",
    )
    store.close()
    return db


def test_acknowledged_submissions_survive_kill_9_exactly_once(unit_round):
    lines, code = _run_and_kill(
        [str(WORKERS / "submit_many.py"), str(unit_round), "Crash", "200", "16"],
        lambda out: sum(line.startswith("ack") for line in out) >= 60,
    )
    assert code == -signal.SIGKILL, "the worker finished before it could be killed"
    acked = {line.split()[1] for line in lines if line.startswith("ack")}
    store = open_store(unit_round)  # opens cleanly after the crash
    try:
        stored = [r[0] for r in store.query_all("SELECT text FROM survey_answers WHERE item_id = 'comment'")]
        responses = store.query_value("SELECT count(*) FROM survey_responses")
    finally:
        store.close()
    assert len(stored) == len(set(stored)), "a submission was stored twice"
    assert acked <= set(stored), "an acknowledged submission was lost"
    assert responses == len(stored)
    unacknowledged = len(set(stored) - acked)
    print(
        f"{len(acked)} acknowledged, {len(stored)} stored, {unacknowledged} committed but not acknowledged, "
        f"{200 - len(stored)} never stored"
    )


def _absence_file(path: Path, employees: int, spells_each: int) -> None:
    rows = ["employee_id;start_date;end_date;absence_type;degree"]
    for e in range(employees):
        for s in range(spells_each):
            start = date(2023, 1, 1) + timedelta(days=10 * s)
            rows.append(f"E{e:05d};{start:%d-%m-%Y};{start + timedelta(days=2):%d-%m-%Y};sygdom;1")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


@pytest.mark.parametrize("delay", [0.0, 0.3, 1.0])
def test_an_import_killed_midway_leaves_all_or_nothing(tmp_path, delay):
    db = tmp_path / "import.duckdb"
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
    big = tmp_path / "fravaer.csv"
    _absence_file(big, 2000, 40)  # 80,000 spells

    def after_validation(out):
        if out and out[-1] == "validated":
            time.sleep(delay)
            return True
        return False

    _, code = _run_and_kill([str(WORKERS / "import_big.py"), str(db), str(big)], after_validation)
    store = open_store(db)
    try:
        spells = store.query_value("SELECT count(*) FROM absence_spells")
    finally:
        store.close()
    assert spells in (0, 80_000), f"{spells} spells: a partial import survived the crash"
    print(f"killed {delay} s after validation (exit {code}): {'all' if spells else 'none'} of the file is stored")
