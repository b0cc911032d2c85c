"""The report downloads: the unit report on Trivsel – overblik, the follow-up report on Rapporter; each as a
PDF and as PowerPoint slides, made when clicked and audited with its format."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import streamlit as st

from trivsel.auth import Identity
from trivsel.reports import charts, content, slides
from trivsel.reports import followup as followup_report
from trivsel.reports import pdf as pdf_layout
from trivsel.reports import unit as unit_report
from trivsel.store import Store
from trivsel.surveys import rounds
from trivsel.surveys.definitions import Survey
from trivsel.ui import figures

LABEL = "Hent rapport til MED-udvalget (PDF)"
SLIDES_LABEL = "Hent rapport til MED-udvalget (PowerPoint)"
FOLLOWUP_LABEL = "Hent opfølgningsrapport (PDF)"
FOLLOWUP_SLIDES_LABEL = "Hent opfølgningsrapport (PowerPoint)"
# file format -> how the content is rendered, its file ending and its MIME type
FORMATS = {
    "pdf": (pdf_layout.render, "pdf", "application/pdf"),
    "pptx": (slides.render, "pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
}


def _buttons(
    store: Store,
    identity: Identity,
    labels: tuple[str, str],
    what: str,
    parameters: dict,
    document: Callable[[], content.Document],
    file_stem: str,
    key: str,
) -> None:
    """A PDF and a PowerPoint button side by side, for the same content."""
    for column, label, file_format in zip(st.columns(2), labels, FORMATS):
        render, ending, mime = FORMATS[file_format]
        figures.audited_download(
            label,  # markdown-safe: the labels are this module's own constants
            lambda render=render: _made(render, document),
            store=store,
            actor=identity.username,
            what=what,
            parameters=parameters | {"format": file_format},
            rows=1,
            container=column,
            file_name=f"{file_stem}.{ending}",
            mime=mime,
            key=f"{key}_{file_format}",
        )


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

    def document() -> content.Document:
        return unit_report.document(unit_report.gather(store, survey, rnd, baseline, unit_id, today, identity.scope))

    _buttons(
        store,
        identity,
        (LABEL, SLIDES_LABEL),
        "unit_report",
        unit_report.parameters(survey, rnd, baseline, unit_id, identity.scope),
        document,
        f"rapport-{_safe(unit_id)}-{_safe(rnd.label)}",
        "unit_report_download",
    )


def followup_report_buttons(
    store: Store, identity: Identity, report: followup_report.FollowupReport, parameters: dict
) -> None:
    """The follow-up report already gathered on the page, drawn when clicked."""
    _buttons(
        store,
        identity,
        (FOLLOWUP_LABEL, FOLLOWUP_SLIDES_LABEL),
        "followup_report",
        parameters,
        lambda: followup_report.document(report),
        f"opfoelgning-{_safe(report.baseline.label)}-{_safe(report.rnd.label)}",
        "followup_report_download",
    )


def _made(render: Callable[[content.Document], bytes], document: Callable[[], content.Document]) -> bytes:
    with charts.drawing():  # Chromium starts while the figures are computed
        return render(document())


def _safe(text: str) -> str:
    """A file-name part: letters, digits, - and _ only."""
    return re.sub(r"[^A-Za-z0-9_-]", "_", text)
