"""The `trivsel` command loads only what the command it runs needs (issue 22, P12: `trivsel --help` within
0.5 s and `trivsel export unit-summary` within 1.5 s as whole processes): no timing here, the modules."""

import subprocess
import sys

APP_ONLY = ("streamlit", "plotly", "kaleido")  # the web app's and the reports' libraries


def modules_after(argv: list[str]) -> set[str]:
    """The top-level modules loaded in a fresh interpreter that ran `trivsel ARGV`."""
    code = (
        "import sys; from trivsel import cli\n"
        "try:\n    code = cli.main(sys.argv[1:])\nexcept SystemExit as exc:\n    code = exc.code\n"
        "print(code, ' '.join(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, *argv], capture_output=True, text=True, check=True, timeout=120
    )
    code, modules = result.stdout.strip().splitlines()[-1].split(" ", 1)
    assert code in ("0", "None"), result
    return set(modules.split())


def test_help_loads_neither_pandas_nor_the_app_or_report_libraries():
    loaded = modules_after(["--help"])
    assert loaded & {"pandas", "duckdb", *APP_ONLY} == set()


def test_the_unit_summary_export_loads_neither_the_importers_nor_the_xlsx_or_app_libraries(demo_db, tmp_path):
    argv = ["export", "unit-summary", "--from", "2025-01-01", "--to", "2025-12-31", "--format", "csv"]
    loaded = modules_after([*argv, "-o", str(tmp_path / "enheder.csv"), "--db", str(demo_db)])
    assert (tmp_path / "enheder.csv").stat().st_size > 0
    assert loaded & {"pandera", "openpyxl", *APP_ONLY} == set()
