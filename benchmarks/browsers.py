"""P7: 30 people answer the trivsel survey at once, each in their own browser context of one Chromium,
against one `streamlit run app.py`; for each, the time from clicking "Send svar" to "Tak for dine svar".

The 30 pages are driven from one Python thread with Playwright's async API (its sync API is not
thread-safe), so they really answer at the same time. The interval is taken inside the page, from the
click event's time stamp to the moment a DOM mutation puts the thank-you text on the page, so
Playwright's polling and the load on the driving process do not add to it. Answers are counted in the
database after the server has stopped (DuckDB allows one process per file).
"""

from __future__ import annotations

import asyncio
import os
import re
import resource
import shutil
import statistics
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterable
from datetime import date
from pathlib import Path

import numpy as np
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import async_playwright

from benchmarks import browser_driver as driver
from benchmarks import survey_data
from trivsel.store import open_store

PHONE = {"width": 390, "height": 844}
# With 30 people answering, one rerun can take many seconds: a click counts as lost in a rerun (and is
# repeated) only after this long, or a slow "Næste" would be clicked twice and skip a section.
RETRY_UNDER_LOAD_MS = 60_000
# Before the click: remember when the first click on "Send svar" happens and when the thank-you text
# first appears, both on the page's own clock (performance.now()).
# From the page's first script on: when each message from the server arrives (to tell the server's part of
# the interval, up to the message that brings "tak", from the page's part, drawing it).
MESSAGES = """(() => {
  const Plain = window.WebSocket;
  window.__messages = [];
  window.WebSocket = class extends Plain {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', () => window.__messages.push(performance.now()));
    }
  };
})()"""
STOPWATCH = """([send, thanks]) => {
  window.__sent = null;
  document.addEventListener('click', e => {
    const button = e.target.closest('button');
    if (window.__sent === null && button && button.innerText.includes(send)) window.__sent = e.timeStamp;
  }, true);
  window.__thanked = new Promise(resolve => {
    const seen = () => document.body.innerText.includes(thanks);
    const observer = new MutationObserver(() => {
      if (seen()) { observer.disconnect(); resolve(performance.now()); }
    });
    observer.observe(document.body, {childList: true, subtree: true, characterData: true});
  });
}"""


def prepare(source: Path, work: Path, people: int) -> tuple[Path, str, list[str]]:
    """A copy of `source` with an open link round (today is the real date, as the app's); the round
    and the staff-link tokens of `people` units spread over the tree."""
    db = work / "browsers.duckdb"
    shutil.copy(source, db)
    store = open_store(db)
    try:
        rnd = survey_data.open_link_round(store, date.today())
        links = staff_links(store, rnd.round_id)
    finally:
        store.close()
    step = len(links) / people
    return db, rnd.round_id, [links[int(i * step)][0] for i in range(people)]


def staff_links(store, round_id: str) -> list[tuple[str, int]]:
    """The staff-link token of each unit of the round that has staff, and how many (the answers it takes)."""
    return store.query_all(
        """SELECT l.token, u.persons_at_start FROM unit_access_links l JOIN round_units u USING (unit_id)
           WHERE u.round_id = ? AND u.persons_at_start > 0 AND l.revoked_at IS NULL ORDER BY l.unit_id""",
        [round_id],
    )


async def person(browser, url: str, token: str, timeout_ms: float, start: asyncio.Event) -> dict:
    """One person in a new context: once `start` is set, open the staff link, answer, send; the timings."""
    context = await browser.new_context(viewport=PHONE, locale="da-DK")
    await context.add_init_script(MESSAGES)
    page = await context.new_page()
    page.set_default_timeout(timeout_ms)
    try:
        await start.wait()
        began = time.perf_counter()
        await page.goto(f"{url}/medarbejder?adgang={token}")
        sections = await driver.answer_to_send(page, timeout_ms, retry_ms=RETRY_UNDER_LOAD_MS)
        await page.evaluate(STOPWATCH, [driver.SEND, driver.THANKS])
        # One click, then wait as long as it takes: clicking again would add load and blur the figure.
        clicked = time.perf_counter()
        await page.get_by_role("button", name=driver.SEND).click()
        thanked = await asyncio.wait_for(page.evaluate("window.__thanked"), timeout_ms / 1000)
        seen = time.perf_counter() - clicked
        sent = await page.evaluate("window.__sent")
        arrived = max((t for t in await page.evaluate("window.__messages") if t <= thanked), default=thanked)
        return {
            "seconds": (thanked - sent) / 1000,
            "driver_seconds": seen,
            "sections": sections,
            "server_seconds": (arrived - sent) / 1000,
            "drawing_seconds": (thanked - arrived) / 1000,
            "answering_seconds": clicked - began,
            "sent_at": clicked,
        }
    except (PlaywrightError, AssertionError, TimeoutError) as exc:  # reported; the others go on
        return {"error": f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"}
    finally:
        await context.close()


async def _everyone(url: str, tokens: list[str], timeout_ms: float, chromium: str) -> list[dict]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium, args=driver.CHROMIUM_FLAGS)
        start = asyncio.Event()
        people = [asyncio.create_task(person(browser, url, token, timeout_ms, start)) for token in tokens]
        await asyncio.sleep(1)  # every context is open before anyone starts
        start.set()
        results = await asyncio.gather(*people)
        await browser.close()
    return results


def _descendants(root: int, skip: set[int]) -> list[int]:
    """The processes under `root`, leaving out the trees under `skip`."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            children.setdefault(int(_stat(stat)[1]), []).append(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue
    found, todo = [], [c for c in children.get(root, []) if c not in skip]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += [c for c in children.get(pid, []) if c not in skip]
    return found


def _stat(path: Path) -> list[str]:
    """/proc/PID/stat from the state on (field 3), so that fields[11] and [12] are utime and stime."""
    return path.read_text().rsplit(")", 1)[1].split()


def _cpu_seconds(pid: int) -> float:
    """User and system CPU time a process has used so far (0 when it is gone)."""
    try:
        fields = _stat(Path(f"/proc/{pid}/stat"))
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _name(pid: int) -> str:
    """What a process is: Chromium's --type (renderer, gpu-process, utility, ...), else its program."""
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
    except OSError:
        return "?"
    kind = re.search(rb"--type=([\w-]+)", command)
    return (kind.group(1) if kind else Path(command.split(b" ", 1)[0].decode(errors="replace")).name.encode()).decode(
        errors="replace"
    ) or "?"


def _by_name(named: Iterable[tuple[str, float]]) -> dict[str, float]:
    totals: dict[str, float] = {}
    for name, cpu in named:
        totals[name] = round(totals.get(name, 0.0) + cpu, 1)
    return totals


def _proc_mb(pid: int, file: str, field: str) -> float:
    """A memory figure of a process from /proc/PID/FILE (status: VmHWM, VmRSS; smaps_rollup: Pss), in MB."""
    try:
        for line in Path(f"/proc/{pid}/{file}").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def run(source: Path, people: int = 30, timeout_s: float = 300, browser_nice: int = 0) -> dict:
    """Prepare, serve, let `people` answer at once, stop the server, count what was stored.

    `browser_nice` > 0 runs Chromium at that lower CPU priority (a diagnostic: the phones of real
    people do not share the server's cores)."""
    with tempfile.TemporaryDirectory() as tmp:
        db, round_id, tokens = prepare(source, Path(tmp), people)
        chromium = driver.chromium_path()
        if browser_nice:
            wrapper = Path(tmp) / "chromium"
            wrapper.write_text(f'#!/bin/sh\nexec nice -n {int(browser_nice)} "{chromium}" "$@"\n')
            wrapper.chmod(0o755)
            chromium = str(wrapper)
        servers: list = []
        browser_peak, browser_cpu = [0.0], {}
        done = threading.Event()

        def sample() -> None:  # Chromium and Playwright's driver: every process of ours but the server
            while not done.wait(0.5):
                family = _descendants(os.getpid(), {s.pid for s in servers})
                # Proportional set sizes, so that pages Chromium's processes share are counted once.
                browser_peak[0] = max(browser_peak[0], sum(_proc_mb(pid, "smaps_rollup", "Pss") for pid in family))
                browser_cpu.update({pid: (_name(pid), cpu) for pid in family if (cpu := _cpu_seconds(pid))})

        app = driver.start_app(db, on_start=servers.append)
        url = next(app)
        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        t0 = time.perf_counter()
        try:
            results = asyncio.run(_everyone(url, tokens, timeout_s * 1000, chromium))
            wall = time.perf_counter() - t0
            server_peak = _proc_mb(servers[0].pid, "status", "VmHWM")
            server_cpu = _cpu_seconds(servers[0].pid)
        finally:
            done.set()
            app.close()  # stops the server
        own = resource.getrusage(resource.RUSAGE_SELF)
        store = open_store(db)
        try:
            stored = survey_data.stored(store, round_id)
        finally:
            store.close()
    ok = [r for r in results if "error" not in r]
    times = [r["seconds"] for r in ok]
    sent = sorted(r["sent_at"] for r in ok)
    return {
        "times": times,
        "first": times[0] if times else None,
        "people": people,
        "wall_seconds": wall,
        "p95": _p95(times),
        "driver_p95": _p95([r["driver_seconds"] for r in ok]),
        **{
            f"{part}_{name}": stat([r[f"{part}_seconds"] for r in ok]) if ok else None
            for part in ("server", "drawing")
            for name, stat in (("median", statistics.median), ("p95", _p95))
        },
        "errors": [r["error"] for r in results if "error" in r][:5],
        "failed": len(results) - len(ok),
        "answering_median": statistics.median(r["answering_seconds"] for r in ok) if ok else None,
        "send_spread": sent[-1] - sent[0] if sent else None,
        "sections": dict(Counter(r["sections"] for r in ok)),
        "server_peak_mb": server_peak,
        "browser_peak_mb": browser_peak[0],
        "server_cpu_seconds": server_cpu,
        "browser_cpu_seconds": sum(cpu for _, cpu in browser_cpu.values()),
        "browser_cpu_by_process": _by_name(browser_cpu.values()),
        "driver_cpu_seconds": own.ru_utime + own.ru_stime,
        **stored,
    }


def _p95(values: list[float]) -> float | None:
    return float(np.percentile(values, 95)) if values else None
