"""Starting the scheduler in the app server: once per process, and only in a real Streamlit server."""

from __future__ import annotations

import logging
import threading

from trivsel.jobs.scheduler import Scheduler
from trivsel.store import Store

log = logging.getLogger(__name__)
_lock = threading.Lock()
_running: Scheduler | None = None


def start_in_server(store: Store) -> Scheduler | None:
    """Start the scheduler for `store` unless it runs already. Outside a Streamlit server (the CLI, tests,
    AppTest, which puts a mock in the runtime's place) nothing starts; tests run a Scheduler themselves."""
    global _running
    if not _in_streamlit_server():
        return None
    with _lock:
        if _running is None:
            try:
                _running = Scheduler.from_environment(store)
            except ValueError as exc:  # a wrong TRIVSEL_* setting; Indstillinger shows it too
                log.error("Planlæggeren er ikke startet: %s", exc)
                return None
            _running.start()
            log.info("Planlæggeren kører: natlige job kl. %s, indbakke %s", _running.at, _running.inbox)
    return _running


def _in_streamlit_server() -> bool:
    from streamlit.runtime import Runtime

    return Runtime.exists() and type(Runtime.instance()) is Runtime
