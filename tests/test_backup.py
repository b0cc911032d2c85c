"""Backup and restore: a round trip brings back every table, row for row."""

import pytest

from trivsel.store import open_store
from trivsel.store.backup import BackupError, backup, restore, table_counts


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
