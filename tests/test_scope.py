"""Which units a user may see: a leader their own subtree, every other role the whole area. One rule, one home
(auth.Identity.scope and org.visible_units); pages and ui pass the scope on and never work it out themselves."""

import ast
import json
from pathlib import Path

import pytest

from trivsel import auth, demo, org
from trivsel.auth import Identity
from trivsel.roles import ADMIN, KONSULENT, LEDER, RAADGIVER, SUPERVISOR

ROOT = Path(__file__).parents[1]
SOLGAARDEN = {"SO-PC-SOL", "SO-PC-SOL-OE", "SO-PC-SOL-VE", "SO-PC-SOL-DE"}


def visible(store, identity: Identity) -> set[str]:
    return set(org.visible_units(store, identity.scope)["unit_id"])


def test_a_leader_sees_the_own_subtree_only(demo_store):
    leader = Identity("leder.solgaarden", LEDER, "SO-PC-SOL")
    assert visible(demo_store, leader) == SOLGAARDEN
    units = org.visible_units(demo_store, leader.scope)
    assert units["unit_id"].iloc[0] == "SO-PC-SOL"  # the top of what they see comes first


@pytest.mark.parametrize("role", [KONSULENT, ADMIN, RAADGIVER, SUPERVISOR])
def test_every_other_role_sees_the_whole_area_even_with_a_unit(demo_store, role):
    everything = set(org.units(demo_store)["unit_id"])
    assert visible(demo_store, Identity("x", role)) == everything
    assert visible(demo_store, Identity("x", role, "SO-PC-SOL")) == everything  # a unit does not limit them
    assert org.visible_units(demo_store, None)["unit_id"].iloc[0] == "V"


def test_a_parent_is_offered_for_comparison_only_inside_the_scope(demo_store):
    assert org.visible_parent(demo_store, "SO-PC-SOL", "SO-PC-SOL") is None  # the leader's own unit: parent outside
    assert org.visible_parent(demo_store, "SO-PC-SOL", "SO-PC-SOL-OE") == "SO-PC-SOL"
    assert org.visible_parent(demo_store, None, "SO-PC-SOL") == "SO"
    assert org.visible_parent(demo_store, None, "V") is None  # the root has none


@pytest.fixture
def app(demo_db, demo_store, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from trivsel.ui.session import TOKEN_KEY

    monkeypatch.setenv("TRIVSEL_DB", str(demo_db))

    def make(username: str, page: str) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.session_state[TOKEN_KEY] = auth.start_session(demo_store, username)
        at.switch_page(page)
        return at.run()

    return make


def test_home_tells_only_a_leader_that_they_see_one_unit(app, demo_store):
    """A konsulent given a unit (the CLI allows it) sees the whole area, so the home page must not say otherwise."""
    auth.add_user(demo_store, "konsulent.med.enhed", KONSULENT, demo.DEMO_PASSWORD, "SO-PC-SOL")
    at = app("konsulent.med.enhed", "pages/home.py")
    assert not [t.value for t in at.text if "Du ser data for" in t.value]
    at = app("leder.solgaarden", "pages/home.py")
    assert "Du ser data for Plejecenter Solgården og enhederne under den." in [t.value for t in at.text]


def trend_series(at) -> list[str]:
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    trend = next(s for s in specs if s["layout"]["yaxis"]["title"]["text"] == "Sygefravær (%)")
    return [trace["name"] for trace in trend["data"]]


def test_absence_trend_compares_with_the_parent_when_the_leader_may_see_it(app):
    """As on the trivsel trends: a leader's own unit has no parent line, a unit under it has its parent's."""
    at = app("leder.solgaarden", "pages/absence.py")
    assert trend_series(at) == ["Plejecenter Solgården"]
    at.selectbox(key="absence_unit").select("SO-PC-SOL-OE").run()
    assert trend_series(at) == ["Solgården, Afsnit Øst", "Plejecenter Solgården"]


def _scope_problems(source: str, name: str) -> list[str]:
    """identity.unit_id read, or identity.scope used other than as an argument handed to a function."""
    tree = ast.parse(source)
    arguments = {
        id(arg)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        for arg in [*node.args, *(k.value for k in node.keywords)]
    }
    return [
        f"{name}:{node.lineno}: identity.{node.attr}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "identity"
        and (node.attr == "unit_id" or (node.attr == "scope" and id(node) not in arguments))
    ]


def test_no_page_works_out_the_scope_on_its_own():
    files = [*ROOT.glob("pages/*.py"), ROOT / "app.py", *ROOT.glob("src/trivsel/ui/*.py")]
    found = [p for path in files for p in _scope_problems(path.read_text(encoding="utf-8"), path.name)]
    assert found == []


def test_the_scope_check_finds_a_page_that_works_it_out():
    page = (
        "units = org.units(store)\nif identity.scope:\n    units = org.subtree_ids(store, identity.unit_id)\n"
        "views.summary(store, identity.scope)\n"
    )
    assert _scope_problems(page, "probe.py") == ["probe.py:2: identity.scope", "probe.py:3: identity.unit_id"]
