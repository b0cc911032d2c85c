"""The bad-input corpus: every file is refused with a Danish reason naming row, column or key,
and the database is exactly as it was."""

import csv
import shutil
from pathlib import Path

import pytest

from conftest import DATA, snapshot
from trivsel import config
from trivsel.imports import ImportRejected
from trivsel.imports.absence import import_absence
from trivsel.imports.employees import import_employees
from trivsel.imports.responses import import_responses
from trivsel.imports.units import import_units
from trivsel.surveys.definitions import check_directory, load_all

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
    import_absence(store, b"employee_id;start_date;end_date;absence_type\nM004;01-02-2024;03-02-2024;sygdom\n",
                   actor="test")
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
