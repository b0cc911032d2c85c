"""CSV and XLSX files for download: Danish Excel conventions, and no cell Excel would run as a formula.

CSV files keep the documented English column names (a contract with whoever reads them by program); XLSX
files are for people: Danish headings, a frozen header row, fitted columns, real date cells and Ja/Nej."""

from __future__ import annotations

import io
import re
from datetime import date, datetime
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:  # openpyxl loads only when an xlsx file is written
    from openpyxl.worksheet.worksheet import Worksheet

# A cell starting with one of these is a formula (or a DDE trigger) to Excel and LibreOffice.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# The XLSX heading of every column an export writes (a test checks that none is missing); the
# reached_dayN columns, which follow the follow-up days, are named by `heading`.
HEADINGS = {
    "unit_id": "Enheds-id",
    "unit_name": "Enhed",
    "period_start": "Periode fra",
    "period_end": "Periode til",
    "persons": "Personer",
    "employed_fte_days": "Ansatte årsværksdage",
    "absence_fte_days": "Sygefraværsdage (årsværk)",
    "absence_rate_pct": "Sygefravær %",
    "spells_started": "Sygeperioder begyndt",
    "suppressed": "Skjult",
    "round": "Runde",
    "respondents": "Svar",
    "measure": "Mål",
    "score": "Score",
    "dimension": "Opdeling",
    "key": "Nøgle",
    "label": "Navn",
    "requests": "Anmodninger",
    "median_days_to_first_response": "Median dage til første svar",
    "median_days_to_first_session": "Median dage til første session",
    "opens_on": "Runden åbnede",
    "is_baseline": "Basisrunde",
    "what": "Hvad",
    "owner": "Hvem",
    "due_on": "Hvornår",
    "status": "Status",
    "updated_on": "Opdateret",
}
# Code values that XLSX readers get in words.
VALUES = {"dimension": {"area": "Område", "unit": "Enhed", "topic": "Emne", "month": "Måned"}}
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_REACHED = re.compile(r"reached_day(\d+)")
_WIDEST = 60  # characters: a longer text keeps its cell, the column stops growing


def heading(column: str) -> str:
    """A column's XLSX heading: HEADINGS, "Nåede dag N" for reached_dayN, else the name itself."""
    reached = _REACHED.fullmatch(column)
    return f"Nåede dag {reached[1]}" if reached else HEADINGS.get(column, column)


def neutralise(value):
    """Prefix text that a spreadsheet would treat as a formula with an apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _safe(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise)
    out.columns = [neutralise(str(c)) for c in out.columns]
    return out


def to_csv(df: pd.DataFrame) -> bytes:
    """Danish Excel CSV: `;` separator, decimal comma, UTF-8 with BOM so Excel reads æøå."""
    return _safe(df).to_csv(index=False, sep=";", decimal=",").encode("utf-8-sig")


def definitions(rows: list[tuple[str | tuple[str, ...], str]]) -> pd.DataFrame:
    """The definitions sheet of an XLSX file: each column (or group of columns) under its Excel heading and
    its CSV name, and what it means."""
    named = [(names,) if isinstance(names, str) else names for names, _ in rows]
    return pd.DataFrame(
        {
            "Kolonne": [", ".join(heading(n) for n in names) for names in named],
            "Navn i CSV-filen": [", ".join(names) for names in named],
            "Betydning": [text for _, text in rows],
        }
    )


def _all(values: pd.Series, test) -> bool:
    present = values.dropna()
    return len(present) > 0 and all(test(v) for v in present)


def _for_people(df: pd.DataFrame) -> pd.DataFrame:
    """Danish headings and words. Yes/no columns (booleans, or the CSV form true/false) read Ja/Nej, and dates
    (date objects, ISO texts yyyy-mm-dd, timestamps at midnight) become date cells."""
    out = df.copy()
    for column in out.columns:
        values = out[column]
        if pd.api.types.is_bool_dtype(values) or _all(values, lambda v: v in ("true", "false") or isinstance(v, bool)):
            out[column] = values.map({True: "Ja", False: "Nej", "true": "Ja", "false": "Nej"})
        elif _all(values, lambda v: isinstance(v, str) and _ISO_DATE.fullmatch(v)):
            out[column] = [None if pd.isna(v) else date.fromisoformat(v) for v in values]
        elif pd.api.types.is_datetime64_any_dtype(values) and _all(values, lambda v: v == v.normalize()):
            out[column] = [None if pd.isna(v) else v.date() for v in values]
        elif column in VALUES:
            out[column] = values.map(lambda v, words=VALUES[column]: words.get(v, v))
    return out.rename(columns=heading)


def _shown_width(value) -> int:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return 0
    if isinstance(value, datetime):
        return 16  # dd-mm-yyyy hh:mm
    if isinstance(value, date):
        return 10
    return max(len(line) for line in str(value).splitlines() or [""])


def _tidy(sheet: Worksheet, df: pd.DataFrame) -> None:
    """Freeze the header row, fit each column to its widest cell and show dates as dd-mm-yyyy."""
    sheet.freeze_panes = "A2"
    for index, column in enumerate(df.columns):
        cells = sheet.iter_rows(min_row=2, min_col=index + 1, max_col=index + 1)
        for (cell,), value in zip(cells, df[column]):
            if isinstance(value, datetime):
                cell.number_format = "DD-MM-YYYY HH:MM"
            elif isinstance(value, date):
                cell.number_format = "DD-MM-YYYY"
        widest = max([_shown_width(str(column)), *(_shown_width(v) for v in df[column])])
        sheet.column_dimensions[sheet.cell(1, index + 1).column_letter].width = min(widest + 2, _WIDEST)


def to_xlsx(sheets: dict[str, pd.DataFrame]) -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, df in sheets.items():
            shown = _safe(_for_people(df))
            shown.to_excel(writer, sheet_name=name[:31], index=False)
            _tidy(writer.sheets[name[:31]], shown)
    return buffer.getvalue()
