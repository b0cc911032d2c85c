"""The 1-5-14 list in the real app, as the sygefraværsrådgiver and as a leader: filter to the overdue
conversations, record one, the count of ongoing spells stays, and the status column is never cut off."""

import pytest
from playwright.sync_api import Page, expect

from trivsel.views import followup

from .conftest import ARTIFACTS, log_in, wait_idle


def ongoing(page: Page) -> str:
    metric = page.locator("[data-testid=stMetric]", has_text="Igangværende perioder")
    return metric.locator("[data-testid=stMetricValue]").inner_text()


def status_column_inside_table(page: Page) -> None:
    # The grid draws on a canvas: the status column is the first, at its configured width.
    box = page.locator("[data-testid=stDataFrame]").first.bounding_box()
    assert box, "the table is not drawn"
    cell = {"x": box["x"], "width": followup.WIDTHS["Status"]}
    assert box["x"] <= cell["x"] and cell["x"] + cell["width"] <= box["x"] + box["width"], (box, cell)


@pytest.mark.parametrize("username", ["raadgiver", "leder.solgaarden"])
def test_overdue_filter_record_a_conversation_and_the_count_stays(page: Page, app_url, username):
    log_in(page, app_url, username)
    page.locator("[data-testid=stSidebarNav]").get_by_role("link", name="1-5-14 opfølgning").click()
    expect(page.get_by_role("heading", name="Næste samtale pr. sygeperiode")).to_be_visible()
    before = ongoing(page)

    page.get_by_text("Kun overskredne", exact=True).click()
    wait_idle(page)
    expect(page.locator("[data-testid=stMetric]").first).to_be_visible()
    status_column_inside_table(page)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"followup_{username}_1280.png", full_page=True)

    page.get_by_role("button", name="Registrér").click()
    expect(page.get_by_text("er registreret for")).to_be_visible()
    wait_idle(page)
    assert ongoing(page) == before

    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    wait_idle(page)
    status_column_inside_table(page)
    page.screenshot(path=ARTIFACTS / f"followup_{username}_390.png", full_page=True)
