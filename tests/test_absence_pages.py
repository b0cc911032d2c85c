"""Sygefravær and Supervisionsstatistik through AppTest: whole months for those without person-level
access, and a leader's page cut from the same protected table as the konsulent's."""

import json
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from trivsel import auth
from trivsel.auth import Identity
from trivsel.ui import figures, periods
from trivsel.ui.session import TOKEN_KEY

APP = str(Path(__file__).parents[1] / "app.py")
KONSULENT = Identity("konsulent", "trivselskonsulent")
ADMIN = Identity("admin", "admin")
LEADER_HJM = Identity("leder.hjm", "leder", "SO-HJM")  # a leader of Hjælpemiddeldepotet
HIDDEN = "færre end 5 personer"


@pytest.fixture
def app(demo_db, demo_store, monkeypatch):
    monkeypatch.setenv("TRIVSEL_DB", str(demo_db))

    def make(identity: Identity, page: str) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=60)
        if auth.active_identity(demo_store, identity.username) is None:  # a leader the demo does not have
            auth.add_user(demo_store, identity.username, identity.role, "en-lang-adgangskode", identity.unit_id)
        at.session_state[TOKEN_KEY] = auth.start_session(demo_store, identity.username)  # logged in in this tab
        at.switch_page(page)
        return at.run()

    return make


def choose_months(at: AppTest, key: str, first: date, last: date) -> None:
    at.selectbox(key=f"{key}_from").set_value(first)
    at.selectbox(key=f"{key}_to").set_value(last)
    at.run()


@pytest.mark.parametrize(
    "identity, page, key",
    [(KONSULENT, "pages/absence.py", "absence_period"), (ADMIN, "pages/supervision_stats.py", "supervision_period")],
)
def test_without_person_level_access_the_period_is_whole_months(app, identity, page, key):
    at = app(identity, page)
    assert not at.exception and not at.date_input
    pickers = [at.selectbox(key=f"{key}_from"), at.selectbox(key=f"{key}_to")]
    last = periods.last_whole_month_end(date.today()).replace(day=1)
    for picker in pickers:
        assert picker.options[-1] == periods.month_label(last)  # the current month has not ended
        assert {o.split()[0] for o in picker.options} == set(periods.MONTHS)
    choose_months(at, key, date(2025, 2, 1), date(2025, 4, 1))
    assert not at.exception
    choose_months(at, key, date(2025, 4, 1), date(2025, 2, 1))
    assert "den sidste måned ligger før den første" in at.info[0].value


def test_a_unit_the_konsulent_sees_hidden_is_hidden_on_its_leaders_page(app):
    at = app(KONSULENT, "pages/absence.py")
    choose_months(at, "absence_period", date(2025, 1, 1), date(2025, 12, 1))
    units = at.dataframe[0].value.set_index("Enhed")
    hidden = units.at["Hjælpemiddeldepotet", "Sygefravær %"]
    assert hidden == HIDDEN
    assert units.at["Sundhed og Omsorg", "Sygefravær %"] != HIDDEN

    leader = app(LEADER_HJM, "pages/absence.py")
    leader.date_input[0].set_value((date(2025, 1, 1), date(2025, 12, 31))).run()
    assert not leader.exception
    assert leader.selectbox[0].options == ["Hjælpemiddeldepotet"]
    assert leader.metric[0].value == figures.HIDDEN_CARD
    assert leader.dataframe[0].value.set_index("Enhed").at["Hjælpemiddeldepotet", "Sygefravær %"] == hidden


def test_the_funnel_leaves_out_the_levels_that_would_give_a_hidden_spell_length_away(app):
    at = app(KONSULENT, "pages/absence.py")
    choose_months(at, "absence_period", date(2025, 1, 1), date(2025, 12, 1))
    at.selectbox(key="absence_unit").set_value("SOC-FAMH").run()
    charts = [json.loads(c.proto.spec)["data"][0] for c in at.get("plotly_chart")]
    funnel = next(c for c in charts if c["type"] == "funnel")
    assert "Begyndt" in funnel["y"] and "Dag 56" not in funnel["y"]  # one person's spell reached day 56
    assert "Trin, der sammen med varighederne ville vise en skjult varighed, er udeladt." in [
        c.value for c in at.caption
    ]
    units = at.dataframe[0].value.set_index("Enhed")
    assert units.at["Familiehuset", "Nåede dag 56"] == "–"
