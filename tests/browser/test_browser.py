import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from trivsel import demo
from trivsel.surveys.languages import LANGUAGES
from trivsel.ui import navigation, survey_language

from .conftest import ARTIFACTS, answer_survey, log_in, open_app

LOGINS = {role: username for username, role, _ in demo.DEMO_USERS}
IMAGES = Path(__file__).parents[2] / "docs" / "images"


def nav_titles(page: Page) -> list[str]:
    """The menu entries; Streamlit draws no menu when a role has a single page."""
    expect(page.get_by_role("button", name="Log ud")).to_be_visible()
    links = page.locator("[data-testid=stSidebarNav] a")
    return [re.sub(r"^\S+\s+", "", link.inner_text().strip()) for link in links.all()]


def test_landing_page_is_the_danish_login(page: Page, app_url):
    open_app(page, app_url)
    expect(page.get_by_role("heading", name="Trivsel i Velfærdsområdet")).to_be_visible()
    expect(page.get_by_role("button", name="Log ind")).to_be_visible()
    expect(page.get_by_text("Du skal ikke logge ind")).to_be_visible()
    expect(page.locator("[data-testid=stSidebarNav]")).to_have_count(0)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / "landing.png", full_page=True)
    assert (ARTIFACTS / "landing.png").stat().st_size > 10_000


def test_each_role_sees_exactly_its_pages(page: Page, app_url):
    for role, username in LOGINS.items():
        log_in(page, app_url, username)
        expected = [spec.title for spec in navigation.visible_pages(role)]
        assert nav_titles(page) == (expected if len(expected) > 1 else []), role
        page.get_by_role("button", name="Log ud").click()
        expect(page.get_by_role("button", name="Log ind")).to_be_visible()


def test_forbidden_page_by_url_is_refused(page: Page, app_url):
    for spec in navigation.PAGES:
        open_app(page, f"{app_url}/{spec.url_path}")
        expect(page.get_by_text("Du skal logge ind for at se denne side.")).to_be_visible()
        expect(page.locator("[data-testid=stDataFrame]")).to_have_count(0)


def test_wrong_role_is_refused_when_navigating_to_a_hidden_page(page: Page, app_url):
    log_in(page, app_url, LOGINS["trivselskonsulent"])
    # Browser history navigation keeps the session, as a user pressing Back/Forward would.
    page.evaluate("history.pushState({}, '', '/brugere'); window.dispatchEvent(new PopStateEvent('popstate'))")
    expect(page.get_by_text("Ingen adgang. Rollen Trivselskonsulent kan ikke åbne denne side.")).to_be_visible()
    expect(page.locator("[data-testid=stDataFrame]")).to_have_count(0)


def test_staff_answers_the_survey_through_the_unit_link(page: Page, app_url, demo_tokens):
    _, tokens, _ = demo_tokens
    page.set_viewport_size({"width": 390, "height": 844})  # a phone in the staff room
    open_app(page, f"{app_url}/medarbejder?adgang={tokens['SOC-SUNDPL']}")
    expect(page.get_by_text("Sundhedsplejen")).to_be_visible()
    expect(page.locator("[data-testid=stSidebarNav]")).to_have_count(0)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / "besvarelse_mobil.png", full_page=True)
    assert answer_survey(page) >= 5
    open_app(page, f"{app_url}/medarbejder?adgang=gaet-et-token")
    expect(page.get_by_text("Linket er ugyldigt eller udløbet")).to_be_visible()


def choose_language(page: Page, language: str) -> None:
    """Pick a language by its own name, and wait for the form's button in that language."""
    if language != "da":
        page.get_by_role("combobox", name="Sprog / Language").click()
        page.get_by_role("option", name=LANGUAGES[language]).click()
    expect(page.get_by_role("button", name=survey_language.NEXT.get(language))).to_be_visible()


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_answering_page_has_no_serious_accessibility_violations(page: Page, app_url, demo_tokens, language):
    _, tokens, _ = demo_tokens
    open_app(page, f"{app_url}/medarbejder?adgang={tokens['SOC-TAND-BY']}")
    expect(page.get_by_role("progressbar")).to_be_visible()
    choose_language(page, language)
    results = Axe().run(page)
    serious = [v["id"] for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], results.generate_report()


def test_arabic_reads_right_to_left_on_a_phone(page: Page, app_url, demo_tokens):
    _, tokens, _ = demo_tokens
    page.set_viewport_size({"width": 390, "height": 844})
    open_app(page, f"{app_url}/medarbejder?adgang={tokens['SOC-SUNDPL']}")
    choose_language(page, "ar")
    main = page.locator("[data-testid=stMainBlockContainer]")
    expect(main).to_have_css("direction", "rtl")  # polled: the style arrives with the rerun, not before it
    question = page.get_by_text("خلال الأسبوعين الماضيين شعرت بالبهجة والمزاج الجيد").first
    expect(question).to_be_visible()
    # Right to left: the question ends at the right edge of the column, the answers' radio circles too.
    column = main.bounding_box()
    box = question.bounding_box()
    assert column["x"] + column["width"] - (box["x"] + box["width"]) < 40
    for element in (page.get_by_role("heading").first, page.get_by_text("وحدتك")):  # title and caption
        box = element.bounding_box()
        assert column["x"] + column["width"] - (box["x"] + box["width"]) < 40
    first_answer = page.get_by_role("radiogroup").first.get_by_text("طوال الوقت")
    expect(first_answer).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing runs off the phone
    IMAGES.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=IMAGES / "survey-arabic-phone.png")
    assert (IMAGES / "survey-arabic-phone.png").stat().st_size > 10_000


def test_one_time_code_resumes_and_then_is_used_up(page: Page, browser, app_url, demo_tokens):
    _, _, codes = demo_tokens
    code = codes[0]
    open_app(page, f"{app_url}/medarbejder")
    page.get_by_label("Kode").fill(code.lower())
    page.get_by_role("button", name="Start").click()
    assert answer_survey(page, sections_to_answer=2) == 2
    stopped_at = page.get_by_text(re.compile(r"^\d+ / \d+:")).inner_text()
    assert not stopped_at.startswith("1 /")
    # Later, on another device: the same code opens where the respondent left off.
    other = browser.new_context().new_page()
    open_app(other, f"{app_url}/medarbejder?kode={code}")
    expect(other.get_by_text(re.compile(r"^\d+ / \d+:"))).to_have_text(stopped_at)
    answer_survey(other)
    open_app(other, f"{app_url}/medarbejder?kode={code}")
    expect(other.get_by_text("Koden er allerede brugt")).to_be_visible()
    other.context.close()


def test_admin_upload_of_a_bad_file_shows_the_errors(page: Page, app_url, tmp_path):
    log_in(page, app_url, LOGINS["admin"])
    page.locator("[data-testid=stSidebarNav]").get_by_role("link", name="Import").click()
    page.get_by_text("Ansættelser", exact=True).click()
    expect(page.locator("code", has_text="job_group")).to_be_visible()  # the uploader for employments is drawn
    expect(page.locator("[data-testid=stFileUploaderDropzoneInput]")).to_have_count(1)  # the old one is gone
    bad = tmp_path / "ansaettelser.csv"
    bad.write_text(
        "employee_id;unit_id;start_date;end_date;fte;job_group\nM1;SO;31-02-2024;;1,5;SSA\n", encoding="cp1252"
    )
    page.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files(bad)
    expect(page.get_by_text("Filen er afvist, og intet er gemt. Der er 2 fejl.")).to_be_visible()
    expect(page.get_by_role("button", name="Importér")).to_have_count(0)


def test_raadgiver_uploads_absence_then_reads_trend_and_followup(page: Page, app_url, tmp_path):
    log_in(page, app_url, LOGINS["sygefravaersraadgiver"])
    nav = page.locator("[data-testid=stSidebarNav]")
    nav.get_by_role("link", name="Import").click()
    expect(page.locator("[data-testid=stFileUploaderDropzoneInput]")).to_have_count(1)
    bad = tmp_path / "fravaer.csv"
    bad.write_text(
        "employee_id;start_date;end_date;absence_type;degree\n"
        "M00001;01-03-2026;28-02-2026;sygdom;1\nUKENDT;01-03-2026;;influenza;0,5\n",
        encoding="cp1252",
    )
    page.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files(bad)
    expect(page.get_by_text("Filen er afvist, og intet er gemt.")).to_be_visible()
    errors = page.locator("[data-testid=stDataFrame]")
    expect(errors).to_have_count(1)

    nav.get_by_role("link", name="Sygefravær").click()
    expect(page.get_by_role("heading", name="Udvikling måned for måned")).to_be_visible()
    expect(page.locator(".js-plotly-plot").first).to_be_visible()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / "sygefravaer.png", full_page=True)

    nav.get_by_role("link", name="1-5-14 opfølgning").click()
    expect(page.get_by_role("heading", name="Næste samtale pr. sygeperiode")).to_be_visible()
    expect(page.get_by_text("Overskredne", exact=True)).to_be_visible()


def test_konsulent_walks_overview_heatmap_drill_down_and_trend(page: Page, app_url):
    page.set_viewport_size({"width": 1366, "height": 900})  # a laptop
    log_in(page, app_url, LOGINS["trivselskonsulent"])
    nav = page.locator("[data-testid=stSidebarNav]")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    nav.get_by_role("link", name="Trivsel – overblik").click()
    page.get_by_role("combobox", name="Runde").click()
    page.get_by_role("option", name="Forår 2025 (Lukket)").click()
    expect(page.get_by_text("Forventer at blive").first).to_be_visible()
    expect(page.locator(".js-plotly-plot").first).to_be_visible()
    page.screenshot(path=ARTIFACTS / "trivsel_overblik.png", full_page=True)

    nav.get_by_role("link", name="Trivsel – heatmap").click()
    page.get_by_role("combobox", name="Runde").click()
    page.get_by_role("option", name="Forår 2025 (Lukket)").click()
    expect(page.locator(".js-plotly-plot .colorbar")).to_have_count(1)  # one heatmap, none left over
    page.screenshot(path=ARTIFACTS / "trivsel_heatmap.png", full_page=True)

    page.get_by_label("Gå ned til").click()
    page.get_by_role("option", name="Sundhed og Omsorg").click()
    expect(page.get_by_role("button", name="Sundhed og Omsorg")).to_be_visible()  # in the breadcrumb
    expect(page.locator(".js-plotly-plot .colorbar")).to_have_count(1)  # one heatmap, none left over
    page.screenshot(path=ARTIFACTS / "trivsel_heatmap_sundhed.png", full_page=True)

    nav.get_by_role("link", name="Trivsel – udvikling").click()
    expect(page.get_by_role("heading", name="Udvikling fra runde til runde")).to_be_visible()
    expect(page.locator(".js-plotly-plot").first).to_be_visible()
    page.screenshot(path=ARTIFACTS / "trivsel_udvikling.png", full_page=True)
