"""Group supervision in the real app: a request through a staff link on a phone, its status by reference
code, and the supervisor working it from new to closed."""

import re

from playwright.sync_api import Page, expect

from .conftest import log_in, open_app, wait_idle

CODE = re.compile(r"^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$")
DESCRIPTION = "Browsertest: vi vil gerne tale om, hvordan vi samarbejder på aftenvagterne."


def choose(page: Page, text: str) -> None:
    page.get_by_text(text, exact=True).click()
    wait_idle(page)


def type_into(page: Page, label: str, value: str) -> None:
    field = page.get_by_label(label)
    field.fill(value)
    field.press("Tab")  # Streamlit takes the value when the field loses focus
    wait_idle(page)


def next_section(page: Page, number: int) -> None:
    page.get_by_role("button", name="Næste").click()
    expect(page.get_by_text(re.compile(rf"^{number} / 3:"))).to_be_visible()


def test_request_by_staff_link_status_by_code_and_the_queue_to_closed(page: Page, browser, app_url, demo_tokens):
    _, tokens, _ = demo_tokens
    page.set_viewport_size({"width": 390, "height": 844})
    # Sundhed og Omsorg has no staff of its own, so its link has no open survey: the page offers supervision.
    open_app(page, f"{app_url}/medarbejder?adgang={tokens['SO']}")
    expect(page.get_by_text("Der er ingen åbne spørgeskemaer for din enhed lige nu.")).to_be_visible()
    page.get_by_role("link", name="Bed om gruppesupervision til jeres gruppe").click()
    expect(page.get_by_role("heading", name="Bed om supervision")).to_be_visible()
    expect(page.get_by_text("Sundhed og Omsorg", exact=True)).to_be_visible()
    expect(page.locator("[data-testid=stSidebarNav]")).to_have_count(0)

    type_into(page, "Dit navn", "Mette Browser")
    type_into(page, "eller telefonnummer", "mette.browser@kommune.dk")
    choose(page, "Medarbejder")
    next_section(page, 2)
    type_into(page, "Hvor mange personer skal deltage?", "6")
    choose(page, "Samarbejde i teamet")
    type_into(page, "Beskriv kort", DESCRIPTION)
    choose(page, "Inden for 2 uger")
    choose(page, "Ja")
    next_section(page, 3)
    page.get_by_role("button", name="Send anmodning").click()
    expect(page.get_by_text("Tak. Din anmodning er sendt til supervisoren.")).to_be_visible()
    code = page.get_by_text(CODE).inner_text().strip()

    page.get_by_role("link", name="Se status med koden").click()
    expect(page.get_by_text("Status: Modtaget")).to_be_visible()
    expect(page.get_by_text(DESCRIPTION)).to_have_count(0)

    # Later, on another device: the code typed by hand shows the status and nothing else.
    other = browser.new_context().new_page()
    open_app(other, f"{app_url}/supervision-status")
    other.get_by_label("Referencekode").fill(code.lower())
    other.get_by_role("button", name="Se status").click()
    expect(other.get_by_text("Status: Modtaget")).to_be_visible()
    expect(other.get_by_text("Mette Browser")).to_have_count(0)

    # The supervisor works it from new to closed.
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, app_url, "supervisor")
    page.locator("[data-testid=stSidebarNav]").get_by_role("link", name="Supervision").click()
    expect(page.get_by_role("heading", name="Supervision – anmodninger")).to_be_visible()
    picker = page.get_by_role("combobox", name=re.compile("Anmodning"))
    picker.click()
    picker.fill("Sundhed og Omsorg")
    page.get_by_role("option", name=re.compile("Sundhed og Omsorg")).first.click()
    wait_idle(page)
    expect(page.get_by_text(DESCRIPTION)).to_be_visible()
    expect(page.get_by_text("Mette Browser")).to_be_visible()

    page.get_by_role("button", name="Gem plan").click()
    expect(page.get_by_text(re.compile(r"Anmodning nr\. \d+ er planlagt\."))).to_be_visible()
    page.get_by_role("button", name="Første session er holdt: markér som i gang").click()
    expect(page.get_by_text(re.compile(r"Anmodning nr\. \d+ er sat i gang\."))).to_be_visible()
    wait_idle(page)
    close_tab = page.get_by_role("tab", name="Afslut", exact=True)
    expect(close_tab).to_have_count(1)  # the tabs of the planned request are gone once the rerun is done
    close_tab.click()
    page.get_by_role("button", name="Afslut anmodningen").click()
    expect(page.get_by_text(re.compile(r"Anmodning nr\. \d+ er afsluttet\."))).to_be_visible()
    expect(page.get_by_text("Afsluttet", exact=True).first).to_be_visible()

    open_app(other, f"{app_url}/supervision-status?kode={code}")
    expect(other.get_by_text("Status: Afsluttet")).to_be_visible()
    other.context.close()
