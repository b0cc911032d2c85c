"""The app server of P13 (benchmarks/soak.py): `python -m trivsel.web`, plus a daemon thread that writes, every
second, what the Streamlit runtime keeps of its sessions to a JSON file:

    python -m benchmarks.soak_server --counts FILE [--collect-seconds S] STREAMLIT-FLAGS...

Benchmark-only: the app runs unchanged, the thread only reads. It counts, on the runtime's own event loop
(where the session manager changes, so the counts are consistent):

- `active`: sessions with a connected browser;
- `sessions`: those plus the disconnected ones Streamlit still keeps for a reconnect
  (`server.disconnectedSessionTTL`);
- `stored_entries`: entries of that storage, expired ones included: its TTL cache drops an expired entry only
  at its next write, that is at the next disconnect;
- `alive`: Streamlit session objects (AppSession, which holds the session state) not yet freed, as of the last
  full garbage collection (every S seconds, 30 unless told), so a session held anywhere else shows here;
- the process's threads and open file descriptors.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import threading
import time
import weakref
from pathlib import Path

from streamlit.runtime import Runtime
from streamlit.runtime.app_session import AppSession

from trivsel import web

COLLECT_SECONDS = 30.0  # a full collection takes the server 0.2-0.5 s; every 30 s is enough for the checks

_alive: weakref.WeakSet = weakref.WeakSet()


def _tracked(init):
    def tracking_init(self, *args, **kwargs):
        init(self, *args, **kwargs)
        _alive.add(self)

    return tracking_init


def _sessions(runtime: Runtime) -> dict:
    """Streamlit's own counts; called on the runtime's event loop. Its manager and storage have no public
    accessors for these, hence the private names."""
    manager = runtime._session_mgr
    return {
        "active": len(manager.list_active_sessions()),
        "sessions": len(manager.list_sessions()),
        "stored_entries": len(manager._session_storage._cache._data),
    }


async def _on_loop(runtime: Runtime) -> dict:
    return _sessions(runtime)


def _watch(out: Path, collect_seconds: float) -> None:
    while not Runtime.exists():
        time.sleep(0.2)
    runtime = Runtime.instance()
    peaks: dict[str, int] = {}
    alive, collected_at, gc_seconds = None, None, 0.0
    while True:
        time.sleep(1)
        try:
            loop = runtime._get_async_objs().eventloop
        except RuntimeError:  # not started yet
            continue
        counts = asyncio.run_coroutine_threadsafe(_on_loop(runtime), loop).result(timeout=30)
        if collected_at is None or time.time() - collected_at >= collect_seconds:
            t0 = time.perf_counter()
            gc.collect()
            gc_seconds = time.perf_counter() - t0
            alive, collected_at = len(_alive), time.time()
        sample = {
            **counts,
            "alive": alive,
            "collected_at": collected_at,
            "gc_seconds": round(gc_seconds, 3),
            "threads": threading.active_count(),
            "fds": len(os.listdir("/proc/self/fd")),
            "time": time.time(),
        }
        for key in ("active", "sessions", "stored_entries", "alive", "threads", "fds"):
            peaks[key] = max(peaks.get(key, 0), sample[key])
        part = out.with_suffix(".part")
        part.write_text(json.dumps({**sample, "peaks": peaks}))
        part.replace(out)  # the reader never sees half a file


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.soak_server")
    parser.add_argument("--counts", type=Path, required=True)
    parser.add_argument("--collect-seconds", type=float, default=COLLECT_SECONDS)
    ours, streamlit_flags = parser.parse_known_args()
    AppSession.__init__ = _tracked(AppSession.__init__)
    threading.Thread(target=_watch, args=(ours.counts, ours.collect_seconds), daemon=True).start()
    web.main(streamlit_flags)


if __name__ == "__main__":
    main()
