"""After a (nightly) restart, the first request is often a member of staff opening a unit link. It must
show the survey and nothing else: no English "Page not found" box (streamlit/streamlit#9992)."""

from datetime import date

from playwright.sync_api import Page, expect

from trivsel import demo
from trivsel.store import open_store

from .conftest import open_app, start_app


def test_a_staff_link_as_the_very_first_request_after_a_start(page: Page, tmp_path):
    db = tmp_path / "demo.duckdb"
    store = open_store(db)
    demo.load(store, seed=1, today=date.today())
    token = store.query_value("SELECT token FROM unit_access_links WHERE unit_id = 'SO-PC-SOL'")
    store.close()
    page.set_viewport_size({"width": 390, "height": 844})
    for url in start_app(db):
        open_app(page, f"{url}/medarbejder?adgang={token}")  # nothing has visited this server before
        expect(page.get_by_text("Trivsel for medarbejdere")).to_be_visible()
        expect(page.get_by_text("Plejecenter Solgården").first).to_be_visible()
        assert page.get_by_text("Page not found").count() == 0
        assert page.locator("[data-testid=stPageNotFound], [data-testid=stToast]").count() == 0


def test_the_login_address_opens_the_login_form_when_logged_out(page: Page, app_url):
    """A bookmarked or mailed /login link: the login form, not "Page not found" above it."""
    open_app(page, f"{app_url}/login")
    expect(page.get_by_role("button", name="Log ind")).to_be_visible()
    assert page.get_by_text("Page not found").count() == 0
    assert page.locator("[data-testid=stPageNotFound], [data-testid=stToast]").count() == 0
