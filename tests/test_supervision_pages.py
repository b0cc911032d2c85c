"""The supervision pages through AppTest: the request form by a staff link, the status lookup, the
supervisor's queue (actions, conflicts, plain text) and the statistics. Role refusals are in test_pages."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from trivsel import auth, config, settings
from trivsel.auth import Identity
from trivsel.supervision import queue, requests
from trivsel.surveys.definitions import load_all
from trivsel.ui.session import TOKEN_KEY

APP = str(Path(__file__).parents[1] / "app.py")
SUPERVISOR = Identity("supervisor", "supervisor")
KONSULENT = Identity("konsulent", "trivselskonsulent")
SURVEY = load_all(config.surveys_dir())["supervision_request"]
PAYLOAD = "**fed** <script>alert(1)</script> [klik](javascript:alert(1))"


@pytest.fixture
def app(demo_db, demo_store, monkeypatch):
    monkeypatch.setenv("TRIVSEL_DB", str(demo_db))

    def make(identity: Identity | None = None, page: str | None = None, query: dict | None = None) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=60)
        if identity is not None:  # a tab in which this user has logged in
            at.session_state[TOKEN_KEY] = auth.start_session(demo_store, identity.username)
        if page is not None:
            at.switch_page(page)
        for key, value in (query or {}).items():
            at.query_params[key] = value
        return at.run()

    return make


def token(store, unit_id: str) -> str:
    return store.query_value("SELECT token FROM unit_access_links WHERE unit_id = ? AND revoked_at IS NULL", [unit_id])


def step(at: AppTest, label: str) -> AppTest:
    return next(b for b in at.button if b.label == label).click().run()


def fill_request(at: AppTest, contact: str = "mette.jensen@kommune.dk", description: str = "Vi er uenige.") -> AppTest:
    at.text_input[0].input("Mette Jensen")
    at.text_input[1].input(contact)
    at.radio[0].set_value("medarbejder")
    step(at, "Næste")
    at.number_input[0].set_value(6)
    at.radio[0].set_value("samarbejde")
    at.text_area[0].input(description)
    at.radio[1].set_value("inden_for_2_uger")
    at.radio[2].set_value("ja")
    step(at, "Næste")
    at.multiselect[0].set_value(["tirsdag"])
    return step(at, "Send anmodning")


def progress(at: AppTest) -> str:
    return at.get("progress")[0].proto.text


def texts(at: AppTest) -> str:
    return "\n".join(
        str(e.value)
        for kind in ("title", "text", "markdown", "error", "info", "success", "caption", "warning")
        for e in getattr(at, kind)
    )


def test_staff_link_without_an_open_survey_offers_the_request_form(app, demo_store):
    link = token(demo_store, "SO")
    at = app(page="pages/staff.py", query={"adgang": link})
    assert "ingen åbne spørgeskemaer" in texts(at)
    [offer] = at.get("page_link")
    assert offer.proto.label == "Bed om gruppesupervision til jeres gruppe"
    assert offer.proto.page == "supervision_request" and offer.proto.query_string == f"adgang={link}"


def test_the_thank_you_page_offers_the_request_form(app, demo_store):
    from test_pages import answer_everything

    link = token(demo_store, "SOC-FAMH")
    at = answer_everything(app(page="pages/staff.py", query={"adgang": link}))
    assert "Tak for dine svar" in at.success[0].value
    offers = [p.proto for p in at.get("page_link") if p.proto.page == "supervision_request"]
    assert [o.query_string for o in offers] == [f"adgang={link}"]


def test_a_request_through_the_link_gives_a_code_that_shows_the_status_only(app, demo_store):
    before = demo_store.query_value("SELECT count(*) FROM supervision_requests")
    at = app(page="pages/supervision_request.py", query={"adgang": token(demo_store, "SOC-FAMH")})
    assert "Familiehuset" in [t.value for t in at.text]
    at = fill_request(at, description=PAYLOAD)
    assert not at.error, [e.value for e in at.error]
    assert at.success[0].value == "Tak. Din anmodning er sendt til supervisoren."
    code = at.code[0].value
    [status_link] = at.get("page_link")
    assert status_link.proto.page == "supervision_status" and status_link.proto.query_string == f"kode={code}"
    row = demo_store.query_one(
        "SELECT unit_id, contact_name, description, weekdays, status FROM supervision_requests "
        "ORDER BY request_no DESC LIMIT 1"
    )
    assert row == ("SOC-FAMH", "Mette Jensen", PAYLOAD, "tirsdag", "new")
    assert demo_store.query_value("SELECT count(*) FROM supervision_requests") == before + 1

    status = app(page="pages/supervision_status.py", query={"kode": code})
    assert status.success[0].value == "Status: Modtaget"
    shown = texts(status)
    assert "Mette" not in shown and "fed" not in shown and "Familiehuset" not in shown


def test_the_request_page_has_a_short_title_and_sends_with_send_anmodning(app, demo_store):
    at = app(page="pages/supervision_request.py", query={"adgang": token(demo_store, "SOC-FAMH")})
    assert [t.value for t in at.title] == ["Bed om supervision"]  # no long word to break on a phone
    at.text_input[0].input("Mette Jensen")
    at.text_input[1].input("12 34 56 78")
    at.radio[0].set_value("leder")
    at = step(at, "Næste")
    at.number_input[0].set_value(3)
    at.radio[0].set_value("andet")
    at.text_area[0].input("Sparring.")
    at.radio[1].set_value("ingen_hast")
    at.radio[2].set_value("er_selv_leder")
    at = step(at, "Næste")
    assert progress(at).startswith("3 / 3")
    labels = [b.label for b in at.button]
    assert "Send anmodning" in labels and "Send svar" not in labels


@pytest.mark.parametrize("contact", ["anne@", "ring til mig", "1234"])
def test_a_bad_contact_is_refused_on_the_step_where_it_is_typed(app, demo_store, contact):
    before = demo_store.query_value("SELECT count(*) FROM supervision_requests")
    at = app(page="pages/supervision_request.py", query={"adgang": token(demo_store, "SOC-FAMH")})
    at.text_input[0].input("Anne Hansen")
    at.text_input[1].input(contact)
    at.radio[0].set_value("medarbejder")
    at = step(at, "Næste")
    # The same words the final submit gives, from the same rule.
    [expected] = [p for p in requests.problems(SURVEY, {"contact": contact}) if p.startswith("Spørgsmål 2 ")]
    assert [e.value.replace("\\", "") for e in at.error] == [expected]
    assert progress(at).startswith("1 / 3")  # still on the step with the contact field
    assert at.text_input[1].value == contact and at.radio[0].value == "medarbejder"

    at.text_input[1].input("anne.hansen@kommune.dk")
    at = step(at, "Næste")
    assert not at.error and progress(at).startswith("2 / 3")
    assert demo_store.query_value("SELECT count(*) FROM supervision_requests") == before


def test_a_staff_member_who_says_they_are_the_leader_is_told_on_that_step(app, demo_store):
    at = app(page="pages/supervision_request.py", query={"adgang": token(demo_store, "SOC-FAMH")})
    at.text_input[0].input("Anne Hansen")
    at.text_input[1].input("12345678")
    at.radio[0].set_value("medarbejder")
    at = step(at, "Næste")
    at.number_input[0].set_value(3)
    at.radio[0].set_value("andet")
    at.text_area[0].input("Sparring.")
    at.radio[1].set_value("ingen_hast")
    at.radio[2].set_value("er_selv_leder")
    at = step(at, "Næste")
    assert "du selv er leder" in at.error[0].value.replace("\\", "")
    assert progress(at).startswith("2 / 3")


def test_the_form_needs_a_valid_link(app):
    assert "Linket er ugyldigt" in app(page="pages/supervision_request.py", query={"adgang": "gaet"}).error[0].value
    without = app(page="pages/supervision_request.py")
    assert "Åbn siden med din enheds link" in without.info[0].value
    assert not without.text_input


def test_status_lookup_by_typed_code_and_unknown_code(app, demo_store):
    code = requests.submit(
        demo_store,
        SURVEY,
        "SO-SYG-KL",
        {
            "contact_name": "Bo",
            "contact": "12345678",
            "role": "leder",
            "group_size": 4,
            "topic": "andet",
            "description": "x",
            "urgency": "ingen_hast",
            "leader_knows": "er_selv_leder",
        },
        date.today(),
    )
    at = app(page="pages/supervision_status.py")
    at.text_input[0].input(code.lower())
    at.button[0].click().run()
    assert at.success[0].value == "Status: Modtaget"
    at.text_input[0].input("ABCD-EFGH-JKLM")
    at.button[0].click().run()
    assert "Koden findes ikke" in at.error[0].value


def test_the_status_page_shows_the_planned_first_session(app, demo_store):
    code = requests.submit(
        demo_store,
        SURVEY,
        "SO-SYG-KL",
        {
            "contact_name": "Bo",
            "contact": "12345678",
            "role": "leder",
            "group_size": 4,
            "topic": "andet",
            "description": "x",
            "urgency": "ingen_hast",
            "leader_knows": "er_selv_leder",
        },
        date.today(),
    )
    unplanned = app(page="pages/supervision_status.py", query={"kode": code})
    assert unplanned.success[0].value == "Status: Modtaget"
    assert "Første session" not in texts(unplanned)

    first = date.today() + timedelta(days=16)
    rid = demo_store.query_value(
        "SELECT request_id FROM supervision_requests WHERE status_code_hash = ?", [requests.hash_code(code)]
    )
    queue.plan(demo_store, rid, 1, [first + timedelta(weeks=3), first], 3, "supervisor", date.today())
    planned = app(page="pages/supervision_status.py", query={"kode": code})
    assert planned.success[0].value == "Status: Planlagt"
    assert f"Første session: {first:%d-%m-%Y}" in texts(planned)


def newest(store) -> str:
    return store.query_value("SELECT request_id FROM supervision_requests ORDER BY request_no DESC LIMIT 1")


def add_request(store, description: str = "Vi har brug for hjælp.") -> str:
    requests.submit(
        store,
        SURVEY,
        "SO-PC-LIN-ST",
        {
            "contact_name": "Mette Jensen",
            "contact": "12 34 56 78",
            "role": "medarbejder",
            "group_size": 5,
            "topic": "borgerforloeb",
            "description": description,
            "urgency": "hurtigst_muligt",
            "leader_knows": "ja",
        },
        date.today() - timedelta(days=1),
    )
    return newest(store)


def open_request(app, rid: str) -> AppTest:
    at = app(SUPERVISOR, "pages/supervision_queue.py")
    at.selectbox(key="supervision_chosen").set_value(rid).run()
    return at


def test_queue_lists_open_requests_with_age_and_overdue_mark(app):
    at = app(SUPERVISOR, "pages/supervision_queue.py")
    assert not at.exception
    listed = at.dataframe[0].value
    assert list(listed.columns) == [
        "Nr.",
        "Status",
        "Overskredet",
        "Alder (dage)",
        "Svarfrist",
        "Modtaget",
        "Enhed",
        "Emne",
        "Haster",
        "Deltagere",
    ]
    assert listed["Overskredet"].iloc[0] == "Overskredet"  # the demo has overdue requests, listed first
    assert set(listed["Status"]) <= {"Ny", "Planlagt", "I gang"} and len(listed) > 0
    assert (listed["Alder (dage)"] >= 0).all()
    assert {m.label for m in at.metric} == {"Nye", "Planlagte", "I gang", "Overskredne"}
    assert set(at.dataframe[1].value["Status"]) <= {"Afsluttet", "Afvist"}


def test_supervisor_works_a_request_from_new_to_closed(app, demo_store):
    rid = add_request(demo_store, description=PAYLOAD)
    at = open_request(app, rid)
    assert PAYLOAD in [t.value for t in at.text]  # free text as plain text
    assert not any("<script>" in m.value for m in at.markdown)
    assert [b.label for b in at.button if b.label.startswith(("Gem", "Afslut", "Afvis"))] == [
        "Gem plan",
        "Gem note",
        "Afslut anmodningen",
        "Afvis anmodningen",
    ]

    at.number_input(key=f"supervision_sessions_{rid}").set_value(3)
    step(at, "Gem plan")
    assert "er planlagt" in at.success[0].value
    assert at.selectbox(key="supervision_chosen").value == rid  # the same request stays chosen
    request = queue.get(demo_store, rid)
    assert request.status == "planned" and request.sessions_planned == 3 and len(request.session_dates) == 3
    assert request.first_response_on == date.today()

    at.text_area(key=f"supervision_note_{rid}").input("Talt med lederen. " + PAYLOAD)
    step(at, "Gem note")
    assert "Noten er gemt" in at.success[0].value
    assert at.text_area(key=f"supervision_note_{rid}").value == ""

    at.button(key=f"supervision_start_{rid}").click().run()
    assert queue.get(demo_store, rid).status == "in_progress"

    at.selectbox(key=f"supervision_outcome_{rid}").set_value("gennemfoert")
    step(at, "Afslut anmodningen")
    assert queue.get(demo_store, rid).status == "closed"
    history = at.dataframe[2].value
    assert history["Hændelse"].tolist() == [
        "Anmodning modtaget",
        "Planlagt",
        "Intern note",
        "Forløbet er i gang",
        "Afsluttet",
    ]
    assert set(history["Af"][1:]) == {"supervisor"}
    assert "Talt med lederen. " + PAYLOAD in history["Tekst"].tolist()
    actions = demo_store.query_all("SELECT action FROM audit_log WHERE actor = 'supervisor' ORDER BY id")
    assert [a for (a,) in actions] == [
        "supervision_planned",
        "supervision_note",
        "supervision_started",
        "supervision_closed",
    ]


def test_a_second_supervisor_gets_a_conflict_message_not_a_lost_update(app, demo_store):
    rid = add_request(demo_store)
    at = open_request(app, rid)
    # Meanwhile a colleague declines it.
    queue.decline(demo_store, rid, 1, "Henvist til AMR.", "kollega", date.today())
    at.selectbox(key=f"supervision_outcome_{rid}").set_value("gennemfoert")
    step(at, "Afslut anmodningen")
    message = at.error[0].value.replace("\\", "")
    assert "Anmodningen er blevet ændret af kollega" in message and "Din ændring er ikke gemt" in message
    request = queue.get(demo_store, rid)
    assert request.status == "declined" and request.decline_reason == "Henvist til AMR."
    # The page now shows the fresh state, with only the actions that still apply.
    assert "Afvist" in [t.value for t in at.text]
    assert not [b for b in at.button if b.label in ("Gem plan", "Afslut anmodningen")]


def test_statistics_page_shows_protected_figures_and_downloads(app):
    at = app(KONSULENT, "pages/supervision_stats.py")
    assert not at.exception
    assert [m.label for m in at.metric] == ["Anmodninger", "Dage til 1. svar", "Dage til 1. session"]
    areas, units, topics, months = (d.value for d in at.dataframe)
    assert list(areas.columns) == [
        "Område",
        "Anmodninger",
        "Median dage til første svar",
        "Median dage til første session",
    ]
    assert (units["Anmodninger"] == "færre end 5 anmodninger").any()
    assert "Samarbejde i teamet" in set(topics["Emne"])
    assert len(months) >= 12
    assert len(at.get("download_button")) == 2
    assert not any("Mette" in str(t.value) or "Vi " in str(t.value) for t in at.text)


def test_admin_sets_the_response_days_in_settings(app, demo_store):
    at = app(Identity("admin", "admin"), "pages/settings_page.py")
    at.number_input(key="supervision.response_days").set_value(3)
    at.button[0].click().run()
    assert settings.get(demo_store, "supervision.response_days") == 3


def test_privacy_page_shows_the_supervision_retention(app):
    at = app(None, "pages/privacy.py")
    retention = [t for t in at.table if "Supervisionsanmodninger (efter lukning)" in str(t.value)]
    assert retention and "24 måneder" in str(retention[0].value)


def test_pages_work_before_any_request_or_unit_exists(store, monkeypatch):
    monkeypatch.setenv("TRIVSEL_DB", str(store.path))
    for identity in (SUPERVISOR, KONSULENT):  # the pages read the user's role from the database
        auth.add_user(store, identity.username, identity.role, "en-lang-adgangskode")
    for identity, page, message in (
        (SUPERVISOR, "pages/supervision_queue.py", "Der er ingen anmodninger endnu. De vises her"),
        (KONSULENT, "pages/supervision_stats.py", "Der er ingen enheder endnu."),
    ):
        at = AppTest.from_file(APP, default_timeout=60)
        at.session_state[TOKEN_KEY] = auth.start_session(store, identity.username)
        at.switch_page(page)
        at.run()
        assert not at.exception
        assert message in at.info[0].value.replace("\\", "")
