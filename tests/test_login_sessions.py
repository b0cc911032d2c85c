"""Login sessions kept on the server: a random token in the browser's cookie, only its hash in the database."""

import hashlib
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient
from streamlit.testing.v1 import AppTest

from conftest import DATA
from trivsel import auth, config, demo, retention
from trivsel.imports.units import import_units
from trivsel.ui import login_cookie, session

PASSWORD = "korrekt-hest-batteri"
T0 = datetime(2026, 11, 23, 9, 0)
IDLE = timedelta(minutes=config.IDLE_MINUTES)


@pytest.fixture
def users(store):
    import_units(store, (DATA / "enheder.csv").read_bytes(), actor="test")
    auth.add_user(store, "anne", "trivselskonsulent", PASSWORD)
    auth.add_user(store, "lars", "leder", PASSWORD, unit_id="SO-PC")
    return store


def session_rows(store) -> list[tuple]:
    return store.query_all("SELECT token_hash, username FROM login_sessions ORDER BY username")


def test_the_database_keeps_only_the_hash_of_the_token(users):
    token = auth.start_session(users, "anne", now=T0)
    assert len(token) >= 43  # secrets.token_urlsafe(32)
    assert session_rows(users) == [(hashlib.sha256(token.encode()).hexdigest(), "anne")]
    dump = str(users.query_all("SELECT * FROM login_sessions"))
    assert token not in dump
    assert auth.start_session(users, "anne", now=T0) != token


def test_a_session_gives_the_users_role_and_scope(users):
    token = auth.start_session(users, "lars", now=T0)
    assert auth.resume_session(users, token, now=T0 + timedelta(minutes=1)) == auth.Identity("lars", "leder", "SO-PC")


@pytest.mark.parametrize("forged", ["", "x", "a" * 43])
def test_an_unknown_token_is_no_session(users, forged):
    auth.start_session(users, "anne", now=T0)
    assert auth.resume_session(users, forged, now=T0) is None


def test_activity_keeps_the_session_and_idle_time_ends_it(users):
    token = auth.start_session(users, "anne", now=T0)
    # Each visit within the idle time pushes the end further out.
    seen = T0
    for _ in range(3):
        seen += IDLE - timedelta(minutes=1)
        assert auth.resume_session(users, token, now=seen).username == "anne"
    with pytest.raises(auth.SessionExpired):
        auth.resume_session(users, token, now=seen + IDLE + timedelta(seconds=1))
    assert session_rows(users) == []  # the expired row is gone
    assert auth.resume_session(users, token, now=seen) is None


def test_expired_sessions_are_deleted_at_the_next_login(users):
    auth.start_session(users, "lars", now=T0)
    later = T0 + IDLE + timedelta(minutes=1)
    auth.start_session(users, "anne", now=later)
    assert [row[1] for row in session_rows(users)] == ["anne"]


def test_logout_ends_that_session_only(users):
    tab, other_browser = (auth.start_session(users, "anne", now=T0) for _ in range(2))
    auth.end_session(users, tab)
    assert auth.resume_session(users, tab, now=T0) is None
    assert auth.resume_session(users, other_browser, now=T0).username == "anne"


@pytest.mark.parametrize(
    "change",
    [
        lambda store: auth.set_role(store, "lars", "leder", "SOC", actor="admin"),
        lambda store: auth.disable_user(store, "lars", actor="admin"),
        lambda store: auth.delete_user(store, "lars", actor="admin"),
        lambda store: auth.end_sessions(store, "lars", actor="admin"),
    ],
    ids=["role", "disable", "delete", "admin_ends"],
)
def test_an_admins_change_ends_every_session_of_that_user(users, change):
    lars = [auth.start_session(users, "lars", now=T0) for _ in range(2)]
    anne = auth.start_session(users, "anne", now=T0)
    change(users)
    assert [auth.resume_session(users, token, now=T0) for token in lars] == [None, None]
    assert auth.resume_session(users, anne, now=T0).username == "anne"


def test_ending_a_users_sessions_is_audited(users):
    auth.start_session(users, "lars", now=T0)
    auth.end_sessions(users, "lars", actor="admin")
    actor, details = users.query_one("SELECT actor, details FROM audit_log WHERE action = 'sessions_ended'")
    assert actor == "admin" and '"username": "lars"' in details
    with pytest.raises(auth.AuthError, match="findes ikke"):
        auth.end_sessions(users, "nobody", actor="admin")


# The app in AppTest: a tab is one AppTest. A tab that logged in keeps its token in session state; a
# reload or a new tab sends the browser's cookie, which these tests put in `cookie` (AppTest cannot send one).
APP = str(Path(__file__).parents[1] / "app.py")
LEADER = "leder.solgaarden"


@pytest.fixture
def cookie(monkeypatch) -> dict:
    jar = {}
    monkeypatch.setattr(session, "_cookie_token", lambda: jar.get(login_cookie.NAME))
    return jar


@pytest.fixture
def tab(demo_db, demo_store, cookie, monkeypatch):
    monkeypatch.setenv("TRIVSEL_DB", str(demo_db))
    return lambda page: AppTest.from_file(APP, default_timeout=60).switch_page(page).run()


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def test_logging_in_opens_a_session_that_a_new_tab_shares_until_logout(tab, cookie, demo_store):
    first = tab("pages/login.py")
    first.text_input[0].input(LEADER)
    first.text_input[1].input(demo.DEMO_PASSWORD)
    first.button[0].click().run()
    assert first.title[0].value == "Forside"
    assert demo_store.query_all("SELECT username FROM login_sessions") == [(LEADER,)]
    code = first.session_state[session.COOKIE_CODE_KEY]
    assert login_cookie.offered(code)  # the page asks the browser to fetch the cookie

    cookie[login_cookie.NAME] = first.session_state[session.TOKEN_KEY]
    second = tab("pages/my_unit.py")  # a new tab
    assert second.title[0].value == "Min enhed" and "Enheder under dig" in [h.value for h in second.subheader]

    auth.end_session(demo_store, first.session_state[session.TOKEN_KEY])  # "Log ud" in the first tab
    second.run()
    assert second.title[0].value == "Trivsel i Velfærdsområdet"  # the login page says why
    assert "Du er logget ud" in second.warning[0].value
    assert len(second.dataframe) == 0 and "identity" not in second.session_state
    assert tab("pages/my_unit.py").error[0].value == "Du skal logge ind for at se denne side."  # a reload


def test_a_forged_cookie_gets_the_login_request(tab, cookie):
    cookie[login_cookie.NAME] = "forfalsket-" + "x" * 40
    at = tab("pages/my_unit.py")
    assert [e.value for e in at.error] == ["Du skal logge ind for at se denne side."]
    assert len(at.dataframe) == 0


def test_an_idle_session_is_logged_out(tab, cookie, demo_store):
    cookie[login_cookie.NAME] = auth.start_session(demo_store, LEADER, now=datetime.now() - IDLE - timedelta(minutes=1))
    at = tab("pages/my_unit.py")
    assert "ikke har været aktiv" in at.error[0].value
    assert len(at.dataframe) == 0
    at.switch_page("pages/login.py").run()
    assert f"efter {config.IDLE_MINUTES} minutter uden aktivitet" in at.warning[0].value


def test_a_role_change_logs_the_user_out(tab, cookie, demo_store):
    cookie[login_cookie.NAME] = auth.start_session(demo_store, LEADER)
    at = tab("pages/my_unit.py")
    assert "Enheder under dig" in [h.value for h in at.subheader]  # the leader's own page, drawn in full
    auth.set_role(demo_store, LEADER, "trivselskonsulent", None, actor="admin")
    at.run()
    assert at.title[0].value == "Trivsel i Velfærdsområdet"
    assert "en administrator har ændret din adgang" in at.warning[0].value
    assert len(at.dataframe) == 0


def test_an_admin_logs_a_user_out_everywhere_on_the_users_page(tab, cookie, demo_store):
    cookie[login_cookie.NAME] = auth.start_session(demo_store, LEADER)
    leader = tab("pages/my_unit.py")
    cookie[login_cookie.NAME] = auth.start_session(demo_store, "admin")  # the admin in another browser
    admin = tab("pages/users.py")
    stop = next(t for t in admin.tabs if t.label == "Deaktivér / slet")
    stop.selectbox[0].select(LEADER)
    button(stop, "Log brugeren ud overalt").click().run()
    assert any(f"{LEADER} er logget ud overalt" in s.value.replace("\\", "") for s in admin.success)
    assert demo_store.query_value("SELECT count(*) FROM audit_log WHERE action = 'sessions_ended'") == 1
    leader.run()
    assert leader.title[0].value == "Trivsel i Velfærdsområdet" and len(leader.dataframe) == 0
    assert auth.active_identity(demo_store, LEADER) is not None  # the user is unchanged


def test_the_nightly_retention_run_deletes_expired_sessions(users):
    live = auth.start_session(users, "anne")
    auth.start_session(users, "lars", now=datetime.now() - timedelta(days=2))  # expired, and no login since
    retention.run(users, date.today(), actor="cli")
    assert [row[1] for row in session_rows(users)] == ["anne"]
    assert auth.resume_session(users, live).username == "anne"


@pytest.fixture
def cookie_route():
    return TestClient(Starlette(routes=login_cookie.ROUTES))


def post_code(client: TestClient, code: str, site: str = "same-origin", base: str = "http://testserver"):
    return client.post(base + login_cookie.PATH, content=code, headers={"sec-fetch-site": site})


def test_the_cookie_route_sets_an_httponly_strict_cookie_once(cookie_route):
    code = login_cookie.offer("the-token")
    assert post_code(cookie_route, code, site="cross-site").status_code == 403  # another site's page
    answer = post_code(cookie_route, code)
    assert answer.status_code == 204
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith(f"{login_cookie.NAME}=the-token;")
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie and "expires" not in cookie.lower()  # plain HTTP; ends with the browser
    assert not login_cookie.offered(code)
    assert post_code(cookie_route, code).status_code == 404  # a code works once
    assert post_code(cookie_route, "gættet-kode").status_code == 404


def test_the_cookie_is_secure_over_https(cookie_route, monkeypatch):
    assert "Secure" in post_code(cookie_route, login_cookie.offer("t"), base="https://testserver").headers["set-cookie"]
    monkeypatch.setenv("TRIVSEL_BASE_URL", "https://trivsel.kommune.dk")  # TLS ends at a proxy in front
    assert "Secure" in post_code(cookie_route, login_cookie.offer("t")).headers["set-cookie"]
