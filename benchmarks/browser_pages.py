"""P9: every page as every role that may open it, in Chromium, from navigation to the page's main content
visible; the first visit after a server start, then warm visits.

For each (page, role): a fresh `python -m trivsel.web` on a copy of the database (benchmarks.browser_driver),
a fresh browser context of one Chromium, a login through the login page, then the page opened the way the
menu opens it (the address changes inside the running app). "Main content visible" is, for every page:
its title (h1) is on the page, Streamlit has finished the script run and removed the previous page's
elements, and every Plotly chart has drawn its SVG (SHOWN). The public pages (no login)
are opened by address, as a link or a QR code opens them; the staff page through a unit's staff link of an
open round, on a phone-sized page.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from benchmarks import browser_driver as driver
from benchmarks import survey_data
from trivsel import auth
from trivsel.roles import SCOPED
from trivsel.store import open_store
from trivsel.ui import navigation

PASSWORD = "kun-til-benchmark"
DESKTOP, PHONE = {"width": 1280, "height": 900}, {"width": 390, "height": 844}
TIMEOUT_MS = 120_000
# Shown, checked in the page at every frame: the page's title (h1, or any h1 for a page opened by address) is
# visible, Streamlit has finished the script run (IDLE) and removed the previous page's elements (STALE), no
# element still waits for its code (Streamlit loads the table and chart components when a page first shows one,
# and shows a skeleton until then), and every Plotly chart has its SVG. One in-page check, not Playwright's
# expect: that polls after 20, 50, 100 and 100 ms and then every 500 ms, and added up to half a second to a visit.
SHOWN = f"""title => [...document.querySelectorAll('h1')]
    .some(heading => heading.checkVisibility() && heading.textContent.includes(title))
  && document.querySelector('{driver.IDLE}') && !document.querySelector('{driver.STALE}')
  && !document.querySelector('[data-testid=stSkeleton]')
  && [...document.querySelectorAll('[data-testid=stPlotlyChart]')].every(chart => chart.querySelector('.main-svg'))"""


@dataclass(frozen=True)
class Visit:
    spec: navigation.PageSpec
    role: str | None  # None: a public page, no login

    @property
    def name(self) -> str:
        return f"{self.spec.title} ({self.spec.script}) as {self.role or 'no login'}"


def visits() -> list[Visit]:
    """Every page of the menu for every role that may open it, then the public pages."""
    menu = [Visit(spec, role) for spec in navigation.PAGES for role in sorted(spec.roles)]
    return menu + [Visit(spec, None) for spec in navigation.PUBLIC]


def leader_unit(db: Path) -> str:
    """The leader's scope: the largest unit under the top (most units in its subtree)."""
    store = open_store(db)
    try:
        return store.query_value(
            """WITH RECURSIVE tree(top, unit_id) AS (
                   SELECT unit_id, unit_id FROM units
                   WHERE parent_id IN (SELECT unit_id FROM units WHERE parent_id IS NULL)
                   UNION ALL SELECT tree.top, units.unit_id FROM units JOIN tree ON units.parent_id = tree.unit_id)
               SELECT top FROM tree GROUP BY top ORDER BY count(*) DESC, top LIMIT 1"""
        )
    finally:
        store.close()


def prepare(db: Path, staff_db: Path, folder: Path) -> tuple[Path, Path, str, str]:
    """Copies of the page database (with one user per role) and of the staff database (with an open link
    round); the leader's unit and a staff link's token."""
    pages_copy, staff_copy = folder / "pages.duckdb", folder / "staff.duckdb"
    shutil.copy(db, pages_copy)
    shutil.copy(staff_db, staff_copy)
    unit = add_users(pages_copy, {role for spec in navigation.PAGES for role in spec.roles})
    store = open_store(staff_copy)
    try:
        rnd = survey_data.open_link_round(store, date.today())
        token = store.query_value(
            """SELECT l.token FROM unit_access_links l JOIN round_units u USING (unit_id)
               WHERE u.round_id = ? AND u.persons_at_start > 0 AND l.revoked_at IS NULL
               ORDER BY u.persons_at_start DESC, l.unit_id LIMIT 1""",
            [rnd.round_id],
        )
    finally:
        store.close()
    return pages_copy, staff_copy, unit, token


def add_users(db: Path, roles) -> str:
    """A user `bench.<role>` (password PASSWORD) for each role, the scoped ones leading leader_unit; that unit."""
    unit = leader_unit(db)
    store = open_store(db)
    try:
        for role in sorted(roles):
            if auth.active_identity(store, f"bench.{role}") is None:
                auth.add_user(store, f"bench.{role}", role, PASSWORD, unit if role in SCOPED else None, "bench")
    finally:
        store.close()
    return unit


def _shown(page: Page, title: str | None) -> None:
    page.wait_for_function(SHOWN, arg=title or "", timeout=TIMEOUT_MS)


def go(page: Page, spec: navigation.PageSpec) -> float:
    """Open a page inside the running app, as the menu does; seconds until its content is visible."""
    t0 = time.perf_counter()
    page.evaluate(
        f"history.pushState({{}}, '', '/{spec.url_path}'); window.dispatchEvent(new PopStateEvent('popstate'))"
    )
    _shown(page, spec.title)
    return time.perf_counter() - t0


def _load(page: Page, url: str) -> float:
    """Open an address in the page (a new document); seconds until its content is visible."""
    t0 = time.perf_counter()
    page.goto(url, timeout=TIMEOUT_MS)
    _shown(page, None)
    return time.perf_counter() - t0


def log_in(page: Page, url: str, username: str) -> float:
    """Log in; seconds from the click on "Log ind" to the landing page's content visible."""
    driver.open_app(page, url)
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    t0 = time.perf_counter()
    page.get_by_role("button", name="Log ind").click()
    _shown(page, navigation.PAGES[0].title)
    return time.perf_counter() - t0


def measure(browser, visit: Visit, pages_db: Path, staff_db: Path, token: str, warm: int) -> dict:
    """One visit: a fresh server, the first visit, then `warm` more."""
    spec, staff = visit.spec, visit.spec is navigation.STAFF
    server = driver.start_app(staff_db if staff else pages_db)
    url = next(server)
    context = browser.new_context(viewport=PHONE if staff else DESKTOP, locale="da-DK")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        if visit.role is None:
            address = f"{url}/{spec.url_path}" + (f"?adgang={token}" if staff else "")
            times = [_load(page, address) for _ in range(1 + warm)]
        else:
            landing = log_in(page, url, f"bench.{visit.role}")
            if spec is navigation.PAGES[0]:  # the landing page: its first visit is the one after the login
                times = [landing]
                for _ in range(warm):
                    go(page, navigation.PRIVACY)
                    times.append(go(page, spec))
            else:
                times = [go(page, spec)]
                for _ in range(warm):
                    go(page, navigation.PAGES[0])
                    times.append(go(page, spec))
        return {"first": times[0], "times": times[1:]}
    finally:
        context.close()
        server.close()


def run(db: Path, staff_db: Path, warm: int = 5, only: list[str] | None = None) -> dict:
    """Every visit (or those whose page key is in `only`), each with its first and warm times in seconds."""
    results, errors = {}, {}
    with tempfile.TemporaryDirectory() as tmp:
        pages_db, staff_copy, unit, token = prepare(db, staff_db, Path(tmp))
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=driver.chromium_path(), args=driver.CHROMIUM_FLAGS)
            try:
                for visit in visits():
                    if only and visit.spec.key not in only:
                        continue
                    try:
                        results[visit.name] = measure(browser, visit, pages_db, staff_copy, token, warm)
                    except Exception as exc:  # noqa: BLE001 (the row says so; the other pages are still measured)
                        errors[visit.name] = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
            finally:
                browser.close()
    return {"visits": results, "errors": errors, "leader_unit": unit}
