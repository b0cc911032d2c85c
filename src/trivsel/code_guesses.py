"""Wrong one-time survey codes and supervision reference codes: the back-off and the daily count.

A wrong code names no round or request, so wrong codes are counted per day and kind in
`wrong_code_counts`, with nothing about who typed them (no IP address, session or code).
A session that has typed FREE_WRONG_CODES wrong codes must wait before each further try
(see ui/code_guard.py); from then on each wrong code also leaves an audit row, so the
audit log shows every session that keeps guessing.
"""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pandas as pd

from trivsel import audit
from trivsel.store import Store

SURVEY_CODE = "survey_code"
REFERENCE_CODE = "reference_code"
KIND_LABELS = {SURVEY_CODE: "Engangskoder (spørgeskema)", REFERENCE_CODE: "Referencekoder (supervision)"}
FREE_WRONG_CODES = 5
FIRST_WAIT_SECONDS = 5
MAX_WAIT_SECONDS = 300
ANONYMOUS = "anonym"  # the audit actor: whoever typed the code has no login
# Every wrong code adds to the same row of the day: counting in turn keeps simultaneous guesses
# from conflicting (DuckDB lets one process write the file).
_counting = threading.Lock()


def wait_seconds(wrong: int) -> int:
    """How long a session waits before its next try after `wrong` wrong codes: 0, then 5 s doubling to 5 min."""
    if wrong < FREE_WRONG_CODES:
        return 0
    return min(FIRST_WAIT_SECONDS * 2 ** (wrong - FREE_WRONG_CODES), MAX_WAIT_SECONDS)


def record_wrong(store: Store, kind: str, wrong_in_session: int, day: date | None = None) -> None:
    """Count one wrong code; audit it when the session has reached the limit."""

    def work(cur):
        cur.execute(
            "INSERT INTO wrong_code_counts VALUES (?, ?, 1) ON CONFLICT DO UPDATE SET wrong = wrong + 1",
            [day or date.today(), kind],
        )
        if wrong_in_session >= FREE_WRONG_CODES:
            audit.record(cur, ANONYMOUS, "wrong_codes_limit", kind=kind, wrong_in_session=wrong_in_session)

    with _counting:
        store.write(work, bookkeeping=True)


def wrong_codes(store: Store, day: date | None = None) -> dict[str, int]:
    """The wrong codes of one day (default today) per kind."""
    counted = dict(store.query_all("SELECT kind, wrong FROM wrong_code_counts WHERE day = ?", [day or date.today()]))
    return {kind: counted.get(kind, 0) for kind in KIND_LABELS}


def recent_days(store: Store, days: int = 14, today: date | None = None) -> pd.DataFrame:
    """Days with wrong codes in the last `days` days, newest first: day, kind label, count."""
    df = store.query_df(
        "SELECT day, kind, wrong FROM wrong_code_counts WHERE day > ? ORDER BY day DESC, kind",
        [(today or date.today()) - timedelta(days=days)],
    )
    df["day"] = df["day"].dt.date
    df["kind"] = df["kind"].map(KIND_LABELS)
    return df
