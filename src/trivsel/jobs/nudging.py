"""The nudge run: for each open round, the nudge that is due goes to each of its leaders who has not had
it, by e-mail. Run daily by the scheduler at TRIVSEL_NUDGES_HOUR and by `trivsel nudges send`; every run is
in the audit log (`nudges_run`). See nudges.py for the rules, views/nudges.py for the message."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from trivsel import audit, nudges
from trivsel.config import Smtp
from trivsel.mail import MailError, Outbox, message
from trivsel.store import Store
from trivsel.surveys import rounds
from trivsel.views import nudges as nudge_views

NOT_CONFIGURED = "SMTP er ikke sat op (TRIVSEL_SMTP_HOST), så ingen e-mails sendes."


@dataclass(frozen=True)
class Planned:
    rnd: rounds.Round
    leader: nudges.Leader
    kind: str
    subject: str
    body: str

    def line(self) -> str:
        return f"{self.rnd.label}: {nudges.KINDS[self.kind]} til {self.leader.leader} <{self.leader.address}>"


@dataclass(frozen=True)
class Plan:
    due: list[Planned]
    unreachable: list[tuple[rounds.Round, nudges.Leader]]  # a nudge is due, but there is no valid address


def plan(store: Store, today: date) -> Plan:
    """The nudges due today and not sent yet, composed; and the leaders they cannot reach."""
    due, unreachable = [], []
    leaders = nudges.leaders(store)
    for rnd in rounds.all_rounds(store):
        kind = nudges.due(rnd, today)
        if kind is None:
            continue
        facts = nudge_views.round_facts(store, rnd)
        for leader in leaders:
            scope = nudge_views.leader_units(store, facts, leader)
            if not scope or nudges.was_sent(store, rnd.round_id, leader.leader, kind):
                continue
            if not leader.reachable:
                unreachable.append((rnd, leader))
                continue
            subject, body = nudge_views.compose(facts, kind, scope, today)
            due.append(Planned(rnd, leader, kind, subject, body))
    return Plan(due, unreachable)


def run(store: Store, now: datetime, smtp: Smtp | None, actor: str, dry_run: bool = False) -> str:
    """Send what is due (or, with `dry_run`, only say what would go); return a Danish summary.

    Raises MailError when the mail server cannot be used or refused a message; what was sent stays sent."""
    found = plan(store, now.date())
    missing = sorted({leader.leader for _, leader in found.unreachable})
    no_address = f" Uden gyldig e-mailadresse: {', '.join(missing)}." if missing else ""
    if dry_run:
        _audit(store, actor, found, [], missing, dry_run=True)
        lines = [p.line() for p in found.due]
        return "\n".join([f"{len(lines)} påmindelser ville blive sendt.{no_address}", *lines])
    if smtp is None:
        _audit(store, actor, found, [], missing, reason=NOT_CONFIGURED)
        return f"{NOT_CONFIGURED} {len(found.due)} påmindelser venter.{no_address}"
    sent, refused = [], []
    try:
        with Outbox(smtp) as outbox:
            for p in found.due:
                if not nudges.claim(store, p.rnd.round_id, p.leader.leader, p.kind, p.leader.address, now):
                    continue  # sent meanwhile
                try:
                    outbox.send(message(smtp, p.leader.address, p.subject, p.body))
                except MailError as exc:
                    nudges.release(store, p.rnd.round_id, p.leader.leader, p.kind)
                    refused.append(str(exc))
                else:
                    sent.append(p)
    except MailError as exc:
        _audit(store, actor, found, sent, missing, reason=str(exc))
        raise
    _audit(store, actor, found, sent, missing, reason="; ".join(refused))
    summary = f"{len(sent)} påmindelser sendt.{no_address}"
    if refused:
        raise MailError(f"{summary} {len(refused)} blev afvist: {refused[0]}")
    return summary


def _audit(
    store: Store,
    actor: str,
    found: Plan,
    sent: list[Planned],
    missing: list[str],
    reason: str = "",
    dry_run: bool = False,
) -> None:
    audit.record_alone(
        store,
        actor,
        "nudges_run",
        due=len(found.due),
        sent=[f"{p.rnd.label}: {nudges.KINDS[p.kind]} til {p.leader.leader}" for p in sent],
        without_address=missing,
        reason=reason,
        dry_run=dry_run,
    )
