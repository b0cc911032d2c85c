import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import duckdb
import pytest

from conftest import DATA
from trivsel import auth, config
from trivsel.imports.units import import_units

PASSWORD = "korrekt-hest-batteri"


@pytest.fixture
def users(store):
    import_units(store, (DATA / "enheder.csv").read_bytes(), actor="test")
    auth.add_user(store, "anne", "trivselskonsulent", PASSWORD)
    auth.add_user(store, "lars", "leder", PASSWORD, unit_id="SO-PC")
    return store


def test_password_is_stored_as_argon2_hash(users):
    stored = users.query_value("SELECT password_hash FROM users WHERE username = 'anne'")
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_login_gives_role_and_leader_scope(users):
    assert auth.authenticate(users, "lars", PASSWORD) == auth.Identity("lars", "leder", "SO-PC")


def test_wrong_password_and_unknown_user_get_the_same_answer(users):
    for name, password in (("anne", "forkert-kode-123"), ("nobody", PASSWORD)):
        with pytest.raises(auth.AuthError, match="Forkert brugernavn eller adgangskode"):
            auth.authenticate(users, name, password)


def test_account_locks_after_repeated_failures_and_opens_again(users):
    now = datetime(2026, 11, 23, 10, 0)
    for _ in range(config.MAX_FAILED_LOGINS):
        with pytest.raises(auth.AuthError):
            auth.authenticate(users, "anne", "forkert-kode-123", now=now)
    with pytest.raises(auth.AuthError, match="Kontoen er låst"):
        auth.authenticate(users, "anne", PASSWORD, now=now)
    later = now + timedelta(minutes=config.LOCKOUT_MINUTES + 1)
    assert auth.authenticate(users, "anne", PASSWORD, now=later).role == "trivselskonsulent"


def test_admin_can_unlock(users):
    now = datetime.now()
    for _ in range(config.MAX_FAILED_LOGINS):
        with pytest.raises(auth.AuthError):
            auth.authenticate(users, "anne", "forkert-kode-123", now=now)
    auth.unlock(users, "anne", actor="admin")
    assert auth.authenticate(users, "anne", PASSWORD).username == "anne"


@pytest.mark.parametrize(
    "username, role, password, unit, message",
    [
        ("x", "chef", PASSWORD, None, "Ukendt rolle"),
        ("x", "leder", PASSWORD, None, "skal knyttes til en enhed"),
        ("x", "leder", PASSWORD, "FINDES-IKKE", "findes ikke"),
        ("x", "admin", "kort", None, "mindst 10 tegn"),
        ("anne", "admin", PASSWORD, None, "findes allerede"),
    ],
)
def test_invalid_users_are_refused(users, username, role, password, unit, message):
    with pytest.raises(auth.AuthError, match=message):
        auth.add_user(users, username, role, password, unit)


def test_role_change_is_audited(users):
    auth.set_role(users, "anne", "leder", "SOC", actor="admin")
    assert auth.authenticate(users, "anne", PASSWORD).unit_id == "SOC"
    actor, action, details = users.query_one(
        "SELECT actor, action, details FROM audit_log WHERE action = 'role_changed'"
    )
    assert (actor, action) == ("admin", "role_changed") and '"old_role": "trivselskonsulent"' in details


def test_sso_email_maps_to_role_case_insensitively(users):
    assert auth.sso_identity(users, "Mette@Kommune.dk") is None
    auth.set_sso_mapping(users, "mette@kommune.dk", "leder", "SOC-BO", actor="admin")
    assert auth.sso_identity(users, " METTE@kommune.dk ") == auth.Identity(
        "mette@kommune.dk", "leder", "SOC-BO", via_sso=True
    )
    auth.remove_sso_mapping(users, "mette@kommune.dk", actor="admin")
    assert auth.sso_identity(users, "mette@kommune.dk") is None


def test_a_burst_of_wrong_passwords_locks_the_account_and_refuses_the_right_one_after_five(users, monkeypatch):
    # 39 wrong passwords at once against the real file, and the right one as soon as five wrong ones were checked.
    wrong_checked = []
    five_wrong = threading.Event()
    counting = threading.Lock()
    real_verify = auth._verify

    def counting_verify(password_hash, password):
        ok = real_verify(password_hash, password)
        if not ok:
            with counting:
                wrong_checked.append(password)
                if len(wrong_checked) == config.MAX_FAILED_LOGINS:
                    five_wrong.set()
        return ok

    monkeypatch.setattr(auth, "_verify", counting_verify)
    start = threading.Barrier(40, timeout=60)

    def attempt(password: str):
        start.wait()
        if password == PASSWORD:
            five_wrong.wait(timeout=60)
        try:
            return auth.authenticate(users, "anne", password)
        except auth.AuthError as exc:  # anything else escapes through pool.map and fails the test
            return exc

    with ThreadPoolExecutor(40) as pool:
        results = list(pool.map(attempt, ["forkert-kode-123"] * 39 + [PASSWORD]))
    assert all(isinstance(r, auth.AuthError) for r in results), results[-1]
    assert "Kontoen er låst" in str(results[-1])
    assert len(wrong_checked) == config.MAX_FAILED_LOGINS
    with pytest.raises(auth.AuthError, match="Kontoen er låst"):
        auth.authenticate(users, "anne", PASSWORD)


def test_a_write_conflict_refuses_the_login_in_danish(users, monkeypatch):
    def conflict(work, **_):
        raise duckdb.TransactionException("TransactionContext Error: Conflict on update")

    monkeypatch.setattr(users, "write", conflict)
    for password in ("forkert-kode-123", PASSWORD):
        with pytest.raises(auth.AuthError, match="Prøv igen om lidt"):
            auth.authenticate(users, "anne", password)


def test_the_current_identity_is_read_from_the_database(users):
    assert auth.active_identity(users, "lars") == auth.Identity("lars", "leder", "SO-PC")
    auth.set_role(users, "lars", "leder", "SOC", actor="admin")
    assert auth.active_identity(users, "lars") == auth.Identity("lars", "leder", "SOC")
    assert auth.active_identity(users, "nobody") is None


def test_admin_disables_enables_and_deletes_a_user_and_each_is_audited(users):
    auth.disable_user(users, "anne", actor="admin")
    assert auth.active_identity(users, "anne") is None
    assert auth.list_users(users).set_index("username").loc["anne", "status"] == "Deaktiveret"
    with pytest.raises(auth.AuthError, match="Brugeren er deaktiveret"):
        auth.authenticate(users, "anne", PASSWORD)
    with pytest.raises(auth.AuthError, match="Forkert brugernavn"):  # a wrong password learns nothing more
        auth.authenticate(users, "anne", "forkert-kode-123")
    auth.enable_user(users, "anne", actor="admin")
    assert auth.authenticate(users, "anne", PASSWORD).username == "anne"
    auth.delete_user(users, "anne", actor="admin")
    assert "anne" not in set(auth.list_users(users)["username"])
    assert auth.active_identity(users, "anne") is None
    with pytest.raises(auth.AuthError, match="Forkert brugernavn"):
        auth.authenticate(users, "anne", PASSWORD)
    log = users.query_all(
        "SELECT actor, action, details FROM audit_log "
        "WHERE action IN ('user_disabled', 'user_enabled', 'user_deleted') ORDER BY id"
    )
    assert [(actor, action) for actor, action, _ in log] == [
        ("admin", "user_disabled"),
        ("admin", "user_enabled"),
        ("admin", "user_deleted"),
    ]
    assert all('"username": "anne"' in details for *_, details in log)


def test_an_admin_cannot_disable_or_delete_themselves(users):
    auth.add_user(users, "root", "admin", PASSWORD)
    with pytest.raises(auth.AuthError, match="Du kan ikke deaktivere din egen bruger"):
        auth.disable_user(users, "root", actor="root")
    with pytest.raises(auth.AuthError, match="Du kan ikke slette din egen bruger"):
        auth.delete_user(users, "root", actor="root")
    assert auth.active_identity(users, "root") == auth.Identity("root", "admin")
    assert not users.query_value("SELECT count(*) FROM audit_log WHERE action IN ('user_disabled', 'user_deleted')")


@pytest.mark.parametrize("change", ["disable_user", "enable_user", "delete_user"])
def test_an_unknown_user_cannot_be_changed(users, change):
    with pytest.raises(auth.AuthError, match="Brugeren 'nobody' findes ikke"):
        getattr(auth, change)(users, "nobody", actor="admin")
