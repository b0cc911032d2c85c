"""Nudges to leaders while a round is open: which one is due, who gets it, and the record of those sent.

A round's leaders get three e-mails: when it opens, halfway, and two days before it closes. Each is sent
at most once per leader (table nudges_sent): the row is written before the message goes out and taken back
only when the mail server refuses it, so a crash in between loses that one message rather than sending it
twice. A nudge that was not sent on its day (the app was down, no mail server yet) is dropped once the next
one is due. The message itself is views/nudges.py; the run is jobs/nudging.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pandas as pd

from trivsel import config
from trivsel.roles import LEDER
from trivsel.store import Store
from trivsel.surveys.rounds import Round

START, MIDWAY, BEFORE_CLOSE = "start", "midway", "before_close"
KINDS = {START: "Runden er åbnet", MIDWAY: "Halvvejs", BEFORE_CLOSE: "To dage før lukning"}
DAYS_BEFORE_CLOSE = 2


def schedule(rnd: Round) -> list[tuple[str, date]]:
    """The round's nudges and their days. In a short round a nudge that would not come after the one before
    it is left out (a three-day round gets the start and the midway nudge only)."""
    opens, closes = rnd.opens_on, rnd.closes_on
    planned = [
        (START, opens),
        (MIDWAY, opens + timedelta(days=(closes - opens).days // 2)),
        (BEFORE_CLOSE, closes - timedelta(days=DAYS_BEFORE_CLOSE)),
    ]
    kept: list[tuple[str, date]] = []
    for kind, day in planned:
        if not kept or day > kept[-1][1]:
            kept.append((kind, day))
    return kept


def due(rnd: Round, today: date) -> str | None:
    """The nudge of an open round whose day has come most recently, or None (not open, or no answers taken)."""
    if rnd.access == "historical" or rnd.status(today) != "aaben":
        return None
    passed = [kind for kind, day in schedule(rnd) if day <= today]
    return passed[-1] if passed else None


@dataclass(frozen=True)
class Leader:
    leader: str  # the local username, or the e-mail address of an SSO leader
    unit_id: str  # the top of the subtree the leader sees
    address: str | None  # None or not a valid address: no e-mail can go out
    via_sso: bool = False

    @property
    def reachable(self) -> bool:
        return self.address is not None and config.valid_email(self.address)


def leaders(store: Store) -> list[Leader]:
    """Every active leader: local users (with the address the admin set, if any) and SSO mappings."""
    local = store.query_all(
        "SELECT username, unit_id, email FROM users WHERE role = ? AND disabled_at IS NULL ORDER BY username", [LEDER]
    )
    sso = store.query_all("SELECT email, unit_id FROM sso_role_mappings WHERE role = ? ORDER BY email", [LEDER])
    return [Leader(*row) for row in local] + [Leader(email, unit_id, email, via_sso=True) for email, unit_id in sso]


def was_sent(store: Store, round_id: str, leader: str, kind: str) -> bool:
    return bool(
        store.query_value(
            "SELECT count(*) FROM nudges_sent WHERE round_id = ? AND leader = ? AND kind = ?", [round_id, leader, kind]
        )
    )


def claim(store: Store, round_id: str, leader: str, kind: str, address: str, at: datetime) -> bool:
    """Record the nudge as sent, just before sending it; False when it was sent already (nothing is written)."""
    return store.write(
        lambda cur: bool(
            cur.execute(
                "INSERT INTO nudges_sent (round_id, leader, kind, address, sent_at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT DO NOTHING RETURNING round_id",
                [round_id, leader, kind, address, at],
            ).fetchall()
        )
    )


def release(store: Store, round_id: str, leader: str, kind: str) -> None:
    """Take back a claim whose message the mail server refused, so the next run tries again."""
    store.write(
        lambda cur: cur.execute(
            "DELETE FROM nudges_sent WHERE round_id = ? AND leader = ? AND kind = ?", [round_id, leader, kind]
        )
    )


def sent(store: Store) -> pd.DataFrame:
    """Every nudge sent, newest first: round label, leader, kind (Danish), address and time."""
    df = store.query_df(
        """SELECT coalesce(r.label, n.round_id) AS round, n.leader, n.kind, n.address, n.sent_at
           FROM nudges_sent n LEFT JOIN survey_rounds r USING (round_id)
           ORDER BY n.sent_at DESC, round, n.leader"""
    )
    df["kind"] = df["kind"].map(KINDS)
    return df
