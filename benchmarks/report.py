"""The results as a console table and as docs/benchmarks.md."""

from __future__ import annotations

import statistics
from datetime import datetime

from benchmarks import generate


def seconds(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def memory(mb: float | None) -> str:
    if mb is None:
        return ""
    return f"{mb:.0f} MB" if mb < 1024 else f"{mb / 1024:.2f} GB"


def _cells(row) -> list[str]:
    if row.status:
        return [row.key, row.work, row.data, row.status, "", "", "", row.ratio, row.target,
                "missed" if row.met is False else "–"]
    times = sorted(row.times)
    spread = f"{seconds(times[0])} – {seconds(times[-1])}"
    if len(times) >= 4:
        q1, _, q3 = statistics.quantiles(times, n=4)
        spread += f" (IQR {seconds(q1)} – {seconds(q3)})"
    return [row.key, row.work, row.data, seconds(statistics.median(times)), spread, str(len(times)),
            memory(row.peak_mb), row.ratio, row.target, "**met**" if row.met else "**missed**"]


HEADER = ["#", "work", "data", "median", "spread: min – max", "runs", "peak memory", "vs naive", "target",
          "result"]


def table(rows) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(_cells(row)) + " |" for row in rows]
    return "\n".join(lines)


def markdown(env: dict, sizes: dict, rows, ladder, crosscheck, minutes: float, national: bool) -> str:
    """The whole of docs/benchmarks.md for one run."""
    first, last, as_of = generate.one_year(generate.MUNICIPAL)
    notes = "\n".join(f"- {row.key} ({row.work}): {row.note}" for row in rows if row.note)
    ladder_rows = []
    for step in ladder:
        naive, ours = step["naive"], step["ours"]
        naive_text = naive["error"] if "error" in naive else seconds(statistics.median(naive["times"]))
        naive_peak = "" if "error" in naive else memory(naive.get("peak_mb"))
        ours_text = ours.get("error") or seconds(statistics.median(ours["times"]))
        ratio = ("" if "error" in naive or "error" in ours
                 else f"{statistics.median(naive['times']) / statistics.median(ours['times']):.0f}×")
        ladder_rows.append(f"| {step['positions']:,} | {naive_text} | {naive_peak} | {ours_text} | "
                           f"{memory(ours.get('peak_mb'))} | {ratio} |")
    size_rows = [
        f"| {name} | {c.get('units', ''):,} | {c.get('employees', ''):,} | {c.get('employments', ''):,} | "
        f"{c.get('spells', ''):,} | {c['mb']:.0f} MB |" if "units" in c else
        f"| {name} | | | | {c['rows']:,} rows | {c['mb']:.0f} MB |"
        for name, c in sizes.items()
    ]
    check = ("equal for every unit (persons, employed_fte_days, absence_fte_days, spells_started, "
             "reached_day5/14/28/56, child_sick_fte_days)" if crosscheck == [] else f"**differences**: {crosscheck}")
    return f"""# Benchmarks

Issue 8's targets, measured by `make bench` (the national row with `make bench NATIONAL=1`). This file
is written by the run; edit `benchmarks/report.py`, not this file.

## How to run

```bash
make bench              # municipal scale, naive ladder, import, pages: about 5 minutes on 2 cores
make bench NATIONAL=1   # adds P2: 500,000 employees, ~40 M spells: about {_national_minutes()} minutes more
.venv/bin/python -m benchmarks --quick --no-write   # a smoke run: fewer repeats, no ladder, no file
```

Generated databases and CSV files are cached in `benchmarks/.data/` (git-ignored), keyed by size, seed
and a hash of the generator, so a rerun skips generation. The national database takes about a minute
to generate and 1.5 GB of disk (about 2.5 GB for everything in `benchmarks/.data/`). `make test` runs
none of this, only the small cross-check in `tests/test_bench_crosscheck.py`. After changing only the
text of this report, `.venv/bin/python -m benchmarks --render` rewrites it from the last run's results.

## Results

Run on {datetime.now():%Y-%m-%d %H:%M} at commit `{env['commit']}`, in {minutes:.1f} minutes. P1 and P2
report the last full calendar year ({first:%d-%m-%Y} – {last:%d-%m-%Y}) as of {as_of:%d-%m-%Y}.

{table(rows)}

{notes}

P6–P8 of issue 8 (survey submissions from 32 threads, 30 concurrent browsers, survey-summary export)
are not part of this suite yet.

## Machine

| | |
|---|---|
| CPU | {env['cpu']} |
| cores | {env['cores']} |
| memory | {env['memory_gb']:.1f} GB |
| OS | {env['os']} |
| Python | {env['python']} |
| DuckDB | {env['duckdb']} |
| pandas | {env['pandas']} |
| numpy / pyarrow | {env['numpy']} / {env['pyarrow']} |
| Streamlit | {env['streamlit']} |
| load average at start / end | {env['load'][0]:.1f} / {env['load_end'][0]:.1f} |

The machine is shared with other work, so single runs vary by up to 2×; compare medians and ratios
measured in the same run, not single figures across runs.

## Data

| data set | units | employees | employments | spells | size |
|---|---|---|---|---|---|
{chr(10).join(size_rows)}

Generated by `benchmarks/generate.py` with numpy (seed 1), written straight into DuckDB through Arrow
(never through the CSV importer). A scale is a number of positions, people employed at any one time:
the issue's 4,000 and 500,000 employees. Over ten years, with turnover, that is about 2.5 times as many
distinct employee ids, which is what the employees column counts. One municipality is Velfærdsområdet → Sundhed og Omsorg / Socialområdet
→ agreement units (nursing homes, home-care districts, residential units, dental care, ...) →
departments, plus a secretariat and three teams under 5 persons; job groups and fte weights come from
`trivsel.demo`. Each position is filled by a chain of employments (15 % yearly turnover, 1-60 days
vacant between holders); 4 % of long employments are split by a transfer to another unit and 3 % of
part-timers have a concurrent second job elsewhere, so the "once per subtree" rules are exercised.
Spells follow a Poisson process per person ({generate.SPELLS_PER_YEAR:g} a year on average, times a unit
factor and a personal frailty), never overlap, and have long-tailed lengths; about 7 % sickness absence
in calendar days. The national scale has 98 such municipalities of skewed sizes under one root; its
spells are stored in employee order, as a historical load would write them. The payroll export for P4
is the first 1,000,000 spells of a 13,000-position municipality, written as Danish Excel would write it
(`;`, dd-mm-yyyy, decimal comma, Windows-1252, CRLF, an extra `lønart` column the importer ignores).

## P3: the naive reference by size

The naive reference (`benchmarks/naive.py`) computes the unit summary the way an analyst does in
pandas: every spell expanded to one row per day (`df.loc[df.index.repeat(n)]`, vectorised), employments
expanded to one row per day of the period, merged on (employee, day), and rolled up over each subtree
by merging with an ancestor table. "Ours" is the whole export path of P1 (disclosure control and CSV
included), so the ratio is conservative. A naive run is stopped past {_limits()}.

| positions | naive | naive peak | ours | ours peak | ratio |
|---|---|---|---|---|---|
{chr(10).join(ladder_rows)}

Cross-check on the municipal data: the naive figures and `trivsel.absence.measures.unit_summary` are
{check}. `tests/test_bench_crosscheck.py` repeats this on a small generated data set in every `make test`.

## How each row is measured

- Each row runs in fresh worker processes (`python -m benchmarks.worker`); *peak memory* is the worker's
  peak resident set (VmHWM: Python, pandas and DuckDB together), including the interpreter and its
  imports (about 150 MB).
- **P1/P2**: `trivsel.views.absence.summary` (measures, direct persons, disclosure control) +
  `export_table` + `trivsel.exports.to_csv`, the same calls `trivsel export unit-summary` makes, for the
  whole tree; after 2 warm-up runs (1 at national scale) in the same process.
- **P4**: `trivsel.imports.absence.import_absence` on the file's bytes into a fresh copy of the database
  each run (the copy and reading the file are not timed), `today` = {generate.IMPORT.today:%d-%m-%Y}.
- **P5**: `AppTest.from_file("app.py")` with `session_state["identity"]` set and `switch_page(page)`,
  `TRIVSEL_DB` pointing at the municipal database; 5 fresh processes, each timing its first `run()`
  (*cold*: Python modules of the app and page, database opened, DuckDB caches empty) and 5 more
  (*warm*). Pages use the real date as "today".

## Findings and optimisations

{FINDINGS}
"""


def _national_minutes() -> int:
    from benchmarks import run
    return run.NATIONAL_MINUTES


def _limits() -> str:
    from benchmarks import run
    return f"{run.NAIVE_SECONDS} s or {run.NAIVE_MEMORY_MB // 1024} GB of memory"


FINDINGS = """\
Profiles were taken with pyinstrument (Python) and DuckDB's JSON profiler (SQL operators). Before and
after, measured with the same workers, old and new code alternating, on 23-11-2026 at load 2.6-3.2:

| | before this work | after |
|---|---|---|
| P1 unit-summary export, municipal | 80 ms | 65 ms |
| P2 unit-summary export, national | 7.1-7.4 s, peak 2.2-2.4 GB | 3.4 s, peak 1.1 GB |
| P4 first import of 1,000,000 rows | 16.3 s | 7.3 s |
| P4 re-import of the same file | 23.6 s | 6.7 s |
| P5 Sygefravær page, warm / cold | 513-538 ms / 840-890 ms | 369-379 ms / 724-734 ms |

**P2, national unit summary (still missed).** The profile showed 5.7 s
in the spells-begun query and 1.7 s in the figures query, both in a `DISTINCT` (or `count(DISTINCT)`)
over every pair of subtree and spell or employment: 15 M rows for the spells begun, 3 M for the
persons. A person with one employment in the period belongs to exactly the subtrees above its unit, so
`trivsel.absence.measures` now counts those per unit first and rolls the counts up the tree; only people
with several employments in the period (transfers, second jobs: about 1 %) still go through a
`DISTINCT`. The spells begun now come from the same spell × employment join as the absence days, so
the 40 M spells are scanned and joined once, and the whole unit summary (figures, spells begun,
milestones) is one query. Results are unchanged: the existing tests, the naive cross-check on several
periods and months, and identical output at national scale before and after.
What is left, at load 2.5 on 2 cores: about 2.3-2.5 s in that query (scanning 40 M spells stored in
employee order, so DuckDB cannot skip row groups by date, then hashing 3.8 M spell-employment pairs; a
table clustered by start date would let it skip most of them), 0.75-0.85 s in disclosure control
(`trivsel.disclosure.rules._suppress`, which restarts its scan of all 11,438 units after each of the ~180
complementary suppressions; rechecking only the parent of the cell just suppressed would make it
linear), 0.12 s for the direct persons and 0.1 s for the CSV. The disclosure module and the view are
outside this work, so P2 stays missed; on a quiet machine the query alone takes about 1.3 s.

**P4, importing 1,000,000 rows.** The profile showed (1) Python's cycle
collector: reading the file creates millions of small lists and strings, and every generation-2
collection walked all of them, most of the 11 s spent reading — the importer now pauses the collector
while it reads and validates (reference counting still frees everything); (2) 5.6 s parsing dates and
numbers cell by cell — `parse_column` now parses each distinct text once (a million-row payroll file
holds a few thousand distinct dates), with the same functions and messages; (3) the per-row Python
loops of the date-order, future-date and overlap checks — now numpy comparisons that build a Problem
only for failing rows; (4) 6.7 s in DuckDB's COMMIT after deleting and re-inserting the same million
keys in one transaction — the importer now keeps the spells the file repeats unchanged, updates changed
ones and inserts new ones, which ends in the same table, and hands the file to DuckDB as Arrow columns
instead of Python objects. Behaviour and messages are unchanged: the existing tests pass, randomised
files (good and bad) give identical frames and identical problem lists with the old and new code, and
randomised sequences of imports leave identical tables, messages and audit entries. Left: pandera's
checks (1.5 s, mostly its per-element string type check) and Python's csv reader (about 1 s).

**P1.** The single summary query replaced two queries and the pandas work on
their results.

**P5, Sygefravær page warm (missed under load).** The page runs two
whole-tree summaries (period and baseline), 52 monthly windows, the spell lengths, and builds the XLSX
download on every run. The monthly query joined every spell to every month (a 7 M-candidate join at
municipal scale, 120-150 ms); it now splits each spell-employment interval into the months it touches by
counting months, 50 ms. What is left is spread over the two summaries (about 50 ms each), the monthly
rates, building the XLSX (25 ms), disclosure control per month and the spell lengths; caching the
baseline summary and building the XLSX only when clicked (page and view code, outside this work) are
the next steps.
"""
