"""Issue 14 in the browser: an open round's results stay hidden while answers arrive, and a unit link
that has had as many answers as the unit had staff takes no more."""

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from trivsel import config, demo
from trivsel.store import open_store
from trivsel.surveys import rounds
from trivsel.surveys.definitions import load_all

from .conftest import ARTIFACTS, answer_survey, log_in, open_app, start_app, wait_idle

TODAY = date.today()
SURVEY = load_all(config.surveys_dir())["trivsel"]
FULL_UNIT = "SOC-FAMH"


def full_answers() -> dict:
    return {
        i.id: (4 if i.type in ("who5", "likert5") else 8)
        for i in SURVEY.items
        if i.type in ("who5", "likert5", "scale0_10")
    }


@pytest.fixture(scope="module")
def server(tmp_path_factory, browser):
    """The demo with its autumn round open today, and a round for one unit that already has an answer
    from every employee."""
    db = tmp_path_factory.mktemp("release") / "demo.duckdb"
    store = open_store(db)
    demo.load(store, seed=1, today=TODAY)
    tokens = dict(store.query_all("SELECT unit_id, token FROM unit_access_links WHERE revoked_at IS NULL"))
    full, _ = rounds.create_round(
        store, SURVEY, "Fuld runde", TODAY - timedelta(days=1), TODAY + timedelta(days=2), [FULL_UNIT], "link", "test"
    )
    staff = int(store.query_value("SELECT persons_at_start FROM round_units WHERE round_id = ?", [full.round_id]))
    for _ in range(staff):
        rounds.submit(store, full, FULL_UNIT, SURVEY, full_answers(), TODAY)
    open_round = next(r for r in rounds.all_rounds(store) if r.status(TODAY) == "aaben" and r.label != "Fuld runde")
    store.close()
    for url in start_app(db):
        yield url, tokens, open_round, db


def results_area(page: Page) -> str:
    """What the overview shows below the pickers, as text (tables are drawn on a canvas, charts counted)."""
    wait_idle(page)
    charts = page.locator(".js-plotly-plot").count()
    return f"{charts} charts\n" + page.locator("[data-testid=stMain]").inner_text()


def test_konsulent_sees_no_result_of_an_open_round_change_when_an_answer_arrives(page: Page, browser, server):
    url, tokens, open_round, _ = server
    log_in(page, url, "konsulent")
    nav = page.locator("[data-testid=stSidebarNav]")
    nav.get_by_role("link", name="Trivsel – overblik").click()
    # The overview opens on the newest round with results, not on the open one.
    expect(page.get_by_role("combobox", name="Runde")).to_have_value(re.compile(r"\(Lukket\)$"))
    page.get_by_role("combobox", name="Runde").click()
    page.get_by_role("option", name=f"{open_round.label} (Åben)").click()
    note = f"Resultaterne vises, når runden er lukket den {open_round.closes_on:%d-%m-%Y}."
    expect(page.get_by_text(note)).to_be_visible()
    before = results_area(page)
    assert "0 charts" in before and "Kommentarer" not in before and "WHO-5" not in before
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / "aaben_runde.png", full_page=True)

    staff = browser.new_context(viewport={"width": 390, "height": 844}, locale="da-DK").new_page()
    open_app(staff, f"{url}/medarbejder?adgang={tokens['SO-PC-SOL']}")
    assert answer_survey(staff) >= 5
    staff.context.close()

    # The konsulent looks again: only the response count may move, and it is drawn in the table.
    for title in ("Trivsel – heatmap", "Trivsel – overblik"):
        nav.get_by_role("link", name=title).click()
        page.get_by_role("combobox", name="Runde").click()
        page.get_by_role("option", name=f"{open_round.label} (Åben)").click()
        expect(page.get_by_text(note)).to_be_visible()
        assert page.locator(".js-plotly-plot").count() == 0, title
    assert results_area(page) == before


def test_a_full_unit_link_takes_no_more_answers_and_the_konsulent_is_told(page: Page, server):
    url, tokens, _, _ = server
    page.set_viewport_size({"width": 390, "height": 844})
    open_app(page, f"{url}/medarbejder?adgang={tokens[FULL_UNIT]}")
    expect(page.get_by_text("allerede fået lige så mange svar, som der var ansatte")).to_be_visible()
    expect(page.get_by_role("button", name="Næste")).to_have_count(0)
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, url, "konsulent")
    page.locator("[data-testid=stSidebarNav]").get_by_role("link", name="Målinger").click()
    page.get_by_role("combobox", name="Runde").click()
    page.get_by_role("option", name="Fuld runde (Åben)").click()
    expect(page.get_by_text("1 enheder har fået lige så mange svar, som de havde ansatte")).to_be_visible()
    expect(page.get_by_text("Et enhedslink stoler på dem, der har linket")).to_be_attached()
