"""An admin's change reaches a session that is already open, in the real app (where app.py runs every time)."""

from playwright.sync_api import Page, expect

from .conftest import log_in

LEADER = "leder.solgaarden"  # no other browser test logs in as this leader


def choose_user_and_press(page: Page, button: str) -> None:
    page.get_by_role("tab", name="Deaktivér / slet").click()
    page.get_by_role("combobox", name="Bruger").click()
    page.get_by_role("option", name=LEADER, exact=True).click()
    page.get_by_role("button", name=button).click()


def test_a_disabled_leader_is_logged_out_at_the_next_click(page: Page, browser, app_url):
    leader = browser.new_context(viewport={"width": 1280, "height": 900}, locale="da-DK").new_page()
    log_in(leader, app_url, LEADER)
    leader_nav = leader.locator("[data-testid=stSidebarNav]")
    leader_nav.get_by_role("link", name="Min enhed").click()
    expect(leader.get_by_role("heading", name="Min enhed")).to_be_visible()

    log_in(page, app_url, "admin")
    page.locator("[data-testid=stSidebarNav]").get_by_role("link", name="Brugere og adgang").click()
    choose_user_and_press(page, "Deaktivér")
    expect(page.get_by_text(f"{LEADER} er deaktiveret.")).to_be_visible()
    try:
        leader_nav.get_by_role("link", name="Forside").click()
        expect(leader.get_by_text("en administrator har lukket din adgang")).to_be_visible()
        expect(leader.get_by_role("heading", name="Trivsel i Velfærdsområdet")).to_be_visible()
        expect(leader.locator("[data-testid=stSidebarNav]")).to_have_count(0)
    finally:  # the server's database is shared with the other browser tests
        choose_user_and_press(page, "Genaktivér")
        expect(page.get_by_text(f"{LEADER} er aktiv igen.")).to_be_visible()
        leader.context.close()
