from datetime import datetime, timedelta

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


@pytest.mark.parametrize("username, role, password, unit, message", [
    ("x", "chef", PASSWORD, None, "Ukendt rolle"),
    ("x", "leder", PASSWORD, None, "skal knyttes til en enhed"),
    ("x", "leder", PASSWORD, "FINDES-IKKE", "findes ikke"),
    ("x", "admin", "kort", None, "mindst 10 tegn"),
    ("anne", "admin", PASSWORD, None, "findes allerede"),
])
def test_invalid_users_are_refused(users, username, role, password, unit, message):
    with pytest.raises(auth.AuthError, match=message):
        auth.add_user(users, username, role, password, unit)


def test_role_change_is_audited(users):
    auth.set_role(users, "anne", "leder", "SOC", actor="admin")
    assert auth.authenticate(users, "anne", PASSWORD).unit_id == "SOC"
    actor, action, details = users.query_one(
        "SELECT actor, action, details FROM audit_log WHERE action = 'role_changed'")
    assert (actor, action) == ("admin", "role_changed") and '"old_role": "trivselskonsulent"' in details


def test_sso_email_maps_to_role_case_insensitively(users):
    assert auth.sso_identity(users, "Mette@Kommune.dk") is None
    auth.set_sso_mapping(users, "mette@kommune.dk", "leder", "SOC-BO", actor="admin")
    assert auth.sso_identity(users, " METTE@kommune.dk ") == auth.Identity(
        "mette@kommune.dk", "leder", "SOC-BO", via_sso=True)
    auth.remove_sso_mapping(users, "mette@kommune.dk", actor="admin")
    assert auth.sso_identity(users, "mette@kommune.dk") is None
