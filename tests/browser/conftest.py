"""Browser tests: the real app under `streamlit run`, driven in Debian's Chromium by Playwright."""

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from conftest import DEMO_TODAY
from trivsel import config, demo
from trivsel.store import open_store
from trivsel.surveys import rounds
from trivsel.surveys.definitions import load_all

ROOT = Path(__file__).parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
# Shared CI machines are slow at times; a real failure still fails, only later.
expect.set_options(timeout=20_000)
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "browser" in str(item.path):
            item.add_marker(pytest.mark.browser)


def chromium_path() -> str:
    path = os.environ.get("TRIVSEL_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        # A missing browser is a failure, never a skip: `make test` installs it.
        pytest.fail("Chromium blev ikke fundet. Kør 'make test', som installerer det, eller sæt TRIVSEL_CHROMIUM.")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def demo_tokens(tmp_path_factory) -> tuple[Path, dict[str, str], list[str]]:
    """A demo database for the server; each unit's staff-link token and a code round's codes for
    Familiehuset, read before the server locks the file."""
    db = tmp_path_factory.mktemp("browser") / "demo.duckdb"
    store = open_store(db)
    demo.load(store, seed=1, today=DEMO_TODAY)
    tokens = dict(store.query_all("SELECT unit_id, token FROM unit_access_links WHERE revoked_at IS NULL"))
    survey = load_all(config.surveys_dir())["trivsel"]
    today = date.today()
    _, codes = rounds.create_round(store, survey, "Koderunde", today - timedelta(days=1), today + timedelta(days=7),
                                   ["SOC-FAMH"], "code", "test")
    store.close()
    return db, tokens, codes["code"].tolist()


def start_app(db: Path, cwd: Path = ROOT, before_start=None):
    """Run `streamlit run app.py` on a free port against `db`; yield its URL, stop it afterwards.

    `before_start(url)` may prepare files that depend on the URL (the SSO redirect address).
    """
    port = free_port()
    if before_start is not None:
        before_start(f"http://127.0.0.1:{port}")
    log = open(db.parent / f"streamlit-{port}.log", "w")  # noqa: SIM115 (closed when the server stops)
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false"],
        cwd=cwd, env={**os.environ, "TRIVSEL_DB": str(db), "TRIVSEL_BASE_URL": f"http://127.0.0.1:{port}"},
        stdout=log, stderr=subprocess.STDOUT,
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
            pytest.fail(f"Streamlit startede ikke; se {log.name}")
        time.sleep(0.3)
    try:
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


def warm_up(browser, url: str) -> None:
    """Run the app once. Streamlit registers st.navigation's pages on the first script run, so the
    very first visitor of a sub-page after a restart sees a "Page not found" notice above the
    right page (streamlit/streamlit#9992); staff links are sub-pages."""
    page = browser.new_page()
    open_app(page, url)
    page.close()


@pytest.fixture(scope="session")
def app_url(demo_tokens, browser):
    db, *_ = demo_tokens
    for url in start_app(db):
        warm_up(browser, url)
        yield url


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser) -> Page:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="da-DK")
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


def open_app(page: Page, url: str) -> None:
    page.goto(url)
    wait_idle(page)


def log_in(page: Page, url: str, username: str, password: str = demo.DEMO_PASSWORD) -> None:
    open_app(page, url)
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(password)
    page.get_by_role("button", name="Log ind").click()
    expect(page.get_by_role("heading", name="Forside")).to_be_visible()


def wait_idle(page: Page) -> None:
    """Wait for the script run to finish and for the previous run's leftover elements to go."""
    page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]")
    expect(page.locator("[data-stale=true]")).to_have_count(0)


def answer_section(page: Page) -> None:
    """Pick an answer for every unanswered question on the current section (each click reruns the script)."""
    wait_idle(page)  # the previous section's questions are gone only when the run has finished
    groups = page.get_by_role("radiogroup")
    i = 0
    while i < groups.count():  # counted afresh: a late rerun may still remove stale questions
        radios = groups.nth(i).get_by_role("radio")
        if not any(radios.nth(j).is_checked() for j in range(radios.count())):
            groups.nth(i).locator("label").first.click()
            expect(radios.first).to_be_checked()
            wait_idle(page)
        i += 1


def answer_survey(page: Page, sections_to_answer: int | None = None) -> int:
    """Answer and move through sections until "tak" (or the given number); return sections answered."""
    done = 0
    progress_text = page.get_by_text(re.compile(r"^\d+ / \d+:"))
    while sections_to_answer is None or done < sections_to_answer:
        expect(page.get_by_role("progressbar")).to_be_visible()
        before = progress_text.inner_text()
        for _attempt in range(3):  # a click that lands mid-rerun is retried, as a person would
            answer_section(page)
            send = page.get_by_role("button", name="Send svar")
            if send.count():
                send.click()
                try:
                    expect(page.get_by_text("Tak for dine svar")).to_be_visible(timeout=10_000)
                    return done + 1
                except AssertionError:
                    continue
            page.get_by_role("button", name="Næste").click()
            try:
                expect(progress_text).not_to_have_text(before, timeout=10_000)
                break
            except AssertionError:
                continue
        else:
            raise AssertionError(f"could not leave the section {before!r}")
        done += 1
    return done
