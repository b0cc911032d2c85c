"""The app's own jobs, run by a scheduler thread inside the app server (DuckDB lets one process write):
nightly retention and backup with rotation, and the payroll inbox. See docs/operations.md, "Jobs in the app"."""

from trivsel.jobs.scheduler import Scheduler, next_slot
from trivsel.jobs.server import start_in_server
from trivsel.jobs.status import locked_message, overview

__all__ = ["Scheduler", "locked_message", "next_slot", "overview", "start_in_server"]
