"""`make bench`: generate (or reuse) the scale data, measure P1-P13, print the
table and write docs/benchmarks.md.

Every measurement runs in its own process (benchmarks.worker), so its peak memory is its own.
The machine is shared and noisy: the table gives medians and spreads of repeated runs, and the
ratio to the naive reference is measured in the same run.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path

from benchmarks import generate, report, survey_data, survey_history

ROOT = Path(__file__).resolve().parents[1]
NAIVE_SECONDS = 60  # P3: the naive reference counts at sizes where it finishes within this
NAIVE_MEMORY_MB = 8 * 1024  # ... and within this much memory (the machine is shared; 24 GB in all)
LADDER = (16_000, 32_000, 64_000)  # positions tried after the municipal 4,000 until the naive one gives up
PAGES = [  # P5, on the municipal database with ten years of survey rounds (benchmarks.survey_history)
    ("absence", "pages/absence.py", ("konsulent", "trivselskonsulent")),
    ("followup", "pages/followup.py", ("raadgiver", "sygefravaersraadgiver")),
    ("overview", "pages/dashboard_overview.py", ("konsulent", "trivselskonsulent")),
    ("heatmap", "pages/dashboard_heatmap.py", ("konsulent", "trivselskonsulent")),
    ("trends", "pages/dashboard_trends.py", ("konsulent", "trivselskonsulent")),
]
RESULTS = generate.DATA_DIR / "results.json"  # the last full run, for --render
# Why a row may miss, written under the table when it does (see "Findings" in the report).
# Why a row missed its target, as far as it was profiled; added to a missed row's note when the report is written
# (so `--render` after an edit here gives the current explanation).
MISSED = {
    "P2": "missed: the monthly persons the month protection needs now take about 0.35 s (counted by steps since "
    "30-11-2026, 4 s before); the rest, profiled on a quiet machine: the summary query about 1.75 s (every spell "
    "of the year against its employments), the spell-length grid 0.75 s and the month protection 0.5 s; see Findings",
    "P5": "missed: the trends page's first run reads the 4.4 M answers of all 40 rounds (about 0.3 s), rolls up "
    "and protects 480 (round, measure) hierarchies (about 0.25 s) and draws five charts, on top of app start; "
    "later runs reuse it; see Findings",
    "P7": "missed: 30 Chromium pages and the app server share the same 2 cores, and the pages take most of them "
    "(the renderers' CPU is in the note); see Findings",
    "P9": "missed (this and the other first visits marked missed): a first visit after a server start loads "
    "Streamlit's table and chart code the first time the session shows one, and the overview, trends and absence "
    "pages compute every figure they show (nothing kept yet; P5's cold runs); a page opened by address in a fresh "
    "browser context spends about 0.65 s loading Streamlit's front end. The pages' modules are imported before the "
    "server listens since 30-11-2026 (a page without login 1.85 → 1.27 s). A warm visit to the staff page is a "
    "whole new page load; see Findings",
    "P11": "missed: the export, profiled on a quiet machine: the summary query about 145 ms, the monthly persons "
    "about 40 ms and the disclosure grid about 285 ms. The heatmap as a leader or AMR: the server is done after "
    "0.1-0.2 s, the rest is the browser drawing 162 rows × 11 measures with a text in every cell (the generated area "
    "has 161 units right under it). The staff page: a new page load each visit. See Findings",
    "P13": "missed (memory): no Python object piles up (tracemalloc across dashboard rounds: flat at 3 MB); what "
    "grows is native memory or Streamlit's per-session state in the real server, not glibc's arenas alone; in a "
    "later soak the memory after every 50 sends stepped up once the dashboards had warmed, held level to 250, then "
    "rose with a peak that fell back: not found yet (see Findings)",
    "P1": "missed in this run only: the naive reference slowed by the same proportion (14× as against 13×, the "
    "machine was slower during the whole first part of the run); alone on the quiet machine right after it, "
    "`--only P1` measured 88 ms (84-120 ms), met",
}
NATIONAL_MINUTES = 3  # P2: generation (the first time; cached after) plus the measurement, 2 cores
# make bench on a quiet machine: P11 about 25 of them, P13's soak 25, P7 8, P9 6, P2 3.
WHOLE_MINUTES = 75
KEYS = {f"P{n}" for n in range(1, 14)}
# P10: the reports, each as `trivsel report KIND ...` on the municipal database with its survey history, and the
# module that makes it: the newest round for the whole municipality (its top unit); the follow-up report
# against the baseline round and period, for the 12 whole months before the scale's today. {round}, {unit},
# {from} and {to} are filled in. A report whose module this version lacks gets a row saying so.
REPORTS = [
    ("unit", "trivsel.reports.unit", ["unit", "--survey", "trivsel", "--round", "{round}", "--unit", "{unit}"], 5.0),
    (
        "follow-up",
        "trivsel.reports.followup",
        ["followup", "--round", "{round}", "--from", "{from}", "--to", "{to}"],
        15.0,
    ),
]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass
class Row:
    key: str
    work: str
    data: str
    target: str
    times: list[float] = field(default_factory=list)
    peak_mb: float | None = None
    ratio: str = ""
    met: bool | None = None
    note: str = ""
    status: str = ""  # instead of figures: "not run (...)" or an error
    items: int = 0  # work items per timed run: the table then gives items per second (P6)
    run_p95: list[float] = field(default_factory=list)  # each run's 95th percentile (P7)


def measure(task: str, args: dict, timeout: float | None = None, memory_mb: float | None = None) -> dict:
    """Run one worker process; stop it when it runs past `timeout` seconds or `memory_mb` of memory."""
    command = [sys.executable, "-m", "benchmarks.worker", task, json.dumps(args, default=str)]
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    started, peak, stopped = time.monotonic(), 0.0, None
    while proc.poll() is None:
        time.sleep(0.1)
        peak = max(peak, _rss_mb(proc.pid))
        if timeout and time.monotonic() - started > timeout:
            stopped = f"stopped after {timeout:.0f} s"
        elif memory_mb and peak > memory_mb:
            stopped = f"stopped above {memory_mb / 1024:.0f} GB of memory"
        if stopped:
            proc.kill()
            proc.wait()
            return {"error": stopped, "seconds": time.monotonic() - started}
    out, err = proc.communicate()
    lines = [line for line in out.splitlines() if line.startswith("{")]
    if proc.returncode or not lines:
        tail = (err.strip().splitlines() or ["no output"])[-1]
        return {"error": f"worker failed ({proc.returncode}): {tail[:300]}"}
    return json.loads(lines[-1])


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def machine() -> dict:
    import duckdb
    import numpy
    import pandas
    import pyarrow
    import streamlit

    memory = (
        next(
            (
                int(line.split()[1]) / 1024 / 1024
                for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal:")
            ),
            None,
        )
        if Path("/proc/meminfo").exists()
        else None
    )
    cpu = (
        next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")
            ),
            platform.processor(),
        )
        if Path("/proc/cpuinfo").exists()
        else ""
    )
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, check=False, text=True
        ).stdout.strip()
    except OSError:
        commit = ""
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": memory,
        "os": platform.platform(),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "pandas": pandas.__version__,
        "numpy": numpy.__version__,
        "pyarrow": pyarrow.__version__,
        "streamlit": streamlit.__version__,
        "commit": commit,
        "load": os.getloadavg(),
    }


def counts(db: Path) -> dict:
    from trivsel.store import open_store

    store = open_store(db)
    try:
        return {
            "units": store.query_value("SELECT count(*) FROM units"),
            "employees": store.query_value("SELECT count(*) FROM employees"),
            "employments": store.query_value("SELECT count(*) FROM employments"),
            "spells": store.query_value("SELECT count(*) FROM absence_spells"),
            "mb": db.stat().st_size / 1024 / 1024,
        }
    finally:
        store.close()


def period_args(db: Path, scale: generate.Scale) -> dict:
    first, last, as_of = generate.one_year(scale)
    return {"db": str(db), "from": first, "to": last, "as_of": as_of}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats and no naive ladder (a smoke run)")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--no-write", action="store_true", help="print the table only")
    parser.add_argument(
        "--render", action="store_true", help="rewrite the report from the last run's saved results, without measuring"
    )
    parser.add_argument(
        "--only",
        type=_keys,
        default=None,
        metavar="P6,P7,...",
        help="measure only these rows; writes neither the report nor the saved results",
    )
    args = parser.parse_args(argv)
    if args.render:
        saved = json.loads(RESULTS.read_text(encoding="utf-8"))
        saved["rows"] = [Row(**row) for row in saved["rows"]]
        args.output.write_text(_markdown(saved), encoding="utf-8")
        print(report.table(saved["rows"]))
        return 0
    reps = 3 if args.quick else 1
    t_start = time.monotonic()
    env = machine()
    log(f"Machine: {env['cores']} cores, {env['memory_gb']:.0f} GB, load {env['load'][0]:.1f}")

    municipal = generate.ensure(generate.MUNICIPAL, log=log)
    sizes = {"municipal": counts(municipal)}
    rows: list[Row] = []
    only = args.only or KEYS
    p1 = naive_m = None
    ladder: list[dict] = []
    surveys: dict = {}
    if {"P1", "P3"} & only:  # P3 compares with P1's measurement
        p1, naive_m = _absence_export(args, reps, municipal, sizes, rows)
    if "P2" in only:
        _national(reps, sizes, rows)
    if "P3" in only:
        ladder = _ladder(args, reps, sizes, rows, p1, naive_m)
    if "P4" in only:
        _imports(reps, sizes, rows)
    if "P5" in only:
        history = survey_history.ensure(log=log)
        _pages(reps, history, _history_data(sizes, history), rows)
    if "P6" in only:
        _submissions(reps, municipal, surveys, rows)
    if "P7" in only:
        _browsers(reps, municipal, surveys, rows)
    if "P8" in only:
        _survey_export(reps, surveys, rows)
    if "P9" in only:
        history = survey_history.ensure(log=log)
        _browser_pages(reps, history, municipal, _history_data(sizes, history), rows)
    if "P10" in only:
        _reports(reps, survey_history.ensure(log=log), sizes, rows)
    if "P11" in only:
        _tenfold(reps, sizes, rows)
    if "P12" in only:
        _processes(reps, municipal, sizes, rows)
    if "P13" in only:
        _soak(reps, survey_history.ensure(log=log), sizes, rows)
    rows = [row for row in rows if row.key in only]
    crosscheck = naive_m.get("differences", naive_m.get("error")) if naive_m is not None else None

    minutes = (time.monotonic() - t_start) / 60
    env["load_end"] = os.getloadavg()
    env["finished"] = f"{datetime.now():%Y-%m-%d %H:%M}"
    saved = {
        "env": env,
        "sizes": sizes,
        "rows": rows,
        "ladder": ladder,
        "crosscheck": crosscheck,
        "minutes": minutes,
        "surveys": surveys,
    }
    whole = args.only is None  # a subset is for development: it writes neither file
    if not args.quick and whole:
        RESULTS.write_text(json.dumps(saved, default=lambda o: o.__dict__), encoding="utf-8")
    print(report.table(rows))
    if naive_m is not None:
        print(
            f"\nCross-check naive = trivsel (municipal, {generate.one_year(generate.MUNICIPAL)[0].year}): "
            f"{'equal' if crosscheck == [] else crosscheck}"
        )
    if not whole:
        print("\n" + "\n".join(f"- {row.key}: {row.note}" for row in rows if row.note))
    print(
        f"Took {minutes:.1f} minutes; load average {env['load'][0]:.1f} at the start, "
        f"{env['load_end'][0]:.1f} at the end."
    )
    if not args.no_write and whole:
        text = _markdown(saved)
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8")
        print(f"Wrote {args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output}")
    return 0


def _markdown(saved: dict) -> str:
    explained, told = [], set()
    for row in saved["rows"]:  # each explanation once, with the first row of its key that missed
        if row.met is False and row.key in MISSED and row.key not in told:
            told.add(row.key)
            row = replace(row, note="; ".join(filter(None, [row.note, MISSED[row.key]])))
        explained.append(row)
    return report.markdown(
        **(saved | {"rows": explained}),
        whole_minutes=WHOLE_MINUTES,
        national_minutes=NATIONAL_MINUTES,
        naive_seconds=NAIVE_SECONDS,
        naive_memory_mb=NAIVE_MEMORY_MB,
    )


def _history_data(sizes: dict, history: Path, scale: str = "municipal") -> str:
    name = "survey history" if scale == "municipal" else f"{scale} survey history"
    sizes[name] = survey_history.counts(history)
    return f"{_data(sizes[scale])}, {sizes[name]['rounds']} rounds, {sizes[name]['responses']:,} responses"


def _keys(text: str) -> set[str]:
    keys = {key.strip().upper() for key in text.split(",") if key.strip()}
    if not keys or keys - KEYS:
        raise argparse.ArgumentTypeError(f"known rows are {', '.join(sorted(KEYS))}")
    return keys


def _absence_export(args, reps: int, municipal: Path, sizes: dict, rows: list[Row]) -> tuple[dict, dict]:
    # P1 and the naive reference at municipal scale (also the cross-check).
    log("P1: unit-summary export, municipal scale ...")
    p1 = measure("export", period_args(municipal, generate.MUNICIPAL) | {"repeats": 20 // reps, "warmup": 2})
    log("    naive pandas reference, municipal scale ...")
    naive_m = measure(
        "naive",
        period_args(municipal, generate.MUNICIPAL) | {"repeats": 3, "check": True},
        timeout=10 * NAIVE_SECONDS,
        memory_mb=NAIVE_MEMORY_MB,
    )
    row = Row(
        "P1",
        "unit-summary export, one year, whole tree (views.summary + export_table + CSV bytes)",
        _data(sizes["municipal"]),
        "≤ 100 ms",
    )
    _fill(row, p1, limit=0.100)
    if "error" not in p1 and "error" not in naive_m:
        row.ratio = f"{statistics.median(naive_m['times']) / statistics.median(p1['times']):.0f}×"
    rows.append(row)
    return p1, naive_m


def _national(reps: int, sizes: dict, rows: list[Row]) -> None:
    # P2 at national scale (raised from 2 s to 1 s by issue 22).
    national = generate.ensure(generate.NATIONAL, log=log)
    sizes["national"] = counts(national)
    row = Row("P2", "the same at national scale", _data(sizes["national"]), "≤ 1 s, peak ≤ 4 GB")
    log("P2: unit-summary export, national scale ...")
    p2 = measure("export", period_args(national, generate.NATIONAL) | {"repeats": 5 // reps + 1, "warmup": 1})
    _fill(row, p2, limit=1.0, memory_mb=4096)
    row.ratio = "n/a (the naive one would need ~100 GB)"
    rows.append(row)


def _ladder(args, reps: int, sizes: dict, rows: list[Row], p1: dict, naive_m: dict) -> list[dict]:
    # P3: the naive reference at growing sizes until it no longer finishes within the limits.
    log("P3: naive reference ladder ...")
    ladder = [{"positions": generate.MUNICIPAL.positions, "naive": naive_m, "ours": p1}]
    for positions in () if args.quick else LADDER:
        scale = generate.scale_of(positions)
        db = generate.ensure(scale, log=log)
        sizes[f"ladder {positions}"] = counts(db)
        log(f"    {positions:,} positions: naive ...")
        naive = measure(
            "naive", period_args(db, scale) | {"repeats": 1}, timeout=NAIVE_SECONDS, memory_mb=NAIVE_MEMORY_MB
        )
        log(f"    {positions:,} positions: ours ...")
        ours = measure("export", period_args(db, scale) | {"repeats": 7, "warmup": 1})
        ladder.append({"positions": positions, "naive": naive, "ours": ours})
        if "error" in naive:
            break
    finished = [step for step in ladder if "error" not in step["naive"] and "error" not in step["ours"]]
    row = Row(
        "P3",
        "ratio to the naive pandas reference at the largest size it finishes "
        f"(≤ {NAIVE_SECONDS} s, ≤ {NAIVE_MEMORY_MB // 1024} GB)",
        "",
        "≥ 50×",
    )
    if finished:
        top = finished[-1]
        naive_s = statistics.median(top["naive"]["times"])
        ours_s = statistics.median(top["ours"]["times"])
        row.data = f"{top['positions']:,} positions: naive {report.seconds(naive_s)}, ours {report.seconds(ours_s)}"
        row.times, row.peak_mb = top["ours"]["times"], top["naive"].get("peak_mb")
        ratio = naive_s / ours_s
        row.ratio, row.met = f"{ratio:.0f}×", ratio >= 50
        row.note = "peak memory is the naive reference's"
    else:
        row.status = "no size finished"
    rows.append(row)

    return ladder


def _imports(reps: int, sizes: dict, rows: list[Row]) -> None:
    # P4: import and validation of a million-row payroll export.
    files = generate.absence_csv(log=log)
    sizes["import file"] = {"rows": generate.IMPORT_ROWS, "mb": files["good"].stat().st_size / 1024 / 1024}
    today = generate.IMPORT.today.isoformat()
    for key, what, db, csv, expect in (
        ("P4", "import + validation, 1,000,000-row Danish CSV (first import)", "empty", "good", "ok"),
        ("P4", "the same file again (replaces 1,000,000 stored spells)", "stored", "good", "ok"),
        ("P4", "the file with one bad row (31-02-2024 in row 700,001) is rejected", "stored", "bad", "rejected"),
    ):
        log(f"P4: {what} ...")
        result = measure(
            "import", {"db": str(files[db]), "csv": str(files[csv]), "today": today, "repeats": 3 if reps == 1 else 1}
        )
        row = Row(
            key,
            what,
            f"{sizes['import file']['mb']:.0f} MB, cp1252, `;`, dd-mm-yyyy, decimal comma",
            "≤ 15 s, peak ≤ 2 GB",
        )
        _fill(row, result, limit=15.0, memory_mb=2048)
        if "error" not in result:
            if expect == "rejected":
                ok = result.get("problems") == 1
                row.note = f"rejected: {result['rejected'][0]}" if ok else f"unexpected: {result}"
            else:
                ok = "message" in result
                row.note = result.get("message", str(result.get("rejected")))
            row.met = bool(row.met and ok)
        rows.append(row)


def _pages(
    reps: int, history: Path, data: str, rows: list[Row], key: str = "P5", cold_limit: float | None = 1.5
) -> None:
    # P5 (and P11): the dashboard pages through AppTest, each in fresh processes (the first run is the cold one).
    # Without a cold limit the cold runs go into the warm row's note.
    for _name, page, identity in PAGES:
        log(f"{key}: {page} as {identity[1]} ...")
        cold, warm, errors, peak = [], [], [], 0.0
        for _ in range(5 // reps + (1 if reps > 1 else 0)):
            result = measure(
                "page",
                {"db": str(history), "root": str(ROOT), "page": page, "identity": list(identity), "repeats": 5},
            )
            if "error" in result:
                errors.append(result["error"])
                continue
            cold.append(result["first"])
            warm += result["times"]
            errors += result["errors"]
            peak = max(peak, result["peak_mb"])
        measured = [("warm", warm, 0.300, "≤ 300 ms")] + (
            [("cold", cold, cold_limit, f"≤ {cold_limit:g} s")] if cold_limit else []
        )
        for kind, times, limit, target in measured:
            row = Row(key, f"{page} as {identity[1]}, {kind}", data, target)
            _fill(row, {"times": times, "peak_mb": peak} if times else {"error": "; ".join(errors)}, limit=limit)
            if errors:
                row.met, row.note = False, f"errors: {errors[0][:200]}"
            rows.append(row)
        if not cold_limit:
            row.note = _spread_note("cold (the first run in a fresh process; no target)", cold, row.note)


def _spread_note(what: str, times: list[float], note: str = "") -> str:
    """`note` with the median and range of `times` (measured without a target) added in front."""
    if not times:
        return note
    figures = (
        f"{what}: median {report.seconds(statistics.median(times))}, "
        f"{report.seconds(min(times))} – {report.seconds(max(times))} ({len(times)} runs)"
    )
    return f"{figures}; {note}" if note else figures


def _browser_pages(
    reps: int,
    history: Path,
    staff_db: Path,
    data: str,
    rows: list[Row],
    key: str = "P9",
    first_limit: float | None = 1.5,
) -> None:
    # P9 (and P11): every page as every role in Chromium, a fresh server for each first visit
    # (benchmarks.browser_pages). Without a limit for first visits they are listed in the note instead of rows.
    targets = (f"≤ {first_limit:g} s first, " if first_limit else "") + "≤ 0.5 s warm"
    warm = 5 if reps == 1 else 2
    log(f"{key}: every page as every role in Chromium, first visit and {warm} warm (about 10 s a page) ...")
    result = measure("browser_pages", {"db": str(history), "staff_db": str(staff_db), "warm": warm})
    if "error" in result:
        rows.append(Row(key, "every page as every role, in Chromium", data, targets))
        rows[-1].status, rows[-1].met = result["error"], False
        return
    visits = result["visits"]
    firsts = [visit["first"] for visit in visits.values()]
    warms = [statistics.median(visit["times"]) for visit in visits.values()]
    if firsts:
        row = Row(
            key,
            f"all {len(firsts)} (page, role) pairs: the median of their first visits (and of their warm medians)"
            if first_limit
            else f"all {len(warms)} (page, role) pairs: the median of their warm medians",
            data,
            f"median {targets}",
            times=firsts if first_limit else warms,
        )
        row.met = (
            (not first_limit or statistics.median(firsts) <= first_limit)
            and statistics.median(warms) <= 0.5
            and not result["errors"]
        )
        row.note = (
            f"first visits: median {report.seconds(statistics.median(firsts))}"
            + ("" if first_limit else " (no target)")
            + f"; warm medians: median {report.seconds(statistics.median(warms))}, the slowest "
            f"{report.seconds(max(warms))}; the leader's scope is unit {result['leader_unit']}"
        )
        if not first_limit:
            row.note += "; each first visit after a server start: " + ", ".join(
                f"{name} {report.seconds(visit['first'])}" for name, visit in visits.items()
            )
        rows.append(row)
    for name, visit in visits.items():
        measured = [("first visit after a server start", [visit["first"]], first_limit)] if first_limit else []
        for kind, times, limit in [*measured, ("warm", visit["times"], 0.5)]:
            row = Row(key, f"{name}, {kind}", "as above", f"≤ {report.seconds(limit)}")
            _fill(row, {"times": times}, limit=limit)
            rows.append(row)
    for name, error in result["errors"].items():
        rows.append(Row(key, name, "as above", targets, status=f"failed: {error}", met=False))


def _tenfold(reps: int, sizes: dict, rows: list[Row]) -> None:
    # P11: a municipality ten times larger: P1's export on its database; P5's pages (warm) and P9's browser pages
    # (warm) on its own ten years of survey rounds, the staff page on its database.
    tenfold = generate.ensure(generate.TENFOLD, log=log)
    sizes["tenfold"] = counts(tenfold)
    log("P11: unit-summary export, tenfold scale ...")
    export = measure("export", period_args(tenfold, generate.TENFOLD) | {"repeats": 20 // reps, "warmup": 2})
    row = Row("P11", "P1's unit-summary export at tenfold scale", _data(sizes["tenfold"]), "≤ 300 ms")
    _fill(row, export, limit=0.300)
    rows.append(row)
    history = survey_history.ensure(generate.TENFOLD, log=log)
    data = _history_data(sizes, history, "tenfold")
    _pages(reps, history, data, rows, key="P11", cold_limit=None)
    _browser_pages(reps, history, tenfold, data, rows, key="P11", first_limit=None)


def _reports(reps: int, history: Path, sizes: dict, rows: list[Row]) -> None:
    # P10: the reports as the command makes them, each run a fresh process (cold, Chromium started afresh).
    data = _history_data(sizes, history)
    fill = _newest_round(history)
    for kind, module, command, limit in REPORTS:
        row = Row(
            "P10",
            f"the {kind} report (PDF), `trivsel report {command[0]}`, the newest round (see below)",
            data,
            f"≤ {limit:.0f} s",
        )
        rows.append(row)
        if importlib.util.find_spec(module) is None:
            row.status = f"not run: this version has no {module}"
            continue
        command = [part.format(**fill) for part in command]
        log(f"P10: trivsel report {' '.join(command)} ...")
        times, errors, peak, results = [], [], 0.0, []
        for _ in range(5 if reps == 1 else 2):
            result = measure("report", {"db": str(history), "command": command})
            if "error" in result:
                errors.append(result["error"])
                continue
            times += result["times"]
            peak = max(peak, result["peak_mb"])
            results.append(result)
        _fill(row, {"times": times, "peak_mb": peak} if times else {"error": "; ".join(errors)}, limit=limit)
        if results:
            charts = statistics.median(r["charts_seconds"] for r in results)
            row.note = (
                f"{results[-1]['charts']} charts; drawing them took {report.seconds(charts)} (median), including any "
                f"wait for Chromium to finish starting; PDF of {results[-1]['pdf_bytes'] / 1024:.0f} KB"
                + (f"; errors: {errors[:2]}" if errors else "")
            )


def _newest_round(history: Path) -> dict:
    from trivsel.store import open_store

    store = open_store(history)
    try:
        label = store.query_value(
            "SELECT label FROM survey_rounds WHERE survey_id = 'trivsel' AND closes_on < current_date "
            "ORDER BY opens_on DESC LIMIT 1"
        )
        unit = store.query_value("SELECT unit_id FROM units WHERE parent_id IS NULL ORDER BY unit_id LIMIT 1")
    finally:
        store.close()
    as_of = generate.one_year(generate.MUNICIPAL)[2]
    return {"round": label, "unit": unit, "from": as_of.replace(year=as_of.year - 1) + timedelta(days=1), "to": as_of}


def _processes(reps: int, municipal: Path, sizes: dict, rows: list[Row]) -> None:
    # P12: the command as whole processes, from exec to exit (interpreter start, imports, the work).
    first, last, as_of = generate.one_year(generate.MUNICIPAL)
    script = Path(sys.executable).with_name("trivsel")
    trivsel = [str(script)] if script.exists() else [sys.executable, "-m", "trivsel.cli"]
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "municipal.duckdb"
        shutil.copy(municipal, db)  # the export writes an audit entry
        export = [
            "export",
            "unit-summary",
            "--from",
            first.isoformat(),
            "--to",
            last.isoformat(),
            "--as-of",
            as_of.isoformat(),
            "--format",
            "csv",
            "-o",
            str(Path(tmp) / "enheder.csv"),
            "--db",
            str(db),
        ]
        for what, argv, limit, data in (
            ("`trivsel --help`", ["--help"], 0.5, ""),
            (
                f"`trivsel export unit-summary` (CSV), {first.year}, whole tree",
                export,
                1.5,
                _data(sizes["municipal"]),
            ),
        ):
            log(f"P12: {what} as a whole process ...")
            times, errors = [], []
            for _ in range(10 if reps == 1 else 3):
                seconds, error = _process([*trivsel, *argv])
                if error:
                    errors.append(error)
                    continue
                times.append(seconds)
            row = Row("P12", f"{what}, as a whole process (start to exit)", data, f"≤ {limit} s")
            _fill(row, {"times": times} if times else {"error": "; ".join(errors)}, limit=limit)
            rows.append(row)


def _process(command: list[str]) -> tuple[float, str | None]:
    """Run a command to its end: wall seconds, and an error if it failed."""
    t0 = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    seconds = time.perf_counter() - t0
    error = done.stderr.decode(errors="replace").strip()[-300:] if done.returncode else None
    return seconds, error and f"exit {done.returncode}: {error}"


# P6-P8: survey submissions, browsers answering at once, the survey-summary export.
THREADS, EACH = 32, 50  # P6: 1,600 submissions per run
PEOPLE, PEOPLE_TIMEOUT = 30, 600  # P7: browser contexts, and how long one may wait for "tak" (seconds)


def _submissions(reps: int, municipal: Path, surveys: dict, rows: list[Row]) -> None:
    log(f"P6: {THREADS * EACH:,} survey submissions from {THREADS} threads ...")
    result = measure(
        "submissions",
        {
            "db": str(municipal),
            "threads": THREADS,
            "each": EACH,
            "repeats": 5 if reps == 1 else 2,
            "today": generate.TODAY.isoformat(),
        },
    )
    row = Row(
        "P6",
        f"survey submissions through `rounds.submit` from {THREADS} threads at once (one Store, a cursor per thread)",
        f"{THREADS} × {EACH} complete trivsel answers, municipal database, open link round",
        "≥ 300 per second, 0 lost, 0 duplicated",
        items=THREADS * EACH,
    )
    _fill(row, result, limit=THREADS * EACH / 300)
    if "error" not in result:
        runs = result["runs"]
        lost, duplicated, errors = (sum(run[k] for run in runs) for k in ("lost", "duplicated", "errors"))
        as_sent = all(run["rows_as_sent"] and run["units_as_sent"] for run in runs)
        row.met = bool(row.met and lost == duplicated == errors == 0 and as_sent)
        rows_each = "/".join(result["expected_rows"])
        row.note = (
            f"over {len(runs)} runs {lost} lost, {duplicated} duplicated, {errors} refused; "
            + (
                f"every run stored each unit's share and {rows_each} answer rows per response"
                if as_sent
                else f"**stored rows differ from those sent**: {runs}"
            )
            + f"; one submission took {report.seconds(result['latency_median'])} (median), "
            f"{report.seconds(result['latency_p95'])} (p95) with {THREADS} threads waiting their turn"
            + (f"; refusals: {runs[0]['first_errors']}" if errors else "")
        )
        surveys["submissions"] = {
            "runs": len(runs),
            "submissions": result["submissions"],
            "answer_rows": result["expected_rows"],
        }
    rows.append(row)


def _browsers(reps: int, municipal: Path, surveys: dict, rows: list[Row]) -> None:
    runs = 3 if reps == 1 else 1
    log(f"P7: {PEOPLE} browser contexts answer the survey at once, {runs} runs (about 3 minutes each) ...")
    row = Row(
        "P7",
        f"{PEOPLE} people answer the trivsel survey at once (browser contexts of one Chromium, "
        "one `streamlit run app.py`): click on “Send svar” → “Tak for dine svar”",
        f"municipal database, open link round, staff links of {PEOPLE} units, phone-sized pages",
        f"all {PEOPLE} stored; p95 ≤ 2 s (median of the runs)",
    )
    results, failures = {}, []
    for n in range(1, runs + 1):  # a fresh copy of the database, server and Chromium each
        result = measure("browsers", {"db": str(municipal), "people": PEOPLE, "timeout": PEOPLE_TIMEOUT})
        if "error" not in result and not result["times"]:
            result = {"error": f"no one got to “tak”: {result['errors'][:2]}"}
        if "error" in result:
            failures.append(f"run {n} failed: {result['error']}")
        else:
            results[n] = result
    rows.append(row)
    if not results:
        row.status, row.met = "; ".join(failures), False
        return
    row.times = [t for result in results.values() for t in result["times"]]
    row.run_p95 = [result["p95"] for result in results.values()]
    row.peak_mb = max(result["server_peak_mb"] for result in results.values())
    complete = all(
        result["stored"] == result["distinct"] == PEOPLE
        and result["failed"] == 0
        and len(result["answer_rows"]) == 1
        and result["orphans"] == 0
        for result in results.values()
    )
    row.met = bool(statistics.median(row.run_p95) <= 2.0 and complete and not failures)
    row.note = "; ".join([f"run {n}: {_browser_run(result)}" for n, result in results.items()] + failures)
    surveys["browsers"] = [
        {
            k: result[k]
            for k in (
                "people",
                "p95",
                "wall_seconds",
                "answering_median",
                "send_spread",
                "server_cpu_seconds",
                "browser_cpu_seconds",
                "browser_cpu_by_process",
                "driver_cpu_seconds",
                "browser_peak_mb",
                "driver_p95",
                "server_median",
                "server_p95",
                "drawing_median",
                "drawing_p95",
            )
        }
        for result in results.values()
    ]


def _browser_run(result: dict) -> str:
    """One P7 run in words: its p95, what was stored, where the time went, and who used the CPU."""
    rows_each = "/".join(result["answer_rows"])
    cpu = result["browser_cpu_by_process"]
    return (
        f"p95 {report.seconds(result['p95'])}, {result['stored']} of {PEOPLE} stored "
        f"({result['distinct']} distinct, {rows_each} answer rows each)"
        + (f", {result['failed']} did not finish: {result['errors'][:2]}" if result["failed"] else "")
        + f"; of the interval, up to the server's last message before “tak”: median "
        f"{report.seconds(result['server_median'])}, p95 {report.seconds(result['server_p95'])}; the "
        f"page drawing it after: median {report.seconds(result['drawing_median'])}, p95 "
        f"{report.seconds(result['drawing_p95'])}; answering the 5 sections took "
        f"{result['answering_median']:.0f} s (median) while everyone answered, and the "
        f"{len(result['times'])} clicks on “Send svar” fell within {result['send_spread']:.0f} s; "
        f"peak memory {report.memory(result['server_peak_mb'])} (app server), "
        f"{report.memory(result['browser_peak_mb'])} (Chromium); "
        f"CPU in {result['wall_seconds']:.0f} s: app server {result['server_cpu_seconds']:.0f} s, "
        f"Chromium's renderers {cpu.get('renderer', 0):.0f} s, the rest of Chromium "
        f"{result['browser_cpu_seconds'] - cpu.get('renderer', 0) - cpu.get('node', 0):.0f} s, "
        f"Playwright {cpu.get('node', 0) + result['driver_cpu_seconds']:.0f} s"
    )


def _survey_export(reps: int, surveys: dict, rows: list[Row]) -> None:
    db = survey_data.ensure_export_round(log=log)
    log(f"P8: survey-summary export of a round with {survey_data.EXPORT.responses:,} responses ...")
    times, checks, peak, errors = [], [], 0.0, []
    for _ in range(5 if reps == 1 else 2):  # one fresh process each, as the command runs
        result = measure("survey_export", {"db": str(db), "round": survey_data.EXPORT.label})
        if "error" in result:
            errors.append(result["error"])
            continue
        times += result["times"]
        checks.append(result)
        peak = max(peak, result["peak_mb"])
    row = Row(
        "P8",
        f"survey-summary export of a round with {survey_data.EXPORT.responses:,} responses "
        "(`trivsel export survey-summary`, CSV)",
        "",
        "≤ 5 s, complete (rows and counts checked)",
    )
    _fill(row, {"times": times, "peak_mb": peak} if times else {"error": "; ".join(errors)}, limit=5.0)
    if checks:
        last = checks[-1]
        answers = _survey_answers(db)
        row.data = f"{last['units']} units, {last['responses']:,} responses, {answers:,} answers"
        complete = all(check["complete"] for check in checks)
        row.met = bool(row.met and complete and not errors)
        row.note = (
            (
                f"complete: {last['rows']:,} rows = {last['units']} units × {last['measures']} measures; "
                f"WHO-5 respondents of every shown unit = the responses in its subtree, "
                f"{last['root_respondents']:,} at the root; {last['suppressed']} cells hidden"
            )
            if complete
            else f"**incomplete**: {last}"
        ) + (f"; errors: {errors[:2]}" if errors else "")
        surveys["export"] = {
            "units": last["units"],
            "responses": last["responses"],
            "answers": answers,
            "rows": last["rows"],
            "mb": db.stat().st_size / 1024 / 1024,
        }
    rows.append(row)


def _survey_answers(db: Path) -> int:
    from trivsel.store import open_store

    store = open_store(db)
    try:
        return store.query_value("SELECT count(*) FROM survey_answers")
    finally:
        store.close()


def _data(c: dict) -> str:
    return f"{c['units']:,} units, {c['employees']:,} employees, {c['spells']:,} spells"


def _fill(row: Row, result: dict, limit: float, memory_mb: float | None = None) -> None:
    if "error" in result:
        row.status, row.met = result["error"], False
        return
    row.times, row.peak_mb = result["times"], result.get("peak_mb")
    row.met = statistics.median(row.times) <= limit and (memory_mb is None or row.peak_mb <= memory_mb)


# P13: the soak (benchmarks/soak.py): staff one after another, dashboards open, one app server; --quick shortens it.
SOAK = {"staff": 500, "minutes": 20, "ttl": 120}  # ttl: Streamlit's default server.disconnectedSessionTTL
SOAK_QUICK = {"staff": 100, "minutes": 4, "ttl": 30}


def _soak(reps: int, history: Path, sizes: dict, rows: list[Row]) -> None:
    plan = SOAK if reps == 1 else SOAK_QUICK
    staff, window = plan["staff"], min(50, plan["staff"] // 2)
    log(f"P13: {staff} staff one after another over {plan['minutes']} minutes, dashboards open (the soak) ...")
    row = Row(
        "P13",
        f"soak: {staff} staff answer one after another over {plan['minutes']} minutes (a new phone-sized browser "
        "context each, closed after “Tak for dine svar”) while 5 trivselskonsulent and leader sessions browse the "
        "dashboards; one app server: click on “Send svar” → “Tak for dine svar”",
        f"{_history_data(sizes, history)}, an open link round",
        f"all {staff} stored; memory after the last {window} ≤ 1.3× after the first {window}; p95 of the last "
        f"{window} sends ≤ 1.2× the first {window}'s; no session kept after its browser closed",
    )
    rows.append(row)
    result = measure("soak", {"db": str(history), **plan})
    if "error" in result:
        row.status, row.met = result["error"], False
        return
    from benchmarks import soak

    row.times, row.peak_mb = result["times"], result["server_peak_mb"]
    memory = result["memory_last_mb"] / result["memory_first_mb"]
    p95 = result["p95_last"] / result["p95_first"] if result["p95_first"] and result["p95_last"] else float("inf")
    stored, sessions = soak.stored_ok(result), soak.sessions_ok(result)
    row.met = stored and memory <= 1.3 and p95 <= 1.2 and sessions
    parts = [f"quick: {staff} staff over {plan['minutes']} minutes, session TTL {plan['ttl']} s"] if reps > 1 else []
    parts.append(
        f"{result['stored']} of {staff} stored ({result['distinct']} distinct, "
        f"{'/'.join(result['answer_rows'])} answer rows each, {result['orphans']} orphaned answers; sections "
        f"answered before “Send svar”: {result['sections']})"
        + (f", {result['failed']} did not finish: {result['errors'][:2]}" if result["failed"] else "")
    )
    parts.append(
        f"app server memory (VmRSS) after the first {window} sends {report.memory(result['memory_first_mb'])}, "
        f"after the last {report.memory(result['memory_last_mb'])}: {memory:.2f}×; after every {window} sends: "
        + ", ".join(f"{mb:.0f}" for _, mb in sorted((int(n), mb) for n, mb in result["memory_by_sends"].items()))
        + " MB"
    )
    parts.append(
        f"p95 of the first {window} sends {report.seconds(result['p95_first'])}, of the last "
        f"{report.seconds(result['p95_last'])}: {p95:.2f}×"
    )
    parts.append(_sessions_left(result))
    parts.append(
        f"the dashboards were visited {result['dashboard_visits']} times, median "
        + (report.seconds(result["dashboard_median"]) if result["dashboard_median"] else "–")
        + (f", errors: {result['dashboard_errors'][:2]}" if result["dashboard_errors"] else "")
    )
    parts.append(
        f"{result['wall_seconds'] / 60:.1f} minutes from the first start to the last “Tak”, at most "
        f"{result['at_once']} answering at once (a cap of {soak.AT_ONCE})"
    )
    row.note = "; ".join(parts)


def _sessions_left(result: dict) -> str:
    """The server's sessions after the TTL, with the dashboards open and after they closed (benchmarks.soak_server)."""
    during, open_, closed = (
        result["sessions_during"],
        result["sessions_with_dashboards"],
        result["sessions_after_all"],
    )
    return (
        f"sessions kept by the server (TTL {result['ttl']} s) at most {during['peaks']['sessions']} during the run; "
        f"after the last send and the TTL {open_['sessions']} ({open_['active']} connected: the "
        f"{result['viewers']} dashboards), after the dashboards closed and the TTL {closed['sessions']}; session "
        f"objects in memory then {open_['alive']} and {closed['alive']} ({closed['stored_entries']} expired ones "
        f"that Streamlit's storage drops at its next write); threads {closed['threads']}, open files {closed['fds']} "
        f"(at most {during['peaks']['threads']} and {during['peaks']['fds']})"
    )


if __name__ == "__main__":
    sys.exit(main())
