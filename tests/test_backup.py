"""Backup and restore: a round trip brings back every table, row for row, and a restore runs nothing
from the backup and refuses whatever does not fit the project's own schema."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from trivsel.backup import MANIFEST, BackupError, backup, restore, table_counts
from trivsel.store import open_store
from trivsel.store.migrations import available_migrations

TRIVSEL = str(Path(sys.executable).parent / "trivsel")


def test_round_trip_restores_every_table_exactly(demo_store, tmp_path):
    target = tmp_path / "gendannet.duckdb"
    counts = backup(demo_store, tmp_path / "kopi", actor="admin")
    assert counts["survey_answers"] > 0 and counts["absence_spells"] > 0
    restore(tmp_path / "kopi", target)
    restored = open_store(target)
    try:
        assert table_counts(restored) == counts
        for table in counts:
            query = f'SELECT * FROM "{table}" ORDER BY ALL'
            assert restored.query_all(query) == demo_store.query_all(query), table
        # The audit sequence continues instead of reusing ids.
        restored.write(lambda cur: cur.execute("INSERT INTO audit_log (actor, action) VALUES ('x', 'efter')"))
        assert restored.query_value("SELECT count(DISTINCT id) = count(*) FROM audit_log")
    finally:
        restored.close()


def test_backup_refuses_a_used_directory_and_restore_an_existing_database(demo_store, tmp_path):
    (tmp_path / "fuld").mkdir()
    (tmp_path / "fuld" / "noget.txt").write_text("x")
    with pytest.raises(BackupError, match="ikke tom"):
        backup(demo_store, tmp_path / "fuld", actor="admin")
    backup(demo_store, tmp_path / "kopi", actor="admin")
    with pytest.raises(BackupError, match="findes allerede"):
        restore(tmp_path / "kopi", demo_store.path)
    with pytest.raises(BackupError, match="ikke en sikkerhedskopi"):
        restore(tmp_path / "fuld", tmp_path / "ny.duckdb")


def test_cli_backup_and_restore_round_trip(demo_db, tmp_path):
    made = subprocess.run(
        [TRIVSEL, "backup", "-o", str(tmp_path / "kopi"), "--db", str(demo_db)],
        check=False,
        capture_output=True,
        text=True,
    )
    assert made.returncode == 0, made.stderr
    back = subprocess.run(
        [TRIVSEL, "restore", str(tmp_path / "kopi"), "--db", str(tmp_path / "ny.duckdb")],
        check=False,
        capture_output=True,
        text=True,
    )
    assert back.returncode == 0 and "gendannet" in back.stdout
    again = subprocess.run(
        [TRIVSEL, "restore", str(tmp_path / "kopi"), "--db", str(tmp_path / "ny.duckdb")],
        check=False,
        capture_output=True,
        text=True,
    )
    assert again.returncode == 1 and again.stderr.startswith("Fejl: Databasen") and "findes allerede" in again.stderr


def test_a_cli_write_while_the_app_holds_the_database_names_the_in_app_way(demo_db, tmp_path):
    holder = open_store(demo_db)  # the running app
    try:
        result = subprocess.run(
            [TRIVSEL, "backup", "-o", str(tmp_path / "k"), "--db", str(demo_db)],
            check=False,
            capture_output=True,
            text=True,
        )
    finally:
        holder.close()
    assert result.returncode == 1 and "Indstillinger til sikkerhedskopi" in result.stderr
    assert "Import-siden" in result.stderr and "Traceback" not in result.stderr


@pytest.fixture(scope="module")
def demo_backup(demo_db_template, tmp_path_factory) -> Path:
    """A real backup of the demo municipality, taken once; tests tamper with copies of it."""
    work = tmp_path_factory.mktemp("kopi")
    shutil.copy(demo_db_template, work / "demo.duckdb")
    store = open_store(work / "demo.duckdb")
    try:
        backup(store, work / "kopi", actor="admin")
    finally:
        store.close()
    return work / "kopi"


@pytest.fixture
def copy_of_backup(demo_backup, tmp_path) -> Path:
    return Path(shutil.copytree(demo_backup, tmp_path / "kopi"))


def test_restore_runs_no_sql_from_the_backup(copy_of_backup, tmp_path):
    """Backups from before this version carry EXPORT DATABASE's schema.sql and load.sql: they are never run."""
    pwned, secret = tmp_path / "pwned.txt", tmp_path / "hemmelig.txt"
    secret.write_text("kodeord")
    schema = copy_of_backup / "schema.sql"
    schema.write_text(
        f"COPY (SELECT 'x' AS x) TO '{pwned}';\n"
        f"CREATE TABLE stolen AS SELECT * FROM read_text('{secret}');\n"
        + (schema.read_text() if schema.exists() else "")
    )
    found = restore(copy_of_backup, tmp_path / "ny.duckdb")
    assert not pwned.exists()
    assert "stolen" not in found and found == _manifest(copy_of_backup)["tables"]


def _manifest(directory: Path) -> dict:
    return json.loads((directory / MANIFEST).read_text(encoding="utf-8"))


def _set_manifest(directory: Path, change) -> None:
    manifest = _manifest(directory)
    change(manifest["tables"])
    (directory / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")


def _rewrite(directory: Path, table: str, change) -> None:
    path = directory / f"{table}.parquet"
    pq.write_table(change(pq.read_table(path)), path)


def _extra_table(d: Path) -> None:
    shutil.copy(d / "units.parquet", d / "stjaalet.parquet")
    _set_manifest(d, lambda t: t.update(stjaalet=t["units"]))


def _wrong_type(d: Path) -> None:
    _rewrite(
        d,
        "survey_responses",
        lambda t: t.set_column(
            t.schema.get_field_index("survey_version"), "survey_version", t.column("survey_version").cast(pa.string())
        ),
    )


def _extra_column(d: Path) -> None:
    _rewrite(d, "survey_responses", lambda t: t.append_column("modtaget", pa.array(range(t.num_rows))))


def _duplicate_answer(d: Path) -> None:
    _rewrite(d, "survey_responses", lambda t: pa.concat_tables([t, t.slice(0, 1)]))
    _set_manifest(d, lambda t: t.update(survey_responses=t["survey_responses"] + 1))


def _symlinked_system_file(d: Path) -> None:
    (d / "units.parquet").unlink()
    (d / "units.parquet").symlink_to("/etc/passwd")


def _changed_migration(d: Path) -> None:
    _rewrite(
        d,
        "schema_migrations",
        lambda t: t.set_column(t.schema.get_field_index("checksum"), "checksum", pa.array(["0" * 64] * t.num_rows)),
    )


@pytest.mark.parametrize(
    "tamper, message",
    [
        (_extra_table, "ukendte tabeller: stjaalet"),
        (lambda d: shutil.copy(d / "units.parquet", d / "ekstra.parquet"), "filer, som ikke hører til: ekstra.parquet"),
        (_wrong_type, "survey_responses.survey_version har typen VARCHAR, men skal være INTEGER"),
        (_extra_column, "ukendte kolonner i survey_responses: modtaget"),
        (
            lambda d: (_set_manifest(d, lambda t: t.pop("audit_log")), (d / "audit_log.parquet").unlink()),
            "mangler tabeller: audit_log",
        ),
        (lambda d: (d / "audit_log.parquet").unlink(), "mangler filen audit_log.parquet"),
        (lambda d: _set_manifest(d, lambda t: t.update(units=t["units"] + 1)), "units.parquet har"),
        (_duplicate_answer, "survey_responses bryder databasens regler"),
        (lambda d: (d / "units.parquet").write_bytes(b"PAR1 ikke parquet"), "units.parquet kan ikke læses"),
        (_symlinked_system_file, "units.parquet er ikke en almindelig fil"),
        (_changed_migration, "anden version af trivsel"),
        (lambda d: (d / MANIFEST).write_text("{ikke json", encoding="utf-8"), "trivsel-backup.json er ødelagt"),
        (lambda d: (d / MANIFEST).write_text('{"tables": [1, 2]}', encoding="utf-8"), "trivsel-backup.json er ødelagt"),
        (
            lambda d: (d / MANIFEST).write_text('{"tables": {"units": -1}}', encoding="utf-8"),
            "trivsel-backup.json er ødelagt",
        ),
        (lambda d: _set_manifest(d, lambda t: t.update({"../units": 1})), "trivsel-backup.json er ødelagt"),
    ],
)
def test_restore_refuses_a_tampered_backup_and_leaves_no_file(copy_of_backup, tmp_path, tamper, message):
    tamper(copy_of_backup)
    target = tmp_path / "ny.duckdb"
    with pytest.raises(BackupError, match=re.escape(message)):
        restore(copy_of_backup, target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kopi"]  # no database file, no log file


def test_cli_restore_of_a_broken_backup_says_why_in_danish(copy_of_backup, tmp_path):
    (copy_of_backup / MANIFEST).write_text("{ikke json", encoding="utf-8")
    result = subprocess.run(
        [TRIVSEL, "restore", str(copy_of_backup), "--db", str(tmp_path / "ny.duckdb")],
        check=False,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1 and result.stderr.startswith("Fejl: Filen trivsel-backup.json")
    assert "Traceback" not in result.stderr and not (tmp_path / "ny.duckdb").exists()


def test_a_backup_from_an_older_version_is_restored_and_then_migrated(tmp_path):
    older = open_store(tmp_path / "gammel.duckdb", migrate_upto=5)  # before action notes (0006)
    try:
        older.write(lambda cur: cur.execute("INSERT INTO units VALUES ('V', 'Velfærdsområdet', NULL, '')"))
        counts = backup(older, tmp_path / "kopi", actor="admin")
    finally:
        older.close()
    assert "action_notes" not in counts
    found = restore(tmp_path / "kopi", tmp_path / "ny.duckdb")
    assert found["units"] == 1 and found["action_notes"] == 0
    restored = open_store(tmp_path / "ny.duckdb")  # the schema is complete: nothing left to migrate
    try:
        assert [v for (v,) in restored.query_all("SELECT version FROM schema_migrations ORDER BY version")] == [
            m.version for m in available_migrations()
        ]
    finally:
        restored.close()
