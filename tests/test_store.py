import subprocess
import sys
import threading

import duckdb
import pytest

from trivsel.store import StoreLockedError, open_store
from trivsel.store.migrations import MigrationError, apply_migrations, available_migrations

# Checksums of landed migrations. A landed migration must never change: add a new file instead.
LANDED = {
    1: "3811f0fc31b6749ef22f2025ae71199bb88c15ca7b5a732b7768de76a09356ed",
    2: "2dbe968d0782d5cba5da7a6388da469ad5ac338ee2b80c27225c6b99bc6b9cb9",
    3: "dddf583671d226faddc149daa3bfbb6e3f89c76caefb55768a8ee82db999f92f",
    4: "82a2fdf70c6ac8b396dda239b1a88eb75a874f36763eda563368e63b8c582ac2",
    5: "a0272e88a5f024dca139bae8f461ee71395fb90e877ed9104acc8db81b8f0724",
}


def test_landed_migrations_are_unchanged():
    found = {m.version: m.checksum for m in available_migrations()}
    for version, checksum in LANDED.items():
        assert found[version] == checksum, f"migration {version:04d} was edited after it landed"


def test_open_applies_every_migration_once(tmp_path):
    path = tmp_path / "a.duckdb"
    open_store(path).close()
    store = open_store(path)
    versions = [r[0] for r in store.query_all("SELECT version FROM schema_migrations ORDER BY version")]
    assert versions == [m.version for m in available_migrations()]
    assert apply_migrations(store) == []
    assert store.query_value("SELECT count(*) FROM units") == 0


def test_edited_migration_is_refused(tmp_path, store):
    edited = tmp_path / "migrations"
    edited.mkdir()
    for m in available_migrations():
        (edited / f"{m.version:04d}_{m.name}.sql").write_text(m.sql + "\n-- edited\n", encoding="utf-8")
    with pytest.raises(MigrationError, match="ændret efter den blev anvendt"):
        apply_migrations(store, edited)


def test_extension_autoinstall_is_off(store):
    assert store.query_value("SELECT current_setting('autoinstall_known_extensions')") is False


def test_second_process_gets_a_danish_lock_message(tmp_path):
    path = tmp_path / "locked.duckdb"
    holder = open_store(path)
    code = (
        "import sys; from trivsel.store import open_store, StoreLockedError\n"
        f"try: open_store({str(path)!r})\n"
        "except StoreLockedError as e: print(e); sys.exit(3)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, timeout=60)
    holder.close()
    assert result.returncode == 3
    assert "er i brug af et andet program" in result.stdout
    assert "Traceback" not in result.stderr


def test_lock_error_type_is_raised_in_process(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise duckdb.IOException('IO Error: Could not set lock on file "x": Conflicting lock is held')

    monkeypatch.setattr(duckdb, "connect", refuse)
    with pytest.raises(StoreLockedError):
        open_store(tmp_path / "x.duckdb")


def test_each_thread_gets_its_own_cursor(store):
    cursors = []
    threads = [threading.Thread(target=lambda: cursors.append(store.cursor())) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({id(c) for c in cursors}) == 3
    assert store.cursor() is store.cursor()


def test_failed_write_leaves_nothing(store):
    def work(cur):
        cur.execute("INSERT INTO units VALUES ('V', 'Velfærdsområdet', NULL, '')")
        raise RuntimeError("midway")

    with pytest.raises(RuntimeError):
        store.write(work)
    assert store.query_value("SELECT count(*) FROM units") == 0


def test_write_conflict_is_retried(store, monkeypatch):
    store.write(lambda cur: cur.execute("INSERT INTO units VALUES ('V', 'Velfærdsområdet', NULL, '')"))
    other = store._connection.cursor()
    # A concurrent writer holds an uncommitted change to the same row, and commits while we back off.
    other.execute("BEGIN TRANSACTION")
    other.execute("UPDATE units SET unit_name = 'B' WHERE unit_id = 'V'")
    monkeypatch.setattr("trivsel.store.database.time.sleep", lambda seconds: other.execute("COMMIT"))
    attempts = []

    def work(cur):
        attempts.append(1)
        cur.execute("UPDATE units SET unit_name = 'A' WHERE unit_id = 'V'")

    store.write(work)
    assert len(attempts) == 2
    assert store.query_value("SELECT unit_name FROM units") == "A"


def test_reads_in_a_snapshot_see_one_state_while_another_thread_writes(store):
    store.write(lambda cur: cur.execute("INSERT INTO units VALUES ('V', 'Velfærdsområdet', NULL, '')"))
    writer = threading.Thread(
        target=lambda: store.write(lambda cur: cur.execute("INSERT INTO units VALUES ('S', 'Socialområdet', 'V', '')"))
    )
    with store.snapshot():
        before = store.query_value("SELECT count(*) FROM units")
        writer.start()
        writer.join()
        assert store.query_value("SELECT count(*) FROM units") == before == 1
    assert store.query_value("SELECT count(*) FROM units") == 2
    with pytest.raises(duckdb.CatalogException), store.snapshot():  # a failed read leaves no transaction open
        store.query_value("SELECT count(*) FROM no_such_table")
    assert store.query_value("SELECT count(*) FROM units") == 2
    with store.snapshot(), pytest.raises(RuntimeError, match="inside a snapshot"):
        store.write(lambda cur: cur.execute("DELETE FROM units"))  # a snapshot is never committed
    assert store.query_value("SELECT count(*) FROM units") == 2
