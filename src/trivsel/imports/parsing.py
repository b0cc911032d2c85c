"""Parsing of Danish-style cell values: dates and decimals, with a Danish reason when they fail."""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import pandas as pd

from trivsel.imports.problems import Problem

_DMY = re.compile(r"^(\d{1,2})[-./](\d{1,2})[-./](\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DECIMAL = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")


def parse_date(text: str) -> date:
    match = _DMY.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
    else:
        match = _YMD.match(text)
        if not match:
            raise ValueError(f"'{text}' er ikke en dato. Brug dd-mm-åååå eller åååå-mm-dd.")
        year, month, day = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"'{text}' er ikke en gyldig dato (den dag findes ikke).") from None


def parse_decimal(text: str) -> float:
    if "," in text and "." in text:
        raise ValueError(f"'{text}' er tvetydig: brug enten komma eller punktum som decimaltegn, ikke begge.")
    if not _DECIMAL.match(text):
        raise ValueError(f"'{text}' er ikke et tal.")
    return float(text.replace(",", "."))


def parse_column(df: pd.DataFrame, column: str, parse, required: bool, problems: list[Problem]) -> pd.Series:
    """Parse one text column; empty or unparsable cells become None and add a Problem.

    Each distinct text is parsed once (a payroll export of a million rows holds a few thousand
    dates), so a large file costs a hash of every cell rather than a parse of every cell.
    """
    cells = df[column]
    codes, texts = pd.factorize(cells.to_numpy(dtype=object), use_na_sentinel=False)
    parsed = np.empty(len(texts), dtype=object)
    failed = {}  # code -> reason
    for code, text in enumerate(texts):
        if not text:
            parsed[code] = None
            if required:
                failed[code] = "feltet er tomt, men skal udfyldes."
            continue
        try:
            parsed[code] = parse(text)
        except ValueError as exc:
            parsed[code] = None
            failed[code] = str(exc)
    if failed:
        rows = cells.index.tolist()
        for position in np.flatnonzero(np.isin(codes, list(failed))).tolist():
            problems.append(Problem(rows[position], column, failed[codes[position]]))
    return pd.Series(parsed[codes], index=df.index, dtype=object)
