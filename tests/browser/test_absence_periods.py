"""Sygefravær in the real app: the konsulent picks whole months only, and a unit the konsulent's whole-area
table hides is hidden on its own leader's page too (issue 14)."""

import pytest
from playwright.sync_api import Page, expect

from conftest import DEMO_TODAY
from trivsel import auth, demo
from trivsel.store import open_store
from trivsel.ui import figures

from .conftest import log_in, log_out, start_app, wait_idle


@pytest.fixture(scope="module")
def hjm_url(tmp_path_factory, browser):
    """The demo with a leader for Hjælpemiddeldepotet, which the whole area hides in 2025 so that
    Sundhed og Omsorg minus its visible units does not give Demenskoordinatorerne (3 persons)."""
    db = tmp_path_factory.mktemp("absence") / "demo.duckdb"
    store = open_store(db)
    demo.load(store, seed=1, today=DEMO_TODAY)
    auth.add_user(store, "leder.hjm", "leder", demo.DEMO_PASSWORD, "SO-HJM", actor="test")
    store.close()
    yield from start_app(db)


def choose(page: Page, label: str, option: str) -> None:
    box = page.get_by_role("combobox", name=label, exact=True)
    box.click()
    box.fill(option)  # the list shows only some options at a time; typing narrows it
    page.get_by_role("option", name=option, exact=True).click()
    wait_idle(page)


def test_konsulent_picks_whole_months_and_the_leader_sees_the_same_unit_hidden(page: Page, hjm_url):
    log_in(page, hjm_url, "konsulent")
    page.locator("[data-testid=stSidebarNav]").get_by_role("link", name="Sygefravær").click()
    expect(page.get_by_role("heading", name="Udvikling måned for måned")).to_be_visible()
    expect(page.locator("[data-testid=stDateInput]")).to_have_count(0)
    page.get_by_role("combobox", name="Periode: fra", exact=True).click()
    options = page.get_by_role("option")
    expect(options.first).to_be_visible()
    months = {
        "januar",
        "februar",
        "marts",
        "april",
        "maj",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "december",
    }
    assert all(text.split()[0] in months and len(text.split()) == 2 for text in options.all_inner_texts())
    page.keyboard.press("Escape")
    choose(page, "Periode: fra", "januar 2025")
    choose(page, "Periode: til og med", "december 2025")
    choose(page, "Enhed", "Hjælpemiddeldepotet")
    expect(page.get_by_role("heading", name="Hjælpemiddeldepotet")).to_be_visible()
    expect(page.get_by_text("Periode 01-01-2025 – 31-12-2025")).to_be_visible()
    expect(page.locator("[data-testid=stMetricValue]").first).to_have_text(figures.HIDDEN_CARD)
    log_out(page)

    log_in(page, hjm_url, "leder.hjm")
    page.locator("[data-testid=stSidebarNav]").get_by_role("link", name="Sygefravær").click()
    expect(page.get_by_role("heading", name="Udvikling måned for måned")).to_be_visible()
    # The leader may read single spells (the 1-5-14 list), so any days will do; here the same year.
    for end, digits in (("start", "01012025"), ("end", "31122025")):
        page.get_by_role("spinbutton", name=f"day, Periode {end} date").click()
        page.keyboard.type(digits)
    page.get_by_role("heading", name="Sygefravær").click()  # the field takes the dates when it loses focus
    wait_idle(page)
    expect(page.get_by_text("Periode 01-01-2025 – 31-12-2025")).to_be_visible()
    expect(page.get_by_role("heading", name="Hjælpemiddeldepotet")).to_be_visible()
    expect(page.locator("[data-testid=stMetricValue]").first).to_have_text(figures.HIDDEN_CARD)
