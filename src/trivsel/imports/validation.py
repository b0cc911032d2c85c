"""Run a pandera schema lazily and turn its failure cases into Danish problems."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from trivsel.imports.problems import Problem

# Reasons for pandera's built-in checks; our own checks carry a Danish `error` text already.
_BUILTIN_REASONS = {
    "not_nullable": "feltet er tomt, men skal udfyldes.",
    "field_uniqueness": "værdien står mere end én gang i filen.",
    "multiple_fields_uniqueness": "rækken står mere end én gang i filen.",
}


def validate(df: pd.DataFrame, schema: pa.DataFrameSchema) -> list[Problem]:
    try:
        schema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        return list(dict.fromkeys(_problem(case) for case in exc.failure_cases.to_dict("records")))
    return []


def _problem(case: dict) -> Problem:
    check = str(case["check"])
    reason = _BUILTIN_REASONS.get(check, check)
    value = case.get("failure_case")
    if value is not None and not pd.isna(value) and value != "" and check not in _BUILTIN_REASONS:
        reason = f"'{_show(value)}' {reason}"
    index = case.get("index")
    row = int(index) if index is not None and not pd.isna(index) else None
    column = case.get("column") if check != "multiple_fields_uniqueness" else None
    return Problem(row, column if isinstance(column, str) else None, reason)


def _show(value) -> str:
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    return str(value)
