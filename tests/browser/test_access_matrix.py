"""Every page, for every role and with no login, in the real app: allowed or refused."""

import re

import pytest
from playwright.sync_api import Page, expect

from trivsel import demo
from trivsel.ui import navigation

from .conftest import log_in, open_app, wait_idle

LOGINS = {role: username for username, role, _ in demo.DEMO_USERS}


def visit(page: Page, url_path: str) -> None:
    """Navigate inside the session, as the menu or the browser's back button would."""
    page.evaluate(f"history.pushState({{}}, '', '/{url_path}'); window.dispatchEvent(new PopStateEvent('popstate'))")
    expect(page.get_by_role("heading", level=1).first).to_be_visible()
    wait_idle(page)


def test_no_page_opens_without_login(page: Page, app_url):
    for spec in navigation.PAGES:
        open_app(page, f"{app_url}/{spec.url_path}")
        expect(page.get_by_text("Du skal logge ind for at se denne side.")).to_be_visible()
        expect(page.locator("[data-testid=stDataFrame]")).to_have_count(0)


@pytest.mark.parametrize("role", sorted(LOGINS))
def test_each_role_opens_exactly_its_pages(page: Page, app_url, role):
    log_in(page, app_url, LOGINS[role])
    for spec in navigation.PAGES:
        visit(page, spec.url_path)
        refusal = page.get_by_text(re.compile(r"^Ingen adgang\. Rollen"))
        if role in spec.roles:
            expect(refusal).to_have_count(0)
            expect(page.get_by_role("heading", name=spec.title, level=1)).to_be_visible()
        else:
            expect(refusal).to_be_visible()
            expect(page.locator("[data-testid=stDataFrame]")).to_have_count(0)
            expect(page.locator(".js-plotly-plot")).to_have_count(0)
