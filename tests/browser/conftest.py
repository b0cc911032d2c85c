"""Browser tests: the real app under `streamlit run`, driven in Debian's Chromium by Playwright."""

import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

sys.path.insert(0, str(Path(__file__).parents[2]))  # the benchmarks package lives at the project root

# The tests import these from here; they live in benchmarks/browser_driver.py, which the benchmarks share.
from benchmarks.browser_driver import (  # noqa: F401
    CHROMIUM_FLAGS,
    ROOT,
    BrowserSetupError,
    answer_section,
    answer_survey,
    chromium_path,
    free_port,
    open_app,
    start_app,
    wait_idle,
)

from conftest import DEMO_TODAY, keep_demo_rounds_open
from trivsel import config, demo
from trivsel.store import open_store
from trivsel.supervision import queue, requests
from trivsel.surveys import rounds
from trivsel.surveys.definitions import load_all
from trivsel.ui import login_cookie

ARTIFACTS = ROOT / "tests" / "artifacts"
# Shared CI machines are slow at times; a real failure still fails, only later.
expect.set_options(timeout=20_000)


def pytest_collection_modifyitems(items):
    for item in items:
        if "browser" in str(item.path):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def demo_tokens(tmp_path_factory) -> tuple[Path, dict[str, str], list[str]]:
    """A demo database for the server; each unit's staff-link token and a code round's codes for
    Familiehuset, read before the server locks the file."""
    db = tmp_path_factory.mktemp("browser") / "demo.duckdb"
    store = open_store(db)
    demo.load(store, seed=1, today=DEMO_TODAY)
    keep_demo_rounds_open(store)
    tokens = dict(store.query_all("SELECT unit_id, token FROM unit_access_links WHERE revoked_at IS NULL"))
    survey = load_all(config.surveys_dir())["trivsel"]
    today = date.today()
    _, codes = rounds.create_round(
        store, survey, "Koderunde", today - timedelta(days=1), today + timedelta(days=7), ["SOC-FAMH"], "code", "test"
    )
    store.close()
    return db, tokens, codes["code"].tolist()


@pytest.fixture(scope="session")
def planned_request(demo_tokens) -> tuple[str, date]:
    """A supervision request with its first session planned: its reference code and that session's date,
    written before the server locks the file."""
    db, *_ = demo_tokens
    store = open_store(db)
    today = date.today()
    survey = load_all(config.surveys_dir())[requests.SURVEY_ID]
    code = requests.submit(
        store,
        survey,
        "SOC-BO-ENG-1",
        {
            "contact_name": "Planlagt Browsertest",
            "contact": "12345678",
            "role": "leder",
            "group_size": 5,
            "topic": "faglig_sparring",
            "description": "Planlagt i browsertesten.",
            "urgency": "ingen_hast",
            "leader_knows": "er_selv_leder",
        },
        today,
    )
    request_id = store.query_value(
        "SELECT request_id FROM supervision_requests WHERE status_code_hash = ?", [requests.hash_code(code)]
    )
    first = today + timedelta(days=17)
    queue.plan(store, request_id, 1, [first, first + timedelta(weeks=3)], 4, "supervisor", today)
    store.close()
    return code, first


@pytest.fixture(scope="session")
def app_url(demo_tokens, planned_request):
    db, *_ = demo_tokens
    yield from start_app(db)


@pytest.fixture(scope="package")  # ended with the browser tests: its event loop would stop later asyncio.run()
def browser():
    try:
        path = chromium_path()
    except BrowserSetupError as exc:
        pytest.fail(str(exc))  # a missing browser is a failure, never a skip
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser) -> Page:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="da-DK")
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


def _login_cookie(page: Page) -> str | None:
    return next((c["value"] for c in page.context.cookies() if c["name"] == login_cookie.NAME), None)


def log_in(page: Page, url: str, username: str, password: str = demo.DEMO_PASSWORD) -> None:
    before = _login_cookie(page)  # a logout leaves its (dead) cookie until the next login replaces it
    open_app(page, url)
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(password)
    page.get_by_role("button", name="Log ind").click()
    expect(page.get_by_role("heading", name="Forside")).to_be_visible()
    # The login cookie follows from a script on the page: a test that opens an address right away would
    # otherwise, on a slow machine, arrive before it and be logged out.
    for _ in range(200):
        if _login_cookie(page) not in (None, before):
            return
        page.wait_for_timeout(100)
    raise AssertionError("the login cookie never came")


def log_out(page: Page) -> None:
    """Press *Log ud* and wait for the login page: leaving before that run has ended the session would
    keep it alive (a reload then lands logged in, as it should for a live session)."""
    page.get_by_role("button", name="Log ud").click()
    expect(page.get_by_role("button", name="Log ind")).to_be_visible()
