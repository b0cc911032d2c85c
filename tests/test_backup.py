"""Backup and restore: a round trip brings back every table, row for row."""

import pytest

from trivsel.backup import BackupError, backup, restore, table_counts
from trivsel.store import open_store


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
    import subprocess
    import sys
    from pathlib import Path

    trivsel = str(Path(sys.executable).parent / "trivsel")
    made = subprocess.run([trivsel, "backup", "-o", str(tmp_path / "kopi"), "--db", str(demo_db)],
                          check=False, capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    back = subprocess.run([trivsel, "restore", str(tmp_path / "kopi"), "--db", str(tmp_path / "ny.duckdb")],
                          check=False, capture_output=True, text=True)
    assert back.returncode == 0 and "gendannet" in back.stdout
    again = subprocess.run([trivsel, "restore", str(tmp_path / "kopi"), "--db", str(tmp_path / "ny.duckdb")],
                           check=False, capture_output=True, text=True)
    assert again.returncode == 1 and again.stderr.startswith("Fejl: Databasen") and "findes allerede" in again.stderr


def test_a_cli_write_while_the_app_holds_the_database_names_the_in_app_way(demo_db, tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    holder = open_store(demo_db)  # the running app
    try:
        result = subprocess.run([str(Path(sys.executable).parent / "trivsel"), "backup", "-o", str(tmp_path / "k"),
                                 "--db", str(demo_db)], check=False, capture_output=True, text=True)
    finally:
        holder.close()
    assert result.returncode == 1 and "Indstillinger til sikkerhedskopi" in result.stderr
    assert "Import-siden" in result.stderr and "Traceback" not in result.stderr
