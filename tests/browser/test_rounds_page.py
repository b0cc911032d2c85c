"""Round management in the real app (issue 17, item 4): the konsulent chooses a parent unit and gets its
subtree, is warned about the demo's open round before creating an overlapping one, then renames, extends and
deletes the new round."""

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from trivsel import demo, org
from trivsel.store import open_store

from .conftest import ARTIFACTS, log_in, start_app, wait_idle

TODAY = date.today()
SOLGAARDEN = ["SO-PC-SOL", "SO-PC-SOL-VE", "SO-PC-SOL-OE", "SO-PC-SOL-DE"]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The demo with its autumn round open today (the shared server's demo is fixed in time), and
    Solgården's staff count as the page should show it."""
    db = tmp_path_factory.mktemp("rounds") / "demo.duckdb"
    store = open_store(db)
    demo.load(store, seed=1, today=TODAY)
    staff = int(org.headcount(store, SOLGAARDEN, TODAY)["persons"].sum())
    store.close()
    for url in start_app(db):
        yield url, staff


def type_into(page: Page, label: str, value: str) -> None:
    """Type into a text field and see it taken. A run still drawing the page can put the field's old value
    back over what was typed (seen on a loaded machine), so type again until the value stays."""
    field = page.get_by_label(label, exact=True)
    for _ in range(3):
        wait_idle(page)
        field.fill(value)
        field.press("Tab")  # Streamlit takes the value when the field loses focus
        wait_idle(page)
        if field.input_value() == value:
            return
    expect(field).to_have_value(value)


def test_konsulent_creates_an_overlapping_round_by_a_parent_unit_then_renames_extends_and_deletes_it(
    page: Page, server
):
    url, staff = server
    log_in(page, url, "konsulent")
    page.locator("[data-testid=stSidebarNav]").get_by_role("link", name="Målinger").click()
    expect(page.get_by_role("heading", name="Målinger")).to_be_visible()
    page.get_by_text("Ny runde", exact=True).click()
    expect(page.get_by_role("combobox", name="Spørgeskema")).to_have_value(re.compile("Trivsel"))
    type_into(page, "Navn på runden", "Vinter i browseren")

    units = page.get_by_role("combobox", name="Enheder")
    units.click()
    units.fill("Plejecenter Solgården")
    page.get_by_role("option", name="Sundhed og Omsorg › Plejecenter Solgården", exact=True).click()
    page.keyboard.press("Escape")
    wait_idle(page)
    expect(page.get_by_text(f"4 enheder valgt med {staff} ansatte den {TODAY:%d-%m-%Y}.")).to_be_visible()
    for ward in ("Solgården, Afsnit Vest", "Solgården, Afsnit Øst", "Solgården, Demensafsnittet"):
        expect(page.get_by_role("button", name=f"Remove Plejecenter Solgården › {ward}", exact=True)).to_be_visible()

    # The demo's autumn round is open for all four: a warning, and no round until the konsulent confirms.
    expect(
        page.get_by_text(re.compile(r"^4 af de valgte enheder er allerede med i en åben eller planlagt runde"))
    ).to_be_visible()
    autumn = f"Efterår {TODAY.year} ({TODAY - timedelta(days=14):%d-%m-%Y} – {TODAY + timedelta(days=7):%d-%m-%Y})"
    expect(page.get_by_text(f"{autumn}: 4 af de valgte enheder")).to_be_visible()
    # The table is drawn on a canvas; its cells are also in the page for screen readers.
    listed = page.locator("[data-testid=stExpanderDetails] td[role=gridcell]")
    expect(listed.filter(has_text="Plejecenter Solgården › Solgården, Demensafsnittet")).to_have_count(1)
    create = page.get_by_role("button", name="Opret runde")
    expect(create).to_be_disabled()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_test_id("stMultiSelect").evaluate("e => e.scrollIntoView({block: 'start'})")
    page.screenshot(path=ARTIFACTS / "runder_overlap_mobil.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_text("Opret runden alligevel").click()
    wait_idle(page)
    create.click()
    expect(page.get_by_text("Runden 'Vinter i browseren' er oprettet for 4 enheder.")).to_be_visible()

    picker = page.get_by_role("combobox", name="Runde", exact=True)
    expect(picker).to_have_value("Vinter i browseren (Åben)")  # the new round is the one to manage
    type_into(page, "Nyt navn", "Vinter 2026")
    page.get_by_role("button", name="Omdøb").click()
    expect(page.get_by_text("Runden hedder nu 'Vinter 2026'.")).to_be_visible()
    expect(picker).to_have_value("Vinter 2026 (Åben)")

    later = TODAY + timedelta(days=40)
    page.get_by_role("spinbutton", name="day, Ny lukkedato").click()
    page.keyboard.type(f"{later:%d%m%Y}")
    page.keyboard.press("Tab")
    wait_idle(page)
    page.get_by_role("button", name="Forlæng").click()
    expect(page.get_by_text(f"Runden lukker nu den {later:%d-%m-%Y}.")).to_be_visible()

    delete = page.get_by_role("button", name="Slet runden")
    expect(delete).to_be_disabled()
    page.get_by_text("Jeg vil slette runden").click()
    wait_idle(page)
    delete.click()
    expect(page.get_by_text("Runden 'Vinter 2026' er slettet.")).to_be_visible()
    picker.click()
    expect(page.get_by_role("option", name=re.compile("Vinter"))).to_have_count(0)
    page.keyboard.press("Escape")
