"""P13, the soak: staff answer the trivsel survey one after another for a long while (500 over about 20 minutes),
each in a browser context that closes after "Tak for dine svar", while konsulent and leader sessions keep
browsing the dashboards, all through one app server. Does it hold up: every answer stored, the server's memory
and its send times no worse at the end than at the start, and no session kept once its browser has closed?

One app server (benchmarks.soak_server: `python -m trivsel.web` plus a thread that writes the Streamlit
runtime's session counts every second) on a copy of the database with an open link round. The staff start at a
fixed interval (count ÷ duration; with AT_ONCE answering, the next waits for one to finish), each answering as
P7's people do (benchmarks.browsers.person: phone-sized, the send timed inside the page, click → thanks), from
one Python thread with Playwright's async API. The
dashboard sessions log in as P9 does and visit the overview, heatmap and trends pages in turn, from a thread of
their own (Playwright's sync API, a second Chromium), until the last member of staff is done; they stay open.
Then, once the disconnected-session TTL has passed, the server must keep only those sessions, and after they
close too (and the TTL again) none.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import statistics
import tempfile
import threading
import time
from collections import Counter
from datetime import date
from pathlib import Path

from playwright.async_api import async_playwright
from playwright.sync_api import Error as SyncPlaywrightError
from playwright.sync_api import sync_playwright

from benchmarks import browser_driver as driver
from benchmarks import browser_pages, browsers, soak_server, survey_data
from trivsel.roles import KONSULENT, LEDER
from trivsel.store import open_store
from trivsel.ui import navigation

DASHBOARDS = [navigation.BY_KEY[key] for key in ("dashboard_overview", "dashboard_heatmap", "dashboard_trends")]
VIEWERS = (KONSULENT, LEDER, KONSULENT, LEDER, KONSULENT)  # the dashboard sessions, by role
WINDOW = 50  # the first and the last this many sends are compared
# Answering takes longer than the interval between starts (2.4 s in the full run), so some answer at once; past
# this many the next waits for one to finish, so a slow spell cannot snowball into dozens of pages at once.
AT_ONCE = 8
THINK_S = 3.0  # between two dashboard visits: people read a page before they open the next
SEND_TIMEOUT_S = 300
TTL_MARGIN_S = 3  # past the TTL, before the counts are read (the launcher writes them every second)


def prepare(source: Path, work: Path, staff: int, roles) -> tuple[Path, str, list[str]]:
    """A copy of `source` with an open link round and a user per role; the staff-link token for each of `staff`
    people, round-robin over the units that have staff and never more people than a unit has (its link's cap)."""
    db = work / "soak.duckdb"
    shutil.copy(source, db)
    browser_pages.add_users(db, set(roles))
    store = open_store(db)
    try:
        rnd = survey_data.open_link_round(store, date.today())
        room = dict(browsers.staff_links(store, rnd.round_id))
    finally:
        store.close()
    tokens: list[str] = []
    while len(tokens) < staff and any(room.values()):
        for token in [t for t, left in room.items() if left][: staff - len(tokens)]:
            tokens.append(token)
            room[token] -= 1
    if len(tokens) < staff:
        raise ValueError(f"the round's units have only {len(tokens)} staff, not {staff}")
    return db, rnd.round_id, tokens


class Dashboards(threading.Thread):
    """The dashboard sessions, a context each in a Chromium of their own: logged in, then visiting the
    dashboards in turn (THINK_S between visits) until `stop`; open until `close`."""

    def __init__(self, url: str, roles, timeout_ms: float) -> None:
        super().__init__(daemon=True)
        self.url, self.roles, self.timeout_ms = url, roles, timeout_ms
        self.ready, self.stop, self.close = threading.Event(), threading.Event(), threading.Event()
        self.times: list[float] = []
        self.errors: list[str] = []

    def run(self) -> None:
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=driver.chromium_path(), args=driver.CHROMIUM_FLAGS)
                try:
                    self._browse(browser)
                finally:
                    browser.close()
        except Exception as exc:  # noqa: BLE001 (reported in the row; the staff go on)
            self.errors.append(_error(exc))
        finally:
            self.ready.set()

    def _browse(self, browser) -> None:
        pages = []
        for role in self.roles:
            context = browser.new_context(viewport=browser_pages.DESKTOP, locale="da-DK")
            page = context.new_page()
            page.set_default_timeout(self.timeout_ms)
            browser_pages.log_in(page, self.url, f"bench.{role}")
            for spec in DASHBOARDS:  # each page once, so that the staff start against warm dashboards
                browser_pages.go(page, spec)
            pages.append(page)
        self.ready.set()
        turn = 0
        while not self.stop.is_set():
            for n, page in enumerate(pages):
                try:
                    self.times.append(browser_pages.go(page, DASHBOARDS[(turn + n) % len(DASHBOARDS)]))
                except (SyncPlaywrightError, AssertionError) as exc:
                    self.errors.append(_error(exc))
                if self.stop.wait(THINK_S):
                    break
            turn += 1
        self.close.wait()
        for page in pages:
            page.context.close()


def _error(exc: Exception) -> str:
    return f"{type(exc).__name__}: {str(exc).splitlines()[0][:200] if str(exc) else ''}"


async def _staff(url: str, tokens: list[str], interval: float, on_done) -> tuple[list[dict], int]:
    """Each token's person in turn, one starting every `interval` seconds (or, with AT_ONCE answering, as soon as
    one finishes); `on_done(n)` after the n-th has finished. The results, and the most that answered at once."""
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=driver.chromium_path(), args=driver.CHROMIUM_FLAGS)
        start = asyncio.Event()
        start.set()
        slots = asyncio.Semaphore(AT_ONCE)
        answering = finished = most = 0

        async def one(token: str) -> dict:
            nonlocal answering, finished, most
            answering += 1
            most = max(most, answering)
            try:
                return await browsers.person(browser, url, token, SEND_TIMEOUT_S * 1000, start)
            finally:
                answering -= 1
                slots.release()
                finished += 1
                on_done(finished)

        loop = asyncio.get_running_loop()
        began, people = loop.time(), []
        for n, token in enumerate(tokens):
            await asyncio.sleep(max(0.0, began + n * interval - loop.time()))
            await slots.acquire()
            people.append(asyncio.create_task(one(token)))
        results = await asyncio.gather(*people)
        await browser.close()
    return results, most


def _counts(path: Path, after: float, key: str = "collected_at", timeout_s: float = 60) -> dict:
    """The launcher's counts as of a sample (key "time") or a full collection ("collected_at") after `after`,
    a time.time()."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            counts = json.loads(path.read_text())
        except (OSError, ValueError):
            counts = None
        if counts and (counts[key] or 0) > after:
            return counts
        if time.monotonic() > deadline:
            raise RuntimeError(f"the server wrote no session counts after {after:.0f} ({path}: {counts})")
        time.sleep(0.5)


def _left(path: Path, ttl: int) -> dict:
    """Wait out the disconnected-session TTL from now, then the server's counts."""
    time.sleep(ttl + TTL_MARGIN_S)
    return _counts(path, time.time())


def run(source: Path, staff: int = 500, minutes: float = 20, ttl: int = 120, roles=VIEWERS) -> dict:
    """Prepare, serve, soak, count; see the module's text. `ttl` is the server's disconnectedSessionTTL."""
    window = min(WINDOW, max(1, staff // 2))
    with tempfile.TemporaryDirectory() as tmp:
        db, round_id, tokens = prepare(source, Path(tmp), staff, roles)
        counts_file = Path(tmp) / "sessions.json"
        servers: list = []
        by_sends: dict[int, float] = {}  # the server's resident memory after every window of sends, and the last

        def on_done(finished: int) -> None:  # a cache that fills levels off; a leak keeps growing
            if finished % window == 0 or finished == staff:
                by_sends[finished] = browsers._proc_mb(servers[0].pid, "status", "VmRSS")

        app = driver.start_app(
            db,
            on_start=servers.append,
            module="benchmarks.soak_server",
            options=(
                "--server.disconnectedSessionTTL",
                str(ttl),
                "--counts",
                str(counts_file),
                "--collect-seconds",
                str(min(soak_server.COLLECT_SECONDS, ttl)),
            ),
        )
        url = next(app)
        dashboards = Dashboards(url, roles, browser_pages.TIMEOUT_MS)
        try:
            dashboards.start()
            dashboards.ready.wait()
            before = _counts(counts_file, 0)
            t0 = time.perf_counter()
            results, at_once = asyncio.run(_staff(url, tokens, minutes * 60 / staff, on_done))
            wall = time.perf_counter() - t0
            dashboards.stop.set()
            during = _counts(counts_file, time.time() + 1, key="time")  # the last context's close has arrived
            with_dashboards = _left(counts_file, ttl)
            dashboards.close.set()
            dashboards.join(timeout=120)
            after_all = _left(counts_file, ttl)
            peak = browsers._proc_mb(servers[0].pid, "status", "VmHWM")
        finally:
            dashboards.stop.set()
            dashboards.close.set()
            app.close()  # stops the server
        store = open_store(db)
        try:
            stored = survey_data.stored(store, round_id)
        finally:
            store.close()
    times = [r.get("seconds") for r in results]  # in start order; None where a send failed
    first, last = [t for t in times[:window] if t], [t for t in times[-window:] if t]
    ok = [t for t in times if t is not None]
    return {
        "staff": staff,
        "minutes": minutes,
        "ttl": ttl,
        "window": window,
        "viewers": len(roles),
        "times": ok,
        "wall_seconds": wall,
        "at_once": at_once,
        "p95_first": browsers._p95(first),
        "p95_last": browsers._p95(last),
        "median": statistics.median(ok) if ok else None,
        "failed": len(times) - len(ok),
        "errors": [r["error"] for r in results if "error" in r][:5],
        "sections": dict(Counter(r["sections"] for r in results if "sections" in r)),  # answered before "Send svar"
        "memory_first_mb": by_sends.get(window),
        "memory_last_mb": by_sends[staff],
        "memory_by_sends": by_sends,
        "server_peak_mb": peak,
        "dashboard_visits": len(dashboards.times),
        "dashboard_median": statistics.median(dashboards.times) if dashboards.times else None,
        "dashboard_errors": dashboards.errors[:5],
        "sessions_before": before,
        "sessions_during": during,
        "sessions_with_dashboards": with_dashboards,
        "sessions_after_all": after_all,
        **stored,
    }


# Streamlit's message loop (Runtime._loop_coroutine) keeps the last session it sent to in its loop variable
# until it next sends, so one closed session may stay referenced there: one at most, never more.
LOOP_HELD = 1


def sessions_ok(result: dict) -> bool:
    """Right after the last send the server holds the closed staff sessions for the TTL (so the counts see
    them); after the TTL only the open dashboards' sessions (then none), and no session object is held anywhere
    but in Streamlit's own session tables (expired entries wait there for its next write) and its message loop."""
    viewers, during = result["viewers"], result["sessions_during"]
    kept, last = result["sessions_with_dashboards"], result["sessions_after_all"]
    return (
        during["active"] == viewers < during["sessions"]
        and kept["active"] == kept["sessions"] == viewers
        and kept["alive"] <= kept["active"] + kept["stored_entries"] + LOOP_HELD
        and last["active"] == last["sessions"] == 0
        and last["alive"] <= last["stored_entries"] + LOOP_HELD
    )


def stored_ok(result: dict) -> bool:
    """Every member of staff sent, and the round holds exactly their answers, complete."""
    return (
        result["failed"] == 0
        and result["stored"] == result["distinct"] == result["staff"]
        and len(result["answer_rows"]) == 1
        and result["orphans"] == 0
    )
