"""A login survives a reload and a new tab (the HttpOnly login cookie) and ends in every tab at logout;
an expired or forged cookie gets the login page."""

import secrets
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import Page, expect

from trivsel import auth, config
from trivsel.store import open_store
from trivsel.ui.login_cookie import NAME

from .conftest import log_in, open_app, start_app

USER = "konsulent"
PASSWORD = "en-lang-adgangskode"
LOGIN_HEADING = "Trivsel i Velfærdsområdet"


def new_page(browser) -> Page:
    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="da-DK").new_page()
    page.set_default_timeout(20_000)
    return page


def nav(page: Page):
    return page.locator("[data-testid=stSidebarNav]")


def expect_logged_in(page: Page, heading: str) -> None:
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect(page.get_by_text(f"Logget ind som {USER} (Trivselskonsulent)")).to_be_visible()


def expect_login_page(page: Page) -> None:
    expect(page.get_by_role("heading", name=LOGIN_HEADING)).to_be_visible()
    expect(nav(page)).to_have_count(0)


def test_a_login_survives_a_reload_and_a_new_tab_until_logout_in_one_of_them(browser, app_url):
    first = new_page(browser)
    try:
        with first.expect_response(lambda r: r.url.endswith("/api/login-cookie")) as answer:
            log_in(first, app_url, USER)
        assert answer.value.status == 204
        cookie = next(c for c in first.context.cookies() if c["name"] == NAME)
        assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
        assert NAME not in first.evaluate("document.cookie")  # page scripts cannot read it

        first.reload()
        open_app(first, first.url)
        expect_logged_in(first, "Forside")

        second = first.context.new_page()
        open_app(second, f"{app_url}/sygefravaer")
        expect_logged_in(second, "Sygefravær")

        first.get_by_role("button", name="Log ud").click()
        expect_login_page(first)
        nav(second).get_by_role("link", name="Trivsel – overblik").click()
        expect(second.get_by_text("Du er logget ud, fordi du har logget ud i en anden fane")).to_be_visible()
        expect_login_page(second)
        for page in (first, second):  # the cookie is still there, but its session is gone
            page.reload()
            open_app(page, page.url)
            expect_login_page(page)
    finally:
        first.context.close()


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    """A server on a database with a live session and one that has been idle too long, both for USER."""
    db = tmp_path_factory.mktemp("sessions") / "sessions.duckdb"
    store = open_store(db)
    auth.add_user(store, USER, "trivselskonsulent", PASSWORD)
    live = auth.start_session(store, USER)
    expired = auth.start_session(store, USER, now=datetime.now() - timedelta(minutes=config.IDLE_MINUTES + 5))
    store.close()
    for url in start_app(db):
        yield url, {"live": live, "expired": expired, "forged": secrets.token_urlsafe(32)}


def page_with_cookie(browser, url: str, token: str) -> Page:
    page = new_page(browser)
    page.context.add_cookies([{"name": NAME, "value": token, "url": url, "httpOnly": True, "sameSite": "Strict"}])
    return page


def test_the_cookie_of_a_live_session_logs_a_new_browser_tab_in(browser, prepared):
    url, tokens = prepared
    page = page_with_cookie(browser, url, tokens["live"])
    try:
        open_app(page, f"{url}/maalinger")
        expect_logged_in(page, "Målinger")
    finally:
        page.context.close()


def test_an_expired_session_gets_the_login_page(browser, prepared):
    url, tokens = prepared
    page = page_with_cookie(browser, url, tokens["expired"])
    try:
        open_app(page, url)
        expect(page.get_by_text(f"Du er logget ud efter {config.IDLE_MINUTES} minutter uden aktivitet")).to_be_visible()
        expect_login_page(page)
    finally:
        page.context.close()


def test_a_forged_cookie_gets_the_login_page(browser, prepared):
    url, tokens = prepared
    page = page_with_cookie(browser, url, tokens["forged"])
    try:
        open_app(page, url)
        expect_login_page(page)
        open_app(page, f"{url}/sygefravaer")
        expect(page.get_by_text("Du skal logge ind for at se denne side.")).to_be_visible()
        expect(page.get_by_text("Logget ind som")).to_have_count(0)
    finally:
        page.context.close()
