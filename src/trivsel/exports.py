"""CSV and XLSX files for download: Danish Excel conventions, and no cell Excel would run as a formula."""

from __future__ import annotations

import io

import pandas as pd

# A cell starting with one of these is a formula (or a DDE trigger) to Excel and LibreOffice.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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


def to_xlsx(sheets: dict[str, pd.DataFrame]) -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, df in sheets.items():
            _safe(df).to_excel(writer, sheet_name=name[:31], index=False)
    return buffer.getvalue()
