"""Shared table shapes for pages."""

from __future__ import annotations

import json
import re
from datetime import date

import pandas as pd

from trivsel import audit, code_guesses, retention, settings
from trivsel.org import LEVEL_NAMES
from trivsel.roles import ROLES
from trivsel.surveys import actions, rounds
from trivsel.ui import figures


def unit_tree(units: pd.DataFrame) -> pd.DataFrame:
    """Units in tree order, names indented by depth, with the Danish level name."""
    depth = units["depth"] - units["depth"].min()
    return pd.DataFrame(
        {
            "Enhed": [("\u2003" * d) + name for d, name in zip(depth, units["unit_name"])],
            "Niveau": [LEVEL_NAMES[min(d, len(LEVEL_NAMES) - 1)] for d in units["depth"]],
            "Enheds-id": units["unit_id"],
        },
        index=units.index,
    )


# What the keys of an audit entry's details are called in Danish; (action, key) where one action means
# something else by a key.
DETAIL_LABELS = {
    "offset": "dage fra start eller slut",
    "window": "dage aktuelt",
    "start": "start",
    "persons": "personer",
    "letters": "breve",
    "overdue_only": "kun overskredne",
    "changed": "ændrede tekster",
    "file": "fil",
    "outcome": "resultat",
    "moved_to": "flyttet til",
    "username": "bruger",
    "role": "rolle",
    "old_role": "tidligere rolle",
    "unit_id": "enhed",
    "old_unit_id": "tidligere enhed",
    "email": "e-mail",
    "old_email": "tidligere e-mail",
    "due": "forfaldne påmindelser",
    "sent": "sendt",
    "without_address": "ledere uden e-mailadresse",
    "reason": "årsag",
    "dry_run": "prøvekørsel",
    "kind": "kode",
    "wrong_in_session": "forkerte i samme browser",
    "directory": "mappe",
    "request_no": "anmodning nr.",
    "key": "indstilling",
    "old": "før",
    "new": "nu",
    "rows": "rækker",
    "employees": "medarbejdere",
    "replaced": "erstattede perioder",
    "period_from": "fra",
    "period_to": "til",
    "survey": "spørgeskema",
    "round": "runde",
    "label": "runde",
    "label_before": "tidligere navn",
    "units": "enheder",
    "access": "adgang",
    "codes": "engangskoder",
    "drafts": "påbegyndte svar",
    "closes_before": "lukkede før",
    "closes_on": "lukker nu",
    "employee_id": "medarbejder",
    "spell_start": "første sygedag",
    "milestone": "dag",
    "contact_date": "samtalen holdt",
    "seed": "frø",
    "employments": "ansættelser",
    "spells": "fraværsperioder",
    "round_id": "runde-id",
    "apv_id": "APV-id",
    "problem_id": "problem-id",
    "complete": "godkendt af begge",
    "held_on": "holdt",
    "revise_by": "revideres senest",
    "note_id": "aftale-id",
    "status": "status",
    "scope": "enhed",
    "due_rows": "sygeperioder",
    "frequent_rows": "hyppigt fravær",
    "what": "hvad",
    "parameters": "",
    "from": "fra",
    "to": "til",
    "as_of": "opgjort",
    "unit": "enhed",
    "min_persons": "mindst personer",
    "format": "format",
    "measure": "mål",
    "following": "de følgende 6 måneder",
    "actions": "handlinger",
    **{rule.dataset: rule.label.lower() for rule in retention.RULES},
    ("import_units", "new"): "nye enheder",
}
# Code values in details that have a Danish name.
DETAIL_VALUES = {
    "role": ROLES,
    "old_role": ROLES,
    "what": audit.EXPORTS,
    "access": rounds.ACCESS_LABELS,
    "status": actions.STATUSES,
    "kind": code_guesses.KIND_LABELS,
    "actions": audit.ACTIONS,
    "key": {key: setting.label for key, setting in settings.SETTINGS.items()},
}
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _detail_value(key: str, value) -> str:
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if value is None or value == []:
        return figures.MISSING
    if isinstance(value, list):
        return ", ".join(_detail_value(key, v) for v in value)
    if isinstance(value, float):
        return figures.danish_number(value, 1)
    text = str(value)
    if _ISO_DATE.fullmatch(text):
        return figures.danish_date(date.fromisoformat(text))
    return DETAIL_VALUES.get(key, {}).get(text, text)


def audit_details(action: str, details: str | None) -> str:
    """An entry's details as a Danish reader wants them: "runde: Forår 2025; enheder: 12", not JSON. What was
    exported comes first; a semicolon separates, as names and labels may hold commas."""
    parsed = json.loads(details) if details else {}

    def parts(found: dict):
        for key, value in sorted(found.items(), key=lambda item: item[0] != "what"):
            if isinstance(value, dict):  # an export's parameters
                yield from parts(value)
                continue
            label = DETAIL_LABELS.get((action, key), DETAIL_LABELS.get(key, key))
            yield f"{label}: {_detail_value(key, value)}"

    return "; ".join(parts(parsed))


def audit_entries(log: pd.DataFrame) -> pd.DataFrame:
    """The audit log for people: when, who, the action's Danish name and readable details. The time is text, so a
    screen reader reads it dd-mm-yyyy too (it reads a date column's raw value); the log is newest first anyway."""
    return pd.DataFrame(
        {
            "Tidspunkt": [f"{t:%d-%m-%Y %H:%M:%S}" for t in log["logged_at"]],
            "Hvem": log["actor"],
            "Handling": log["action"].map(audit.action_label),
            "Detaljer": [audit_details(a, d) for a, d in zip(log["action"], log["details"])],
        }
    )
