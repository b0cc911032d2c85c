from datetime import date
from io import BytesIO

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

import hostile_xlsx
from conftest import DATA, snapshot
from trivsel.imports import ImportRejected
from trivsel.imports.employees import import_employees
from trivsel.imports.reader import read_table
from trivsel.imports.units import import_units

EMPLOYEE_HEADER = "employee_id;unit_id;start_date;end_date;fte;job_group\n"


@pytest.fixture
def org_store(store):
    import_units(store, (DATA / "enheder.csv").read_bytes(), actor="test")
    return store


def rejected(store, data: bytes, importer=import_employees) -> ImportRejected:
    before = snapshot(store)
    with pytest.raises(ImportRejected) as info:
        importer(store, data, actor="test")
    assert snapshot(store) == before, "a rejected file must change nothing"
    return info.value


def test_units_form_a_tree_with_staff_links(org_store):
    rows = org_store.query_all("SELECT unit_id, parent_id FROM units ORDER BY unit_id")
    assert ("SO-PC-A", "SO-PC") in rows and ("V", None) in rows
    assert org_store.query_value("SELECT count(DISTINCT unit_id) FROM unit_access_links") == 6


def test_units_reimport_updates_names_without_duplicates(org_store):
    data = (DATA / "enheder.csv").read_text(encoding="utf-8").replace("Plejecenter Ådalen", "Plejecenter Ådalen Nord")
    result = import_units(org_store, data.encode("utf-8"), actor="test")
    assert "0 nye" in result.message
    assert org_store.query_value("SELECT unit_name FROM units WHERE unit_id = 'SO-PC'") == "Plejecenter Ådalen Nord"
    assert org_store.query_value("SELECT count(*) FROM units") == 6


@pytest.mark.parametrize(
    "body, reason",
    [
        ("X;Ny enhed;MANGLER;\n", "overenheden 'MANGLER' findes hverken i filen eller i databasen"),
        ("V2;Endnu en top;;\n", "præcis én øverste enhed"),
        ("V;Velfærdsområdet;SO-PC-A;\n", "ligger under sig selv"),
        ("SO;Sundhed;V;\nSO;Sundhed igen;V;\n", "står mere end én gang"),
    ],
)
def test_bad_unit_trees_are_rejected(org_store, body, reason):
    error = rejected(org_store, ("unit_id;unit_name;parent_id;area\n" + body).encode(), import_units)
    assert reason in error.summary()


def test_danish_excel_csv_in_cp1252_is_imported(org_store):
    result = import_employees(org_store, (DATA / "ansaettelser_excel.csv").read_bytes(), actor="test")
    assert result.rows == 4
    assert org_store.query_all(
        "SELECT start_date, end_date, fte, job_group FROM employments WHERE employee_id = 'M003'"
    ) == [(date(2021, 2, 1), None, 0.5, "Pædagog")]
    assert org_store.query_value("SELECT count(*) FROM employees") == 3


def test_plain_utf8_csv_with_bom_and_iso_dates(org_store):
    import_employees(org_store, b"\xef\xbb\xbf" + (DATA / "ansaettelser.csv").read_bytes(), actor="test")
    assert org_store.query_value("SELECT fte FROM employments WHERE employee_id = 'M004'") == 0.75


def test_xlsx_is_imported(org_store):
    book = Workbook()
    sheet = book.active
    sheet.append(["employee_id", "unit_id", "start_date", "end_date", "fte", "job_group"])
    sheet.append(["M010", "SOC-BO", date(2020, 1, 6), None, 0.8, "Pædagog"])
    buffer = BytesIO()
    book.save(buffer)
    import_employees(org_store, buffer.getvalue(), actor="test")
    assert org_store.query_all("SELECT start_date, fte FROM employments") == [(date(2020, 1, 6), 0.8)]


def test_reimporting_the_same_file_changes_nothing(org_store):
    data = (DATA / "ansaettelser_excel.csv").read_bytes()
    import_employees(org_store, data, actor="test")
    first = org_store.query_all("SELECT * FROM employments ORDER BY ALL")
    import_employees(org_store, data, actor="test")
    assert org_store.query_all("SELECT * FROM employments ORDER BY ALL") == first


@pytest.mark.parametrize(
    "row, expected",
    [
        ("M1;SO-PC;01-01-2020;;1,5;SSA", "Række 2, kolonne fte: '1,5' er uden for det tilladte"),
        ("M1;SO-PC;01-01-2020;;0;SSA", "Række 2, kolonne fte: '0' er uden for det tilladte"),
        ("M1;SO-PC;01-01-2020;;-0,5;SSA", "Række 2, kolonne fte: '-0,5' er uden for det tilladte"),
        ("M1;SO-PC;31-02-2024;;1;SSA", "Række 2, kolonne start_date: '31-02-2024' er ikke en gyldig dato"),
        ("M1;SO-PC;1/2/20;;1;SSA", "Række 2, kolonne start_date: '1/2/20' er ikke en dato"),
        ("M1;SO-PC;01-01-2020;01-01-2019;1;SSA", "Række 2, kolonne end_date: slutdatoen 01-01-2019 ligger før"),
        ("M1;SO-PC;01-01-2020;;1.000,5;SSA", "Række 2, kolonne fte: '1.000,5' er tvetydig"),
        ("M1;UKENDT;01-01-2020;;1;SSA", "Række 2, kolonne unit_id: 'UKENDT' er en ukendt enhed"),
        ("M1;SO-PC;;;1;SSA", "Række 2, kolonne start_date: feltet er tomt"),
        ("M1;SO-PC;01-01-2020;;1;", "Række 2, kolonne job_group: stillingsgruppen må ikke være tom"),
        ("M1;SO-PC;01-01-2020;;1;SSA\nM1;SO-PC;01-01-2020;;1;SSA", "Række 3: rækken står mere end én gang"),
        (
            "M1;SO-PC;01-01-2020;;1;SSA\nM1;SO-PC;01-06-2020;;1;SSA",
            "Række 3, kolonne start_date: ansættelsen overlapper",
        ),
        ("M1;SO-PC;01-01-2020;;1;SSA;ekstra", "Række 2: rækken har 7 felter"),
    ],
)
def test_bad_employee_rows_are_rejected_with_row_column_and_reason(org_store, row, expected):
    import_employees(org_store, (DATA / "ansaettelser.csv").read_bytes(), actor="test")
    error = rejected(org_store, (EMPLOYEE_HEADER + "M9;SO-PC;01-01-2020;;1;SSA\n" + row + "\n").encode())
    # The good first data row is row 2; shift the expectation by one for it.
    shifted = expected.replace("Række 3", "Række 4").replace("Række 2", "Række 3")
    assert shifted in error.summary(limit=20)


@pytest.mark.parametrize(
    "data, expected",
    [
        (b"", "Filen er tom"),
        (EMPLOYEE_HEADER.encode(), "kun en overskrift"),
        (
            b"employee_id;unit_id;start_date;fte;job_group\nM1;SO;01-01-2020;1;SSA\n",
            "kolonne end_date: den påkrævede kolonne mangler",
        ),
        (
            b"employee_id;unit_id;unit_id;start_date;end_date;fte;job_group\n",
            "kolonne unit_id: kolonnen står mere end én gang",
        ),
        ("employee_id;unit_id;start_date;end_date;fte;job_group\n".encode("utf-16"), "ukendt tegnkodning"),
        (bytes(range(256)) * 10, "binær"),
        (b"PK\x03\x04garbage", "Excel-filen kan ikke åbnes"),
    ],
)
def test_unreadable_files_are_rejected(org_store, data, expected):
    assert expected in rejected(org_store, data).summary()


def test_headers_are_matched_regardless_of_case_and_spaces(org_store):
    data = " Employee_ID ;UNIT_ID;Start Date;end_date;FTE;job_group\nM1;SO-PC;01-01-2020;;1;SSA\n"
    import_employees(org_store, data.encode(), actor="test")
    assert org_store.query_value("SELECT count(*) FROM employments") == 1


def test_xlsx_with_formula_or_several_sheets_is_rejected(org_store):
    book = Workbook()
    book.active.append(["employee_id", "unit_id", "start_date", "end_date", "fte", "job_group"])
    book.active.append(["M1", "SO-PC", "01-01-2020", None, "=1/2", "SSA"])
    buffer = BytesIO()
    book.save(buffer)
    assert "indeholder en formel" in rejected(org_store, buffer.getvalue()).summary()
    book.active["E2"] = 1
    book.create_sheet("Ark2").append(["noget"])
    buffer = BytesIO()
    book.save(buffer)
    assert "flere ark" in rejected(org_store, buffer.getvalue()).summary()


def test_file_above_the_size_limit_is_rejected(org_store, monkeypatch):
    monkeypatch.setattr("trivsel.config.MAX_IMPORT_BYTES", 1024)
    assert "større end" in rejected(org_store, EMPLOYEE_HEADER.encode() * 100).summary()


def test_import_is_audited(org_store):
    import_employees(org_store, (DATA / "ansaettelser.csv").read_bytes(), actor="admin")
    assert org_store.query_all("SELECT actor, action FROM audit_log WHERE action = 'import_employees'") == [
        ("admin", "import_employees")
    ]


def test_old_mac_line_endings_are_read(org_store):
    # Excel's "CSV (Macintosh)" ends lines with CR alone; the reader stopped with a traceback.
    lines = (DATA / "ansaettelser.csv").read_text(encoding="utf-8").splitlines()
    assert import_employees(org_store, "\r".join(lines).encode(), actor="test").rows == len(lines) - 1


# Free text as sloppy exports write it: quotes and separators, never quoted or escaped.
_TEXT = st.text(alphabet="ab \"';,", max_size=6)


@settings(max_examples=300, deadline=None)
@given(texts=st.lists(_TEXT, min_size=1, max_size=12), newline=st.sampled_from(["\n", "\r\n", "\r"]))
def test_every_data_line_is_a_checked_row_or_the_file_is_refused(texts, newline):
    """The reader never drops or merges lines: each data line is one row with its own id, or the file is refused."""
    lines = ["id;tekst"] + [f"R{i};{text}" for i, text in enumerate(texts)]
    try:
        df = read_table(newline.join(lines).encode(), ["id"])
    except ImportRejected as exc:
        assert all(p.row is None or 1 <= p.row <= len(lines) for p in exc.problems)
        return
    assert df["id"].tolist() == [f"R{i}" for i in range(len(texts))]
    assert df.index.tolist() == list(range(2, len(lines) + 1))


@pytest.mark.parametrize("dimension", [None, "A1:F2"], ids=["no dimension", "dimension too small"])
def test_xlsx_rows_are_read_whatever_the_sheet_claims_its_size_is(org_store, dimension):
    # openpyxl takes the <dimension> element on trust: without one the sheet looked empty, and with one
    # too small the rows beyond it were left out without a word.
    result = import_employees(org_store, hostile_xlsx.workbook(hostile_xlsx.employees(5), dimension), actor="test")
    assert result.rows == 5
