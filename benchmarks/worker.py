"""One measurement in its own process, so that its peak memory is its own.

    python -m benchmarks.worker TASK JSON-ARGUMENTS

prints one JSON line: the timed runs in seconds, the process's peak resident memory
(VmHWM: Python objects, DuckDB's buffers and everything else) and task-specific facts.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path


def rss_mb(field: str = "VmHWM") -> float:
    """Peak (VmHWM) or current (VmRSS) resident memory of this process, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    import resource  # not Linux: fall back to the high-water mark

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _dates(args: dict) -> tuple[date, date, date]:
    return tuple(date.fromisoformat(args[k]) for k in ("from", "to", "as_of"))


def export(args: dict) -> dict:
    """P1/P2: the unit-summary export, whole tree, as the CLI does it (views, export table, CSV bytes)."""
    from trivsel import exports
    from trivsel.store import memo, open_store
    from trivsel.views import absence

    store = open_store(args["db"])
    period = _dates(args)
    baseline = rss_mb("VmRSS")
    times, data, table = [], b"", None
    for _ in range(args.get("warmup", 1) + args["repeats"]):
        memo.forget()  # the export a CLI process makes computes the figures afresh
        t0 = time.perf_counter()
        protected = absence.summary(store, *period)
        table = absence.export_table(protected)
        data = exports.to_csv(table)
        times.append(time.perf_counter() - t0)
    store.close()
    warm = args.get("warmup", 1)
    return {
        "times": times[warm:],
        "first": times[0],
        "rows": len(table),
        "csv_bytes": len(data),
        "suppressed": int((table["suppressed"] == "true").sum()),
        "baseline_mb": baseline,
    }


def measures(args: dict) -> dict:
    """The raw measure alone (trivsel.absence.measures.unit_summary), for the profile notes."""
    from trivsel.absence.measures import unit_summary
    from trivsel.store import open_store

    store = open_store(args["db"])
    times = []
    for _ in range(1 + args["repeats"]):
        t0 = time.perf_counter()
        unit_summary(store, *_dates(args))
        times.append(time.perf_counter() - t0)
    return {"times": times[1:], "first": times[0]}


def naive(args: dict) -> dict:
    """P3: the naive pandas reference, from reading the tables to the per-unit figures."""
    from benchmarks import naive as reference
    from trivsel.store import open_store

    store = open_store(args["db"])
    times, result = [], None
    for _ in range(args["repeats"]):
        t0 = time.perf_counter()
        result = reference.unit_summary(reference.load(store.cursor()), *_dates(args))
        times.append(time.perf_counter() - t0)
    out = {"times": times, "first": times[0], "units": len(result)}
    if args.get("check"):
        from trivsel.absence.measures import unit_summary

        out["differences"] = reference.compare(result, unit_summary(store, *_dates(args)))[:20]
    return out


def import_absence(args: dict) -> dict:
    """P4: import and validation of a payroll CSV into a fresh copy of a database, each run."""
    from trivsel.imports import ImportRejected
    from trivsel.imports.absence import import_absence as run
    from trivsel.store import open_store

    data = Path(args["csv"]).read_bytes()
    today = date.fromisoformat(args["today"])
    times, outcome = [], None
    with tempfile.TemporaryDirectory(dir=args.get("tmp")) as tmp:
        for i in range(args["repeats"]):
            db = Path(tmp) / f"import{i}.duckdb"
            shutil.copy(args["db"], db)
            store = open_store(db)
            t0 = time.perf_counter()
            try:
                outcome = {"message": run(store, data, actor="bench", today=today).message}
            except ImportRejected as exc:
                outcome = {"rejected": [str(p) for p in exc.problems[:5]], "problems": len(exc.problems)}
            times.append(time.perf_counter() - t0)
            if "message" in outcome:
                outcome["stored"] = store.query_value("SELECT count(*) FROM absence_spells")
            store.close()
            db.unlink()
    return {"times": times, "first": times[0], "bytes": len(data), **outcome}


def page(args: dict) -> dict:
    """P5: a page script through Streamlit's AppTest; the first run in this process is the cold one."""
    from streamlit.testing.v1 import AppTest

    os.environ["TRIVSEL_DB"] = args["db"]
    from trivsel import auth  # after the environment is set
    from trivsel.store import open_store
    from trivsel.ui.session import TOKEN_KEY

    identity = auth.Identity(*args["identity"])
    store = open_store(args["db"])
    if auth.active_identity(store, identity.username) is None:  # every page run reads the role from the database
        auth.add_user(store, identity.username, identity.role, "kun-til-benchmark", actor="bench")
    token = auth.start_session(store, identity.username)  # a tab in which the user has logged in
    store.close()
    app = str(Path(args["root"]) / "app.py")
    times, errors = [], []
    at = AppTest.from_file(app, default_timeout=120)
    at.session_state[TOKEN_KEY] = token
    at.switch_page(args["page"])
    for _ in range(1 + args["repeats"]):
        t0 = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - t0)
        if at.exception:
            errors.append(str(at.exception[0].value)[:300])
    title = at.title[0].value if len(at.title) else None
    return {
        "times": times[1:],
        "first": times[0],
        "title": title,
        "errors": errors[:3],
        "dataframes": len(at.dataframe),
    }


def submissions(args: dict) -> dict:
    """P6: finished answers through trivsel.surveys.rounds.submit from `threads` threads at once (each
    with its own cursor, through the one Store), into a fresh copy of the database with an open link
    round, each run; then the stored rows are counted against what was sent."""
    from collections import Counter

    from benchmarks import survey_data
    from trivsel.surveys import rounds

    survey = survey_data.survey()
    sets = survey_data.answer_sets(args["threads"] * args["each"], seed=args.get("seed", 1))
    expected_rows = Counter(str(len(rounds.answer_rows(survey, answers))) for answers in sets)
    times, runs, latencies = [], [], []
    with tempfile.TemporaryDirectory(dir=args.get("tmp")) as tmp:
        for i in range(args["repeats"]):
            db = Path(tmp) / f"submit{i}.duckdb"
            shutil.copy(args["db"], db)
            seconds, run, waited = _submit_at_once(db, sets, args["threads"], date.fromisoformat(args["today"]))
            db.unlink()
            times.append(seconds)
            latencies += waited
            run["rows_as_sent"] = run.pop("orphans") == 0 and run["answer_rows"] == dict(expected_rows)
            runs.append(run)
    latencies.sort()
    return {
        "times": times,
        "first": times[0],
        "submissions": len(sets),
        "runs": runs,
        "expected_rows": dict(expected_rows),
        "latency_median": latencies[len(latencies) // 2],
        "latency_p95": latencies[int(0.95 * len(latencies))],
    }


def _submit_at_once(db: Path, sets: list[dict], threads: int, today: date) -> tuple[float, dict, list[float]]:
    """One P6 run: open a link round in `db`, send `sets` from `threads` threads (thread t sends its
    share in turn, spread over the round's units), count what was stored. Returns the wall time from
    the common start to the last thread's end, the counts and each submission's time."""
    import threading
    from collections import Counter

    import duckdb

    from benchmarks import survey_data
    from trivsel.store import open_store
    from trivsel.surveys import responses, rounds

    survey = survey_data.survey()
    store = open_store(db)
    rnd = survey_data.open_link_round(store, today)
    # Round-robin over the units, each taking no more answers than it had staff (the link's cap).
    room = responses.response_counts(store, rnd.round_id).set_index("unit_id")["persons_at_start"].to_dict()
    unit_of: list[str] = []
    while len(unit_of) < len(sets) and any(room.values()):
        for unit in [u for u, left in room.items() if left]:
            unit_of.append(unit)
            room[unit] -= 1
    unit_of = unit_of[: len(sets)]
    if len(unit_of) < len(sets):
        raise ValueError("the round's units have fewer staff than the answers to send")
    errors: list[str] = []
    latencies: list[float] = []
    start = threading.Barrier(threads + 1)

    def send(share: range) -> None:
        start.wait()
        for n in share:
            t0 = time.perf_counter()
            try:
                rounds.submit(store, rnd, unit_of[n], survey, sets[n], today)
            except (rounds.RoundError, duckdb.Error) as exc:  # lost; the first few are reported
                errors.append(f"{type(exc).__name__}: {str(exc)[:200]}")
            latencies.append(time.perf_counter() - t0)

    each = len(sets) // threads
    pool = [threading.Thread(target=send, args=(range(t * each, (t + 1) * each),)) for t in range(threads)]
    for thread in pool:
        thread.start()
    start.wait()
    t0 = time.perf_counter()
    for thread in pool:
        thread.join()
    seconds = time.perf_counter() - t0
    found = survey_data.stored(store, rnd.round_id)
    store.close()
    return (
        seconds,
        {
            "lost": max(len(sets) - found["distinct"], 0),
            "duplicated": found["stored"] - found["distinct"] + max(found["distinct"] - len(sets), 0),
            "errors": len(errors),
            "first_errors": errors[:3],
            "orphans": found["orphans"],
            "units_as_sent": found["per_unit"] == dict(Counter(unit_of)),
            "answer_rows": found["answer_rows"],
        },
        latencies,
    )


def browsers(args: dict) -> dict:
    """P7: people answering at once in one Chromium against one app server (see benchmarks.browsers)."""
    from benchmarks import browsers as scenario

    return scenario.run(
        Path(args["db"]),
        people=args["people"],
        timeout_s=args.get("timeout", 300),
        browser_nice=args.get("browser_nice", 0),
    )


def survey_export(args: dict) -> dict:
    """P8: `trivsel export survey-summary` in this process (parsing, opening the database, summary,
    export table, CSV file, audit entry) on a fresh copy of the database; this process runs it once,
    so it is cold as the command is. Then the file is read back and checked."""
    import contextlib
    import io

    from benchmarks import survey_data
    from trivsel import cli

    with tempfile.TemporaryDirectory(dir=args.get("tmp")) as tmp:
        db, out = Path(tmp) / "export.duckdb", Path(tmp) / "summary.csv"
        shutil.copy(args["db"], db)
        command = [
            "export",
            "survey-summary",
            "--survey",
            survey_data.SURVEY_ID,
            "--round",
            args["round"],
            "--format",
            "csv",
            "-o",
            str(out),
            "--db",
            str(db),
        ]
        with contextlib.redirect_stdout(io.StringIO()) as said:
            t0 = time.perf_counter()
            code = cli.main(command)
            seconds = time.perf_counter() - t0
        if code:
            return {"error": f"trivsel export failed ({code})"}
        check = survey_data.check_export(out, db, args["round"])
    return {"times": [seconds], "first": seconds, "message": said.getvalue().strip(), **check}


def report(args: dict) -> dict:
    """P10: `trivsel report ...` in this process (parsing, opening the database, the report's figures, the charts
    drawn by Chromium, the PDF file and its audit entry) on a fresh copy of the database; once per process, so
    it is cold as the command is (DuckDB's caches empty, nothing kept by trivsel.store.memo, Chromium not yet
    started). The time spent computing the figures and drawing the charts is noted too."""
    import contextlib
    import io

    from trivsel import cli
    from trivsel.reports import charts

    spent = {"charts_seconds": 0.0, "charts": 0}
    draw = charts.images

    def timed_images(figures, *args, **kwargs):
        t0 = time.perf_counter()
        try:
            return draw(figures, *args, **kwargs)
        finally:
            spent["charts_seconds"] += time.perf_counter() - t0
            spent["charts"] += len(figures)

    charts.images = timed_images  # the reports call it through the module
    with tempfile.TemporaryDirectory(dir=args.get("tmp")) as tmp:
        db, out = Path(tmp) / "report.duckdb", Path(tmp) / "report.pdf"
        shutil.copy(args["db"], db)
        with contextlib.redirect_stdout(io.StringIO()) as said:
            t0 = time.perf_counter()
            code = cli.main(["report", *args["command"], "-o", str(out), "--db", str(db)])
            seconds = time.perf_counter() - t0
        if code:
            return {"error": f"trivsel report failed ({code})"}
        size = out.stat().st_size
    return {"times": [seconds], "first": seconds, "message": said.getvalue().strip(), "pdf_bytes": size, **spent}


def browser_pages(args: dict) -> dict:
    """P9: every page as every role in Chromium (see benchmarks.browser_pages)."""
    from benchmarks import browser_pages as scenario

    return scenario.run(Path(args["db"]), Path(args["staff_db"]), warm=args["warm"], only=args.get("only"))


def soak(args: dict) -> dict:
    """P13: staff one after another for a long while, dashboards open, one app server (see benchmarks.soak)."""
    from benchmarks import soak as scenario

    return scenario.run(Path(args["db"]), staff=args["staff"], minutes=args["minutes"], ttl=args["ttl"])


TASKS = {
    "export": export,
    "measures": measures,
    "naive": naive,
    "import": import_absence,
    "page": page,
    "submissions": submissions,
    "browsers": browsers,
    "survey_export": survey_export,
    "report": report,
    "browser_pages": browser_pages,
    "soak": soak,
}


def main() -> None:
    task, args = sys.argv[1], json.loads(sys.argv[2])
    result = TASKS[task](args)
    result["peak_mb"] = rss_mb()
    print(json.dumps(result, default=str))


if __name__ == "__main__":
    main()
