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
    from trivsel.store import open_store
    from trivsel.views import absence, memo

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
    return {"times": times[warm:], "first": times[0], "rows": len(table), "csv_bytes": len(data),
            "suppressed": int((table["suppressed"] == "true").sum()), "baseline_mb": baseline}


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
    from trivsel.auth import Identity  # after the environment is set

    identity = Identity(*args["identity"])
    app = str(Path(args["root"]) / "app.py")
    times, errors = [], []
    at = AppTest.from_file(app, default_timeout=120)
    at.session_state["identity"] = identity
    at.switch_page(args["page"])
    for _ in range(1 + args["repeats"]):
        t0 = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - t0)
        if at.exception:
            errors.append(str(at.exception[0].value)[:300])
    title = at.title[0].value if len(at.title) else None
    return {"times": times[1:], "first": times[0], "title": title, "errors": errors[:3],
            "dataframes": len(at.dataframe)}


TASKS = {"export": export, "measures": measures, "naive": naive, "import": import_absence, "page": page}


def main() -> None:
    task, args = sys.argv[1], json.loads(sys.argv[2])
    result = TASKS[task](args)
    result["peak_mb"] = rss_mb()
    print(json.dumps(result, default=str))


if __name__ == "__main__":
    main()
