"""Driving the real app in Debian's Chromium: starting `streamlit run app.py`, finding the browser, and
answering a survey the way a person does. Used by the browser tests (through their conftest) and by the
benchmarks (P7: 30 browsers answering at once), so it is a plain module, not a conftest. It lives here
because the benchmarks import nothing from tests/; the tests already import the benchmarks package.

The answering steps are written once and run with Playwright's sync API (the tests) or its async API
(the benchmark drives 30 pages from one Python thread); see "the steps, for both APIs" below.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.async_api import Page as AsyncPage
from playwright.async_api import expect as async_expect
from playwright.sync_api import Page, expect

ROOT = Path(__file__).parents[1]
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
# What the helpers wait for: the script run has finished, and the previous run's elements are gone.
IDLE = "[data-testid=stApp][data-test-script-state=notRunning]"
STALE = "[data-stale=true]"
PROGRESS = re.compile(r"^\d+ / \d+:")  # "2 / 5: Dit arbejde", the survey's progress line
NEXT, SEND, THANKS = "Næste", "Send svar", "Tak for dine svar"
RETRY_MS = 10_000  # a click that changed nothing within this long is taken as lost in a rerun


class BrowserSetupError(RuntimeError):
    """Chromium or the app server is missing or does not start (a failure, never a skip)."""


def chromium_path() -> str:
    path = os.environ.get("TRIVSEL_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        # `make test` installs it.
        raise BrowserSetupError(
            "Chromium blev ikke fundet. Kør 'make test', som installerer det, eller sæt TRIVSEL_CHROMIUM."
        )
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(
    db: Path,
    cwd: Path = ROOT,
    before_start=None,
    on_start=None,
    module: str = "trivsel.web",
    options: tuple[str, ...] = (),
):
    """Run the app (`python -m trivsel.web`, i.e. `streamlit run app.py`) on a free port against `db`; yield its
    URL, stop it afterwards.

    `before_start(url)` may prepare files that depend on the URL (the SSO redirect address);
    `on_start(process)` gets the server's process once it answers. `module` replaces trivsel.web by a launcher
    that starts it (benchmarks.soak_server) and `options` are more flags for it.
    """
    port = free_port()
    if before_start is not None:
        before_start(f"http://127.0.0.1:{port}")
    log = open(db.parent / f"streamlit-{port}.log", "w")  # noqa: SIM115 (closed when the server stops)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            module,
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(port),
            "--browser.gatherUsageStats",
            "false",
            *options,
        ],
        cwd=cwd,
        env={**os.environ, "TRIVSEL_DB": str(db), "TRIVSEL_BASE_URL": f"http://127.0.0.1:{port}"},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            log.close()
            raise BrowserSetupError(f"Streamlit startede ikke; se {log.name}")
        time.sleep(0.3)
    if on_start is not None:
        on_start(server)
    try:
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


# ---------------------------------------------------------------- sync API (the browser tests)


def open_app(page: Page, url: str) -> None:
    page.goto(url)
    wait_idle(page)


def wait_idle(page: Page) -> None:
    """Wait for the script run to finish and for the previous run's leftover elements to go."""
    _run(_idle_steps(page, expect, None))


def answer_section(page: Page) -> None:
    """Pick an answer for every unanswered question on the current section."""
    _run(_section_steps(page, expect, None))


def answer_survey(page: Page, sections_to_answer: int | None = None) -> int:
    """Answer and move through sections until "tak" (or the given number); return sections answered."""
    return _run(_survey_steps(page, expect, sections_to_answer, send=True, timeout=None, retry_ms=RETRY_MS))


# ---------------------------------------------------------------- async API (the benchmark)


async def wait_idle_async(page: AsyncPage, timeout_ms: float) -> None:
    await _run_async(_idle_steps(page, async_expect, timeout_ms))


async def answer_to_send(page: AsyncPage, timeout_ms: float, retry_ms: float = RETRY_MS) -> int:
    """Answer every section as answer_survey does, until the last one is answered and "Send svar" is
    on the page; the caller sends. Returns the sections answered."""
    return await _run_async(_survey_steps(page, async_expect, None, send=False, timeout=timeout_ms, retry_ms=retry_ms))


# ---------------------------------------------------------------- the steps, for both APIs
#
# Each step is written once, as a generator: every `yield` hands over one Playwright call, which with
# the sync API has already run and is its result, and with the async API is an awaitable that the
# runner awaits; either way the result (or the exception) comes back at the `yield`. `expect_` is the
# API's own expect; a timeout of None is Playwright's default.


def _run(steps):
    """Drive steps made with the sync API: each yielded value is already the call's result."""
    try:
        value = next(steps)
        while True:
            value = steps.send(value)
    except StopIteration as finished:
        return finished.value


async def _run_async(steps):
    """Drive steps made with the async API: await each call and hand back its result or exception."""
    try:
        call = next(steps)
        while True:
            try:
                value = await call
            except Exception as exc:  # noqa: BLE001 (not swallowed: raised inside the steps, at their yield)
                call = steps.throw(exc)
            else:
                call = steps.send(value)
    except StopIteration as finished:
        return finished.value


def _idle_steps(page, expect_, timeout):
    yield page.wait_for_selector(IDLE, timeout=timeout)
    yield expect_(page.locator(STALE)).to_have_count(0, timeout=timeout)


def _section_steps(page, expect_, timeout):
    yield from _idle_steps(page, expect_, timeout)  # the previous section's questions go when the run ends
    groups = page.get_by_role("radiogroup")
    i = 0
    while i < (yield groups.count()):  # counted afresh: a late rerun may still remove stale questions
        if not (yield groups.nth(i).get_by_role("radio", checked=True).count()):
            # A section is a form: a click on an answer stays in the page until the section's button.
            yield groups.nth(i).locator("label").first.click(timeout=timeout)
            yield expect_(groups.nth(i).get_by_role("radio").first).to_be_checked(timeout=timeout)
        i += 1


def _survey_steps(page, expect_, sections_to_answer: int | None, send: bool, timeout, retry_ms: float):
    done = 0
    progress_text = page.get_by_text(PROGRESS)
    while sections_to_answer is None or done < sections_to_answer:
        yield expect_(page.get_by_role("progressbar")).to_be_visible(timeout=timeout)
        before = yield progress_text.inner_text(timeout=timeout)
        for _attempt in range(3):  # a click that lands mid-rerun is retried, as a person would
            yield from _section_steps(page, expect_, timeout)
            send_button = page.get_by_role("button", name=SEND)
            if (yield send_button.count()):
                if not send:
                    return done + 1
                yield send_button.click(timeout=timeout)
                try:
                    yield expect_(page.get_by_text(THANKS)).to_be_visible(timeout=retry_ms)
                    return done + 1
                except AssertionError:
                    yield from _idle_steps(page, expect_, timeout)  # a slow run may still have sent it
                    if (yield page.get_by_text(THANKS).count()):
                        return done + 1
                    continue
            yield page.get_by_role("button", name=NEXT).click(timeout=timeout)
            try:
                yield expect_(progress_text).not_to_have_text(before, timeout=retry_ms)
                break
            except AssertionError:
                # A slow run may still move on: clicking again then would skip the next section unanswered.
                yield from _idle_steps(page, expect_, timeout)
                if (yield progress_text.inner_text(timeout=timeout)) != before:
                    break
                continue
        else:
            raise AssertionError(f"could not leave the section {before!r}")
        done += 1
    return done
