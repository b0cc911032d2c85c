"""Danish everywhere in the real app (issue 17, item 6): the absence trend's months and its toolbar, decimal
commas, dd-mm-yyyy in the audit log, and none of Streamlit's English fallbacks on a few pages."""

import re

from playwright.sync_api import Page, expect

from trivsel import demo

from .conftest import ARTIFACTS, log_in, log_out, wait_idle

LOGINS = {role: username for username, role, _ in demo.DEMO_USERS}
ENGLISH = re.compile(r"\bNone\b|Select all|Choose an option|No options to select|\bempty\b|\bNaN\b")


def open_page(page: Page, title: str) -> None:
    page.locator("[data-testid=stSidebarNav]").get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    wait_idle(page)


def assert_no_english(page: Page) -> None:
    text = page.locator("[data-testid=stMain]").inner_text()
    assert not ENGLISH.findall(text), ENGLISH.findall(text)


def test_absence_trend_and_audit_log_read_in_danish(page: Page, app_url):
    log_in(page, app_url, LOGINS["sygefravaersraadgiver"])
    open_page(page, "Sygefravær")
    trend = page.locator("[data-testid=stPlotlyChart]").first
    trend.scroll_into_view_if_needed()
    ticks = trend.locator("g.xtick text")
    expect(ticks.first).to_have_text("jul. 2022")  # the baseline period starts the axis
    months = ticks.all_text_contents()  # SVG text has no innerText
    assert all(re.fullmatch(r"(jan|jul)\. \d{4}", m) for m in months), months
    trend.hover()
    expect(trend.locator(".modebar-btn[data-title='Nulstil akserne']")).to_have_count(1)
    assert not trend.locator(".modebar-btn[data-title='Reset axes']").count()
    delta = page.get_by_test_id("stMetricDelta").first
    expect(delta).to_have_text(re.compile(r"^[+-]\d+,\d point$"))  # "+0,7 point", never "+0.7"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / "sygefravaer_dansk.png", full_page=True)
    assert_no_english(page)
    open_page(page, "1-5-14 opfølgning")
    assert_no_english(page)

    log_out(page)
    log_in(page, app_url, LOGINS["admin"])
    open_page(page, "Revisionslog")
    actions = page.get_by_role("combobox", name="Vis kun handlinger")
    actions.click()
    expect(page.get_by_role("option", name="Select all")).to_have_count(0)
    # Earlier tests on the shared server log much more: filter, so the demo's row is among those drawn.
    page.get_by_role("option", name="Demodata indlæst").click()
    page.keyboard.press("Escape")
    wait_idle(page)
    cells = page.locator("[data-testid=stDataFrame] td[role=gridcell]")
    expect(cells.filter(has_text="Demodata indlæst")).to_have_count(1)
    page.screenshot(path=ARTIFACTS / "revisionslog.png", full_page=True)
    shown = cells.all_inner_texts()
    assert any(re.fullmatch(r"\d{2}-\d{2}-\d{4} \d{2}:\d{2}:\d{2}", c) for c in shown), shown[:8]
    assert not [c for c in shown if re.search(r"\d{4}-\d{2}-\d{2}|[{}\"]", c)]  # no ISO dates, no JSON
    assert_no_english(page)
    for title in ("Brugere og adgang", "Organisation"):
        open_page(page, title)
        assert_no_english(page)
