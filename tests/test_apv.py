"""The APV: the survey, the whole cycle as leader and arbejdsmiljørepræsentant, the overview, the PDF."""

import dataclasses
import re
import subprocess
from datetime import date, timedelta
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from conftest import DEMO_TODAY
from trivsel import apv, auth, config, org, retention
from trivsel.auth import Identity
from trivsel.reports import apv as apv_report
from trivsel.roles import AMR, KONSULENT, LEDER
from trivsel.surveys import actions, rounds
from trivsel.surveys.definitions import load_all
from trivsel.ui.session import TOKEN_KEY
from trivsel.views import apv as apv_views

SURVEY = load_all(config.surveys_dir())["apv"]
APP = str(Path(__file__).parents[1] / "app.py")
LEADER = Identity("leder.solgaarden", LEDER, "SO-PC-SOL")
REPRESENTATIVE = Identity("amr.solgaarden", AMR, "SO-PC-SOL")
OTHER_LEADER = Identity("leder.hjemmepleje", LEDER, "SO-HP-NORD")
TODAY = DEMO_TODAY


def test_the_apv_survey_covers_the_five_psychosocial_risks_and_the_physical_risks_of_care():
    areas = {d: name.da for d, name in SURVEY.dimensions.items()}
    assert SURVEY.anonymous
    for word in ("tidspres", "krav", "Følelsesmæssige", "mobning og seksuel chikane", "vold"):
        assert any(word in name for name in areas.values()), word
    for word in ("Forflytning", "Arbejdsstillinger", "Indeklima", "Smitte og farlige stoffer", "Alenearbejde"):
        assert any(word in name for name in areas.values()), word
    assert "Aften- og natarbejde" in areas.values()


def new_round(store, unit_id="SO-PC-SOL") -> rounds.Round:
    """A round of the APV survey that has closed by TODAY."""
    rnd, _ = rounds.create_round(
        store, SURVEY, "APV test", TODAY - timedelta(days=40), TODAY - timedelta(days=20), [unit_id], "link", "k"
    )
    return rnd


def test_an_apv_starts_only_on_a_closed_apv_round_of_the_own_unit(demo_store):
    rnd = new_round(demo_store)
    with pytest.raises(apv.ApvError, match="egne enheder"):
        apv.start(demo_store, "SO-PC-SOL", rnd.round_id, OTHER_LEADER, TODAY)
    with pytest.raises(apv.ApvError, match="Kun enhedens leder"):
        apv.start(demo_store, "SO-PC-SOL", rnd.round_id, REPRESENTATIVE, TODAY)
    with pytest.raises(apv.ApvError, match="lukket runde"):
        apv.start(demo_store, "SO-PC-SOL", rnd.round_id, LEADER, TODAY - timedelta(days=25))  # still open then
    trivsel_round = next(r for r in rounds.all_rounds(demo_store) if r.survey_id == "trivsel" and r.closes_on)
    with pytest.raises(apv.ApvError, match="APV-spørgeskemaet"):
        apv.start(demo_store, "SO-PC-SOL", trivsel_round.round_id, LEADER, TODAY)
    assert apv.start(demo_store, "SO-PC-SOL", rnd.round_id, LEADER, TODAY)


def test_the_whole_cycle_as_leader_and_arbejdsmiljoerepraesentant(demo_store):
    rnd = next(r for r in apv.candidate_rounds(demo_store, "SO-PC-SOL", TODAY))
    apv_id = apv.start(demo_store, "SO-PC-SOL", rnd.round_id, LEADER, TODAY)
    found = apv.visible(demo_store, apv_id, REPRESENTATIVE)
    with pytest.raises(apv.ApvError, match="egne enheder"):
        apv.visible(demo_store, apv_id, OTHER_LEADER)

    mapping = apv_views.mapping(demo_store, SURVEY, found, TODAY)
    assert len(mapping.table) == len(SURVEY.dimensions) and not mapping.table["suppressed"].any()
    suggested = apv_views.suggestions(demo_store, mapping, set())
    assert len(suggested) and (suggested["score"] < 60).all()
    first = suggested.iloc[0]
    problem = apv.add_problem(demo_store, apv_id, first["area"], 1, "", LEADER, TODAY, first["measure"])
    assert first["measure"] not in set(apv_views.suggestions(demo_store, mapping, {first["measure"]})["measure"])
    own = apv.add_problem(demo_store, apv_id, "Glat gulv i vaskerummet", 2, "Set på rundgangen", LEADER, TODAY)
    with pytest.raises(apv.ApvError, match="Kun enhedens leder"):
        apv.add_problem(demo_store, apv_id, "Noget", 2, "", REPRESENTATIVE, TODAY)

    absence = apv_views.absence(demo_store, found, TODAY)
    assert list(absence.now.table["unit_id"]) == ["SO-PC-SOL", "SO", "V"]
    assert absence.period[0].day == 1 and (absence.period[1] + timedelta(days=1)).day == 1  # whole months
    assert "employee_id" not in absence.now.table.columns

    with pytest.raises(apv.ApvError, match="vurderingen af sygefraværet"):
        apv.approve(demo_store, apv_id, LEADER, TODAY)
    apv.set_absence_assessment(demo_store, apv_id, "Fraværet følger tidspresset.", LEADER)
    note = apv.add_action(
        demo_store,
        apv_id,
        problem,
        "Tavlemøde",
        "Leder",
        TODAY + timedelta(days=30),
        TODAY + timedelta(days=60),
        LEADER,
        TODAY,
    )
    with pytest.raises(apv.ApvError, match="ikke ændre"):
        apv.add_action(demo_store, apv_id, own, "x", "y", TODAY, TODAY, REPRESENTATIVE, TODAY)
    assert actions.notes(demo_store, rnd.round_id, ["SO-PC-SOL"])["note_id"].tolist() == [note]  # the same notes

    assert apv.approve(demo_store, apv_id, LEADER, TODAY) is False
    with pytest.raises(apv.ApvError, match="allerede godkendt"):
        apv.approve(demo_store, apv_id, LEADER, TODAY)
    assert apv.approve(demo_store, apv_id, REPRESENTATIVE, TODAY) is True
    done = apv.get(demo_store, apv_id)
    assert done.approved_on == TODAY and done.revise_by == date(TODAY.year + 3, TODAY.month, TODAY.day)
    with pytest.raises(apv.ApvError, match="godkendt og kan ikke ændres"):
        apv.set_absence_assessment(demo_store, apv_id, "Ændret", LEADER)
    apv.set_action_status(demo_store, apv_id, note, "faerdig", LEADER, TODAY)  # the plan is still followed up
    assert set(apv.approvals(demo_store, apv_id)["username"]) == {"leder.solgaarden", "amr.solgaarden"}

    logged = demo_store.query_df("SELECT action, details FROM audit_log WHERE details LIKE ?", [f"%{apv_id}%"])
    assert {"apv_started", "apv_problem_added", "apv_absence_assessed", "apv_approved"} <= set(logged["action"])


def test_an_earlier_revision_date_is_kept_and_a_later_one_refused(demo_store):
    apv_id = apv.start(demo_store, "SO-PC-SOL", new_round(demo_store).round_id, LEADER, TODAY)
    with pytest.raises(apv.ApvError, match="højst 3 år"):
        apv.set_revise_by(demo_store, apv_id, TODAY + timedelta(days=4 * 365), LEADER, TODAY)
    apv.set_revise_by(demo_store, apv_id, TODAY + timedelta(days=400), LEADER, TODAY)
    apv.add_problem(demo_store, apv_id, "Flytning til ny bygning", 1, "", LEADER, TODAY)
    apv.set_absence_assessment(demo_store, apv_id, "Ingen sammenhæng.", LEADER)
    apv.approve(demo_store, apv_id, LEADER, TODAY)
    apv.approve(demo_store, apv_id, REPRESENTATIVE, TODAY)
    assert apv.get(demo_store, apv_id).revise_by == TODAY + timedelta(days=400)


def test_the_overview_marks_every_state_of_the_demo(demo_store):
    found = apv.overview(demo_store, TODAY).set_index("unit_id")
    assert found.at["SO-PC-SOL", "state"] == "Gældende" and found.at["SO-PC-SOL", "late_actions"] >= 1
    assert found.at["SO-PC-SOL", "overdue"]  # an action past its deadline
    assert found.at["SO-HP-NORD", "state"] == "Skal snart revideres" and not found.at["SO-HP-NORD", "overdue"]
    assert found.at["SO-PC-LIN", "state"] == "Forfalden" and found.at["SO-PC-LIN", "overdue"]
    assert found.at["SO-PC-KAS", "state"] == "Under udarbejdelse"
    assert found.at["SO-PC-BAK", "state"] == "Ingen APV" and found.at["SO-PC-BAK", "overdue"]


def test_the_apv_pdf_has_every_part_and_no_hidden_figure(demo_store, tmp_path):
    apv_id = apv.of_unit(demo_store, "SO-PC-SOL")[0].apv_id
    report = apv_report.gather(demo_store, SURVEY, apv_id, REPRESENTATIVE, TODAY)
    data = apv_report.pdf(report)
    text = "\n".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)
    for part in (
        "Arbejdspladsvurdering (APV)",
        "1. Kortlægning",
        "2. Problemliste",
        "3. Sygefravær",
        "Vurdering",
        "4. Handleplan",
        "5. Godkendelse",
        "amr.solgaarden",
        "Revideres senest",
        "Plejecenter Solgården",
    ):
        assert part in text, part
    with pytest.raises(apv.ApvError):
        apv_report.gather(demo_store, SURVEY, apv_id, OTHER_LEADER, TODAY)
    (tmp_path / "apv.pdf").write_bytes(data)
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(tmp_path / "apv.pdf"), str(tmp_path / "side")], check=True)
    assert list(tmp_path.glob("side*.png"))


def mapping_text(report) -> str:
    text = "\n".join(p.extract_text() for p in PdfReader(BytesIO(apv_report.pdf(report))).pages)
    return text[text.index("1. Kortlægning") : text.index("2. Problemliste")]


def test_a_hidden_area_reads_as_hidden_in_the_pdf(demo_store):
    apv_id = apv.of_unit(demo_store, "SO-PC-SOL")[0].apv_id
    report = apv_report.gather(demo_store, SURVEY, apv_id, LEADER, TODAY)
    table = report.mapping.table.copy()
    first = table.index[0]
    table.loc[first, ["score", "respondents"]] = None
    table.loc[first, "suppressed"] = True
    hidden = dataclasses.replace(report, mapping=dataclasses.replace(report.mapping, table=table))
    before, after = mapping_text(report), mapping_text(hidden)
    assert after.count("færre end 5 svar") == before.count("færre end 5 svar") + 2
    assert sum(ch.isdigit() for ch in after) < sum(ch.isdigit() for ch in before)


def test_text_from_data_is_printed_as_typed(demo_store):
    apv_id = apv.start(demo_store, "SO-PC-SOL", new_round(demo_store).round_id, LEADER, TODAY)
    apv.add_problem(demo_store, apv_id, "<b>Fed</b> & <i>skrå</i>", 1, "", LEADER, TODAY)
    data = apv_report.pdf(apv_report.gather(demo_store, SURVEY, apv_id, LEADER, TODAY))
    assert "<b>Fed</b> & <i>skrå</i>" in "\n".join(p.extract_text() for p in PdfReader(BytesIO(data)).pages)


def test_the_new_role_is_stored_and_scoped_like_a_leader(demo_store):
    auth.add_user(demo_store, "amr.ny", AMR, "en-lang-adgangskode", "SO-PC-LIN", actor="admin")
    with pytest.raises(auth.AuthError, match="skal knyttes til en enhed"):
        auth.add_user(demo_store, "amr.uden", AMR, "en-lang-adgangskode", None, actor="admin")
    auth.set_sso_mapping(demo_store, "amr@kommune.dk", AMR, "SO-PC-LIN", "admin")
    assert auth.sso_identity(demo_store, "amr@kommune.dk").scope == "SO-PC-LIN"
    assert Identity("amr.ny", AMR, "SO-PC-LIN").scope == "SO-PC-LIN"
    assert Identity("k", KONSULENT).scope is None


def test_retention_deletes_an_apv_superseded_long_ago_and_keeps_the_current(demo_store):
    rule = next(r for r in retention.RULES if r.dataset == "apvs")
    lindehoej = apv.of_unit(demo_store, "SO-PC-LIN")[0]
    rnd = new_round(demo_store, "SO-PC-LIN")
    leader, representative = Identity("l", LEDER, "SO-PC-LIN"), Identity("a", AMR, "SO-PC-LIN")
    newer = apv.start(demo_store, "SO-PC-LIN", rnd.round_id, leader, TODAY)
    apv.add_problem(demo_store, newer, "Noget", 1, "", leader, TODAY)
    apv.set_absence_assessment(demo_store, newer, "Vurderet.", leader)
    apv.approve(demo_store, newer, leader, TODAY)
    apv.approve(demo_store, newer, representative, TODAY)
    later = TODAY.replace(year=TODAY.year + 6)
    retention.run(demo_store, later, actor="system")
    left = {a.apv_id for a in apv.of_unit(demo_store, "SO-PC-LIN")}
    assert left == {newer} and lindehoej.apv_id not in left
    assert not demo_store.query_value("SELECT count(*) FROM apv_problems WHERE apv_id = ?", [lindehoej.apv_id])
    assert rule.setting == "retention.apv"


@pytest.fixture
def page(demo_db, demo_store, monkeypatch):
    monkeypatch.setenv("TRIVSEL_DB", str(demo_db))

    def make(username: str, **state) -> AppTest:
        """The page as the user sees it, with widgets already set as `state` says."""
        at = AppTest.from_file(APP, default_timeout=60)
        at.session_state[TOKEN_KEY] = auth.start_session(demo_store, username)
        for key, value in state.items():
            at.session_state[key] = value
        at.switch_page("pages/apv.py")
        return at.run()

    return make


def shown(at: AppTest) -> str:
    return "\n".join(
        str(e.value)
        for kind in ("title", "subheader", "text", "markdown", "caption", "success", "info")
        for e in getattr(at, kind)
    )


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def test_the_page_as_leader_starts_writes_and_approves_an_apv(page, demo_store):
    # the demo's older APV round, which Solgården has no APV on yet
    (rnd,) = apv.candidate_rounds(demo_store, "SO-PC-SOL", date.today())
    at = page("leder.solgaarden")
    assert not at.exception and "Overblik for" not in shown(at)
    assert set(at.selectbox(key="apv_unit").options) == {
        "Plejecenter Solgården",
        "Solgården, Afsnit Øst",
        "Solgården, Afsnit Vest",
        "Solgården, Demensafsnittet",
    }
    next(s for s in at.selectbox if s.label == "Kortlægning (runde)").select(rnd.round_id)
    button(at, "Start APV").click().run()
    assert any("APV'en er startet" in s.value.replace("\\", "") for s in at.success), [e.value for e in at.error]
    apv_id = demo_store.query_value(
        "SELECT apv_id FROM apvs WHERE round_id = ? AND unit_id = 'SO-PC-SOL'", [rnd.round_id]
    )
    at = page("leder.solgaarden", **{"apv_SO-PC-SOL": apv_id})
    assert "Foreslået af kortlægningen" in shown(at)
    # a score under the level with a decimal: 59,7 rounded to "60" read as no problem under "score under 60"
    assert [t.value for t in at.text if re.fullmatch(r".+: \d+,\d", t.value)]
    next(b for b in at.button if b.label == "Sæt på listen").click().run()
    next(t for t in at.text_input if t.label == "Problem").input("Tunge vogne i køkkenet")
    button(at, "Tilføj problem").click().run()
    assert set(apv.problems(demo_store, apv_id)["measure"].fillna("egen")) >= {"egen"}
    assert len(apv.problems(demo_store, apv_id)) == 2
    next(t for t in at.text_area if t.label.startswith("Vurdering")).input("Fraværet følger tidspresset.")
    button(at, "Gem vurdering").click().run()
    next(t for t in at.text_area if t.label == "Handling").input("Tavlemøde hver morgen")
    next(t for t in at.text_input if t.label == "Ansvarlig").input("Leder")
    next(d for d in at.date_input if d.label == "Frist").set_value(date.today() + timedelta(days=30))
    next(d for d in at.date_input if d.label == "Opfølgning").set_value(date.today() + timedelta(days=60))
    button(at, "Gem handling").click().run()
    assert not at.exception and [e.value for e in at.error] == []
    assert apv.plan(demo_store, apv_id)["what"].tolist() == ["Tavlemøde hver morgen"]
    button(at, "Godkend APV").click().run()
    assert any("godkendelse er registreret" in s.value.replace("\\", "") for s in at.success)
    assert apv.get(demo_store, apv_id).absence_assessment == "Fraværet følger tidspresset."
    assert not apv.get(demo_store, apv_id).approved  # the arbejdsmiljørepræsentant has not approved yet


def test_the_page_as_arbejdsmiljoerepraesentant_reads_and_approves_a_draft(page, demo_store):
    rnd = new_round(demo_store)
    apv_id = apv.start(demo_store, "SO-PC-SOL", rnd.round_id, LEADER, date.today())
    apv.add_problem(demo_store, apv_id, "Tidspres om morgenen", 1, "", LEADER, date.today())
    apv.set_absence_assessment(demo_store, apv_id, "Vurderet.", LEADER)
    at = page("amr.solgaarden", **{"apv_SO-PC-SOL": apv_id})
    assert not at.exception
    assert "Tidspres om morgenen" in at.dataframe[1].value["Problem"].tolist()
    assert not [b for b in at.button if b.label in ("Tilføj problem", "Gem handling", "Gem vurdering")]
    assert "Foreslået af kortlægningen" not in shown(at)  # only the writer can act on a suggestion
    next(b for b in at.button if b.label == "Godkend APV").click()
    at.run()
    assert any("godkendelse er registreret" in s.value.replace("\\", "") for s in at.success)
    assert demo_store.query_value("SELECT role FROM apv_approvals WHERE apv_id = ?", [apv_id]) == AMR


def test_the_overview_is_for_konsulent_and_admin(page):
    at = page("konsulent")
    assert not at.exception and "Overblik for arbejdsmiljøorganisationen" in shown(at)
    overview = at.dataframe[0].value
    assert "Forfalden" in overview.columns and "Ja" in overview["Forfalden"].tolist()


def test_one_late_action_is_counted_in_the_singular(page):
    # the demo's approved APV for Solgården has one action past its deadline
    at = page("leder.solgaarden")
    assert "1 handling er over fristen og ikke færdig (markeret)." in shown(at)


def test_a_trivsel_round_can_ask_the_apv_too_and_staff_answer_both_through_one_link(demo_db, demo_store, monkeypatch):
    """Issue 21: the APV asked together with the trivsel survey. Målinger opens the two rounds as one; staff answer
    the trivsel survey, then go on to the APV from the thank-you, through the same unit link."""
    from test_pages import answer_everything, staff_page

    monkeypatch.setenv("TRIVSEL_DB", str(demo_db))
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state[TOKEN_KEY] = auth.start_session(demo_store, "konsulent")
    at.switch_page("pages/rounds.py").run()
    at.text_input[0].input("Forår med APV")
    units = org.units(demo_store)
    unit = next(u for u in units["unit_id"] if not (units["parent_id"] == u).any())  # the new rounds ask it alone
    at.multiselect(key="new_round_units").select(unit).run()
    at.date_input[0].set_value(date.today()).run()  # open now, so the staff link offers it
    next(c for c in at.checkbox if c.label.startswith("Spørg også APV-kortlægningen")).check().run()
    for overlap in [c for c in at.checkbox if c.label == "Opret runden alligevel"]:  # the demo's open round
        overlap.check().run()
    next(b for b in at.button if b.label == "Opret runde").click().run()
    assert not at.exception
    made = {r.survey_id: r for r in rounds.all_rounds(demo_store) if r.label.startswith("Forår med APV")}
    assert set(made) == {"trivsel", "apv"} and made["apv"].label == "Forår med APV – APV"
    assert made["apv"].opens_on == made["trivsel"].opens_on and made["apv"].closes_on == made["trivsel"].closes_on

    token = demo_store.query_value("SELECT token FROM unit_access_links WHERE unit_id = ?", [unit])
    count = "SELECT count(*) FROM survey_responses WHERE round_id = ?"
    go_on = "Fortsæt til det næste spørgeskema"
    staff, titles = staff_page({"adgang": token}), []
    for _ in range(len(rounds.open_link_rounds(demo_store, unit, date.today()))):  # the demo's open round too
        titles.append(staff.caption[1].value.replace("\\", ""))  # the unit, then the survey's title
        staff = answer_everything(staff)
        assert "Tak for dine svar" in staff.success[0].value
        if not [b for b in staff.button if b.label == go_on]:
            break
        next(b for b in staff.button if b.label == go_on).click().run()
    assert "Arbejdspladsvurdering (APV)" in titles and "Trivselsundersøgelse" in titles
    assert not [b for b in staff.button if b.label == go_on]  # every open survey answered
    assert [demo_store.query_value(count, [made[s].round_id]) for s in ("trivsel", "apv")] == [1, 1]
