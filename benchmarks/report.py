"""The results as a console table and as docs/benchmarks.md (its text is in benchmarks/text/*.md)."""

from __future__ import annotations

import statistics
import string
from pathlib import Path

from benchmarks import generate, survey_data

TEXT = Path(__file__).parent / "text"  # the report's prose, in Markdown with $placeholders


def seconds(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def memory(mb: float | None) -> str:
    if mb is None:
        return ""
    return f"{mb:.0f} MB" if mb < 1024 else f"{mb / 1024:.2f} GB"


def _cells(row) -> list[str]:
    if row.status:
        return [
            row.key,
            row.work,
            row.data,
            row.status,
            "",
            "",
            "",
            row.ratio,
            row.target,
            "missed" if row.met is False else "–",
        ]
    times = sorted(row.times)
    if row.items:  # a throughput: items per second of each run (its slowest run is its lowest rate)
        values, text, unit = sorted(row.items / t for t in times), "{:,.0f}".format, " per second"
    else:
        values, text, unit = times, seconds, ""
    spread = f"{text(values[0])} – {text(values[-1])}{unit}"
    if len(values) >= 4:
        q1, _, q3 = statistics.quantiles(values, n=4)
        spread += f" (IQR {text(q1)} – {text(q3)})"
    runs = str(len(times))
    if row.run_p95:  # the target is on each run's p95: their median, and each
        spread += f"; p95 {text(statistics.median(row.run_p95))} (runs: {', '.join(map(text, row.run_p95))})"
        runs = f"{len(row.run_p95)} runs, {len(times)} sends"
    return [
        row.key,
        row.work,
        row.data,
        text(statistics.median(values)) + unit,
        spread,
        runs,
        memory(row.peak_mb),
        row.ratio,
        row.target,
        "**met**" if row.met else "**missed**",
    ]


HEADER = ["#", "work", "data", "median", "spread: min – max", "runs", "peak memory", "vs naive", "target", "result"]


def table(rows) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(_cells(row)) + " |" for row in rows]
    return "\n".join(lines)


def markdown(
    env: dict,
    sizes: dict,
    rows,
    ladder,
    crosscheck,
    minutes: float,
    surveys: dict | None = None,
    *,
    whole_minutes: int,
    national_minutes: int,
    naive_seconds: int,
    naive_memory_mb: int,
) -> str:
    """The whole of docs/benchmarks.md for one run: benchmarks/text/report.md with the run's figures.

    The keyword-only arguments are the runner's settings, which the text quotes."""
    first, last, as_of = generate.one_year(generate.MUNICIPAL)
    notes = "\n".join(f"- {row.key} ({row.work}): {row.note}" for row in rows if row.note)
    ladder_rows = []
    for step in ladder:
        naive, ours = step["naive"], step["ours"]
        naive_text = naive["error"] if "error" in naive else seconds(statistics.median(naive["times"]))
        naive_peak = "" if "error" in naive else memory(naive.get("peak_mb"))
        ours_text = ours.get("error") or seconds(statistics.median(ours["times"]))
        ratio = (
            ""
            if "error" in naive or "error" in ours
            else f"{statistics.median(naive['times']) / statistics.median(ours['times']):.0f}×"
        )
        ladder_rows.append(
            f"| {step['positions']:,} | {naive_text} | {naive_peak} | {ours_text} | "
            f"{memory(ours.get('peak_mb'))} | {ratio} |"
        )
    size_rows = [
        f"| {name} | {c.get('units', ''):,} | {c.get('employees', ''):,} | {c.get('employments', ''):,} | "
        f"{c.get('spells', ''):,} | {c['mb']:.0f} MB |"
        if "units" in c
        else f"| {name} | | | | {c['rounds']} survey rounds: {c['responses']:,} responses, {c['answers']:,} answers "
        f"| {c['mb']:.0f} MB |"
        if "rounds" in c
        else f"| {name} | | | | {c['rows']:,} rows | {c['mb']:.0f} MB |"
        for name, c in sizes.items()
    ]
    check = (
        "equal for every unit (persons, employed_fte_days, absence_fte_days, spells_started, "
        "reached_day5/14/28/56, child_sick_fte_days)"
        if crosscheck == []
        else f"**differences**: {crosscheck}"
    )
    return (
        _text(
            "report",
            whole_minutes=whole_minutes,
            national_minutes=national_minutes,
            finished=env["finished"],
            commit=env["commit"],
            minutes=f"{minutes:.1f}",
            first=f"{first:%d-%m-%Y}",
            last=f"{last:%d-%m-%Y}",
            as_of=f"{as_of:%d-%m-%Y}",
            table=table(rows),
            notes=notes,
            cpu=env["cpu"],
            cores=env["cores"],
            memory_gb=f"{env['memory_gb']:.1f}",
            os=env["os"],
            python=env["python"],
            duckdb=env["duckdb"],
            pandas=env["pandas"],
            numpy=env["numpy"],
            pyarrow=env["pyarrow"],
            streamlit=env["streamlit"],
            load_start=f"{env['load'][0]:.1f}",
            load_end=f"{env['load_end'][0]:.1f}",
            size_rows="\n".join(size_rows),
            spells_per_year=f"{generate.SPELLS_PER_YEAR:g}",
            survey_data=_survey_data(surveys or {}),
            limits=f"{naive_seconds} s or {naive_memory_mb // 1024} GB of memory",
            ladder_rows="\n".join(ladder_rows),
            check=check,
            import_today=f"{generate.IMPORT.today:%d-%m-%Y}",
            findings=_text("findings"),
        )
        + "\n"
    )


def _survey_data(surveys: dict) -> str:
    spec = survey_data.EXPORT
    export = surveys.get("export", {})
    units = f"{export['units']:,}" if export else "about 500"
    answers = f"{export['answers'] / 1e6:.1f} M answer rows, {export['mb']:.0f} MB" if export else "3.7 M answer rows"
    return _text(
        "survey_data",
        seed=spec.seed,
        responses=f"{spec.responses:,}",
        answers=answers,
        units=units,
        positions=f"{spec.positions:,}",
        staff_factor=spec.staff_factor,
    )


def _text(name: str, **values) -> str:
    """benchmarks/text/<name>.md with its $placeholders filled (a missing value is an error), without the
    file's final newline."""
    text = (TEXT / f"{name}.md").read_text(encoding="utf-8").removesuffix("\n")
    return string.Template(text).substitute(values)
