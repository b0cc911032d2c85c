"""The unit report download on Trivsel – overblik."""

from __future__ import annotations

import re
from datetime import date

from trivsel.auth import Identity
from trivsel.reports import charts
from trivsel.reports import unit as unit_report
from trivsel.store import Store
from trivsel.surveys import rounds
from trivsel.surveys.definitions import Survey
from trivsel.ui import figures

LABEL = "Hent rapport til MED-udvalget (PDF)"


def unit_report_button(
    store: Store,
    identity: Identity,
    survey: Survey,
    rnd: rounds.Round,
    baseline: rounds.Round | None,
    unit_id: str,
    today: date,
) -> None:
    """The report of the round and unit the page shows, made when clicked; the leader's own scope is checked
    again and the download is audited with it."""

    def make() -> bytes:
        with charts.drawing():  # Chromium starts while the figures are computed
            return unit_report.pdf(unit_report.gather(store, survey, rnd, baseline, unit_id, today, identity.scope))

    figures.audited_download(
        LABEL,
        make,
        store=store,
        actor=identity.username,
        what="unit_report",
        parameters=unit_report.parameters(survey, rnd, baseline, unit_id, identity.scope),
        rows=1,
        file_name=f"rapport-{_safe(unit_id)}-{_safe(rnd.label)}.pdf",
        mime="application/pdf",
        key="unit_report_download",
    )


def _safe(text: str) -> str:
    """A file-name part: letters, digits, - and _ only."""
    return re.sub(r"[^A-Za-z0-9_-]", "_", text)
