"""The `trivsel` command as external scripts use it: real processes, exit codes, stderr."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DATA, DEMO_TODAY, snapshot
from trivsel import cli
from trivsel.store import open_store

TRIVSEL = [str(Path(sys.executable).parent / "trivsel")]


def trivsel(*args, stdin: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        TRIVSEL + list(args),
        check=False,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


def test_init_creates_the_database(tmp_path):
    db = tmp_path / "ny.duckdb"
    result = trivsel("init", "--db", str(db))
    assert result.returncode == 0 and "er klar" in result.stdout
    assert open_store(db).query_value("SELECT count(*) FROM schema_migrations") >= 1


def test_db_defaults_to_the_environment_variable(tmp_path):
    db = tmp_path / "env.duckdb"
    assert trivsel("init", env={"TRIVSEL_DB": str(db)}).returncode == 0
    assert db.exists()


def test_demo_prints_the_logins_and_refuses_a_second_load(tmp_path):
    db = str(tmp_path / "demo.duckdb")
    result = trivsel("demo", "--seed", "2", "--today", DEMO_TODAY.isoformat(), "--db", db)
    assert result.returncode == 0
    for login in ("admin", "konsulent", "raadgiver", "supervisor", "leder.solgaarden"):
        assert login in result.stdout
    again = trivsel("demo", "--db", db)
    assert again.returncode == 1 and again.stderr.startswith("Fejl: Databasen indeholder allerede data")
    assert trivsel("demo", "--if-empty", "--db", db).returncode == 0


def test_users_add_reads_the_password_from_stdin_and_list_shows_it(tmp_path):
    db = str(tmp_path / "u.duckdb")
    trivsel("import", "units", str(DATA / "enheder.csv"), "--db", db)
    added = trivsel(
        "users",
        "add",
        "mette",
        "--role",
        "leder",
        "--unit",
        "SO-PC",
        "--password-stdin",
        "--db",
        db,
        stdin="en-lang-adgangskode\n",
    )
    assert added.returncode == 0, added.stderr
    listed = trivsel("users", "list", "--db", db)
    assert "mette" in listed.stdout and "leder" in listed.stdout and "SO-PC" in listed.stdout
    refused = trivsel(
        "users", "add", "kim", "--role", "leder", "--password-stdin", "--db", db, stdin="en-lang-adgangskode\n"
    )
    assert refused.returncode == 1
    assert refused.stderr.strip().count("\n") == 0 and "leder skal knyttes til en enhed" in refused.stderr


def test_imports_and_a_bad_employees_file_leaves_the_database_unchanged(tmp_path):
    db = tmp_path / "i.duckdb"
    assert trivsel("import", "units", str(DATA / "enheder.csv"), "--db", str(db)).returncode == 0
    ok = trivsel("import", "employees", str(DATA / "ansaettelser_excel.csv"), "--db", str(db))
    assert ok.returncode == 0 and "4 ansættelser" in ok.stdout
    store = open_store(db)
    before = snapshot(store)
    store.close()

    bad = tmp_path / "bad.csv"
    bad.write_text(
        "employee_id;unit_id;start_date;end_date;fte;job_group\n"
        "M001;SO-PC-A;01-03-2015;;0,9;SSA\nM005;SO-PC;30-02-2024;;1,2;SSA\n",
        encoding="utf-8",
    )
    result = trivsel("import", "employees", str(bad), "--db", str(db))
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0
    assert "Række 3, kolonne start_date: '30-02-2024' er ikke en gyldig dato" in result.stderr
    assert "Række 3, kolonne fte: '1,2'" in result.stderr
    store = open_store(db)
    assert snapshot(store) == before
    store.close()


def test_missing_file_gives_a_danish_one_line_error(tmp_path):
    missing = tmp_path / "findes-ikke.csv"
    result = trivsel("import", "employees", str(missing), "--db", str(tmp_path / "x.duckdb"))
    assert result.returncode == 1
    assert one_danish_error(result) == f"Fejl: Filen {missing} kan ikke læses: den findes ikke."


def one_danish_error(result: subprocess.CompletedProcess) -> str:
    """The single `Fejl:` line a failing command must print, with no traceback and no English from argparse."""
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Fejl: "), result.stderr
    for english in (
        "usage",
        "expected",
        "required",
        "invalid",
        "unrecognized",
        "choose from",
        "could match",
        "ignored",
        "integer",
    ):
        assert english not in lines[0], lines[0]
    return lines[0]


@pytest.mark.parametrize(
    "args, expected",
    [
        ([], "Fejl: ugyldig kommando: mangler KOMMANDO. Se 'trivsel --help'."),
        (["import", "absences", "fravaer.csv"], "'absences' er ikke et gyldigt valg for KOMMANDO (vælg mellem"),
        (["import", "units"], "Fejl: ugyldig kommando: mangler FIL. Se 'trivsel import units --help'."),
        (["demo", "--bogus"], "ukendt tilvalg eller argument: --bogus"),
        (["demo", "--seed"], "--seed mangler en værdi"),
        (["demo", "--seed", "x"], "--seed: 'x' er ikke et helt tal"),
        (["demo", "--seed", "-5"], "--seed: '-5' er ikke et helt tal på 0 eller derover"),
        (["demo", "--today", "31-02-2024"], "--today: '31-02-2024' er ikke en gyldig dato"),
        (["users", "add", "kim", "--role", "chef", "--password-stdin"], "'chef' er ikke et gyldigt valg for --role"),
        (["users", "add", "kim", "--password-stdin"], "mangler --role"),
        (["export", "unit-summary", "--f", "2024-01-01"], "--f er tvetydigt"),
        (["retention", "run", "--dry-run=ja"], "--dry-run tager ingen værdi"),
        (
            [
                "export",
                "unit-summary",
                "--from",
                "2024-01-01",
                "--to",
                "2024-12-31",
                "--min-persons",
                "fem",
                "--format",
                "csv",
                "-o",
                "x.csv",
            ],
            "--min-persons: 'fem' er ikke et helt tal",
        ),
    ],
)
def test_usage_errors_are_one_danish_line(args, expected):
    result = trivsel(*args)
    assert result.returncode == 2
    assert expected in one_danish_error(result)


def test_a_db_that_is_not_a_duckdb_file_is_refused_in_danish(tmp_path):
    text = tmp_path / "noter.duckdb"
    text.write_text("ikke en database", encoding="utf-8")
    line = one_danish_error(trivsel("init", "--db", str(text)))
    assert f"Filen {text} er ikke en DuckDB-database" in line
    assert text.read_text(encoding="utf-8") == "ikke en database"


@pytest.mark.parametrize(
    "command", [["init"], ["users", "list"], ["demo"], ["import", "units", str(DATA / "enheder.csv")]]
)
def test_a_db_that_is_a_folder_is_refused_in_danish(tmp_path, command):
    assert f"--db {tmp_path} er en mappe, ikke en databasefil" in one_danish_error(
        trivsel(*command, "--db", str(tmp_path))
    )


@pytest.mark.parametrize("command", [["init"], ["restore", str(DATA)]])
def test_a_db_below_a_file_is_refused_in_danish(tmp_path, command):
    (tmp_path / "fil").write_text("x", encoding="utf-8")
    db = tmp_path / "fil" / "ny.duckdb"
    line = one_danish_error(trivsel(*command, "--db", str(db)))
    assert line == f"Fejl: Databasefilen {db} kan ikke oprettes: en del af stien er en fil, ikke en mappe."


@pytest.mark.parametrize("today", ["1900-01-01", "2024-06-01", "9999-12-31"])
def test_demo_refuses_a_today_it_cannot_build_from(tmp_path, today):
    db = tmp_path / "demo.duckdb"
    line = one_danish_error(trivsel("demo", "--today", today, "--db", str(db)))
    assert "--today: demoen kan kun bygges til en dato fra 01-05-2025 til 31-12-2099" in line
    assert not db.exists()


def test_an_import_file_that_is_a_folder_is_refused_in_danish(tmp_path):
    line = one_danish_error(trivsel("import", "units", str(tmp_path), "--db", str(tmp_path / "x.duckdb")))
    assert f"Filen {tmp_path} kan ikke læses: den er en mappe." in line


def test_an_unexpected_error_is_still_one_danish_line(tmp_path, monkeypatch, capsys):
    def broken(store, args):
        raise RuntimeError("noget gik galt\nover to linjer")

    monkeypatch.setattr(cli, "_users_list", broken)
    assert cli.main(["users", "list", "--db", str(tmp_path / "x.duckdb")]) == 1
    assert capsys.readouterr().err == (
        "Fejl: kommandoen stoppede med en uventet fejl (RuntimeError: noget gik galt over to linjer).\n"
    )


def test_locked_database_gives_a_clear_message(tmp_path):
    db = tmp_path / "l.duckdb"
    holder = open_store(db)
    try:
        result = trivsel("import", "units", str(DATA / "enheder.csv"), "--db", str(db))
    finally:
        holder.close()
    assert result.returncode == 1
    assert "er i brug af et andet program" in result.stderr and "Traceback" not in result.stderr


def test_import_absence_and_a_bad_absence_file_leaves_the_database_unchanged(tmp_path):
    db = str(tmp_path / "a.duckdb")
    trivsel("import", "units", str(DATA / "enheder.csv"), "--db", db)
    trivsel("import", "employees", str(DATA / "ansaettelser_excel.csv"), "--db", db)
    ok = trivsel("import", "absence", str(DATA / "fravaer.csv"), "--db", db)
    assert ok.returncode == 0 and "5 fraværsperioder for 3 medarbejdere" in ok.stdout
    store = open_store(db)
    before = snapshot(store)
    store.close()

    bad = tmp_path / "bad.csv"
    bad.write_text(
        "employee_id;start_date;end_date;absence_type\nM001;01-05-2024;03-05-2024;sygdom\nM404;01-05-2024;;sygdom\n",
        encoding="utf-8",
    )
    result = trivsel("import", "absence", str(bad), "--db", db)
    assert result.returncode == 1
    assert result.stderr.startswith("Fejl: Filen er afvist") and result.stderr.strip().count("\n") == 0
    assert "Række 3, kolonne employee_id: 'M404' er en ukendt medarbejder" in result.stderr
    store = open_store(db)
    assert snapshot(store) == before
    store.close()


def test_help_answers_without_loading_the_heavy_libraries():
    """`trivsel --help` took 2 s: every command's imports and a password hash ran before argparse did."""
    code = (
        "import sys; from trivsel import cli\n"
        "try:\n    cli.main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('pandas', 'duckdb', 'pandera', 'argon2', 'openpyxl') if m in sys.modules]\n"
        "print('heavy:' + ','.join(heavy))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert result.stdout.strip().splitlines()[-1] == "heavy:", result.stdout


def test_the_sample_files_import_into_a_new_database_in_the_documented_order(tmp_path):
    db = str(tmp_path / "eksempel.duckdb")
    steps = [
        ("units", "enheder.csv"),
        ("employees", "ansaettelser.csv"),
        ("employees", "ansaettelser_excel.csv"),
        ("absence", "fravaer.csv"),
        ("placements", "praktik.csv"),
    ]
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    assert [line.split()[2:4] for line in readme.splitlines() if line.startswith("trivsel import")] == [
        [kind, f"data/samples/{name}"] for kind, name in steps
    ]
    assert trivsel("init", "--db", db).returncode == 0
    for kind, name in steps:
        result = trivsel("import", kind, str(DATA / name), "--db", db)
        assert result.returncode == 0, result.stderr


def test_surveys_translations_export_and_import_round_trip_through_a_spreadsheet(tmp_path):
    from openpyxl import load_workbook

    surveys = tmp_path / "surveys"
    shutil.copytree(Path(__file__).parents[1] / "surveys", surveys)
    env = {"TRIVSEL_SURVEYS": str(surveys)}
    sheet = tmp_path / "exit.xlsx"
    exported = trivsel("surveys", "translations", "export", "--survey", "exit", "-o", str(sheet), env=env)
    assert exported.returncode == 0 and f"er skrevet til {sheet}" in exported.stdout
    book = load_workbook(sheet)
    rows = list(book.active.iter_rows())
    rows[1][4].value = "udkast"  # translations.status, Polsk (pl)
    for row in rows[3:]:
        row[4].value = f"PL {row[1].value}"
    rows[5][4].value = None  # one text left untranslated
    book.save(sheet)
    refused = trivsel("surveys", "translations", "import", "--survey", "exit", str(sheet), env=env)
    assert refused.returncode == 1
    assert refused.stderr.startswith("Fejl: Filen er afvist, og intet er gemt. 1 fejl: Række 6, kolonne Polsk (pl)")
    assert "pl:" not in (surveys / "exit.yaml").read_text(encoding="utf-8")
    rows[5][4].value = "PL tekst"
    book.save(sheet)
    imported = trivsel("surveys", "translations", "import", "--survey", "exit", str(sheet), env=env)
    assert imported.returncode == 0 and "Oversættelserne er indlæst (engelsk, polsk)" in imported.stdout
    assert trivsel("surveys", "check", str(surveys)).returncode == 0
    unknown = trivsel("surveys", "translations", "export", "--survey", "opfundet", "-o", str(sheet), env=env)
    assert unknown.returncode == 1 and unknown.stderr.startswith("Fejl: Spørgeskemaet 'opfundet' findes ikke")
