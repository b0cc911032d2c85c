"""Backup and restore: a consistent snapshot of every table as Parquet files, and a restore that runs
nothing from the backup.

A backup writes one Parquet file per table from one transaction, so the snapshot is consistent even
while the app keeps writing through the same process. A second process cannot open the file while the
app runs; then the app's own backup button (Indstillinger) takes the snapshot instead. Answers, codes
and drafts are written sorted by their random keys, never in the order they arrived (see _ORDER_BY).

A restore builds the schema from the project's own migrations, at the backup's version, reads only the
known tables and columns from the Parquet files, with their types checked, and then applies the newer
migrations. SQL in the backup (EXPORT DATABASE's schema.sql and load.sql in older backups) is never read.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

import duckdb

from trivsel import audit
from trivsel.store import Store, open_store
from trivsel.store.migrations import apply_migrations, available_migrations

MANIFEST = "trivsel-backup.json"
# What EXPORT DATABASE wrote next to the Parquet files in backups taken before; never read.
_OLD_SCRIPTS = {"schema.sql", "load.sql"}
# The rows of these tables are stored in the order they arrived; a backup writes them by their random keys
# (response_id is a random uuid, a code_hash a SHA-256), so it cannot line a new answer up with a used code.
_ORDER_BY = {
    "survey_responses": " ORDER BY response_id",
    "survey_answers": " ORDER BY response_id, item_id",
    "round_codes": " ORDER BY code_hash",
    "code_drafts": " ORDER BY code_hash",
}
# DuckDB cannot set a sequence, only step it (about 30 million steps a second); a larger gap is not ours.
_MAX_SEQUENCE_STEP = 100_000_000
_TABLE_NAME = re.compile(r"[a-z_][a-z0-9_]*")  # also keeps every file name inside the backup's folder
_SEQUENCE_DEFAULT = re.compile(r"nextval\('([a-z_]+)'\)")
_BROKEN = "Intet er gendannet."


class BackupError(RuntimeError):
    pass


def _tables(store: Store) -> list[str]:
    return [
        r[0]
        for r in store.query_all(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY table_name"
        )
    ]


def table_counts(store: Store) -> dict[str, int]:
    return {t: int(store.query_value("SELECT count(*) FROM " + _identifier(t))) for t in _tables(store)}


def _identifier(name: str) -> str:
    """A table or column name from the database's own catalogue (identifiers cannot be bound parameters), quoted."""
    return '"' + name.replace('"', '""') + '"'


def backup(store: Store, directory: Path, actor: str) -> dict[str, int]:
    """Write the snapshot into an empty or new directory; return the row count of every table."""
    directory = _plain(Path(directory))
    if directory.exists() and any(directory.iterdir()):
        raise BackupError(f"Mappen {directory} er ikke tom. Vælg en ny mappe til sikkerhedskopien.")
    directory.mkdir(parents=True, exist_ok=True)
    # Logged first, so the snapshot itself shows when and by whom it was taken.
    audit.record_alone(store, actor, "backup", directory=str(directory))
    with store.snapshot():
        counts = table_counts(store)
        for table in counts:
            store.cursor().execute(
                "COPY (SELECT * FROM " + _identifier(table) + _ORDER_BY.get(table, "") + ") TO ? (FORMAT parquet)",
                [str(directory / f"{table}.parquet")],
            )
    # Written last: a directory without it is an unfinished backup, and restore refuses it.
    (directory / MANIFEST).write_text(
        json.dumps({"created": datetime.now().isoformat(timespec="seconds"), "tables": counts}, indent=2),
        encoding="utf-8",
    )
    return counts


def restore(directory: Path, target: Path) -> dict[str, int]:
    """Bring a snapshot back into a new database file; on any refusal the file is removed again."""
    directory, target = _plain(Path(directory)), Path(target)
    expected = _read_manifest(directory)
    if target.exists():
        raise BackupError(f"Databasen {target} findes allerede. Gendan til en ny fil, og skift derefter over.")
    files = _table_files(directory, expected)
    store = None
    restored = False
    try:
        store = open_store(target, migrate_upto=0)
        _rebuild(store, files, expected)
        counts = table_counts(store)
        restored = True
        return counts
    finally:
        if store is not None:
            store.close()
        if not restored:
            for path in (target, target.with_name(target.name + ".wal")):
                path.unlink(missing_ok=True)


def _plain(directory: Path) -> Path:
    # DuckDB reads a file name with these characters as a pattern, which would take in other folders' files.
    if set("*?[") & set(str(directory.resolve())):
        raise BackupError(f"Mappens navn {directory} må ikke indeholde *, ? eller [. Flyt eller omdøb mappen.")
    return directory


def _read_manifest(directory: Path) -> dict[str, int]:
    path = directory / MANIFEST
    if not path.is_file():
        raise BackupError(f"{directory} er ikke en sikkerhedskopi fra trivsel (filen {MANIFEST} mangler).")
    try:
        tables = json.loads(path.read_text(encoding="utf-8"))["tables"]
        valid = isinstance(tables, dict) and all(
            _TABLE_NAME.fullmatch(name) and isinstance(rows, int) and not isinstance(rows, bool) and rows >= 0
            for name, rows in tables.items()
        )
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, RecursionError):
        valid = False
    if not valid:
        raise BackupError(
            f"Filen {MANIFEST} er ødelagt: den skal være JSON med antallet af rækker i hver tabel "
            f'under "tables". {_BROKEN}'
        )
    return tables


def _table_files(directory: Path, expected: dict[str, int]) -> dict[str, Path]:
    """The Parquet file of each table in the manifest; nothing else may be in the folder."""
    files = {table: directory / f"{table}.parquet" for table in expected}
    allowed = {MANIFEST, *_OLD_SCRIPTS, *(path.name for path in files.values())}
    strangers = sorted(path.name for path in directory.iterdir() if path.name not in allowed)
    if strangers:
        raise BackupError(f"Sikkerhedskopien indeholder filer, som ikke hører til: {', '.join(strangers)}. {_BROKEN}")
    for path in files.values():
        if not path.exists():
            raise BackupError(f"Sikkerhedskopien mangler filen {path.name}, som {MANIFEST} nævner. {_BROKEN}")
        if path.is_symlink() or not path.is_file():
            raise BackupError(f"{path.name} er ikke en almindelig fil i sikkerhedskopien. {_BROKEN}")
    if "schema_migrations" not in files:
        raise BackupError(f"Sikkerhedskopien mangler tabeller: schema_migrations. {_BROKEN}")
    return files


def _rebuild(store: Store, files: dict[str, Path], expected: dict[str, int]) -> None:
    """Schema at the backup's version, the backup's rows, numbering that continues after them, newer migrations."""
    version = _backup_version(store, files["schema_migrations"], expected["schema_migrations"])
    apply_migrations(store, upto=version)
    known = set(_tables(store))
    unknown, missing = sorted(set(expected) - known), sorted(known - set(expected))
    if unknown:
        raise BackupError(f"Sikkerhedskopien har ukendte tabeller: {', '.join(unknown)}. {_BROKEN}")
    if missing:
        raise BackupError(f"Sikkerhedskopien mangler tabeller: {', '.join(missing)}. {_BROKEN}")

    def work(cur):
        cur.execute("DELETE FROM schema_migrations")  # the backup's own rows, checked above, take their place
        for table in sorted(expected):
            _load(cur, table, files[table], expected[table])
        _continue_sequences(cur)

    store.write(work)
    apply_migrations(store)


def _backup_version(store: Store, path: Path, rows: int) -> int:
    """The schema version of the backup: its migrations must be the first of ours, unchanged."""
    cur = store.cursor()
    _checked_columns(cur, "schema_migrations", path, rows)
    found = cur.execute("SELECT version, name, checksum FROM read_parquet(?) ORDER BY version", [str(path)]).fetchall()
    ours = [(m.version, m.name, m.checksum) for m in available_migrations()]
    if not found or found != ours[: len(found)]:
        raise BackupError(
            "Sikkerhedskopien er taget med en anden version af trivsel, end denne kan gendanne "
            f"(databaseskemaets migrationer passer ikke). {_BROKEN}"
        )
    return found[-1][0]


def _checked_columns(cur, table: str, path: Path, rows: int) -> list[str]:
    """The table's columns, once the file has exactly these with the same types, and the manifest's row count."""
    columns = dict(
        cur.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = 'main' AND table_name = ? ORDER BY ordinal_position",
            [table],
        ).fetchall()
    )
    try:
        found = {
            name: kind
            for name, kind, *_ in cur.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(path)]).fetchall()
        }
        count = cur.execute("SELECT count(*) FROM read_parquet(?)", [str(path)]).fetchone()[0]
    except duckdb.Error as exc:
        raise BackupError(f"Filen {path.name} kan ikke læses som Parquet. {_BROKEN}") from exc
    unknown, missing = sorted(set(found) - set(columns)), [c for c in columns if c not in found]
    if unknown:
        raise BackupError(f"Sikkerhedskopien har ukendte kolonner i {table}: {', '.join(unknown)}. {_BROKEN}")
    if missing:
        raise BackupError(f"Sikkerhedskopien mangler kolonner i {table}: {', '.join(missing)}. {_BROKEN}")
    for column, kind in columns.items():
        if found[column] != kind:
            raise BackupError(f"Kolonnen {table}.{column} har typen {found[column]}, men skal være {kind}. {_BROKEN}")
    if count != rows:
        raise BackupError(f"Filen {path.name} har {count} rækker, men {MANIFEST} siger {rows}. {_BROKEN}")
    return list(columns)


def _load(cur, table: str, path: Path, rows: int) -> None:
    names = ", ".join(_identifier(c) for c in _checked_columns(cur, table, path, rows))
    try:
        cur.execute(
            "INSERT INTO " + _identifier(table) + " (" + names + ") SELECT " + names + " FROM read_parquet(?)",
            [str(path)],
        )
    except duckdb.ConstraintException as exc:
        raise BackupError(
            f"Tabellen {table} bryder databasens regler (fx en nøgle, der går igen, eller et tomt "
            f"felt, der skal udfyldes). {_BROKEN}"
        ) from exc


def _continue_sequences(cur) -> None:
    """Numbering (audit log, supervision requests and events) continues after the highest restored number."""
    for table, column, default in cur.execute(
        "SELECT table_name, column_name, column_default FROM duckdb_columns() "
        "WHERE schema_name = 'main' AND column_default LIKE 'nextval(%'"
    ).fetchall():
        sequence = _SEQUENCE_DEFAULT.fullmatch(default)[1]
        highest = cur.execute("SELECT max(" + _identifier(column) + ") FROM " + _identifier(table)).fetchone()[0] or 0
        current = (
            cur.execute("SELECT last_value FROM duckdb_sequences() WHERE sequence_name = ?", [sequence]).fetchone()[0]
            or 0
        )
        if highest - current > _MAX_SEQUENCE_STEP:
            raise BackupError(f"{table}.{column} har et urimeligt højt løbenummer ({highest}). {_BROKEN}")
        if highest > current:
            cur.execute("SELECT max(nextval(?)) FROM range(?)", [sequence, highest - current])
