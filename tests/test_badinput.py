"""The bad-input corpus: every file is refused with a Danish reason naming row, column or key,
and the database is exactly as it was."""

import csv
import json
import shutil
import subprocess
import sys
from datetime import date, timedelta
from io import BytesIO
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook
from streamlit.testing.v1 import AppTest

import hostile_xlsx
from conftest import DATA, snapshot
from trivsel import auth, config
from trivsel.imports import ImportRejected
from trivsel.imports.absence import import_absence
from trivsel.imports.employees import import_employees
from trivsel.imports.responses import import_responses
from trivsel.imports.units import import_units
from trivsel.store import open_store
from trivsel.surveys.definitions import check_directory, load_all
from trivsel.ui.session import TOKEN_KEY

CORPUS = Path(__file__).parent / "badinput"
CASES = list(csv.DictReader((CORPUS / "expected.csv").open(encoding="utf-8"), delimiter=";"))
SURVEY = load_all(config.surveys_dir())["trivsel"]
IMPORTERS = {
    "units": lambda store, data: import_units(store, data, actor="test"),
    "employees": lambda store, data: import_employees(store, data, actor="test"),
    "absence": lambda store, data: import_absence(store, data, actor="test"),
    "responses": lambda store, data: import_responses(store, data, SURVEY, "Basis", actor="test"),
}


def test_the_corpus_covers_every_importer_and_at_least_40_files():
    assert len(CASES) >= 40
    assert {c["importer"] for c in CASES} == {*IMPORTERS, "definition"}
    assert {c["file"] for c in CASES} == {p.name for p in CORPUS.iterdir() if p.name != "expected.csv"}


@pytest.fixture
def loaded(store):
    import_units(store, (DATA / "enheder.csv").read_bytes(), actor="test")
    import_employees(store, (DATA / "ansaettelser.csv").read_bytes(), actor="test")
    import_absence(
        store, b"employee_id;start_date;end_date;absence_type\nM004;01-02-2024;03-02-2024;sygdom\n", actor="test"
    )
    return store


@pytest.mark.parametrize("case", [c for c in CASES if c["importer"] != "definition"], ids=lambda c: c["file"])
def test_bad_file_is_refused_and_changes_nothing(loaded, case):
    before = snapshot(loaded)
    with pytest.raises(ImportRejected) as info:
        IMPORTERS[case["importer"]](loaded, (CORPUS / case["file"]).read_bytes())
    assert case["expected"] in info.value.summary(limit=50)
    assert snapshot(loaded) == before


@pytest.mark.parametrize("case", [c for c in CASES if c["importer"] == "definition"], ids=lambda c: c["file"])
def test_bad_definition_is_reported_with_file_line_and_key(tmp_path, case):
    shutil.copy(CORPUS / case["file"], tmp_path)
    problems = [str(p) for p in check_directory(tmp_path)]
    assert any(case["expected"] in p for p in problems), problems


def test_a_60_mb_upload_is_refused_before_it_is_parsed(loaded):
    before = snapshot(loaded)
    big = b"employee_id;unit_id;start_date;end_date;fte;job_group\n" + b"M001;SO-PC-A;01-03-2020;;1;SSA\n" * 2_000_000
    assert len(big) > config.MAX_IMPORT_BYTES
    with pytest.raises(ImportRejected, match="større end 50 MB"):
        import_employees(loaded, big, actor="test")
    assert snapshot(loaded) == before


# Runs in a fresh process, so that its peak memory (ru_maxrss) is the refusal's own. The address
# space is capped: a reader that does unpack the bomb fails with MemoryError instead of taking the machine.
_REFUSE_IN_A_PROCESS = """
import json, resource, sys, time
from trivsel.imports import ImportRejected
from trivsel.imports.employees import import_employees
from trivsel.store import open_store

store = open_store(sys.argv[2])
data = open(sys.argv[1], "rb").read()
size = int(open("/proc/self/status").read().split("VmSize:")[1].split()[0]) * 1024
resource.setrlimit(resource.RLIMIT_AS, (size + 2**31, size + 2**31))
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
try:
    outcome = import_employees(store, data, actor="test").message
except ImportRejected as exc:
    outcome = exc.summary()
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "outcome": outcome,
                  "mb": (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024}))
"""


@pytest.mark.parametrize(
    "make, expected",
    [
        (
            hostile_xlsx.ratio_bomb,
            "Excel-filen er pakket usædvanligt tæt: delen xl/worksheets/sheet1.xml fylder 229 gange",
        ),
        (hostile_xlsx.shared_string_bomb, "Excel-filen er pakket usædvanligt tæt: delen xl/sharedStrings.xml"),
        (hostile_xlsx.wide_rows_bomb, "Arket har mere end 10.000.000 celler"),
    ],
    ids=lambda v: getattr(v, "__name__", ""),
)
def test_an_xlsx_bomb_is_refused_within_seconds_and_little_memory(tmp_path, make, expected):
    bomb = tmp_path / "bombe.xlsx"
    bomb.write_bytes(make())
    assert bomb.stat().st_size < 2 * 2**20
    result = subprocess.run(
        [sys.executable, "-c", _REFUSE_IN_A_PROCESS, str(bomb), str(tmp_path / "db.duckdb")],
        check=False,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-1500:]
    measured = json.loads(result.stdout)
    assert expected in measured["outcome"]
    assert measured["seconds"] < 5
    assert measured["mb"] < 2 * config.MAX_IMPORT_BYTES / 2**20, "the refusal may hold twice the upload limit"


def test_a_20000_row_xlsx_still_imports(loaded):
    # Two employees with a one-day spell every other day from 1960: 20,000 rows of a payroll export.
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["employee_id", "start_date", "end_date", "absence_type", "degree", "Fraværstekst"])
    for i in range(20_000):
        day = date(1960, 1, 1) + timedelta(days=2 * (i // 2))
        sheet.append(["M001" if i % 2 else "M004", day, day, "sygdom", 0.5, "Egen sygdom"])
    buffer = BytesIO()
    book.save(buffer)
    assert import_absence(loaded, buffer.getvalue(), actor="test").rows == 20_000
    assert loaded.query_value("SELECT count(*) FROM absence_spells WHERE degree = 0.5") == 20_000


def test_an_xlsx_of_too_many_parts_is_refused_before_its_table_of_contents_is_read(loaded):
    assert import_employees(loaded, hostile_xlsx.many_parts(100), actor="test").rows == 1
    with pytest.raises(ImportRejected, match="Excel-filen består af mere end 10.000 dele"):
        import_employees(loaded, hostile_xlsx.many_parts(10_000), actor="test")


def test_the_xlsx_limits_refuse_a_file_that_unpacks_beyond_them(loaded, monkeypatch):
    data = hostile_xlsx.workbook(hostile_xlsx.employees(20_000))  # 4 MB unpacked, 0.2 MB packed
    monkeypatch.setattr(config, "MAX_IMPORT_BYTES", 2**20)
    with pytest.raises(ImportRejected, match="MB udpakket, og højst 5 MB kan importeres"):
        import_employees(loaded, data, actor="test")


@pytest.mark.parametrize(
    "kind, name, data, row, reason",
    [
        # The stray quote's field runs past the csv module's limit: this was Streamlit's English error page.
        (
            "Fravær",
            "fravaer.csv",
            (CORPUS / "abs_stray_quote_in_text_column.csv").read_bytes()
            + b"M001;08-01-2024;10-01-2024;sygdom;;Egen sygdom;\r\n" * 5_000,
            11,
            "feltet begynder med et anførselstegn",
        ),
        ("Ansættelser", "ansaettelser.xlsx", (CORPUS / "emp_xlsx_zip_bomb.xlsx").read_bytes(), None, "zip-bombe"),
        (
            "Ansættelser",
            "ansaettelser.xlsx",
            (CORPUS / "emp_xlsx_missing_shared_string.xlsx").read_bytes(),
            None,
            "Excel-filen kan ikke læses",
        ),
    ],
    ids=["stray quote", "zip bomb", "broken sheet"],
)
def test_the_import_page_shows_the_danish_refusal(demo_db, monkeypatch, kind, name, data, row, reason):
    monkeypatch.setenv("TRIVSEL_DB", str(demo_db))
    at = AppTest.from_file(str(Path(__file__).parents[1] / "app.py"), default_timeout=60)
    store = open_store(demo_db)
    at.session_state[TOKEN_KEY] = auth.start_session(store, "admin")  # the admin has logged in in this tab
    store.close()
    at.switch_page("pages/imports.py")
    at.run()
    at.radio[0].set_value(kind).run()
    at.file_uploader[0].upload(name, data).run()
    assert not at.exception
    assert [e.value for e in at.error] == ["Filen er afvist, og intet er gemt. Der er 1 fejl. Ret dem og prøv igen."]
    problem = at.dataframe[0].value.iloc[0]
    assert reason in problem["Fejl"] and (problem["Række"] == row if row else pd.isna(problem["Række"]))
