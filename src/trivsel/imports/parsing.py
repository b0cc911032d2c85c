"""Parsing of Danish-style cell values: dates and decimals, with a Danish reason when they fail."""

from __future__ import annotations

import re
from datetime import date

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
    """Parse one text column; empty or unparsable cells become None and add a Problem."""
    values = []
    for row, text in df[column].items():
        if not text:
            if required:
                problems.append(Problem(row, column, "feltet er tomt, men skal udfyldes."))
            values.append(None)
            continue
        try:
            values.append(parse(text))
        except ValueError as exc:
            problems.append(Problem(row, column, str(exc)))
            values.append(None)
    return pd.Series(values, index=df.index, dtype=object)
