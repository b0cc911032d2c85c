"""Livsforløb in the real app: the konsulent's page (results per survey, recruitment, schedule) and a leader's
lifecycle letters on *Min enhed*, made and downloaded as a PDF."""

import re

from playwright.sync_api import Page, expect

from .conftest import log_in, log_out, wait_idle


def test_the_konsulent_sees_the_results_and_the_schedule_and_a_leader_makes_the_letters(page: Page, app_url):
    log_in(page, app_url, "konsulent")
    page.locator("[data-testid=stSidebarNav]").get_by_role("link", name="Livsforløb").click()
    expect(page.get_by_role("heading", name="Livsforløb", exact=True)).to_be_visible()
    for heading in ("Breve til nye ledere", "Resultater", "Nye ledere rekrutteret internt"):
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
    wait_idle(page)
    expect(page.get_by_text("Svarprocent pr. lukket halvår")).to_be_visible()
    # the demo's 3-month survey has closed half-years: the rates and the results are tables, not empty states
    expect(page.locator("[data-testid=stDataFrame]")).not_to_have_count(0)
    expect(page.get_by_text("Ingen svar endnu.")).to_have_count(0)
    page.get_by_text("Tidsplan", exact=True).click()
    expect(page.get_by_text(re.compile(r"^3 måneder efter start: "))).to_be_visible()
    expect(page.get_by_role("button", name="Gem tidsplan")).to_be_visible()
    log_out(page)

    log_in(page, app_url, "leder.solgaarden")
    page.locator("[data-testid=stSidebarNav]").get_by_role("link", name="Min enhed").click()
    expect(page.get_by_role("heading", name="Breve til livsforløb")).to_be_visible()
    wait_idle(page)
    make = page.get_by_role("button", name=re.compile(r"^Lav \d+ breve \(PDF\)$"))
    if make.count() == 0:  # the demo's events fall due by the calendar: on some days none are due
        expect(page.get_by_text("Der er ingen breve, der skal laves i dag.")).to_be_visible()
        return
    make.click()
    expect(page.get_by_text(re.compile(r"\d+ breve er lavet\. Hent PDF'en nu"))).to_be_visible()
    with page.expect_download() as info:
        page.get_by_role("button", name="Hent brevene (PDF)").click()
    assert info.value.suggested_filename == "livsforloeb-breve.pdf"
    assert info.value.path().read_bytes().startswith(b"%PDF")
    page.get_by_role("button", name="Jeg har gemt brevene").click()
    expect(page.get_by_text("breve er lavet")).to_have_count(0)
