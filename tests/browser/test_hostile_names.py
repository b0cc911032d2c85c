"""Names and texts with markdown, HTML and Streamlit directives are shown as typed, and make no browser
fetch anything from anywhere but the app itself.

A unit name like `![x](http://evil.example/p.png)` drawn as markdown made every respondent's browser fetch
that address, which logs their IP address and when they opened the survey. Here every request a page makes
is recorded, and requests to any other origin are stopped before they leave the machine.
"""

import re
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import BrowserContext, Page, expect

from trivsel import auth, config, demo
from trivsel.roles import LEDER
from trivsel.store import open_store
from trivsel.surveys import actions, rounds
from trivsel.surveys.definitions import load_all

from .conftest import free_port, log_in, log_out, open_app, start_app, wait_idle

QUIET_MS = 1000
NOWHERE = free_port()  # nothing listens here: a request to it is only seen, never answered


def hostile(tag: str) -> str:
    return (
        f'{tag} ![billede](http://127.0.0.1:{NOWHERE}/{tag}.png) <img src="http://evil.example/{tag}.png"> '
        f"[klik](http://evil.example/{tag}) :red[rød] :material/warning: $x^2$ **fed** "
        f'<span style="mask-image:url(http://evil.example/{tag}-m.png);'
        f'background-image:url(http://evil.example/{tag}-b.png)">stil</span> '
        f'<a href="http://evil.example/{tag}">a</a>'
    )


UNIT, CHILD, AREA = hostile("Solgaarden"), hostile("AfsnitOest"), hostile("Omraadet")
ROUND, BASELINE = hostile("Runden"), hostile("Basisrunden")
SURVEY_TITLE, SECTION_TITLE, SECTION_INTRO = hostile("Skema"), hostile("Afsnit"), hostile("Intro")
QUESTION, DIMENSION = hostile("Spoergsmaal"), hostile("Dimension")
REQUEST_TITLE, REQUEST_INTRO, ROLE_OPTION = hostile("Anmodning"), hostile("Vejledning"), hostile("Rolle")
NOTE, LEADER = hostile("Aftale"), hostile("Leder")


def hostile_surveys(folder: Path) -> Path:
    """The repository's survey definitions with markdown in the titles, texts and option labels."""
    shutil.copytree(config.surveys_dir(), folder)
    trivsel = yaml.safe_load((folder / "trivsel.yaml").read_text(encoding="utf-8"))
    trivsel["title"]["da"] = SURVEY_TITLE
    first = trivsel["sections"][0]
    first["title"]["da"], first["intro"]["da"], first["items"][0]["text"]["da"] = SECTION_TITLE, SECTION_INTRO, QUESTION
    trivsel["dimensions"]["ledelse"]["da"] = DIMENSION
    request = yaml.safe_load((folder / "supervision_request.yaml").read_text(encoding="utf-8"))
    request["title"]["da"], request["intro"]["da"] = REQUEST_TITLE, REQUEST_INTRO
    role = next(item for item in request["sections"][0]["items"] if item["id"] == "role")
    role["options"][0]["da"] = ROLE_OPTION
    for name, definition in (("trivsel.yaml", trivsel), ("supervision_request.yaml", request)):
        (folder / name).write_text(yaml.safe_dump(definition, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def hostile_app(demo_db_template, browser, tmp_path_factory):
    """The demo with hostile unit names, round labels, an action note, a leader's username and survey texts;
    its URL and the staff-link tokens."""
    folder = tmp_path_factory.mktemp("hostile")
    surveys = hostile_surveys(folder / "surveys")
    db = folder / "hostile.duckdb"
    shutil.copy(demo_db_template, db)
    store = open_store(db)
    for unit_id, name in (("SO-PC-SOL", UNIT), ("SO-PC-SOL-OE", CHILD), ("SO", AREA)):
        store.write(
            lambda cur, u=unit_id, n=name: cur.execute("UPDATE units SET unit_name = ? WHERE unit_id = ?", [n, u])
        )
    store.write(lambda cur: cur.execute("UPDATE survey_rounds SET label = ? WHERE label = 'Basis 2022/23'", [BASELINE]))
    today = date.today()
    survey = load_all(surveys)["trivsel"]
    created, _ = rounds.create_round(
        store,
        survey,
        ROUND,
        today - timedelta(days=1),
        today + timedelta(days=7),
        ["SO-PC-SOL", "SO-PC-SOL-OE", "SO-PC-SOL-VE", "SO-PC-SOL-DE"],
        "link",
        "test",
    )
    actions.add(store, created.round_id, "SO-PC-SOL", NOTE, "Lederen", None, "test", None)
    auth.add_user(store, LEADER, LEDER, demo.DEMO_PASSWORD, "SO-PC-SOL")
    tokens = dict(store.query_all("SELECT unit_id, token FROM unit_access_links WHERE revoked_at IS NULL"))
    store.close()
    with pytest.MonkeyPatch.context() as env:
        env.setenv("TRIVSEL_SURVEYS", str(surveys))
        for url in start_app(db):
            yield url, tokens


@pytest.fixture
def watched(browser, hostile_app) -> tuple[Page, list[str]]:
    """A page whose every request is recorded; those to another origin are aborted."""
    url, _ = hostile_app
    # Tall enough that every chart and table is drawn without scrolling.
    context: BrowserContext = browser.new_context(viewport={"width": 1280, "height": 4000}, locale="da-DK")
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    context.route(lambda address: not address.startswith(url), lambda route: route.abort())
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page, requests
    context.close()


def shows(page: Page, text: str) -> None:
    expect(page.get_by_text(text).first).to_be_visible()


def settle(page: Page, requests: list[str]) -> None:
    """Wait until the run is done, its charts have drawn their axes (Plotly draws after the run), and no
    request has started for a second (a style's image is fetched when the browser next paints)."""
    wait_idle(page)
    charts = page.locator("[data-testid=stPlotlyChart]")
    for i in range(charts.count()):
        expect(charts.nth(i).locator(".xtick, .ytick").first).to_be_attached()
    seen = -1
    while seen != len(requests):
        seen = len(requests)
        page.wait_for_timeout(QUIET_MS)


def menu(page: Page, requests: list[str], title: str) -> None:
    page.locator("[data-testid=stSidebarNav]").get_by_role("link", name=title, exact=True).click()
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    settle(page, requests)


def assert_nothing_outside(requests: list[str], url: str) -> None:
    elsewhere = [r for r in requests if not r.startswith((url + "/", "data:", "blob:")) and r != url]
    assert elsewhere == [], "Forespørgsler uden for appen:\n" + "\n".join(elsewhere)


def test_staff_pages_show_hostile_names_as_typed_and_fetch_nothing_outside(watched, hostile_app):
    page, requests = watched
    url, tokens = hostile_app
    open_app(page, f"{url}/medarbejder?adgang={tokens['SO-PC-SOL']}")
    expect(page.get_by_role("progressbar")).to_be_visible()
    for text in (UNIT, SURVEY_TITLE, SECTION_TITLE, SECTION_INTRO, QUESTION):
        shows(page, text)
    settle(page, requests)
    open_app(page, f"{url}/medarbejder?adgang={tokens['SO']}")  # no survey here: the name and supervision
    shows(page, AREA)
    settle(page, requests)
    page.get_by_role("link", name="Bed om gruppesupervision til jeres gruppe").click()
    for text in (REQUEST_TITLE, AREA, REQUEST_INTRO, ROLE_OPTION):
        shows(page, text)
    settle(page, requests)
    assert_nothing_outside(requests, url)


def test_leader_pages_show_hostile_names_as_typed_and_fetch_nothing_outside(watched, hostile_app):
    page, requests = watched
    url, _ = hostile_app
    log_in(page, url, LEADER)
    for text in (LEADER, UNIT):
        shows(page, text)
    menu(page, requests, "Trivsel – overblik")  # the newest round, against the baseline
    for text in (UNIT, BASELINE):
        shows(page, text)
    for title in ("Trivsel – heatmap", "Trivsel – udvikling", "Sygefravær", "1-5-14 opfølgning", "Min enhed"):
        menu(page, requests, title)  # the charts' names and labels included: Plotly reads tags in them
    shows(page, "Links til medarbejdere")
    assert_nothing_outside(requests, url)


def test_konsulent_and_admin_pages_fetch_nothing_outside(watched, hostile_app):
    page, requests = watched
    url, _ = hostile_app
    log_in(page, url, "konsulent")
    for title in ("Trivsel – overblik", "Trivsel – heatmap", "Trivsel – udvikling", "Målinger", "Sygefravær"):
        menu(page, requests, title)
    log_out(page)
    log_in(page, url, "admin")
    menu(page, requests, "Brugere og adgang")
    menu(page, requests, "Organisation")
    page.get_by_role("combobox", name=re.compile("Enhed")).click()
    expect(page.get_by_role("option", name=AREA, exact=True)).to_be_visible()
    settle(page, requests)
    assert_nothing_outside(requests, url)
