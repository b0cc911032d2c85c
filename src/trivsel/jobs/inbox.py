"""The payroll inbox: files dropped into a folder are imported like an upload, then moved away.

The file name's start says what a file holds (``enheder…``, ``ansaettelser…``/``ansættelser…``,
``fravaer…``/``fravær…``; .csv, .txt or .xlsx). A file is taken once its size and modification time
were the same at two polls in a row, so a file still being written waits. Each import checks the whole
file first and writes all or nothing, as on the Import page. An imported file goes to ``done/``; a
refused one to ``failed/``, with ``<name>.fejl.txt`` beside it giving row, column and reason.

A file stays in the inbox until its import has committed. If the app dies in between, the file is
imported again at the next start, which changes nothing: every importer replaces what the file covers.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from trivsel import audit, config
from trivsel.imports import ImportRejected, Problem
from trivsel.imports.absence import import_absence
from trivsel.imports.employees import import_employees
from trivsel.imports.units import import_units
from trivsel.jobs import runs
from trivsel.jobs.nightly import ACTOR
from trivsel.store import Store

log = logging.getLogger(__name__)

DONE, FAILED = "done", "failed"
EXTENSIONS = (".csv", ".txt", ".xlsx")


@dataclass(frozen=True)
class Kind:
    name: str  # as in `trivsel import NAME`
    prefixes: tuple[str, ...]
    label: str
    importer: Callable


# In this order within one poll: absence needs the employees, employees need the units.
KINDS = (
    Kind("units", ("enheder",), "enheder", import_units),
    Kind("employees", ("ansaettelser", "ansættelser"), "ansættelser", import_employees),
    Kind("absence", ("fravaer", "fravær"), "fravær", import_absence),
)
NAMING = "enheder…, ansaettelser… eller fravaer…"


def kind_of(name: str) -> Kind | None:
    lower = name.lower()
    return next((k for k in KINDS if lower.startswith(k.prefixes)), None)


class Inbox:
    """Polls one folder; remembers between polls what each file looked like."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self._seen: dict[str, tuple[int, int]] = {}

    def poll(self, store: Store, clock: Callable[[], datetime]) -> int:
        """Import every file that has stopped changing; return how many files were handled."""
        ready = sorted(self._ready(), key=lambda p: (_order(p.name), p.name))
        for path in ready:
            self._seen.pop(path.name, None)
            self._handle(store, path, clock)
        return len(ready)

    def _ready(self) -> list[Path]:
        looks: dict[str, tuple[int, int]] = {}
        for path in self.folder.iterdir() if self.folder.is_dir() else ():
            if path.name.startswith((".", "~")) or not path.is_file() or path.is_symlink():
                continue  # hidden, Excel's lock files, folders (done/, failed/), links
            try:
                stat = path.stat()
            except FileNotFoundError:  # moved away meanwhile
                continue
            looks[path.name] = (stat.st_size, stat.st_mtime_ns)
        ready = [self.folder / name for name, look in looks.items() if self._seen.get(name) == look]
        self._seen = looks
        return ready

    def _handle(self, store: Store, path: Path, clock: Callable[[], datetime]) -> None:
        run_id = runs.begin(store, runs.INBOX, clock())
        log.info("Indbakken importerer %s", path.name)
        try:
            ok, message = self._process(store, path, clock)
        except Exception:  # e.g. the file cannot be read or moved: it stays, and is tried again
            log.exception("Indbakken kunne ikke behandle %s", path.name)
            ok, message = False, f"{path.name}: kunne ikke behandles (se appens log); filen ligger stadig i indbakken."
        runs.finish(store, run_id, ok, message, clock())

    def _process(self, store: Store, path: Path, clock: Callable[[], datetime]) -> tuple[bool, str]:
        kind = kind_of(path.name)
        try:
            result = _import(store, path, kind)
        except ImportRejected as exc:
            problems = exc.problems
        else:
            moved = _move(path, self.folder / DONE, clock())
            _audit(store, path, "imported", moved, kind=kind.label, rows=result.rows)
            return True, f"{path.name}: {result.message}"
        moved = _move(path, self.folder / FAILED, clock())
        _error_file(moved, problems, clock())
        _audit(store, path, "rejected", moved, problems=len(problems))
        return False, f"{path.name}: afvist, intet er gemt ({len(problems)} fejl); se {FAILED}/{moved.name}.fejl.txt"


def _audit(store: Store, path: Path, outcome: str, moved: Path, **details) -> None:
    moved_to = f"{moved.parent.name}/{moved.name}"
    audit.record_alone(store, ACTOR, "inbox_file", file=path.name, outcome=outcome, moved_to=moved_to, **details)


def _order(name: str) -> int:
    kind = kind_of(name)
    return KINDS.index(kind) if kind else len(KINDS)


def _import(store: Store, path: Path, kind: Kind | None):
    """Import the file, or raise ImportRejected for a name, size or content that cannot be imported."""
    if kind is None:
        raise ImportRejected(
            [
                Problem(
                    None,
                    None,
                    f"Filnavnet skal begynde med {NAMING}, så indbakken ved, "
                    "hvad filen indeholder. Omdøb filen og læg den i indbakken igen.",
                )
            ]
        )
    if path.suffix.lower() not in EXTENSIONS:
        raise ImportRejected([Problem(None, None, "Kun .csv-, .txt- og .xlsx-filer kan importeres.")])
    with path.open("rb") as file:
        data = file.read(config.MAX_IMPORT_BYTES + 1)  # one byte over the limit is enough for the importer to refuse
    try:
        return kind.importer(store, data, actor=ACTOR)
    except ImportRejected:
        raise
    except Exception as exc:  # the file must leave the inbox, or it would be tried again every minute
        log.exception("Indbakken kunne ikke importere %s", path.name)
        raise ImportRejected(
            [
                Problem(
                    None,
                    None,
                    "Importen fejlede uventet, og intet er gemt. Læg filen i "
                    "indbakken igen, eller importér den på siden Import.",
                )
            ]
        ) from exc


def _move(path: Path, folder: Path, now: datetime) -> Path:
    """Move the file into `folder` under its own name, or with the time added when that name is taken."""
    folder.mkdir(exist_ok=True)
    target = folder / path.name
    if target.exists():
        target = folder / f"{path.stem}-{now:%Y%m%d-%H%M%S}{path.suffix}"
    number = 2
    while target.exists():
        target = folder / f"{path.stem}-{now:%Y%m%d-%H%M%S}-{number}{path.suffix}"
        number += 1
    shutil.move(path, target)
    return target


def _error_file(moved: Path, problems: list[Problem], now: datetime) -> None:
    lines = [
        f"Filen {moved.name} blev afvist {now:%d-%m-%Y kl. %H:%M}, og intet fra den er gemt.",
        f"Ret fejlene, og læg filen i indbakken igen. {len(problems)} fejl:",
        "",
        *(str(p) for p in problems),
    ]
    (moved.parent / f"{moved.name}.fejl.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
