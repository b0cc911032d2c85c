"""The APV's main path in the real app: the leader of Kastanjegården (its APV is being written) adds to it
and approves, the unit's arbejdsmiljørepræsentant approves too, the APV is approved with its revision date,
and the PDF downloads."""

from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from conftest import DEMO_TODAY
from trivsel import apv, auth, demo
from trivsel.roles import AMR, LEDER
from trivsel.store import open_store
from trivsel.ui.figures import danish_date

from .conftest import ARTIFACTS, log_in, log_out, start_app, wait_idle

UNIT = "SO-PC-KAS"
LEADER, REPRESENTATIVE = "leder.kastanje", "amr.kastanje"  # the demo's Kastanjegården APV has no users of its own
OWN_PROBLEM = "Glat gulv i vaskerummet"
ASSESSMENT = "Browsertest: fraværet følger tidspresset i vinterperioden."
ACTION = "Skridsikker belægning i vaskerummet"


@pytest.fixture(scope="module")
def apv_url(tmp_path_factory):
    """A demo database of its own (this test writes to it) with a leader and an AMR for Kastanjegården."""
    db = tmp_path_factory.mktemp("apv") / "demo.duckdb"
    store = open_store(db)
    demo.load(store, seed=1, today=DEMO_TODAY)
    auth.add_user(store, LEADER, LEDER, demo.DEMO_PASSWORD, UNIT)
    auth.add_user(store, REPRESENTATIVE, AMR, demo.DEMO_PASSWORD, UNIT)
    store.close()
    yield from start_app(db)


def open_apv(page: Page) -> None:
    page.locator("[data-testid=stSidebarNav]").get_by_role("link", name="APV").click()
    expect(page.get_by_role("heading", name="Enhedens APV")).to_be_visible()
    wait_idle(page)


def form(page: Page, text: str):
    return page.locator("[data-testid=stForm]").filter(has_text=text)


def done(page: Page, message: str) -> None:
    expect(page.get_by_text(message)).to_be_visible()
    wait_idle(page)


def choose(page: Page, picker, option: str) -> None:
    """Pick an option from a select box. A rerun that lands while its list is open draws the box again and
    closes the list (under load the option once never showed): then wait for the run and open it again."""
    for _attempt in range(2):
        picker.click()
        try:
            expect(page.get_by_role("option", name=option)).to_be_visible(timeout=5_000)
            break
        except AssertionError:
            page.keyboard.press("Escape")
            wait_idle(page)
    page.get_by_role("option", name=option).click()


def pick_date(within, label: str, day: date) -> None:
    """Type a date into Streamlit's date field: its day, month and year segments take the digits in turn."""
    within.get_by_role("spinbutton", name=f"day, {label}").click()
    within.page.keyboard.type(f"{day:%d%m%Y}")


def test_leader_and_representative_approve_the_apv_and_the_pdf_downloads(page: Page, apv_url):
    today = date.today()
    log_in(page, apv_url, LEADER)
    open_apv(page)
    expect(page.get_by_text("Udkast: APV'en er godkendt")).to_be_visible()

    # The mapping's low areas are suggested; one goes on the list.
    expect(page.get_by_text("Foreslået af kortlægningen (score under 60):")).to_be_visible()
    suggest = page.get_by_role("button", name="Sæt på listen")
    before = suggest.count()
    assert before > 0
    suggest.first.click()
    done(page, "Området er sat på problemlisten.")
    expect(page.get_by_role("button", name="Sæt på listen")).to_have_count(before - 1)

    problem = form(page, "Enhedens eget problem")
    problem.get_by_label("Problem").fill(OWN_PROBLEM)
    problem.get_by_label("Beskrivelse").fill("Fundet på rundgangen.")
    problem.get_by_role("button", name="Tilføj problem").click()
    done(page, "Problemet er tilføjet.")

    assessment = form(page, "Gem vurdering")
    assessment.get_by_role("textbox").fill(ASSESSMENT)
    assessment.get_by_role("button", name="Gem vurdering").click()
    done(page, "Vurderingen er gemt.")

    # The action answers the own problem: the plan's problem list offers it.
    action = form(page, "Ny handling")
    wait_idle(page)  # the run that put the own problem in the picker has drawn (a loaded machine lagged)
    choose(page, action.get_by_role("combobox", name="Problem"), OWN_PROBLEM)
    action.get_by_label("Handling").fill(ACTION)
    action.get_by_label("Ansvarlig").fill("Leder")
    pick_date(action, "Frist", today + timedelta(days=60))
    pick_date(action, "Opfølgning", today + timedelta(days=90))
    action.get_by_role("button", name="Gem handling").click()
    done(page, "Handlingen er gemt.")
    expect(form(page, "Opdatér status").get_by_role("combobox")).to_be_visible()  # the plan has an action

    page.get_by_role("button", name="Godkend APV").click()
    done(page, "Din godkendelse er registreret.")
    expect(page.get_by_text("Udkast: APV'en er godkendt")).to_be_visible()  # one approval is not enough
    log_out(page)

    log_in(page, apv_url, REPRESENTATIVE)
    open_apv(page)
    expect(page.get_by_text(ASSESSMENT)).to_be_visible()  # the same APV, read-only for the AMR
    expect(page.get_by_role("button", name="Gem vurdering")).to_have_count(0)
    page.get_by_role("button", name="Godkend APV").click()
    done(page, "Din godkendelse er registreret.")
    approved = f"Godkendt {danish_date(today)}. Revideres senest {danish_date(apv.revision_limit(today))}."
    expect(page.get_by_text(approved)).to_be_visible()
    expect(page.get_by_role("button", name="Godkend APV")).to_have_count(0)

    with page.expect_download() as info:
        page.get_by_role("button", name="Hent APV (PDF)").click()
    assert info.value.path().read_bytes()[:5] == b"%PDF-"
    assert info.value.suggested_filename == f"apv-{UNIT}.pdf"

    # The user guide's picture (docs/screenshots/apv.png is a copy): the approved APV down to its problem list.
    page.set_viewport_size({"width": 1280, "height": 2400})
    wait_idle(page)
    page.mouse.move(0, 0)  # no hover outline in the picture
    top = page.get_by_role("heading", name="Enhedens APV").bounding_box()
    bottom = page.get_by_role("heading", name="3. Sygefravær").bounding_box()
    table = page.locator("[data-testid=stDataFrame]").first.bounding_box()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(
        path=ARTIFACTS / "apv.png",
        clip={
            "x": table["x"] - 20,
            "y": top["y"] - 10,
            "width": table["width"] + 40,
            "height": bottom["y"] - top["y"],
        },
    )
