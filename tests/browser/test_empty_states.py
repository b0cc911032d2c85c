"""An empty database in the real app on a phone (390 px, issue 17 item 5): the konsulent has just created the first
round, and the overview says when results come instead of showing "0 %"; the supervision titles break at a space,
not inside a word."""

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from trivsel import auth, config
from trivsel.imports import units as unit_import
from trivsel.store import open_store
from trivsel.surveys import rounds
from trivsel.surveys.definitions import load_all

from .conftest import ROOT, log_in, start_app, wait_idle

TODAY = date.today()
PASSWORD = "en-lang-adgangskode"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """Units, one konsulent and a round created today: no answers, no absence, no requests."""
    db = tmp_path_factory.mktemp("empty") / "tom.duckdb"
    store = open_store(db)
    unit_import.import_units(store, (ROOT / "data" / "samples" / "enheder.csv").read_bytes(), actor="admin")
    auth.add_user(store, "konsulent", "trivselskonsulent", PASSWORD, actor="admin")
    survey = load_all(config.surveys_dir())["trivsel"]
    rounds.create_round(store, survey, "Efterår", TODAY, TODAY + timedelta(days=21), ["V", "SO", "SO-PC"], "link", "t")
    store.close()
    yield from start_app(db)


def test_a_new_round_on_a_phone_says_when_results_come_and_titles_break_between_words(server, page: Page):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, server, "konsulent", PASSWORD)
    page.goto(f"{server}/trivsel")
    wait_idle(page)
    closes = f"{TODAY + timedelta(days=21):%d-%m-%Y}"
    expect(page.get_by_text(f"Ingen resultater endnu – runden lukker {closes}")).to_be_visible()
    main = page.locator("[data-testid='stMain']").inner_text()
    assert not re.search(r"\b0 %|\bnan\b|\bNone\b", main), main

    page.goto(f"{server}/supervision-statistik")
    wait_idle(page)
    heading = page.get_by_role("heading", name="Supervision – statistik")
    expect(heading).to_be_visible()
    words = heading.evaluate(
        """h => { const words = [], range = document.createRange(), walker = document.createTreeWalker(h, 4);
                  for (let node; (node = walker.nextNode()); ) { let at = 0;
                    for (const word of node.textContent.split(' ')) {
                      range.setStart(node, at); range.setEnd(node, at + word.length);
                      words.push([word, range.getClientRects().length]); at += word.length + 1; } }
                  return words; }"""
    )
    assert words and all(lines == 1 for _, lines in words), words  # a word cut over two lines has two boxes
    expect(page.get_by_text("Der er færre end 5 anmodninger i perioden")).to_be_visible()
