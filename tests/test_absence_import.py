from datetime import date, timedelta
from io import BytesIO

import pytest
from openpyxl import Workbook

from conftest import DATA, snapshot
from trivsel.imports import ImportRejected
from trivsel.imports.absence import import_absence
from trivsel.imports.employees import import_employees
from trivsel.imports.units import import_units

TODAY = date(2024, 12, 31)
HEADER = "employee_id;start_date;end_date;absence_type;degree\n"


@pytest.fixture
def org_store(store):
    """Units and the employees M001-M003 of the Danish Excel sample."""
    import_units(store, (DATA / "enheder.csv").read_bytes(), actor="test")
    import_employees(store, (DATA / "ansaettelser_excel.csv").read_bytes(), actor="test")
    return store


def load(store, body: str, header: str = HEADER):
    return import_absence(store, (header + body).encode(), actor="test", today=TODAY)


def spells(store) -> list[tuple]:
    return store.query_all("SELECT * FROM absence_spells ORDER BY employee_id, start_date")


def rejected(store, data: bytes) -> ImportRejected:
    before = snapshot(store)
    with pytest.raises(ImportRejected) as info:
        import_absence(store, data, actor="test", today=TODAY)
    assert snapshot(store) == before, "a rejected file must change nothing"
    return info.value


def test_danish_excel_sample_in_cp1252_is_imported(org_store):
    result = import_absence(org_store, (DATA / "fravaer.csv").read_bytes(), actor="test", today=TODAY)
    assert result.rows == 5 and "5 fraværsperioder for 3 medarbejdere" in result.message
    assert spells(org_store) == [
        ("M001", date(2024, 1, 8), date(2024, 1, 12), "sygdom", 1.0),
        ("M001", date(2024, 3, 4), date(2024, 4, 5), "sygdom", 0.5),
        ("M002", date(2023, 12, 27), date(2024, 1, 5), "sygdom", 1.0),
        ("M002", date(2024, 2, 15), date(2024, 2, 15), "barns_sygdom", 1.0),
        ("M003", date(2024, 9, 2), date(2024, 9, 20), "arbejdsskade", 1.0),
    ]


def test_degree_column_is_optional_and_defaults_to_one(org_store):
    load(
        org_store,
        "M001,2024-05-01,2024-05-03,Sygdom\nM003,2024-06-01,,barns_sygdom\n",
        header="employee_id,start_date,end_date,absence_type\n",
    )
    assert spells(org_store) == [
        ("M001", date(2024, 5, 1), date(2024, 5, 3), "sygdom", 1.0),
        ("M003", date(2024, 6, 1), None, "barns_sygdom", 1.0),
    ]


def test_xlsx_is_imported(org_store):
    book = Workbook()
    book.active.append(["employee_id", "start_date", "end_date", "absence_type", "degree"])
    book.active.append(["M003", date(2024, 2, 5), date(2024, 2, 29), "sygdom", 0.5])
    buffer = BytesIO()
    book.save(buffer)
    import_absence(org_store, buffer.getvalue(), actor="test", today=TODAY)
    assert spells(org_store) == [("M003", date(2024, 2, 5), date(2024, 2, 29), "sygdom", 0.5)]


def test_reimporting_the_same_file_changes_nothing(org_store):
    data = (DATA / "fravaer.csv").read_bytes()
    import_absence(org_store, data, actor="test", today=TODAY)
    first = spells(org_store)
    again = import_absence(org_store, data, actor="test", today=TODAY)
    assert spells(org_store) == first
    assert "5 tidligere gemte perioder erstattet" in again.message


def test_a_newer_file_replaces_its_period_for_the_employees_it_lists(org_store):
    load(
        org_store,
        "M001;10-01-2024;12-01-2024;sygdom;\n"
        "M001;05-02-2024;09-02-2024;sygdom;\n"
        "M001;20-03-2024;;sygdom;\n"
        "M002;06-02-2024;07-02-2024;sygdom;\n",
    )
    # The newer export covers 01-02-2024 to 31-03-2024 and knows that M001 was back on 25-03-2024.
    result = load(
        org_store,
        "M001;01-02-2024;02-02-2024;barns_sygdom;\n"
        "M001;20-03-2024;25-03-2024;sygdom;0,5\n"
        "M003;31-03-2024;31-03-2024;sygdom;\n",
    )
    assert "2 tidligere gemte perioder erstattet" in result.message
    assert spells(org_store) == [
        ("M001", date(2024, 1, 10), date(2024, 1, 12), "sygdom", 1.0),  # before the window: kept
        ("M001", date(2024, 2, 1), date(2024, 2, 2), "barns_sygdom", 1.0),
        ("M001", date(2024, 3, 20), date(2024, 3, 25), "sygdom", 0.5),
        ("M002", date(2024, 2, 6), date(2024, 2, 7), "sygdom", 1.0),  # not in the file: kept
        ("M003", date(2024, 3, 31), date(2024, 3, 31), "sygdom", 1.0),
    ]


def test_an_ongoing_spell_in_the_file_extends_the_window_to_today(org_store):
    load(org_store, "M001;01-12-2024;;sygdom;\n")
    load(org_store, "M001;15-11-2024;;sygdom;\n")
    assert spells(org_store) == [("M001", date(2024, 11, 15), None, "sygdom", 1.0)]


def test_a_row_overlapping_a_stored_spell_outside_the_window_is_refused(org_store):
    load(org_store, "M001;10-01-2024;;sygdom;\n")
    error = rejected(org_store, (HEADER + "M001;01-02-2024;05-02-2024;sygdom;\n").encode())
    assert (
        "Række 2, kolonne start_date: fraværsperioden overlapper en gemt fraværsperiode for M001 "
        "(10-01-2024 – løbende), som ligger uden for filens periode 01-02-2024 – 05-02-2024"
    ) in error.summary()


@pytest.mark.parametrize(
    "row, expected",
    [
        ("M001;31-02-2024;;sygdom;", "Række 3, kolonne start_date: '31-02-2024' er ikke en gyldig dato"),
        ("M001;01-03-2024;1/4/24;sygdom;", "Række 3, kolonne end_date: '1/4/24' er ikke en dato"),
        ("M001;;;sygdom;", "Række 3, kolonne start_date: feltet er tomt"),
        ("M001;01-03-2024;;sygdom;halv", "Række 3, kolonne degree: 'halv' er ikke et tal"),
        ("M001;01-03-2024;;sygdom;0,5.0", "Række 3, kolonne degree: '0,5.0' er tvetydig"),
        ("M001;01-03-2024;;sygdom;0", "Række 3, kolonne degree: '0' er uden for det tilladte"),
        ("M001;01-03-2024;;sygdom;1,5", "Række 3, kolonne degree: '1,5' er uden for det tilladte"),
        ("M001;01-03-2024;;sygdom;-0,5", "Række 3, kolonne degree: '-0,5' er uden for det tilladte"),
        ("M001;10-03-2024;09-03-2024;sygdom;", "Række 3, kolonne end_date: slutdatoen 09-03-2024 ligger før"),
        ("M999;01-03-2024;;sygdom;", "Række 3, kolonne employee_id: 'M999' er en ukendt medarbejder"),
        (";01-03-2024;;sygdom;", "Række 3, kolonne employee_id: medarbejder-id må ikke være tomt"),
        ("M001;01-03-2024;;ferie;", "Række 3, kolonne absence_type: 'ferie' er en ukendt fraværstype"),
        (
            "M001;01-01-2025;;sygdom;",
            "Række 3, kolonne start_date: datoen 01-01-2025 ligger efter dags dato (31-12-2024)",
        ),
        ("M001;20-12-2024;02-01-2025;sygdom;", "Række 3, kolonne end_date: datoen 02-01-2025 ligger efter dags dato"),
        ("M001;05-01-2024;08-01-2024;sygdom;", "Række 3: rækken står mere end én gang"),
        (
            "M001;06-01-2024;08-01-2024;sygdom;",
            "Række 3, kolonne start_date: fraværsperioden overlapper en anden fraværsperiode for M001 (række 2)",
        ),
        (
            "M001;01-03-2024;;sygdom;\nM001;01-06-2024;03-06-2024;sygdom;",
            "Række 4, kolonne start_date: fraværsperioden overlapper en anden fraværsperiode for M001 (række 3)",
        ),
    ],
)
def test_bad_rows_are_rejected_with_row_column_and_reason(org_store, row, expected):
    load(org_store, "M002;01-10-2024;03-10-2024;sygdom;\n")
    error = rejected(org_store, (HEADER + "M001;05-01-2024;06-01-2024;sygdom;\n" + row + "\n").encode())
    assert expected in error.summary(limit=20)


def test_a_long_spell_is_seen_behind_several_short_ones(org_store):
    body = (
        "M001;01-03-2024;30-03-2024;sygdom;\nM001;02-03-2024;03-03-2024;sygdom;\nM001;10-03-2024;11-03-2024;sygdom;\n"
    )
    assert [p.row for p in rejected(org_store, (HEADER + body).encode()).problems] == [3, 4]


@pytest.mark.parametrize(
    "data, expected",
    [
        (b"", "Filen er tom"),
        (HEADER.encode(), "kun en overskrift"),
        (
            b"employee_id;start_date;absence_type\nM001;01-03-2024;sygdom\n",
            "kolonne end_date: den påkrævede kolonne mangler",
        ),
    ],
)
def test_empty_files_and_missing_columns_are_rejected(org_store, data, expected):
    assert expected in rejected(org_store, data).summary()


def test_import_is_audited(org_store):
    import_absence(org_store, (DATA / "fravaer.csv").read_bytes(), actor="raadgiver", today=TODAY)
    assert org_store.query_all("SELECT actor, action FROM audit_log WHERE action = 'import_absence'") == [
        ("raadgiver", "import_absence")
    ]


def payroll_export(rows: int, text: str = "Egen sygdom") -> list[str]:
    """Lines of an absence file as payroll exports it: a free-text column the importer ignores, and a trailing `;`."""
    lines = ["employee_id;start_date;end_date;absence_type;degree;Fraværstekst;"]
    for i in range(rows):
        first = date(2024, 1, 1) + timedelta(days=7 * (i // 3))
        lines.append(f"M00{i % 3 + 1};{first:%d-%m-%Y};{first + timedelta(days=2):%d-%m-%Y};sygdom;;{text};")
    return lines


@pytest.mark.parametrize("rows", [20, 20_000])
def test_a_stray_quote_in_the_ignored_text_column_refuses_the_file_at_its_line(org_store, rows):
    # A field that begins with `"` runs on until the next `"`: the rows after it became part of one
    # text field and were silently left out (20 rows), or a large file crashed the reader.
    lines = payroll_export(rows)
    lines[10] = lines[10].replace("Egen sygdom", '"Ryg og nakke')
    error = rejected(org_store, "\r\n".join(lines).encode("cp1252"))
    assert "Række 11" in error.summary() and 'anførselstegn (")' in error.summary()


def test_the_same_file_without_the_quote_imports_every_row(org_store):
    result = import_absence(org_store, "\r\n".join(payroll_export(20)).encode("cp1252"), actor="test", today=TODAY)
    assert result.rows == 20 and len(spells(org_store)) == 20


@pytest.mark.parametrize("length", [10_001, 200_000])
def test_a_very_long_field_is_refused_at_its_line(org_store, length):
    lines = payroll_export(5)
    lines[2] = lines[2].replace("Egen sygdom", "x" * length)
    error = rejected(org_store, "\n".join(lines).encode())
    assert "Række 3" in error.summary() and "mere end 10.000 tegn" in error.summary()
