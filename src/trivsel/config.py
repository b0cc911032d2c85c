"""Settings read from the environment, with the defaults docs/operations.md documents."""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass, field
from datetime import datetime, time
from pathlib import Path

DEFAULT_DB_PATH = Path("data/trivsel.duckdb")

# Local login: this many failed attempts in a row locks the account for LOCKOUT_MINUTES.
MAX_FAILED_LOGINS = int(os.environ.get("TRIVSEL_MAX_FAILED_LOGINS", "5"))
LOCKOUT_MINUTES = int(os.environ.get("TRIVSEL_LOCKOUT_MINUTES", "15"))

# A logged-in session without activity for this long is logged out.
IDLE_MINUTES = int(os.environ.get("TRIVSEL_IDLE_MINUTES", "30"))

# Uploads above this size are refused before they are parsed.
MAX_IMPORT_BYTES = int(os.environ.get("TRIVSEL_MAX_IMPORT_MB", "50")) * 1024 * 1024


def db_path(override: str | os.PathLike | None = None) -> Path:
    """The database file: an explicit override (CLI --db), else TRIVSEL_DB, else data/trivsel.duckdb."""
    if override:
        return Path(override)
    env = os.environ.get("TRIVSEL_DB")
    return Path(env) if env else DEFAULT_DB_PATH


def milestones() -> tuple[int, ...]:
    """The follow-up days of the 1-5-14 model, the first sick day being day 1: TRIVSEL_MILESTONES, else 1,5,14,28,56.

    Read here only: the 1-5-14 list, the absence funnel, the spell lengths and the export's reached_dayN
    columns all follow these days. Whole days from 1, rising, each once; else a ValueError in Danish.
    """
    text = os.environ.get("TRIVSEL_MILESTONES", "1,5,14,28,56").strip()
    parts = [part.strip() for part in text.split(",")]
    if not all(part.isascii() and part.isdigit() and int(part) >= 1 for part in parts):
        raise ValueError(
            f"TRIVSEL_MILESTONES skal være hele dage på mindst 1, adskilt af komma, fx 1,5,14,28,56, ikke '{text}'."
        )
    days = tuple(int(part) for part in parts)
    if list(days) != sorted(set(days)):
        raise ValueError(
            f"TRIVSEL_MILESTONES skal nævne hver dag én gang og i stigende rækkefølge, fx 1,5,14,28,56, ikke '{text}'."
        )
    return days


def base_url() -> str:
    """Public address of the app, used to build staff links."""
    return os.environ.get("TRIVSEL_BASE_URL", "http://127.0.0.1:8501").rstrip("/")


STAFF_PATH = "medarbejder"  # the staff page's address in the app; printed links and QR codes point here


def staff_page_url() -> str:
    """The staff page's public address: with ?adgang= a unit's link, with ?kode= a one-time code filled in."""
    return f"{base_url()}/{STAFF_PATH}"


def kiosk_idle_minutes() -> float:
    """A survey left unfinished on a shared tablet (kiosk) is cleared after this many minutes without a page
    change: TRIVSEL_KIOSK_IDLE_MINUTES, else 5. Decimals are allowed (2.5 or 2,5; the browser tests use seconds)."""
    text = os.environ.get("TRIVSEL_KIOSK_IDLE_MINUTES", "5").strip()
    try:
        minutes = float(text.replace(",", "."))
    except ValueError:
        minutes = math.nan
    if not (math.isfinite(minutes) and minutes > 0):
        raise ValueError(
            f"TRIVSEL_KIOSK_IDLE_MINUTES skal være et antal minutter over 0, fx 5 eller 2,5, ikke '{text}'."
        )
    return minutes


def surveys_dir() -> Path:
    """Survey definitions: TRIVSEL_SURVEYS, else the repository's surveys/ folder."""
    env = os.environ.get("TRIVSEL_SURVEYS")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "surveys"


def backup_dir() -> Path:
    """Where the app's backup button writes snapshots: TRIVSEL_BACKUP_DIR, else data/backups."""
    return Path(os.environ.get("TRIVSEL_BACKUP_DIR", "data/backups"))


# ---------------------------------------------------------------- the app's own jobs (src/trivsel/jobs)
# Read when the scheduler starts and by Indstillinger; a wrong value is a ValueError with a Danish message.


def jobs_time() -> time:
    """When the nightly jobs (retention, backup) run, local time: TRIVSEL_JOBS_HOUR as HH:MM or HH, else 02:00."""
    return _clock_time("TRIVSEL_JOBS_HOUR", "02:00")


def nudges_time() -> time:
    """When the daily nudges to leaders go out, local time: TRIVSEL_NUDGES_HOUR as HH:MM or HH, else 07:00."""
    return _clock_time("TRIVSEL_NUDGES_HOUR", "07:00")


def _clock_time(name: str, default: str) -> time:
    text = os.environ.get(name, default).strip()
    hour, _, minute = text.partition(":")
    try:
        return time(int(hour), int(minute or 0))
    except ValueError:
        raise ValueError(
            f"{name} skal være et klokkeslæt som {default} eller {int(default[:2])}, ikke '{text}'."
        ) from None


def backup_keep() -> int:
    """How many nightly backups to keep: TRIVSEL_BACKUP_KEEP, else 14."""
    return _positive("TRIVSEL_BACKUP_KEEP", 14)


def inbox_dir() -> Path | None:
    """The folder payroll exports are dropped into (TRIVSEL_INBOX); None switches the inbox off."""
    env = os.environ.get("TRIVSEL_INBOX", "").strip()
    return Path(env) if env else None


def inbox_poll_seconds() -> int:
    """How often the inbox is looked at: TRIVSEL_INBOX_POLL_SECONDS, else 60."""
    return _positive("TRIVSEL_INBOX_POLL_SECONDS", 60)


def fake_now() -> datetime | None:
    """Tests only: TRIVSEL_FAKE_NOW sets the scheduler's clock to this local time at start (it then runs on).

    Nothing else reads it. Never set it in production: the retention job deletes by the scheduler's date.
    """
    env = os.environ.get("TRIVSEL_FAKE_NOW", "").strip()
    if not env:
        return None
    try:
        return datetime.fromisoformat(env)
    except ValueError:
        raise ValueError(f"TRIVSEL_FAKE_NOW skal være et tidspunkt som 2026-11-24T01:59:30, ikke '{env}'.") from None


def _positive(name: str, default: int) -> int:
    text = os.environ.get(name, str(default)).strip()
    if not text.isdigit() or int(text) < 1:
        raise ValueError(f"{name} skal være et helt tal på mindst 1, ikke '{text}'.")
    return int(text)


# ---------------------------------------------------------------- e-mail (the nudges to leaders)

SMTP_SECURITY = {"starttls": 587, "ssl": 465, "none": 25}  # each with its usual port
# One address, nothing around it: no name, no second address, no line break that could add a header.
EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")


def valid_email(text: str) -> bool:
    return len(text) <= 254 and EMAIL.fullmatch(text) is not None


@dataclass(frozen=True)
class Smtp:
    """Where e-mail is sent from. The password stays out of repr(), so it never reaches a log line."""

    host: str
    port: int
    security: str  # starttls, ssl or none (see SMTP_SECURITY)
    sender: str
    user: str | None = None
    password: str | None = field(default=None, repr=False)


def smtp() -> Smtp | None:
    """The mail server from TRIVSEL_SMTP_*, or None when TRIVSEL_SMTP_HOST is not set (no e-mail is sent).

    Read at each use, so a fixed setting works without a restart. A wrong value is a ValueError in Danish."""
    host = os.environ.get("TRIVSEL_SMTP_HOST", "").strip()
    if not host:
        return None
    security = os.environ.get("TRIVSEL_SMTP_SECURITY", "starttls").strip().lower()
    if security not in SMTP_SECURITY:
        raise ValueError(f"TRIVSEL_SMTP_SECURITY skal være starttls, ssl eller none, ikke '{security}'.")
    port_text = os.environ.get("TRIVSEL_SMTP_PORT", str(SMTP_SECURITY[security])).strip()
    if not port_text.isdigit() or not 1 <= int(port_text) <= 65535:
        raise ValueError(f"TRIVSEL_SMTP_PORT skal være et portnummer fra 1 til 65535, ikke '{port_text}'.")
    sender = os.environ.get("TRIVSEL_SMTP_FROM", "").strip()
    if not valid_email(sender):
        raise ValueError(
            "TRIVSEL_SMTP_FROM skal være afsenderens e-mailadresse, fx trivsel@kommune.dk"
            + (f", ikke '{sender}'." if sender else "; den er ikke sat.")
        )
    user = os.environ.get("TRIVSEL_SMTP_USER", "").strip() or None
    password = os.environ.get("TRIVSEL_SMTP_PASSWORD") or None
    if (user is None) != (password is None):
        raise ValueError("TRIVSEL_SMTP_USER og TRIVSEL_SMTP_PASSWORD skal sættes sammen (eller ingen af dem).")
    return Smtp(host, int(port_text), security, sender, user, password)
