"""Versioned SQL migrations, applied in order at start.

A migration file is never edited once it has landed: a new change is a new file
`NNNN_name.sql`. The checksum of every applied file is recorded, and opening a
database whose applied migration has since changed on disk is refused.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from trivsel.store.database import Store

MIGRATIONS_DIR = Path(__file__).parent
_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode("utf-8")).hexdigest()


class MigrationError(RuntimeError):
    pass


def available_migrations(directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    found = []
    for path in sorted(directory.glob("*.sql")):
        match = _NAME.match(path.name)
        if not match:
            raise MigrationError(f"Migrationsfilen {path.name} skal hedde NNNN_navn.sql")
        found.append(Migration(int(match[1]), match[2], path.read_text(encoding="utf-8")))
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise MigrationError("To migrationsfiler har samme versionsnummer")
    return found


def apply_migrations(store: Store, directory: Path = MIGRATIONS_DIR, upto: int | None = None) -> list[int]:
    """Apply the migrations the database lacks (those up to version `upto` only, when given); return the
    versions applied now."""
    store.cursor().execute(
        """CREATE TABLE IF NOT EXISTS schema_migrations (
               version INTEGER PRIMARY KEY,
               name VARCHAR NOT NULL,
               checksum VARCHAR NOT NULL,
               applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)"""
    )
    applied = dict(store.query_all("SELECT version, checksum FROM schema_migrations"))
    done = []
    for migration in available_migrations(directory):
        if upto is not None and migration.version > upto:
            break
        if migration.version in applied:
            if applied[migration.version] != migration.checksum:
                raise MigrationError(
                    f"Migration {migration.version:04d}_{migration.name} er ændret efter den blev "
                    "anvendt. Ret aldrig en landet migration; lav en ny."
                )
            continue

        def run(cur, migration=migration):
            cur.execute(migration.sql)
            cur.execute(
                "INSERT INTO schema_migrations (version, name, checksum) VALUES (?, ?, ?)",
                [migration.version, migration.name, migration.checksum],
            )

        store.write(run)
        done.append(migration.version)
    return done
