"""The benchmarks' own housekeeping: they use only public names of the app and nothing from tests/, and
the report (prose in benchmarks/text/*.md) renders from saved results without the runner."""

import ast
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]
BENCHMARKS = ROOT / "benchmarks"


def _trouble(path: Path) -> list[str]:
    """Imports from tests/, and private names (a leading underscore) taken from trivsel's modules."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    from_trivsel, found = set(), []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if alias.name.split(".")[0] == "tests"]
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module.split(".")[0] == "tests":
                found.append(node.module)
            elif node.module.split(".")[0] == "trivsel":
                from_trivsel |= {alias.asname or alias.name for alias in node.names}
                found += [f"{node.module}.{alias.name}" for alias in node.names if alias.name.startswith("_")]
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in from_trivsel
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
        ):
            found.append(f"{node.value.id}.{node.attr}")
    return [f"{path.name}: {name}" for name in found]


def test_the_benchmarks_import_nothing_from_tests_and_no_private_names_of_the_app():
    assert [problem for path in sorted(BENCHMARKS.glob("*.py")) for problem in _trouble(path)] == []


def _row(key: str, **figures) -> dict:
    return {
        "key": key,
        "work": f"work {key}",
        "data": f"data {key}",
        "target": "≤ 1 s",
        "times": [],
        "peak_mb": None,
        "ratio": "",
        "met": None,
        "note": "",
        "status": "",
        "items": 0,
        "run_p95": [],
    } | figures


SAVED = {
    "env": {
        "finished": "2026-11-23 12:00",
        "commit": "abc1234",
        "cpu": "Test CPU",
        "cores": 2,
        "memory_gb": 23.4,
        "os": "Linux",
        "python": "3.11.2",
        "duckdb": "1.1.0",
        "pandas": "2.2",
        "numpy": "2.0",
        "pyarrow": "17",
        "streamlit": "1.40",
        "load": [2.5, 2, 1],
        "load_end": [3.25, 2, 1],
    },
    "sizes": {"municipal": {"units": 92, "employees": 9919, "employments": 11000, "spells": 320310, "mb": 40.2}},
    "rows": [
        _row("P1", times=[0.05, 0.06, 0.07], peak_mb=300.0, ratio="37×", met=True, note="a note on P1"),
        _row("P2", status="worker failed (1): out of memory"),
    ],
    "ladder": [{"positions": 4000, "naive": {"times": [3.0]}, "ours": {"times": [0.06]}}],
    "crosscheck": [],
    "minutes": 13.37,
    "surveys": {},
}
RENDER = """
import json, sys, types
from benchmarks import report
saved = json.loads(sys.argv[1])
saved["rows"] = [types.SimpleNamespace(**row) for row in saved["rows"]]
print(report.markdown(**saved, whole_minutes=13, national_minutes=2, naive_seconds=60, naive_memory_mb=8192))
assert "benchmarks.run" not in sys.modules, "the report imported the runner"
"""


def test_the_report_renders_its_markdown_text_without_the_runner():
    done = subprocess.run(
        [sys.executable, "-c", RENDER, json.dumps(SAVED)], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    text = done.stdout
    assert text.startswith("# Benchmarks\n")
    assert "| P1 | work P1 | data P1 | 60 ms |" in text and "- P1 (work P1): a note on P1" in text
    assert "Run on 2026-11-23 12:00 at commit `abc1234`, in 13.4 minutes." in text
    assert "about 13 minutes on 2 cores" in text and "60 s or 8 GB of memory" in text
    assert "| municipal | 92 | 9,919 | 11,000 | 320,310 | 40 MB |" in text
    # The prose comes from the Markdown files, every placeholder filled.
    assert (BENCHMARKS / "text" / "findings.md").read_text(encoding="utf-8").strip() in text
    assert "$" not in text
