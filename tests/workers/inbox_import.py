"""Run the app's scheduler on an inbox with one file, and stop dead (announced, then asleep) at a stage:

- ``reading``: as the inbox starts on the file (it logs "importerer NAME");
- ``uncommitted``: inside the import's transaction, every row written, before the commit;
- ``moved``: after the commit and the move to done/, before the run is recorded as finished.

The test kills it there with SIGKILL. Usage: inbox_import.py DB INBOX STAGE
"""

import logging
import sys
import time
from datetime import datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

from trivsel import audit
from trivsel.jobs import Scheduler
from trivsel.store import open_store

# The audit entry each stage writes last; the import's own entry is written inside its transaction.
STOP_AFTER = {"uncommitted": "import_absence", "moved": "inbox_file"}


def stop_at(action: str):
    record = audit.record

    def recorded_then_stop(cur, actor, what, **details):
        record(cur, actor, what, **details)
        if what == action:
            print(f"stopped after {what}", flush=True)
            time.sleep(120)

    audit.record = recorded_then_stop


if __name__ == "__main__":
    db, inbox, stage = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
    logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(message)s")
    if stage in STOP_AFTER:
        stop_at(STOP_AFTER[stage])
    store = open_store(db)
    now = datetime.now()
    jobs = Scheduler(store, lambda: now, clock_time(2), inbox.parent / "backups", 14, inbox=inbox, poll_seconds=60)
    jobs.tick()  # sees the file
    now += timedelta(minutes=1)
    jobs.tick()  # handles it
    print("handled", flush=True)
    time.sleep(120)
