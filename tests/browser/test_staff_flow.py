"""The staff flow on a phone (390 × 844, a staff room without login): the supervision request checks the
contact on the step where it is typed and sends with "Send anmodning", the status page shows the planned
first session, titles break only between words, and the survey says how long it takes."""

import re
from itertools import pairwise

from playwright.sync_api import Page, expect

from .conftest import ARTIFACTS, open_app, wait_idle

PHONE = {"width": 390, "height": 844}

# The rendered lines of a heading's own text (not its anchor icon), read character by character from the
# layout: a new line starts where a character sits lower than the one before it.
HEADING_LINES = """(heading) => {
    const walker = document.createTreeWalker(heading, NodeFilter.SHOW_TEXT, {acceptNode: (node) =>
        node.parentElement.closest("a, svg, [data-testid=stHeaderActionElements]")
            ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT});
    const lines = [];
    let line = "", lineTop = null;
    while (walker.nextNode()) {
        const node = walker.currentNode;
        for (let i = 0; i < node.length; i++) {
            const range = document.createRange();
            range.setStart(node, i);
            range.setEnd(node, i + 1);
            const rect = range.getClientRects()[0];
            if (!rect) continue;  // a collapsed space
            if (lineTop !== null && rect.top > lineTop + rect.height / 2) {
                lines.push(line);
                line = "";
            }
            if (line === "") lineTop = rect.top;
            line += node.data[i];
        }
    }
    lines.push(line);
    return lines;
}"""


def heading_lines(page: Page) -> list[str]:
    return page.get_by_role("heading", level=1).first.evaluate(HEADING_LINES)


def assert_breaks_between_words(page: Page) -> None:
    lines = heading_lines(page)
    assert len(lines) <= 2, lines
    for line, following in pairwise(lines):
        assert line.endswith(" ") or following.startswith(" "), f"the title breaks mid-word: {lines}"


def type_into(page: Page, label: str, value: str) -> None:
    field = page.get_by_label(label)
    field.fill(value)
    field.press("Tab")  # Streamlit takes the value when the field loses focus
    wait_idle(page)


def choose(page: Page, text: str) -> None:
    page.get_by_text(text, exact=True).click()
    wait_idle(page)


def press_next(page: Page) -> None:
    page.get_by_role("button", name="Næste").click()
    wait_idle(page)


def test_a_request_checks_the_contact_on_step_one_and_is_sent_with_send_anmodning(page: Page, app_url, demo_tokens):
    _, tokens, _ = demo_tokens
    page.set_viewport_size(PHONE)
    open_app(page, f"{app_url}/supervision?adgang={tokens['SO-HP-NORD-D']}")
    expect(page.get_by_role("heading", name="Bed om supervision")).to_be_visible()
    assert_breaks_between_words(page)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / "supervision_request_390.png", full_page=True)

    type_into(page, "Dit navn", "Anne Browser")
    type_into(page, "eller telefonnummer", "anne@")
    choose(page, "Medarbejder")
    press_next(page)
    expect(page.get_by_text("e-mailadressen ser ikke rigtig ud (fx navn@kommune.dk)")).to_be_visible()
    expect(page.get_by_text(re.compile(r"^1 / 3:"))).to_be_visible()  # still on the step with the contact
    page.screenshot(path=ARTIFACTS / "supervision_request_contact_390.png", full_page=True)

    type_into(page, "eller telefonnummer", "anne.browser@kommune.dk")
    press_next(page)
    expect(page.get_by_text(re.compile(r"^2 / 3:"))).to_be_visible()
    expect(page.get_by_text("e-mailadressen ser ikke rigtig ud")).to_have_count(0)
    type_into(page, "Hvor mange personer skal deltage?", "4")
    choose(page, "Faglig sparring")
    type_into(page, "Beskriv kort", "Browsertest: sparring om aftenvagterne.")
    choose(page, "Det haster ikke")
    choose(page, "Ja")
    press_next(page)
    expect(page.get_by_text(re.compile(r"^3 / 3:"))).to_be_visible()
    expect(page.get_by_role("button", name="Send svar")).to_have_count(0)
    page.get_by_role("button", name="Send anmodning").click()
    expect(page.get_by_text("Tak. Din anmodning er sendt til supervisoren.")).to_be_visible()


def test_the_status_page_shows_the_planned_first_session(page: Page, app_url, planned_request):
    code, first = planned_request
    page.set_viewport_size(PHONE)
    open_app(page, f"{app_url}/supervision-status?kode={code}")
    expect(page.get_by_text("Status: Planlagt")).to_be_visible()
    expect(page.get_by_text(f"Første session: {first:%d-%m-%Y}")).to_be_visible()
    expect(page.get_by_text("Planlagt i browsertesten.")).to_have_count(0)
    assert_breaks_between_words(page)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / "supervision_status_390.png")


def test_the_survey_says_how_long_it_takes_and_titles_break_between_words(page: Page, app_url, demo_tokens):
    _, tokens, _ = demo_tokens
    page.set_viewport_size(PHONE)
    open_app(page, f"{app_url}/medarbejder?adgang={tokens['SO-HP-NORD-D']}")
    expect(page.get_by_text("Det tager ca. 8 minutter at svare (39 spørgsmål).")).to_be_visible()
    assert_breaks_between_words(page)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / "staff_first_section_390.png")
