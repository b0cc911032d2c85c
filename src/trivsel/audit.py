"""The audit log: who changed roles, imported or exported what, and when."""

from __future__ import annotations

import json

import duckdb
import pandas as pd

from trivsel.store import Store

# The Danish name of every action recorded anywhere (a test reads the code for each audit.record call).
ACTIONS = {
    "export": "Eksport",
    "import_units": "Import af enheder",
    "import_employees": "Import af ansættelser",
    "import_absence": "Import af fravær",
    "import_responses": "Import af besvarelser",
    "import_placements": "Import af praktikforløb",
    "lifecycle_schedule": "Livsforløb: tidsplan ændret",
    "mentor_programme": "Livsforløb: mentorforløb registreret",
    "lifecycle_letters": "Livsforløb: breve lavet",
    "demo_loaded": "Demodata indlæst",
    "user_added": "Bruger oprettet",
    "role_changed": "Rolle ændret",
    "user_unlocked": "Bruger låst op",
    "user_disabled": "Bruger deaktiveret",
    "user_enabled": "Bruger genaktiveret",
    "user_deleted": "Bruger slettet",
    "user_email_set": "E-mailadresse ændret",
    "sso_role_set": "Kommunalt login: rolle givet",
    "sso_role_removed": "Kommunalt login: rolle fjernet",
    "wrong_codes_limit": "Mange forkerte koder",
    "inbox_file": "Fil fra indbakken",
    "sessions_ended": "Bruger logget ud overalt",
    "staff_link_renewed": "Medarbejderlink fornyet",
    "setting_changed": "Indstilling ændret",
    "retention_run": "Sletning efter opbevaringsperioden",
    "backup": "Sikkerhedskopi",
    "nudges_run": "Påmindelser til ledere",
    "view_spell_level": "1-5-14-listen vist",
    "followup_contact": "1-5-14: samtale registreret",
    "round_created": "Runde oprettet",
    "survey_translations": "Spørgeskema: oversættelser indlæst",
    "round_renamed": "Runde omdøbt",
    "round_extended": "Runde forlænget",
    "round_closed": "Runde lukket",
    "round_deleted": "Runde slettet",
    "action_note_added": "Handleplan: aftale skrevet",
    "action_note_status": "Handleplan: status ændret",
    "apv_started": "APV: startet",
    "apv_problem_added": "APV: problem skrevet",
    "apv_problem_removed": "APV: problem fjernet",
    "apv_absence_assessed": "APV: vurdering af sygefravær",
    "apv_revise_by_set": "APV: revisionsdato",
    "apv_approved": "APV: godkendt",
    "apv_discussion": "APV: arbejdsmiljødrøftelse registreret",
    "supervision_requested": "Supervision: anmodning modtaget",
    "supervision_contacted": "Supervision: første svar",
    "supervision_planned": "Supervision: planlagt",
    "supervision_started": "Supervision: forløb i gang",
    "supervision_note": "Supervision: note",
    "supervision_closed": "Supervision: afsluttet",
    "supervision_declined": "Supervision: afvist",
}


def record(cur: duckdb.DuckDBPyConnection, actor: str, action: str, **details) -> None:
    """Write one audit entry inside the caller's transaction, so it lands with the change."""
    cur.execute(
        "INSERT INTO audit_log (actor, action, details) VALUES (?, ?, ?)",
        [actor, action, json.dumps(details, ensure_ascii=False, default=str, sort_keys=True)],
    )


# The Danish name of every export (record_export's `what`).
EXPORTS = {
    "unit_summary": "Sygefravær pr. enhed",
    "survey_summary": "Trivsel pr. enhed",
    "heatmap": "Trivsel – heatmap",
    "trend": "Trivsel – udvikling",
    "drivers": "Hvad hænger sammen med ønsket om at blive",
    "wellbeing_absence": "Trivsel og sygefravær",
    "action_notes": "Handleplan",
    "supervision_summary": "Supervisionsstatistik",
    "one_time_codes": "Engangskoder",
    "code_letters": "Breve med engangskoder",
    "poster": "Plakat med QR-kode",
    "unit_report": "Trivselsrapport til MED-udvalget (PDF)",
    "apv_document": "APV (PDF)",
    "audit_log": "Revisionslog",
}


def action_label(action: str) -> str:
    """The Danish name of an action (the key itself for one this version does not know)."""
    return ACTIONS.get(action, action)


def recent(store: Store, limit: int = 200) -> pd.DataFrame:
    return store.query_df("SELECT logged_at, actor, action, details FROM audit_log ORDER BY id DESC LIMIT ?", [limit])


def record_alone(store: Store, actor: str, action: str, **details) -> None:
    """Write one audit entry that goes with no change of data (a view, a download, a job's outcome). It is a
    bookkeeping write: no figure is computed from the audit log, so the kept figures stay."""
    store.write(lambda cur: record(cur, actor, action, **details), bookkeeping=True)


def record_export(store: Store, actor: str, what: str, parameters: dict, rows: int) -> None:
    """Log one export (download or CLI file) with its parameters and row count."""
    record_alone(store, actor, "export", what=what, parameters=parameters, rows=rows)
