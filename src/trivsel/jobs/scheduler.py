"""The scheduler: one daemon thread per app server process that runs the jobs beside the app's one writer.

DuckDB lets one process open the database file, so once the app has it open, `trivsel retention run`
from cron cannot. The app therefore runs the nightly jobs itself (retention, then a backup) at
TRIVSEL_JOBS_HOUR, sends the nudges to leaders daily at TRIVSEL_NUDGES_HOUR, and polls the payroll inbox.
A daily job is due once the first slot after its last
finished run has come; with no run on record, the first slot after the scheduler started. So a night the
app was down, or a run cut off by a crash, is made up once at the next start, and a new database waits
for the coming night.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

from trivsel import config
from trivsel.backup import BackupError
from trivsel.jobs import nightly, nudging, runs
from trivsel.jobs.inbox import Inbox
from trivsel.mail import MailError
from trivsel.store import Store

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]
_MAX_SLEEP = 30.0  # seconds; a daily job starts at most this late


def next_slot(after: datetime, at: clock_time) -> datetime:
    """The first moment strictly after `after` when the clock shows `at`."""
    slot = datetime.combine(after.date(), at)
    return slot if slot > after else slot + timedelta(days=1)


class Scheduler:
    """The jobs of one app process. Creating it marks runs left 'running' by a dead process as interrupted."""

    def __init__(
        self,
        store: Store,
        clock: Clock,
        at: clock_time,
        backup_dir: Path,
        backup_keep: int,
        inbox: Path | None = None,
        poll_seconds: int = 60,
        nudges_at: clock_time | None = None,
    ):
        """`at` is the nightly jobs' time; the nudges to leaders run daily at `nudges_at` (None: not at all)."""
        self.store = store
        self.clock = clock
        self.at = at
        self.backup_dir = Path(backup_dir)
        self.backup_keep = backup_keep
        self.inbox = Inbox(inbox) if inbox is not None else None
        self.poll_seconds = poll_seconds
        self._daily = {runs.RETENTION: (at, self._retention), runs.BACKUP: (at, self._backup)}
        if nudges_at is not None:
            self._daily[runs.NUDGES] = (nudges_at, self._nudges)
        self._started = clock()
        self._next_poll = self._started
        runs.mark_interrupted(store, self._started)

    @classmethod
    def from_environment(cls, store: Store) -> Scheduler:
        return cls(
            store,
            _clock(config.fake_now()),
            config.jobs_time(),
            config.backup_dir(),
            config.backup_keep(),
            config.inbox_dir(),
            config.inbox_poll_seconds(),
            config.nudges_time(),
        )

    def tick(self) -> None:
        """Run what is due now: the inbox when its poll has come, then each daily job that is due."""
        now = self.clock()
        if self.inbox is not None and now >= self._next_poll:
            self._next_poll = now + timedelta(seconds=self.poll_seconds)
            self.inbox.poll(self.store, self.clock)
        for job, (_, work) in self._daily.items():
            if self.due(job, now):
                self._run(job, work)

    def due(self, job: str, now: datetime) -> bool:
        at = self._daily[job][0]
        return next_slot(runs.last_attempt(self.store, job) or self._started, at) <= now

    def _run(self, job: str, work: Callable[[datetime], str]) -> None:
        started = self.clock()
        run_id = runs.begin(self.store, job, started)
        try:
            ok, result = True, work(started)
        except (BackupError, MailError) as exc:
            ok, result = False, f"Fejl: {exc}"
        except OSError as exc:
            ok, result = False, f"Fejl: {exc.filename} kan ikke læses eller skrives ({exc.strerror})."
        except Exception as exc:  # recorded and shown under Indstillinger; tried again at the next slot
            log.exception("Jobbet %s fejlede", job)
            ok, result = False, f"Fejl: uventet fejl ({type(exc).__name__}); se appens log."
        runs.finish(self.store, run_id, ok, result, self.clock())

    def _retention(self, now: datetime) -> str:
        return nightly.run_retention(self.store, now)

    def _backup(self, now: datetime) -> str:
        return nightly.run_backup(self.store, now, self.backup_dir, self.backup_keep)

    def _nudges(self, now: datetime) -> str:
        # The mail settings are read at each run: a wrong one fails this run (shown under Indstillinger), and a
        # fixed one works at the next without a restart.
        try:
            smtp = config.smtp()
        except ValueError as exc:
            raise MailError(str(exc)) from None
        return nudging.run(self.store, now, smtp, actor=nightly.ACTOR)

    def start(self) -> None:
        """Run `tick` in a daemon thread, which ends with the server process."""
        threading.Thread(target=self._loop, name="trivsel-jobs", daemon=True).start()

    def _loop(self) -> None:
        pause = min(float(self.poll_seconds), _MAX_SLEEP)
        while True:
            try:
                self.tick()
            except Exception:  # e.g. the database briefly busy: the thread must live on
                log.exception("Planlæggeren fejlede; prøver igen")
            time.sleep(pause)


def _clock(fake_start: datetime | None) -> Clock:
    """The local wall clock, or (tests only, TRIVSEL_FAKE_NOW) one that starts at `fake_start` and runs on."""
    if fake_start is None:
        return datetime.now
    began = time.monotonic()
    return lambda: fake_start + timedelta(seconds=time.monotonic() - began)
