"""The nightly jobs: retention, then a backup into a folder of its own per night, keeping the newest N."""

from __future__ import annotations

import re
import shutil
from datetime import datetime
from pathlib import Path

from trivsel import backup, retention
from trivsel.store import Store

ACTOR = "planlægger"
# Only folders with exactly this name are the scheduler's; rotation never touches anything else
# (the backup button's folders, for one, are named YYYYMMDD-HHMMSS).
_NIGHTLY = re.compile(r"trivsel-\d{4}-\d{2}-\d{2}")


def run_retention(store: Store, now: datetime) -> str:
    found = retention.run(store, now.date(), actor=ACTOR)
    deleted = [f"{d.rule.label}: {d.rows}" for d in found if d.rows]
    total = sum(d.rows for d in found)
    return f"{total} rækker slettet" + (f" ({'; '.join(deleted)})." if deleted else ".")


def run_backup(store: Store, now: datetime, directory: Path, keep: int) -> str:
    """Tonight's snapshot in <directory>/trivsel-YYYY-MM-DD, then only the newest `keep` nightly folders stay."""
    folder = directory / f"trivsel-{now:%Y-%m-%d}"
    if _finished(folder):
        taken = f"Sikkerhedskopien {folder} var allerede taget i dag"
    else:
        if folder.is_dir():  # a backup cut off earlier today: it is taken again
            shutil.rmtree(folder)
        counts = backup.backup(store, folder, actor=ACTOR)
        taken = f"Gemt i {folder}: {len(counts)} tabeller, {sum(counts.values())} rækker"
    removed = _rotate(directory, keep)
    return taken + (f"; {removed} ældre slettet." if removed else ".")


def _finished(folder: Path) -> bool:
    return (folder / backup.MANIFEST).is_file()


def _rotate(directory: Path, keep: int) -> int:
    """Delete all but the newest `keep` finished nightly backups, and every unfinished one (a crash's leftover)."""
    nightly = sorted(p for p in directory.iterdir() if _NIGHTLY.fullmatch(p.name) and p.is_dir() and not p.is_symlink())
    finished = [p for p in nightly if _finished(p)]
    doomed = [p for p in nightly if not _finished(p)] + finished[:-keep]
    for path in doomed:
        shutil.rmtree(path)
    return len(doomed)
