"""Settings read from the environment, with the defaults the README documents."""

from __future__ import annotations

import os
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


def base_url() -> str:
    """Public address of the app, used to build staff links."""
    return os.environ.get("TRIVSEL_BASE_URL", "http://127.0.0.1:8501").rstrip("/")


def surveys_dir() -> Path:
    """Survey definitions: TRIVSEL_SURVEYS, else the repository's surveys/ folder."""
    env = os.environ.get("TRIVSEL_SURVEYS")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "surveys"


def backup_dir() -> Path:
    """Where the app's backup button writes snapshots: TRIVSEL_BACKUP_DIR, else data/backups."""
    return Path(os.environ.get("TRIVSEL_BACKUP_DIR", "data/backups"))
