"""Every page run through AppTest: who may open it, and what it shows."""

import dataclasses
import json
import re
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from io import BytesIO
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from trivsel import auth, code_guesses, config, demo, org, settings
from trivsel.absence import followup
from trivsel.auth import Identity
from trivsel.supervision import requests
from trivsel.surveys import rounds
from trivsel.surveys.definitions import load_all
from trivsel.ui import code_guard, navigation
from trivsel.ui.session import TOKEN_KEY
from trivsel.ui.text import escape_markdown
from trivsel.views import surveys as survey_views

APP = str(Path(__file__).parents[1] / "app.py")
IDENTITIES = {
    "admin": Identity("admin", "admin"),
    "trivselskonsulent": Identity("konsulent", "trivselskonsulent"),
    "sygefravaersraadgiver": Identity("raadgiver", "sygefravaersraadgiver"),
    "supervisor": Identity("supervisor", "supervisor"),
    "leder": Identity("leder.solgaarden", "leder", "SO-PC-SOL"),
    "arbejdsmiljoerepraesentant": Identity("amr.solgaarden", "arbejdsmiljoerepraesentant", "SO-PC-SOL"),
}


@pytest.fixture
def app(demo_db, demo_store, monkeypatch):
    monkeypatch.setenv("TRIVSEL_DB", str(demo_db))

    def make(identity: Identity | None = None, page: str | None = None) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=60)
        if identity is not None:  # a tab in which this user has logged in
            at.session_state[TOKEN_KEY] = auth.start_session(demo_store, identity.username)
        if page is not None:
            at.switch_page(page)
        return at.run()

    return make


def texts(at: AppTest) -> str:
    return "\n".join(
        str(e.value)
        for kind in ("title", "text", "markdown", "error", "info", "success", "caption")
        for e in getattr(at, kind)
    )


@pytest.mark.parametrize("spec", navigation.PAGES, ids=lambda s: s.key)
@pytest.mark.parametrize("role", list(IDENTITIES))
def test_each_page_checks_the_role_itself(app, spec, role):
    at = app(IDENTITIES[role], spec.script)
    assert not at.exception
    if role in spec.roles:
        assert not [e for e in at.error if "Ingen adgang" in e.value]
        # an emptied multiselect shows its placeholder, and Streamlit's own is English
        assert all(m.proto.placeholder for m in at.multiselect), [m.label for m in at.multiselect]
    else:
        assert [e.value for e in at.error] == [
            f"Ingen adgang. Rollen {auth.role_label(role)} kan ikke åbne denne side."
        ]
        assert len(at.dataframe) == 0 and len(at.text_input) == 0


def danish_problems(at: AppTest) -> list[str]:
    """What a Danish reader would trip over on the page: Streamlit's English fallbacks ("None", "empty",
    "Select all", "Choose an option"), decimal points, ISO dates, and charts without decimal commas."""
    problems = []
    for table in at.dataframe:
        frame, config = table.value, json.loads(table.proto.columns or "{}")
        if frame.empty:
            problems.append(f"an empty table shows 'empty': {list(frame.columns)}")
        for name in frame.columns:
            column = frame[name]
            shown = config.get(str(name), {}).get("type_config", {}).get("format") or ""
            if pd.api.types.is_float_dtype(column):
                problems.append(f"{name}: decimal point")
            values = column.dropna()
            dated = pd.api.types.is_datetime64_any_dtype(column) or (
                len(values) > 0 and all(isinstance(v, date) for v in values)
            )
            if dated and not shown.startswith("DD-MM-YYYY"):
                problems.append(f"{name}: ISO dates")
            if column.isna().any() and not table.proto.placeholder:
                problems.append(f"{name}: 'None' for missing values")
            if column.astype(str).isin(["None", "nan", "NaT", "True", "False"]).any():
                problems.append(f"{name}: English words in cells")
    problems += [f"multiselect {m.label}: 'Select all'" for m in at.multiselect if m.proto.select_all]
    problems += [f"multiselect {m.label}: English placeholder" for m in at.multiselect if not m.proto.placeholder]
    problems += [
        f"selectbox {s.label}: English placeholder"
        for s in at.selectbox
        if (s.value is None or not s.options) and not s.proto.placeholder
    ]
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        if spec["layout"].get("separators") != ",.":
            problems.append(f"chart {spec['layout'].get('yaxis', {}).get('title')}: decimal point")
        dated = any(str(x)[:4].isdigit() and str(x)[4:5] == "-" for trace in spec["data"] for x in trace.get("x", []))
        if dated and not spec["layout"].get("xaxis", {}).get("ticktext"):
            problems.append("chart with a date axis: English month names")
    return problems


@pytest.mark.parametrize(
    ("role", "spec"),
    [(role, spec) for spec in navigation.PAGES for role in IDENTITIES if role in spec.roles],
    ids=lambda v: getattr(v, "key", v),
)
def test_each_page_speaks_danish(app, role, spec):
    at = app(IDENTITIES[role], spec.script)
    assert not at.exception
    assert danish_problems(at) == []


@pytest.mark.parametrize("spec", navigation.PAGES, ids=lambda s: s.key)
def test_no_page_opens_without_login(app, spec):
    at = app(None, spec.script)
    assert [e.value for e in at.error] == ["Du skal logge ind for at se denne side."]
    assert len(at.dataframe) == 0


def test_login_page_logs_in_and_lands_on_the_forside(app):
    at = app()
    assert at.title[0].value == "Trivsel i Velfærdsområdet"
    at.text_input[0].input("leder.solgaarden")
    at.text_input[1].input(demo.DEMO_PASSWORD)
    at.button[0].click().run()
    assert at.title[0].value == "Forside"
    assert at.session_state["identity"].role == "leder"
    assert "Plejecenter Solgården" in texts(at)


def test_wrong_password_is_refused_in_danish(app):
    at = app()
    at.text_input[0].input("admin")
    at.text_input[1].input("forkert-adgangskode")
    at.button[0].click().run()
    assert "Forkert brugernavn eller adgangskode" in at.error[0].value
    assert "identity" not in at.session_state


def staff_page(query: dict) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("pages/staff.py")
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def test_staff_link_opens_the_units_open_survey_without_login(app, demo_store):
    token = demo_store.query_value("SELECT token FROM unit_access_links WHERE unit_id = 'SOC-FAMH'")
    at = staff_page({"adgang": token})
    assert "Familiehuset" in [t.value for t in at.text]  # the unit's name, as plain text
    assert "I de sidste 2 uger har jeg været glad og i godt humør" in at.radio[0].label
    assert not at.error


def answer_everything(at: AppTest, language: str = "da") -> AppTest:
    """Fill in every question of every section, pressing Næste until the survey is sent."""
    from trivsel.ui.survey_language import NEXT, SEND

    for _ in range(20):
        step = [b for b in at.button if b.label in (NEXT.get(language), SEND.get(language))]
        if not step:
            return at
        for radio in at.radio:
            if radio.value is None:
                radio.set_value(radio.options[0])
        step[0].click().run()
    raise AssertionError("the survey never finished")


def test_staff_answers_the_whole_survey_through_the_link(app, demo_store):
    token = demo_store.query_value("SELECT token FROM unit_access_links WHERE unit_id = 'SOC-FAMH'")
    before = demo_store.query_value("SELECT count(*) FROM survey_responses WHERE unit_id = 'SOC-FAMH'")
    at = answer_everything(staff_page({"adgang": token}))
    assert "Tak for dine svar" in at.success[0].value
    assert demo_store.query_value("SELECT count(*) FROM survey_responses WHERE unit_id = 'SOC-FAMH'") == before + 1


def test_a_refused_submission_keeps_the_last_section_and_its_answers(app, demo_store, monkeypatch):
    def refuse(*args, **kwargs):
        raise rounds.RoundError("Målingen er lukket")

    monkeypatch.setattr(rounds, "submit", refuse)
    token = demo_store.query_value("SELECT token FROM unit_access_links WHERE unit_id = 'SOC-FAMH'")
    at = staff_page({"adgang": token})
    for _ in range(20):
        for radio in at.radio:
            if radio.value is None:
                radio.set_value(radio.options[0])
        step = next(b for b in at.button if b.label in ("Næste", "Send svar"))
        step.click().run()
        if step.label == "Send svar":
            break
    assert at.error[0].value == "Målingen er lukket" and not at.success
    assert any(b.label == "Send svar" for b in at.button)  # the last section is still there to send again
    assert at.radio and all(radio.value is not None for radio in at.radio)


def test_staff_page_refuses_an_unknown_link_or_code(app):
    assert "Linket er ugyldigt" in staff_page({"adgang": "gaet-et-token"}).error[0].value
    assert "Koden findes ikke" in staff_page({"kode": "ABCD-EFGH"}).error[0].value
    at = staff_page({})
    assert at.text_input[0].label == "Kode"


def test_leader_sees_only_own_subtree(app):
    at = app(IDENTITIES["leder"], "pages/my_unit.py")
    units = at.dataframe[0].value["Enheds-id"].tolist()
    assert set(units) == {"SO-PC-SOL", "SO-PC-SOL-OE", "SO-PC-SOL-VE", "SO-PC-SOL-DE"}
    links = at.dataframe[1].value
    assert len(links) == 4 and links["Link"].str.contains("/medarbejder?adgang=", regex=False).all()


def test_admin_adds_a_user_and_changes_a_role(app, demo_store):
    at = app(IDENTITIES["admin"], "pages/users.py")
    form = at.tabs[0]
    form.text_input[0].input("ny.konsulent")
    form.text_input[1].input("en-lang-adgangskode")
    form.selectbox[0].select("trivselskonsulent")
    form.button[0].click().run()
    assert any("oprettet" in s.value for s in at.success)
    assert auth.authenticate(demo_store, "ny.konsulent", "en-lang-adgangskode").role == "trivselskonsulent"

    change = at.tabs[1]
    change.selectbox[0].select("ny.konsulent")
    change.selectbox[1].select("leder")
    change.selectbox[2].select("SOC-FAMH")
    change.button[0].click().run()
    assert auth.authenticate(demo_store, "ny.konsulent", "en-lang-adgangskode") == Identity(
        "ny.konsulent", "leder", "SOC-FAMH"
    )
    assert demo_store.query_value("SELECT actor FROM audit_log WHERE action = 'role_changed'") == "admin"


def test_a_leader_role_without_unit_is_refused_on_the_page(app, demo_store):
    at = app(IDENTITIES["admin"], "pages/users.py")
    change = at.tabs[1]
    change.selectbox[0].select("konsulent")
    change.selectbox[1].select("leder")
    change.button[0].click().run()
    assert "En leder skal knyttes til en enhed" in at.error[0].value.replace("\\", "")
    assert auth.authenticate(demo_store, "konsulent", demo.DEMO_PASSWORD).role == "trivselskonsulent"


def test_admin_sees_units_with_headcount_and_can_renew_a_link(app, demo_store):
    at = app(IDENTITIES["admin"], "pages/organisation.py")
    tree = at.dataframe[0].value
    assert len(tree) == len(org.units(demo_store))
    assert tree["Ansatte i dag"].sum() > 1000
    old = demo_store.query_value("SELECT token FROM unit_access_links WHERE unit_id = 'V' AND revoked_at IS NULL")
    at.selectbox[0].select("V")
    at.button[0].click().run()
    assert not org.unit_for_token(demo_store, old)


def test_user_text_is_shown_as_plain_text(app, demo_store):
    payload = "**fed** <script>alert(1)</script> [klik](javascript:alert(1))"
    demo_store.write(lambda cur: cur.execute("UPDATE units SET unit_name = ? WHERE unit_id = 'SO-PC-SOL'", [payload]))
    at = app(IDENTITIES["leder"], "pages/home.py")
    assert any(payload in t.value for t in at.text)
    assert not any("<script>" in m.value for m in at.markdown)


def test_markdown_in_messages_is_escaped():
    from trivsel.ui.text import escape_markdown

    assert escape_markdown("**x** [a](b)") == r"\*\*x\*\* \[a\]\(b\)"


def test_privacy_page_is_public_and_shows_the_live_thresholds(app, demo_store):
    settings.set_value(demo_store, "threshold.survey", 7, actor="admin")
    at = app(None, "pages/privacy.py")
    assert not at.error
    assert "mindst **7** har svaret" in texts(at)
    assert any("Sygefraværsrådgiver" in str(t.value) for t in at.table)


def test_admin_changes_a_threshold_in_settings(app, demo_store):
    at = app(IDENTITIES["admin"], "pages/settings_page.py")
    at.number_input(key="threshold.absence").set_value(8)
    at.button[0].click().run()
    assert settings.get(demo_store, "threshold.absence") == 8
    assert any("1 indstillinger er gemt" in s.value.replace("\\", "") for s in at.success)


def test_audit_log_page_lists_entries_and_offers_a_download(app):
    at = app(IDENTITIES["admin"], "pages/audit_log.py")
    log = at.dataframe[0].value
    loaded = log[log["Handling"] == "Demodata indlæst"]
    assert len(loaded) == 1 and re.fullmatch(
        r"ansættelser: \d+; frø: 1; fraværsperioder: \d+", loaded["Detaljer"].iloc[0]
    )
    assert not log["Detaljer"].str.contains('[{}"]').any()  # readable, not JSON
    assert at.multiselect[0].format_func("round_created") == "Runde oprettet"
    assert at.get("download_button")


@pytest.fixture
def deferred(monkeypatch) -> list:
    """The file makers that download buttons hand to Streamlit, to be called as a click would."""
    makers = []
    register = MediaFileManager.add_deferred

    def spy(self, data_callable, *args, **kwargs):
        makers.append(data_callable)
        return register(self, data_callable, *args, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", spy)
    return makers


def click(maker) -> bytes | str:
    """Streamlit makes a deferred file in a worker thread, with no script-run context."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(maker).result()


def exports_logged(store, actor: str) -> int:
    return store.query_value("SELECT count(*) FROM audit_log WHERE action = 'export' AND actor = ?", [actor])


@pytest.mark.parametrize(
    ("role", "page"),
    [
        ("sygefravaersraadgiver", "pages/absence.py"),
        ("trivselskonsulent", "pages/dashboard_overview.py"),
        ("trivselskonsulent", "pages/dashboard_trends.py"),
        ("admin", "pages/supervision_stats.py"),
        ("admin", "pages/audit_log.py"),
    ],
)
def test_downloads_make_their_file_and_log_it_on_click_without_rerunning_the_page(
    app, demo_store, deferred, role, page
):
    # A rerun on click replaced the button's file id while the browser asked for the old one,
    # and under load the download failed (it did in CI): the file maker logs the export instead.
    buttons = app(IDENTITIES[role], page).get("download_button")
    assert buttons and len(deferred) == len(buttons)
    assert all(b.proto.ignore_rerun and b.proto.deferred_file_id for b in buttons), [b.proto.label for b in buttons]
    before = exports_logged(demo_store, IDENTITIES[role].username)
    made = [click(maker) for maker in deferred]
    assert all(len(file) > 0 for file in made)
    assert exports_logged(demo_store, IDENTITIES[role].username) == before + len(deferred)
    # Excel files are for people: Danish headings, never the CSV files' column names
    # (a zip with a workbook in it: the slides, .pptx, are zips too)
    for book in (load_workbook(BytesIO(file)) for file in made if file[:2] == b"PK" and b"xl/workbook.xml" in file):
        headings = [cell.value for sheet in book for cell in sheet[1]]
        assert not [h for h in headings if re.fullmatch(r"[a-z0-9_]+", str(h))], headings


def create_code_round(at: AppTest, label: str, unit_id: str = "SO-PC-SOL") -> AppTest:
    """On Målinger: a round with one-time codes for the unit and those under it."""
    at.text_input[0].input(label)
    at.multiselect(key="new_round_units").select(unit_id).run()
    # After every demo round, so no overlap asks for a confirmation first.
    at.date_input[0].set_value(date.today() + timedelta(days=60))
    at.date_input[1].set_value(date.today() + timedelta(days=80)).run()
    next(r for r in at.radio if r.label == "Adgang").set_value("code")
    next(b for b in at.button if b.label == "Opret runde").click().run()
    assert not at.exception
    return at


def newest_codes_and_letters(deferred: list) -> tuple[bytes, bytes]:
    """The codes file and the letters last drawn. Below them come only the translation sheets (xlsx, a zip: "PK"),
    which are skipped; each click is logged, so no more files are made than needed."""
    files = []
    for maker in reversed(deferred):
        made = click(maker)
        if not made.startswith(b"PK"):
            files.append(made)
        if len(files) == 2:
            return files[1], files[0]
    raise AssertionError("no codes file and letters were offered")


def test_one_time_codes_stay_until_the_admin_has_saved_them_and_their_download_is_logged(app, demo_store, deferred):
    at = create_code_round(app(IDENTITIES["admin"], "pages/rounds.py"), "Kodetest")
    made = demo_store.query_value(
        "SELECT count(*) FROM round_codes c JOIN survey_rounds r USING (round_id) WHERE r.label = 'Kodetest'"
    )
    assert made > 0
    buttons = ["Hent koder til print (CSV)", "Hent breve med koder og QR-kode (PDF)"]
    assert set(buttons) <= {b.proto.label for b in at.get("download_button")}
    csv_file, letters = newest_codes_and_letters(deferred)
    lines = csv_file.decode("utf-8-sig").splitlines()
    assert lines[0] == "Enheds-id;Enhed;Kode" and len(lines) == made + 1
    codes = [line.split(";")[2] for line in lines[1:]]
    logged = demo_store.query_value(
        "SELECT details FROM audit_log WHERE action = 'export' AND details LIKE '%one_time_codes%' "
        "ORDER BY id DESC LIMIT 1"
    )
    assert '"one_time_codes"' in logged and '"Kodetest"' in logged and "Kode" not in logged.replace("Kodetest", "")
    assert not [code for code in codes if code in logged or code.replace("-", "") in logged]

    # the letters: one page per code, in the CSV's order, logged as an export without any code
    pages = PdfReader(BytesIO(letters)).pages
    assert [code for page, code in zip(pages, codes) if code in page.extract_text()] == codes
    assert len(pages) == made
    logged = json.loads(
        demo_store.query_value(
            "SELECT details FROM audit_log WHERE action = 'export' AND details LIKE '%code_letters%' "
            "ORDER BY id DESC LIMIT 1"
        )
    )
    assert (logged["what"], logged["parameters"]["round"], logged["rows"]) == ("code_letters", "Kodetest", made)
    assert not [code for code in codes if code in json.dumps(logged) or code.replace("-", "") in json.dumps(logged)]

    at.run()  # the download did not rerun the page, and any other run keeps the codes
    assert set(buttons) <= {b.proto.label for b in at.get("download_button")}
    next(b for b in at.button if b.label == "Jeg har gemt koderne").click().run()
    assert not set(buttons) & {b.proto.label for b in at.get("download_button")}


def test_code_letters_print_the_rounds_name_as_it_is_now_and_go_when_the_round_is_deleted_elsewhere(
    app, demo_store, deferred
):
    at = create_code_round(app(IDENTITIES["admin"], "pages/rounds.py"), "Brevtest", "SO-DEMK")
    rnd = rounds.find_round(demo_store, "trivsel", "Brevtest")
    rounds.rename_round(demo_store, rnd, "Brevtest, nyt navn", "admin")
    at.run()
    text = " ".join(PdfReader(BytesIO(newest_codes_and_letters(deferred)[1])).pages[0].extract_text().split())
    assert "Brevtest, nyt navn" in text
    rounds.delete_round(demo_store, rounds.find_round(demo_store, "trivsel", "Brevtest, nyt navn"), "admin")
    at.run()
    assert not at.exception
    labels = [b.proto.label for b in at.get("download_button")]
    assert not {"Hent koder til print (CSV)", "Hent breve med koder og QR-kode (PDF)"} & set(labels)  # open nothing


def test_absence_page_shows_protected_figures_for_the_whole_area(app):
    at = app(IDENTITIES["sygefravaersraadgiver"], "pages/absence.py")
    assert not at.exception
    assert at.metric[0].label == "Sygefravær" and at.metric[0].value.endswith("%")
    units = at.dataframe[0].value
    assert "Velfærdsområdet" in set(units["Enhed"])
    assert (units.loc[units["Enhed"] == "Pårørenderådgivningen", "Sygefravær %"] == "færre end 5 personer").all()
    assert at.get("plotly_chart")


def test_leader_sees_absence_only_for_own_subtree(app):
    at = app(IDENTITIES["leder"], "pages/absence.py")
    assert at.selectbox[0].options == [
        "Plejecenter Solgården",
        "Solgården, Afsnit Vest",
        "Solgården, Afsnit Øst",
        "Solgården, Demensafsnittet",
    ]
    assert set(at.dataframe[0].value["Enhed"]) == set(at.selectbox[0].options)


def ongoing_metric(at: AppTest) -> str:
    return next(m.value for m in at.metric if m.label == "Igangværende perioder")


def test_followup_page_lists_due_conversations_and_records_one(app, demo_store):
    at = app(IDENTITIES["leder"], "pages/followup.py")
    due = at.dataframe[0].value
    assert list(due.columns)[:4] == ["Status", "Næste samtale", "Medarbejder", "Enhed"]
    assert len(due) > 0 and {s.split(" – ")[0] for s in due["Status"]} <= {
        "Overskredet",
        "I dag",
        "Kommende",
        "Alle samtaler holdt",
    }
    assert due["Medarbejder"].str.fullmatch(r"M\d+").all()  # pseudonymous ids only
    first, ongoing = due.iloc[0], ongoing_metric(at)
    at.button[0].click().run()
    assert any("er registreret" in s.value for s in at.success)
    assert (
        demo_store.query_value(
            "SELECT count(*) FROM absence_contacts WHERE employee_id = ? AND recorded_by = 'leder.solgaarden'",
            [first["Medarbejder"]],
        )
        == 1
    )
    assert demo_store.query_value("SELECT count(*) FROM audit_log WHERE action = 'view_spell_level'") >= 1
    assert ongoing_metric(at) == ongoing


def test_recording_every_conversation_of_a_spell_leaves_the_ongoing_count(app, demo_store):
    at = app(IDENTITIES["sygefravaersraadgiver"], "pages/followup.py")
    ongoing = ongoing_metric(at)
    longest = at.dataframe[0].value.sort_values("Sygedag nr.").iloc[-1]
    assert longest["Sygedag nr."] >= max(m.day for m in followup.milestones())
    for step in (m.day for m in followup.milestones()):  # every conversation, the last one too
        followup.record_contact(
            demo_store, longest["Medarbejder"], longest["Første sygedag"], step, date.today(), "raadgiver"
        )
    at.run()
    assert ongoing_metric(at) == ongoing


def test_followup_filters_by_unit_milestone_and_overdue(app, demo_store):
    at = app(IDENTITIES["sygefravaersraadgiver"], "pages/followup.py")
    at.radio[0].set_value(True).run()
    assert set(at.dataframe[0].value["Status"].str.split(" – ").str[0]) == {"Overskredet"}
    at.selectbox[1].set_value(14).run()
    assert set(at.dataframe[0].value["Status"]) <= {"Overskredet – dag 14"}
    at.radio[0].set_value(False)
    at.selectbox[1].set_value(None)
    at.selectbox[0].set_value("SO-PC-SOL-OE").run()
    assert set(at.dataframe[0].value["Enhed"]) == {"Solgården, Afsnit Øst"}


def test_followup_list_is_limited_to_the_leaders_staff(app, demo_store):
    at = app(IDENTITIES["leder"], "pages/followup.py")
    solgaarden = [
        "Plejecenter Solgården",
        "Solgården, Afsnit Vest",
        "Solgården, Afsnit Øst",
        "Solgården, Demensafsnittet",
    ]
    assert at.selectbox[0].options == solgaarden
    assert set("; ".join(at.dataframe[0].value["Enhed"]).split("; ")) <= set(solgaarden)


def test_raadgiver_may_import_absence_only(app):
    at = app(IDENTITIES["sygefravaersraadgiver"], "pages/imports.py")
    assert at.radio[0].options == ["Fravær"]


def test_answers_stay_when_moving_between_sections(app, demo_store):
    token = demo_store.query_value("SELECT token FROM unit_access_links WHERE unit_id = 'SOC-FAMH'")
    at = staff_page({"adgang": token})
    for radio in at.radio:
        radio.set_value(radio.options[1])
    next(b for b in at.button if b.label == "Næste").click().run()
    assert "2 / " in at.get("progress")[0].proto.text
    next(b for b in at.button if b.label == "Forrige").click().run()
    assert [r.value for r in at.radio] == [4] * 5  # "Det meste af tiden", as answered before


def test_a_second_click_on_a_section_already_left_changes_nothing(app, demo_store):
    token = demo_store.query_value("SELECT token FROM unit_access_links WHERE unit_id = 'SOC-FAMH'")
    at = staff_page({"adgang": token})
    for radio in at.radio:
        radio.set_value(radio.options[1])
    first_next = next(b for b in at.button if b.label == "Næste")
    first_next.click().run()
    assert "2 / " in at.get("progress")[0].proto.text and not at.error
    first_next.click().run()  # the same button again, as a double tap that reaches the server late
    assert "2 / " in at.get("progress")[0].proto.text and not at.error


def test_required_questions_block_the_next_section(app, demo_store):
    token = demo_store.query_value("SELECT token FROM unit_access_links WHERE unit_id = 'SOC-FAMH'")
    at = staff_page({"adgang": token})
    next(b for b in at.button if b.label == "Næste").click().run()
    assert at.error[0].value == "Besvar venligst spørgsmål 1, 2, 3, 4, 5."
    assert "1 / " in at.get("progress")[0].proto.text


def test_a_change_that_rounds_to_nothing_is_no_red_rise(app, monkeypatch):
    """Sygefravær 6,04 % against 6,01 %: "+0,0 point" in red with an arrow up told of a rise that is not there."""
    from trivsel.views import dashboard

    headline = dashboard.headline

    def nearly_unchanged(*args, **kwargs):
        cards, hidden = headline(*args, **kwargs)
        return [dataclasses.replace(c, value=6.04, baseline=6.01) if c.key == "absence" else c for c in cards], hidden

    monkeypatch.setattr(dashboard, "headline", nearly_unchanged)
    at = app(IDENTITIES["trivselskonsulent"], "pages/dashboard_overview.py")
    card = next(m for m in at.metric if m.label == "Sygefravær")
    assert card.delta == "±0,0 point" and str(card.proto).split("color: ")[1].startswith("GRAY")
    assert "direction: NONE" in str(card.proto)


def test_dashboard_overview_shows_cards_units_and_bands(app):
    at = app(IDENTITIES["trivselskonsulent"], "pages/dashboard_overview.py")
    assert not at.exception
    assert [m.label for m in at.metric] == [
        "Svarprocent",
        "WHO-5",
        "WHO-5 under 50",
        "eNPS",
        "Forventer at blive",
        "Sygefravær",
    ]
    assert at.metric[1].delta  # compared with the baseline round
    units = at.dataframe[0].value
    assert "Velfærdsområdet" in units.index and "Sundhed og Omsorg" in units.index
    assert at.get("plotly_chart")


def test_the_overviews_comments_come_as_one_text_however_many_there_are(app, demo_store):
    # One element per comment made the whole municipality's overview send and draw thousands of elements
    # (3,500 at tenfold scale, a second of the browser's warm visit); one plain text (never markdown) holds them.
    at = app(IDENTITIES["trivselskonsulent"], "pages/dashboard_overview.py")
    rnd = rounds.round_by_id(demo_store, at.selectbox(key="dashboard_round").value)
    expected = survey_views.comments(demo_store, load_all(config.surveys_dir())["trivsel"], rnd, "V")
    assert len(expected) > 20
    blocks = [t.value for t in at.text if any(comment in t.value for comment in expected)]
    assert len(blocks) == 1
    assert sorted(blocks[0].removeprefix("• ").split("\n\n• ")) == sorted(expected)


def test_dashboard_drill_down_goes_to_a_child_unit(app):
    at = app(IDENTITIES["trivselskonsulent"], "pages/dashboard_overview.py")
    at.selectbox(key="down_V").select("SO").run()
    assert "Sundhed og Omsorg" in at.subheader[0].value
    assert "Plejecenter Solgården" in at.dataframe[0].value.index


def test_dashboard_heatmap_and_trends_render(app):
    heat = app(IDENTITIES["trivselskonsulent"], "pages/dashboard_heatmap.py")
    assert not heat.exception and heat.get("plotly_chart")
    trends = app(IDENTITIES["trivselskonsulent"], "pages/dashboard_trends.py")
    assert not trends.exception and len(trends.get("plotly_chart")) >= 4  # 3 trends + drivers (+ scatter)
    assert "Ledelse" in set(trends.dataframe[0].value["Dimension"])


def test_leader_dashboards_stay_in_own_subtree(app):
    at = app(IDENTITIES["leder"], "pages/dashboard_overview.py")
    assert "Plejecenter Solgården" in at.subheader[0].value
    assert set(at.dataframe[0].value.index) <= {
        "Plejecenter Solgården",
        "Solgården, Afsnit Vest",
        "Solgården, Afsnit Øst",
        "Solgården, Demensafsnittet",
    }
    assert not [b for b in at.button if b.label == "Velfærdsområdet"]
    heat = app(IDENTITIES["leder"], "pages/dashboard_heatmap.py")
    assert not heat.exception


def test_action_note_is_written_from_the_overview(app, demo_store):
    at = app(IDENTITIES["leder"], "pages/dashboard_overview.py")
    at.text_area[0].input("Faste pauser på aftenvagten")
    at.text_input[0].input("Afdelingsleder")
    next(b for b in at.button if b.label == "Gem aftale").click().run()
    assert (
        demo_store.query_value("SELECT what FROM action_notes WHERE unit_id = 'SO-PC-SOL' AND problem_id IS NULL")
        == "Faste pauser på aftenvagten"
    )


def test_admin_takes_a_backup_from_settings(app, tmp_path, monkeypatch):
    monkeypatch.setenv("TRIVSEL_BACKUP_DIR", str(tmp_path / "kopier"))
    at = app(IDENTITIES["admin"], "pages/settings_page.py")
    next(b for b in at.button if b.label == "Tag sikkerhedskopi nu").click().run()
    snapshots = list((tmp_path / "kopier").iterdir())
    assert len(snapshots) == 1 and (snapshots[0] / "trivsel-backup.json").exists()
    assert any("Sikkerhedskopien er gemt" in s.value.replace("\\", "") for s in at.success)


@pytest.mark.parametrize("change", ["disable_user", "delete_user"])
def test_a_disabled_or_deleted_user_is_logged_out_at_the_next_run(app, demo_store, change):
    at = app(IDENTITIES["leder"], "pages/my_unit.py")
    getattr(auth, change)(demo_store, "leder.solgaarden", actor="admin")
    at.run()
    assert at.title[0].value == "Trivsel i Velfærdsområdet"  # the login page
    assert "en administrator har lukket din adgang" in at.warning[0].value
    assert len(at.dataframe) == 0 and "identity" not in at.session_state


def users_tab(at: AppTest):
    return next(t for t in at.tabs if t.label == "Deaktivér / slet")


def test_admin_disables_enables_and_deletes_a_user_on_the_users_page(app, demo_store):
    at = app(IDENTITIES["admin"], "pages/users.py")
    tab = users_tab(at)
    tab.selectbox[0].select("konsulent")
    next(b for b in tab.button if b.label == "Deaktivér").click().run()
    assert any("konsulent er deaktiveret" in s.value for s in at.success)
    assert auth.active_identity(demo_store, "konsulent") is None
    assert at.dataframe[0].value.set_index("Brugernavn").loc["konsulent", "Status"] == "Deaktiveret"

    tab = users_tab(at)
    tab.selectbox[0].select("konsulent")
    next(b for b in tab.button if b.label == "Slet").click().run()
    assert "Sæt hak ved" in at.error[0].value
    assert auth.list_users(demo_store)["username"].eq("konsulent").any()

    tab = users_tab(at)
    tab.selectbox[0].select("konsulent")
    tab.checkbox[0].check()
    next(b for b in tab.button if b.label == "Slet").click().run()
    assert any("konsulent er slettet" in s.value for s in at.success)
    assert not auth.list_users(demo_store)["username"].eq("konsulent").any()
    assert demo_store.query_all(
        "SELECT actor, action FROM audit_log WHERE action IN ('user_disabled', 'user_deleted') ORDER BY id"
    ) == [("admin", "user_disabled"), ("admin", "user_deleted")]


def test_an_admin_cannot_disable_or_delete_themselves_on_the_page(app, demo_store):
    at = app(IDENTITIES["admin"], "pages/users.py")
    tab = users_tab(at)
    tab.selectbox[0].select("admin")
    next(b for b in tab.button if b.label == "Deaktivér").click().run()
    assert "Du kan ikke deaktivere din egen bruger" in at.error[0].value
    assert auth.active_identity(demo_store, "admin") == IDENTITIES["admin"]


def code_round(store) -> list[str]:
    survey = load_all(config.surveys_dir())["trivsel"]
    _, codes = rounds.create_round(
        store,
        survey,
        "Gætterunde",
        date.today() - timedelta(days=1),
        date.today() + timedelta(days=7),
        ["SOC-FAMH"],
        "code",
        "test",
    )
    return codes["code"].tolist()


def type_code(at: AppTest, code: str) -> AppTest:
    at.text_input[0].input(code)
    return at.button[0].click().run()


def test_wrong_survey_codes_are_limited_per_session_and_counted_per_day(app, demo_store, monkeypatch):
    valid = code_round(demo_store)[0]
    at = staff_page({})
    for guess in ["AAAA-AAAA", "AAAA-AAAB", "AAAA-AAAB", "AAAA-AAAC", "AAAA-AAAD", "AAAA-AAAE"]:
        assert "Koden findes ikke" in type_code(at, guess).error[0].value
    # the same wrong code twice counts once: five wrong codes, and now every try waits, even the right code
    at = type_code(at, valid)
    assert "For mange forkerte koder" in at.error[0].value and "sekunder" in at.error[0].value
    assert not at.radio  # the survey did not open
    assert code_guesses.wrong_codes(demo_store)[code_guesses.SURVEY_CODE] == 5
    logged = demo_store.query_all("SELECT actor, details FROM audit_log WHERE action = 'wrong_codes_limit'")
    assert logged == [("anonym", '{"kind": "survey_code", "wrong_in_session": 5}')]
    monkeypatch.setattr(code_guard, "monotonic", lambda: time.monotonic() + code_guesses.FIRST_WAIT_SECONDS)
    at = type_code(at, valid)
    assert not at.error and at.radio  # after the wait the right code opens the survey


def test_wrong_reference_codes_are_limited_per_session_and_counted_per_day(app, demo_store):
    valid = requests.submit(
        demo_store,
        load_all(config.surveys_dir())["supervision_request"],
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
    at = app(None, "pages/supervision_status.py")
    for n in range(5):
        assert "Koden findes ikke" in type_code(at, f"ABCD-EFGH-JKL{n + 2}").error[0].value
    at = type_code(at, valid)
    assert "For mange forkerte koder" in at.error[0].value and not at.success
    assert code_guesses.wrong_codes(demo_store)[code_guesses.REFERENCE_CODE] == 5


ROUNDS_PAGE = "pages/rounds.py"
SOLGAARDEN = ["SO-PC-SOL", "SO-PC-SOL-VE", "SO-PC-SOL-OE", "SO-PC-SOL-DE"]  # the centre and its three wards


def today_round(store, label: str, units: list[str], days_open: int = 7) -> rounds.Round:
    """A round open from yesterday, made with the page's own today (the demo's open round is fixed in time)."""
    survey = load_all(config.surveys_dir())["trivsel"]
    return rounds.create_round(
        store,
        survey,
        label,
        date.today() - timedelta(days=1),
        date.today() + timedelta(days=days_open),
        units,
        "link",
        "konsulent",
    )[0]


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def said(at: AppTest) -> str:
    """The page's text as the user reads it (messages with user text come markdown-escaped)."""
    return texts(at).replace("\\", "")


def test_a_new_round_starts_on_the_trivsel_survey_and_a_parent_unit_brings_its_subtree(app, demo_store):
    at = app(IDENTITIES["trivselskonsulent"], ROUNDS_PAGE)
    assert at.selectbox[0].label == "Spørgeskema" and at.selectbox[0].value == "trivsel"
    units = at.multiselect(key="new_round_units")
    assert units.value == []
    units.select("SO-PC-SOL").run()
    assert at.multiselect(key="new_round_units").value == SOLGAARDEN
    staff = int(org.headcount(demo_store, SOLGAARDEN, date.today())["persons"].sum())
    assert f"4 enheder valgt med {staff} ansatte den {date.today():%d-%m-%Y}." in texts(at)
    assert {"Sundhed og Omsorg › Plejecenter Solgården", "Plejecenter Solgården › Solgården, Afsnit Øst"} <= set(
        at.multiselect(key="new_round_units").options
    )
    at.multiselect(key="new_round_units").unselect("SO-PC-SOL-DE").run()  # a ward taken out stays out
    at.multiselect(key="new_round_units").select("SOC-FAMH").run()
    assert at.multiselect(key="new_round_units").value == ["SOC-FAMH", *SOLGAARDEN[:3]]  # in tree order


def test_a_new_round_overlapping_an_open_one_is_made_only_after_a_confirmation(app, demo_store):
    today_round(demo_store, "Sommer", ["SO-PC-SOL-VE", "SO-PC-SOL-OE", "SOC-FAMH"])
    at = app(IDENTITIES["trivselskonsulent"], ROUNDS_PAGE)
    at.text_input[0].input("Vinter")
    at.multiselect(key="new_round_units").select("SO-PC-SOL").run()
    assert any("er allerede med i en åben eller planlagt runde af samme spørgeskema" in w.value for w in at.warning)
    assert (
        f"Sommer ({date.today() - timedelta(days=1):%d-%m-%Y} – {date.today() + timedelta(days=7):%d-%m-%Y}): "
        "2 af de valgte enheder" in texts(at)
    )
    listed = at.dataframe[1].value
    sommer = listed[listed["Runde"] == "Sommer"]
    assert sommer["Enhed"].tolist() == [
        "Plejecenter Solgården › Solgården, Afsnit Vest",
        "Plejecenter Solgården › Solgården, Afsnit Øst",
    ]
    assert button(at, "Opret runde").disabled
    assert rounds.find_round(demo_store, "trivsel", "Vinter") is None
    next(c for c in at.checkbox if c.label == "Opret runden alligevel").check().run()
    button(at, "Opret runde").click().run()
    made = rounds.find_round(demo_store, "trivsel", "Vinter")
    assert sorted(rounds.units_of_rounds(demo_store, [made.round_id])["unit_id"]) == sorted(SOLGAARDEN)
    assert "Runden 'Vinter' er oprettet for 4 enheder." in said(at)
    # A period after the open round warns about nothing.
    at.date_input[0].set_value(date.today() + timedelta(days=60))
    at.date_input[1].set_value(date.today() + timedelta(days=70)).run()
    assert not at.warning and not button(at, "Opret runde").disabled


def test_a_round_for_one_unit_is_told_in_the_singular(app, demo_store):
    at = app(IDENTITIES["trivselskonsulent"], ROUNDS_PAGE)
    at.text_input[0].input("Enkelt")
    at.multiselect(key="new_round_units").select("SOC-FAMH").run()
    assert "1 enhed valgt med" in said(at)
    next(c for c in at.checkbox if c.label == "Opret runden alligevel").check().run()  # the demo's open round
    button(at, "Opret runde").click().run()
    assert "Runden 'Enkelt' er oprettet for 1 enhed." in said(at)


def test_the_konsulent_renames_extends_and_deletes_a_round_on_the_page(app, demo_store):
    rnd = today_round(demo_store, "Rettes", ["SOC-FAMH"])
    at = app(IDENTITIES["trivselskonsulent"], ROUNDS_PAGE)
    table = at.dataframe[0].value
    assert table.loc[table["Runde"] == "Rettes", "Åbner"].tolist() == [f"{date.today() - timedelta(days=1):%d-%m-%Y}"]
    at.selectbox(key="chosen_round").set_value(rnd.round_id).run()

    at.text_input(key=f"label_{rnd.round_id}").input("Forår 2025")
    button(at, "Omdøb").click().run()
    assert [e.value for e in at.error] == [escape_markdown("Der findes allerede en runde med navnet 'Forår 2025'.")]
    at.text_input(key=f"label_{rnd.round_id}").input("Rettet")
    button(at, "Omdøb").click().run()
    assert rounds.round_by_id(demo_store, rnd.round_id).label == "Rettet"
    assert at.selectbox(key="chosen_round").value == rnd.round_id and "Runden hedder nu 'Rettet'." in said(at)

    later = rnd.closes_on + timedelta(days=14)
    next(d for d in at.date_input if d.label == "Ny lukkedato").set_value(later)
    button(at, "Forlæng").click().run()
    assert rounds.round_by_id(demo_store, rnd.round_id).closes_on == later
    assert f"Runden lukker nu den {later:%d-%m-%Y}." in said(at)

    at.checkbox(key=f"close_{rnd.round_id}").check().run()
    button(at, "Luk runden nu").click().run()
    assert rounds.round_by_id(demo_store, rnd.round_id).status(date.today()) == "lukket"
    assert at.selectbox(key="chosen_round").value == rnd.round_id
    assert not [d for d in at.date_input if d.label == "Ny lukkedato"]  # a closed round is not reopened

    assert button(at, "Slet runden").disabled
    at.checkbox(key=f"delete_{rnd.round_id}").check().run()
    button(at, "Slet runden").click().run()
    assert not at.exception and "Runden 'Rettet' er slettet." in said(at)
    assert rounds.find_round(demo_store, "trivsel", "Rettet") is None
    logged = [
        a
        for (a,) in demo_store.query_all(
            "SELECT action FROM audit_log WHERE actor = 'konsulent' AND action LIKE 'round_%' ORDER BY id"
        )
    ]
    assert logged == ["round_created", "round_renamed", "round_extended", "round_closed", "round_deleted"]


def test_a_round_with_answers_offers_no_delete(app, demo_store):
    at = app(IDENTITIES["trivselskonsulent"], ROUNDS_PAGE)
    at.selectbox(key="chosen_round").set_value(rounds.find_round(demo_store, "trivsel", "Forår 2025").round_id).run()
    assert rounds.HAS_ANSWERS in [c.value for c in at.caption]
    assert not [b for b in at.button if b.label == "Slet runden"]
