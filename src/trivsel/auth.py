"""Users, password login with lockout, login sessions, and the SSO e-mail-to-role table."""

from __future__ import annotations

import hashlib
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import TypeVar

import duckdb
import pandas as pd
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from trivsel import audit, config, org
from trivsel.roles import ROLES, SCOPED, role_label
from trivsel.store import Store

_hasher = PasswordHasher()
MIN_PASSWORD_LENGTH = 10
T = TypeVar("T")
# This process's login writes take turns: DuckDB lets one process write the file, so simultaneous
# logins never conflict with each other; a conflict with another writer is retried by Store.write.
_login_writes = threading.Lock()
# Counts the attempt before the password is checked; a lock that has run out starts a new count.
# The attempt that reaches the limit sets the lock at once; a right password among the counted ones lifts it.
_RESERVE_ATTEMPT = """
    UPDATE users SET
        failed_logins = if(locked_until IS NULL, failed_logins, 0) + 1,
        locked_until = if(if(locked_until IS NULL, failed_logins, 0) + 1 >= $max, $lock_until, NULL)
    WHERE username = $username AND password_hash IS NOT NULL AND (locked_until IS NULL OR locked_until <= $now)
    RETURNING password_hash, role, unit_id, disabled_at"""
# A change to a user's role or status ends their login sessions: they log in again as who they are now.
_END_SESSIONS = "DELETE FROM login_sessions WHERE username = ?"
# A session's activity is written at most this often, so a click is a read and not a database write.
_TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class Identity:
    """Who is logged in: a local user or an SSO user mapped to a role."""

    username: str
    role: str
    unit_id: str | None = None
    via_sso: bool = False

    @property
    def scope(self) -> str | None:
        """The subtree a leader or arbejdsmiljørepræsentant is limited to; None for roles that see the whole area."""
        return self.unit_id if self.role in SCOPED else None


@cache
def _dummy_hash() -> str:
    """Verified against when the username is unknown, so a wrong name costs as much time as a wrong
    password. Made on first use: hashing at import made every CLI command, `--help` too, 0.4 s slower."""
    return _hasher.hash("trivsel-dummy-password")


class AuthError(ValueError):
    """A refused login or user change, with a Danish message for the user."""


class SessionExpired(Exception):
    """The login session had no activity for IDLE_MINUTES; it is deleted."""


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _check_role(store: Store, role: str, unit_id: str | None) -> None:
    if role not in ROLES:
        raise AuthError(f"Ukendt rolle '{role}'. Gyldige roller: {', '.join(ROLES)}")
    if role in SCOPED and not unit_id:
        raise AuthError(f"En {role_label(role).lower()} skal knyttes til en enhed (--unit).")
    if unit_id and org.unit_name(store, unit_id) is None:
        raise AuthError(f"Enheden '{unit_id}' findes ikke.")


def add_user(
    store: Store,
    username: str,
    role: str,
    password: str,
    unit_id: str | None = None,
    actor: str = "system",
) -> None:
    username = username.strip()
    if not username:
        raise AuthError("Brugernavnet må ikke være tomt.")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AuthError(f"Adgangskoden skal have mindst {MIN_PASSWORD_LENGTH} tegn.")
    _check_role(store, role, unit_id)
    if store.query_value("SELECT 1 FROM users WHERE username = ?", [username]):
        raise AuthError(f"Brugeren '{username}' findes allerede.")

    def work(cur):
        cur.execute(
            "INSERT INTO users (username, password_hash, role, unit_id) VALUES (?, ?, ?, ?)",
            [username, hash_password(password), role, unit_id],
        )
        audit.record(cur, actor, "user_added", username=username, role=role, unit_id=unit_id)

    store.write(work)


def set_role(store: Store, username: str, role: str, unit_id: str | None, actor: str) -> None:
    _check_role(store, role, unit_id)
    old = store.query_one("SELECT role, unit_id FROM users WHERE username = ?", [username])
    if old is None:
        raise AuthError(f"Brugeren '{username}' findes ikke.")

    def work(cur):
        cur.execute("UPDATE users SET role = ?, unit_id = ? WHERE username = ?", [role, unit_id, username])
        cur.execute(_END_SESSIONS, [username])
        audit.record(
            cur,
            actor,
            "role_changed",
            username=username,
            old_role=old[0],
            old_unit_id=old[1],
            role=role,
            unit_id=unit_id,
        )

    store.write(work)


def set_email(store: Store, username: str, email: str, actor: str) -> None:
    """Set or (with an empty text) remove a user's e-mail address, where a leader's nudges go."""
    email = email.strip()
    if email and not config.valid_email(email):
        raise AuthError(
            f"'{email}' er ikke en gyldig e-mailadresse. Skriv én adresse som fornavn.efternavn@kommune.dk, "
            "uden navn eller mellemrum."
        )
    old = store.query_one("SELECT email FROM users WHERE username = ?", [username])
    if old is None:
        raise AuthError(f"Brugeren '{username}' findes ikke.")

    def work(cur):
        cur.execute("UPDATE users SET email = ? WHERE username = ?", [email or None, username])
        audit.record(cur, actor, "user_email_set", username=username, old_email=old[0], email=email or None)

    store.write(work)


def unlock(store: Store, username: str, actor: str) -> None:
    _change_user(
        store,
        username,
        actor,
        "user_unlocked",
        "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE username = ?",
    )


def disable_user(store: Store, username: str, actor: str) -> None:
    """Stop a user: no login, and their open sessions end at the next page run."""
    _change_user(
        store,
        username,
        actor,
        "user_disabled",
        "UPDATE users SET disabled_at = current_timestamp WHERE username = ?",
        _END_SESSIONS,
        own="Du kan ikke deaktivere din egen bruger.",
    )


def enable_user(store: Store, username: str, actor: str) -> None:
    _change_user(store, username, actor, "user_enabled", "UPDATE users SET disabled_at = NULL WHERE username = ?")


def delete_user(store: Store, username: str, actor: str) -> None:
    """Remove a user; the audit log keeps the username and the role they had."""
    _change_user(
        store,
        username,
        actor,
        "user_deleted",
        "DELETE FROM users WHERE username = ?",
        _END_SESSIONS,
        own="Du kan ikke slette din egen bruger.",
    )


def end_sessions(store: Store, username: str, actor: str) -> None:
    """Log a user out in every browser: their open pages go to the login page at the next click."""
    _change_user(store, username, actor, "sessions_ended", _END_SESSIONS)


def _change_user(
    store: Store, username: str, actor: str, action: str, *statements: str, own: str | None = None
) -> None:
    """Run `statements` on one existing user and audit it; `own` is the refusal when admins target themselves."""
    if own and username == actor:
        raise AuthError(own)

    def work(cur):
        found = cur.execute("SELECT role FROM users WHERE username = ?", [username]).fetchall()
        if not found:
            raise AuthError(f"Brugeren '{username}' findes ikke.")
        for sql in statements:
            cur.execute(sql, [username])
        audit.record(cur, actor, action, username=username, role=found[0][0])

    store.write(work)


def list_users(store: Store) -> pd.DataFrame:
    df = store.query_df(
        """SELECT u.username, u.role, coalesce(u.unit_id, '') AS unit_id, coalesce(n.unit_name, '') AS unit_name,
                  coalesce(u.email, '') AS email, u.failed_logins, u.locked_until,
                  CASE WHEN u.disabled_at IS NULL THEN 'Aktiv' ELSE 'Deaktiveret' END AS status
           FROM users u LEFT JOIN units n USING (unit_id) ORDER BY u.username"""
    )
    df["role_label"] = df["role"].map(role_label)
    return df


def active_identity(store: Store, username: str) -> Identity | None:
    """A local user's role and scope as they are now (one primary-key lookup); None when deleted or disabled."""
    row = store.query_one("SELECT role, unit_id FROM users WHERE username = ? AND disabled_at IS NULL", [username])
    return None if row is None else Identity(username=username, role=row[0], unit_id=row[1])


def authenticate(store: Store, username: str, password: str, now: datetime | None = None) -> Identity:
    """Check a local login. Raises AuthError with the Danish reason when it is refused.

    The attempt is counted, in one UPDATE, before the password is checked, so however many
    attempts arrive at once, at most MAX_FAILED_LOGINS wrong passwords are checked before the
    account locks, and the right password after them is refused.
    """
    now = now or datetime.now()
    username = username.strip()
    refused = AuthError("Forkert brugernavn eller adgangskode.")
    reserved = _login_write(
        store,
        lambda cur: cur.execute(
            _RESERVE_ATTEMPT,
            {
                "username": username,
                "now": now,
                "max": config.MAX_FAILED_LOGINS,
                "lock_until": now + timedelta(minutes=config.LOCKOUT_MINUTES),
            },
        ).fetchall(),
    )
    if not reserved:
        row = store.query_one(
            "SELECT locked_until FROM users WHERE username = ? AND password_hash IS NOT NULL", [username]
        )
        if row is None:
            _verify(_dummy_hash(), password)
            raise refused
        locked_until = row[0] or now  # None: the right password lifted the lock since this attempt was refused
        minutes = max(1, int((locked_until - now).total_seconds() // 60) + 1)
        raise AuthError(
            f"Kontoen er låst efter for mange forkerte forsøg. Prøv igen om {minutes} minutter, "
            "eller bed en administrator om at låse den op."
        )
    password_hash, role, unit_id, disabled_at = reserved[0]
    if not _verify(password_hash, password):
        raise refused
    _login_write(
        store,
        lambda cur: cur.execute(
            "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE username = ?", [username]
        ),
    )
    if disabled_at is not None:
        raise AuthError("Brugeren er deaktiveret. Kontakt administratoren, hvis du skal have adgang igen.")
    return Identity(username=username, role=role, unit_id=unit_id)


def _login_write(store: Store, work: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
    """A login's write; a conflict left after Store.write's retries refuses the login, never shows an error."""
    with _login_writes:
        try:
            return store.write(work, bookkeeping=True)
        except duckdb.TransactionException as exc:
            raise AuthError("Der er mange forsøg på at logge ind lige nu. Prøv igen om lidt.") from exc


def start_session(store: Store, username: str, now: datetime | None = None) -> str:
    """Open a login session; return its token for the browser's cookie. The database keeps only its hash.

    Expired sessions (of every user) are deleted here, so none is kept past the next login.
    """
    now = now or datetime.now()
    token = secrets.token_urlsafe(32)

    def work(cur):
        cur.execute("DELETE FROM login_sessions WHERE expires_at <= ?", [now])
        cur.execute(
            "INSERT INTO login_sessions (token_hash, username, created_at, last_seen_at, expires_at) "
            "VALUES (?, ?, ?, ?, ?)",
            [_token_hash(token), username, now, now, _idle_end(now)],
        )

    _login_write(store, work)
    return token


def resume_session(store: Store, token: str, now: datetime | None = None) -> Identity | None:
    """The user of a login session, with their role and scope as they are now; None for an unknown or ended one.

    After IDLE_MINUTES without activity the session is deleted and SessionExpired raised; otherwise this
    activity moves its end IDLE_MINUTES ahead.
    """
    now = now or datetime.now()
    token_hash = _token_hash(token)
    row = store.query_one(
        """SELECT s.last_seen_at, s.expires_at, u.username, u.role, u.unit_id
           FROM login_sessions s JOIN users u USING (username)
           WHERE s.token_hash = ? AND u.disabled_at IS NULL""",
        [token_hash],
    )
    if row is None:
        return None
    last_seen, expires_at, username, role, unit_id = row
    if expires_at <= now:
        _session_write(store, "DELETE FROM login_sessions WHERE token_hash = ?", [token_hash])
        raise SessionExpired
    if now - last_seen >= _TOUCH_EVERY:
        _session_write(
            store,
            "UPDATE login_sessions SET last_seen_at = ?, expires_at = ? WHERE token_hash = ?",
            [now, _idle_end(now), token_hash],
        )
    return Identity(username=username, role=role, unit_id=unit_id)


def end_session(store: Store, token: str) -> None:
    """Log out: the session is deleted, so every tab that shares it is logged out at its next run."""
    store.write(
        lambda cur: cur.execute("DELETE FROM login_sessions WHERE token_hash = ?", [_token_hash(token)]),
        bookkeeping=True,
    )


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _idle_end(now: datetime) -> datetime:
    return now + timedelta(minutes=config.IDLE_MINUTES)


def _session_write(store: Store, sql: str, params: list) -> None:
    """A session's bookkeeping; a conflict left after Store.write's retries is skipped, never shown.

    The next run writes the activity again, and an expired row is deleted at the next check or login.
    """
    try:
        store.write(lambda cur: cur.execute(sql, params), bookkeeping=True)
    except duckdb.TransactionException:
        pass


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def set_sso_mapping(store: Store, email: str, role: str, unit_id: str | None, actor: str) -> None:
    email = email.strip().lower()
    if "@" not in email:
        raise AuthError(f"'{email}' er ikke en e-mailadresse.")
    _check_role(store, role, unit_id)

    def work(cur):
        cur.execute(
            "INSERT OR REPLACE INTO sso_role_mappings (email, role, unit_id) VALUES (?, ?, ?)",
            [email, role, unit_id],
        )
        audit.record(cur, actor, "sso_role_set", email=email, role=role, unit_id=unit_id)

    store.write(work)


def remove_sso_mapping(store: Store, email: str, actor: str) -> None:
    def work(cur):
        cur.execute("DELETE FROM sso_role_mappings WHERE email = ?", [email.strip().lower()])
        audit.record(cur, actor, "sso_role_removed", email=email.strip().lower())

    store.write(work)


def sso_mappings(store: Store) -> pd.DataFrame:
    df = store.query_df("SELECT email, role, coalesce(unit_id, '') AS unit_id FROM sso_role_mappings ORDER BY email")
    df["role_label"] = df["role"].map(role_label)
    return df


def sso_identity(store: Store, email: str) -> Identity | None:
    """The role an SSO login gets, or None when no admin has mapped the address."""
    row = store.query_one("SELECT role, unit_id FROM sso_role_mappings WHERE email = ?", [email.strip().lower()])
    if row is None:
        return None
    return Identity(username=email.strip().lower(), role=row[0], unit_id=row[1], via_sso=True)
