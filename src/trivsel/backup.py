"""Backup and restore: a consistent snapshot of every table as Parquet files plus the schema.

DuckDB's EXPORT DATABASE runs in one transaction, so the snapshot is consistent even while
the app keeps writing through the same process. A second process cannot open the file while
the app runs; then the app's own backup button (Indstillinger) takes the snapshot instead.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from trivsel import audit
from trivsel.store import Store, open_store

MANIFEST = "trivsel-backup.json"


class BackupError(RuntimeError):
    pass


def table_counts(store: Store) -> dict[str, int]:
    tables = [r[0] for r in store.query_all(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY table_name")]
    return {t: int(store.query_value("SELECT count(*) FROM " + _identifier(t))) for t in tables}


def _identifier(name: str) -> str:
    """A table name from the catalogue itself (identifiers cannot be bound parameters), quoted."""
    return '"' + name.replace('"', '""') + '"'


def backup(store: Store, directory: Path, actor: str) -> dict[str, int]:
    """Write the snapshot into an empty or new directory; return the row count of every table."""
    directory = Path(directory)
    if directory.exists() and any(directory.iterdir()):
        raise BackupError(f"Mappen {directory} er ikke tom. Vælg en ny mappe til sikkerhedskopien.")
    directory.mkdir(parents=True, exist_ok=True)
    # Logged first, so the snapshot itself shows when and by whom it was taken.
    store.write(lambda cur: audit.record(cur, actor, "backup", directory=str(directory)))
    counts = table_counts(store)
    store.cursor().execute(f"EXPORT DATABASE {_path_literal(directory)} (FORMAT parquet)")
    (directory / MANIFEST).write_text(json.dumps(
        {"created": datetime.now().isoformat(timespec="seconds"), "tables": counts}, indent=2), encoding="utf-8")
    return counts


def restore(directory: Path, target: Path) -> dict[str, int]:
    """Bring a snapshot back into a new database file and check every table's row count."""
    directory, target = Path(directory), Path(target)
    manifest = directory / MANIFEST
    if not manifest.exists():
        raise BackupError(f"{directory} er ikke en sikkerhedskopi fra trivsel (filen {MANIFEST} mangler).")
    if target.exists():
        raise BackupError(f"Databasen {target} findes allerede. Gendan til en ny fil, og skift derefter over.")
    expected = json.loads(manifest.read_text(encoding="utf-8"))["tables"]
    import duckdb

    connection = duckdb.connect(str(target), config={"autoinstall_known_extensions": False,
                                                     "autoload_known_extensions": False})
    try:
        connection.execute(f"IMPORT DATABASE {_path_literal(directory)}")
    finally:
        connection.close()
    store = open_store(target)
    try:
        found = table_counts(store)
    finally:
        store.close()
    missing = {t: n for t, n in expected.items() if found.get(t) != n}
    if missing:
        raise BackupError(f"Gendannelsen er ufuldstændig for tabellerne: {', '.join(sorted(missing))}.")
    return found


def _path_literal(path: Path) -> str:
    """EXPORT/IMPORT DATABASE accept only a literal path, not a bound parameter: quote it."""
    text = str(Path(path).resolve())
    if any(ord(c) < 32 for c in text):
        raise BackupError("Stien indeholder ugyldige tegn.")
    return "'" + text.replace("'", "''") + "'"
