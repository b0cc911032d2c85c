"""Issue 18, items 3 and 5, in Chromium: people answer one after another on a shared tablet (kiosk) and never
see the previous person's answers; an unfinished survey there is cleared when left; a browser that has
answered a round is told so in a new tab, a colleague on it may answer anyway, and no other browser and
no kiosk is told. Each test runs its own server, so the store can count the answers once it has stopped."""

import re
import shutil
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from trivsel import demo
from trivsel.store import open_store
from trivsel.surveys import rounds

from .conftest import answer_section, answer_survey, open_app, start_app, wait_idle

UNIT = "SO-HP-VEST-A"  # 50 staff, 11 answers in the demo's open round: room for a few more
TABLET = {"width": 800, "height": 1280}
PHONE = {"width": 390, "height": 844}
PROGRESS = re.compile(r"^(\d+) / (\d+):")
RESTART = "Skemaet starter forfra for den næste om få sekunder."
ALREADY = "Du har allerede svaret på denne måling fra denne browser."
ANYWAY = "Jeg er en anden person – svar alligevel"
FIRST_COMMENT = "Første person skrev dette på tabletten."


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """The demo with its autumn round open today: the file, the unit's link token and the open round."""
    db = tmp_path_factory.mktemp("kiosk") / "demo.duckdb"
    store = open_store(db)
    demo.load(store, seed=1, today=date.today())
    token = store.query_value("SELECT token FROM unit_access_links WHERE unit_id = ? AND revoked_at IS NULL", [UNIT])
    open_round = rounds.open_link_rounds(store, UNIT, date.today())[0]
    store.close()
    return db, token, open_round


@pytest.fixture
def db(template, tmp_path):
    copy = tmp_path / "demo.duckdb"
    shutil.copy(template[0], copy)
    return copy


def responses(db) -> int:
    store = open_store(db)
    try:
        return store.query_value("SELECT count(*) FROM survey_responses WHERE unit_id = ?", [UNIT])
    finally:
        store.close()


def new_page(browser, viewport: dict) -> Page:
    page = browser.new_context(viewport=viewport, locale="da-DK").new_page()
    page.set_default_timeout(20_000)
    return page


def section(page: Page) -> tuple[int, int]:
    """The section shown and the number of sections, from the progress line."""
    wait_idle(page)
    number, total = PROGRESS.match(page.get_by_text(PROGRESS).inner_text()).groups()
    return int(number), int(total)


def expect_section(page: Page, number: int) -> None:
    """The progress line reads `number` (a rerun briefly shows the old line beside the new one)."""
    expect(page.get_by_text(re.compile(rf"^{number} / \d+:"))).to_be_visible()
    expect(page.get_by_text(PROGRESS)).to_have_count(1)


def expect_an_empty_first_section(page: Page) -> None:
    expect_section(page, 1)
    wait_idle(page)
    expect(page.get_by_role("radiogroup").first).to_be_visible()
    expect(page.get_by_role("radio", checked=True)).to_have_count(0)
    expect(page.get_by_role("button", name="Forrige")).to_have_count(0)


def test_two_people_answer_one_after_another_on_a_kiosk_tablet(browser, template, db):
    """At phone size, the narrowest screen a shared device in a staff room has."""
    _, token, _ = template
    before = responses(db)
    for url in start_app(db):
        tablet = new_page(browser, PHONE)
        open_app(tablet, f"{url}/medarbejder?adgang={token}&kiosk=1")
        _, total = section(tablet)

        # The first person answers every section, writes a comment on the last, and sends.
        assert answer_survey(tablet, sections_to_answer=total - 1) == total - 1
        answer_section(tablet)
        tablet.get_by_role("textbox").fill(FIRST_COMMENT)
        tablet.get_by_role("button", name="Send svar").click()
        expect(tablet.get_by_text("Tak for dine svar")).to_be_visible()
        expect(tablet.get_by_text(RESTART)).to_be_visible()

        # A few seconds later the survey starts afresh, with nothing chosen, and no way back.
        expect(tablet.get_by_text("Tak for dine svar")).to_have_count(0)
        expect_an_empty_first_section(tablet)
        tablet.go_back()  # the browser's back button: what it lands on shows nothing of the first person
        tablet.go_forward()
        expect_an_empty_first_section(tablet)

        # The second person walks through to the last section: the first person's answers are not there.
        assert answer_survey(tablet, sections_to_answer=total - 1) == total - 1
        assert section(tablet) == (total, total)
        expect(tablet.get_by_role("radio", checked=True)).to_have_count(0)
        expect(tablet.get_by_role("textbox")).to_have_value("")
        expect(tablet.get_by_text(FIRST_COMMENT)).to_have_count(0)
        answer_section(tablet)
        tablet.get_by_role("button", name="Send svar").click()
        expect(tablet.get_by_text("Tak for dine svar")).to_be_visible()
        tablet.context.close()
    assert responses(db) == before + 2


def test_an_unfinished_survey_on_a_kiosk_tablet_is_cleared_when_left(browser, template, db, monkeypatch):
    _, token, _ = template
    # 15 seconds instead of 5 minutes: long enough for a loaded CI machine to answer the first section (radio
    # clicks inside the form are no page change), short enough to be cleared within the 20 s expectations.
    monkeypatch.setenv("TRIVSEL_KIOSK_IDLE_MINUTES", "0.25")
    before = responses(db)
    for url in start_app(db):
        tablet = new_page(browser, TABLET)
        open_app(tablet, f"{url}/medarbejder?adgang={token}&kiosk=1")
        # Someone answers the first section, goes on, ticks an answer on the second and walks away.
        answer_section(tablet)
        tablet.get_by_role("button", name="Næste").click()
        expect_section(tablet, 2)
        wait_idle(tablet)
        tablet.get_by_role("radiogroup").first.locator("label").first.click()
        expect(tablet.get_by_role("radio", checked=True)).to_have_count(1)

        # After the idle time the tablet is back at an empty first section: the sent and the unsent answers gone.
        expect_an_empty_first_section(tablet)
        # A tick left unsent on the first section goes too.
        tablet.get_by_role("radiogroup").first.locator("label").first.click()
        expect(tablet.get_by_role("radio", checked=True)).to_have_count(1)
        expect(tablet.get_by_role("radio", checked=True)).to_have_count(0)
        tablet.context.close()
    assert responses(db) == before


def marks(page: Page) -> list:
    return page.evaluate("Object.entries(localStorage).filter(([key]) => key.startsWith('trivsel-svaret-')).sort()")


def test_a_browser_that_answered_is_told_and_a_colleague_answers_anyway(browser, template, db):
    _, token, open_round = template
    link = f"/medarbejder?adgang={token}"
    before = responses(db)
    for url in start_app(db):
        first = new_page(browser, PHONE)
        open_app(first, url + link)
        assert answer_survey(first) >= 5
        # The browser keeps the round and its closing date, nothing of the answers.
        assert marks(first) == [[f"trivsel-svaret-{open_round.round_id}", open_round.closes_on.isoformat()]]

        # The same link in a new tab of the same browser: the note, and a colleague answers anyway.
        second = first.context.new_page()
        open_app(second, url + link)
        expect(second.get_by_text(ALREADY)).to_be_visible()
        expect(second.get_by_role("progressbar")).to_have_count(0)
        second.get_by_role("button", name=ANYWAY).click()
        assert answer_survey(second) >= 5

        # The kiosk link in the same browser asks nothing of the mark: no note.
        kiosk = first.context.new_page()
        open_app(kiosk, f"{url}{link}&kiosk=1")
        expect(kiosk.get_by_role("progressbar")).to_be_visible()
        expect(kiosk.locator("[data-testid^=stBidiComponent]")).to_have_count(0)
        expect(kiosk.get_by_text(ALREADY)).to_have_count(0)

        # Another browser holds no mark: the survey, no note.
        other = new_page(browser, PHONE)
        open_app(other, url + link)
        expect(other.get_by_role("progressbar")).to_be_visible()
        assert marks(other) == []
        wait_idle(other)
        expect(other.get_by_text(ALREADY)).to_have_count(0)
        first.context.close()
        other.context.close()
    assert responses(db) == before + 2
