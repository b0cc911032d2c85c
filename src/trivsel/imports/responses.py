"""Import of historical survey answers: `unit_id` and one column per item id.

For rounds from the previous system (the 2022/2023 baseline). A file may carry only
some of the survey's items, since older rounds asked fewer; an unknown column is an
error. The round is created as a closed historical round when it does not exist, and a
new import into it replaces its answers, so importing the same file twice changes nothing.
"""

from __future__ import annotations

import uuid

import pandas as pd
import pandera.pandas as pa

from trivsel import audit
from trivsel.imports.parsing import parse_column
from trivsel.imports.problems import ImportRejected, Problem
from trivsel.imports.reader import read_table
from trivsel.imports.result import ImportResult
from trivsel.imports.validation import validate
from trivsel.store import Store
from trivsel.surveys import rounds
from trivsel.surveys.definitions import Item, Survey


def _parse_whole(text: str) -> int:
    if not text.lstrip("-").isdigit():
        raise ValueError(f"'{text}' er ikke et helt tal.")
    return int(text)


def _check(item: Item) -> pa.Check:
    if item.value_range:
        low, high = item.value_range
        return pa.Check(
            lambda s, low=low, high=high: s.isna() | s.between(low, high),
            element_wise=False,
            error=f"er uden for skalaen: svaret skal være fra {low} til {high}.",
        )
    if item.type in ("single_choice", "multiple_choice"):
        allowed = {o.value for o in item.options}
        return pa.Check(
            lambda s, allowed=allowed: s.map(lambda v: not v or set(v.split(",")) <= allowed),
            element_wise=False,
            error="er ikke en af spørgsmålets svarmuligheder.",
        )
    return pa.Check(
        lambda s, n=item.max_length: s.str.len() <= n,
        element_wise=False,
        error=f"er længere end {item.max_length} tegn.",
    )


def validate_responses(store: Store, data: bytes, survey: Survey) -> pd.DataFrame:
    raw = read_table(data, ["unit_id"], optional=tuple(i.id for i in survey.items), strict=True)
    present = [i for i in survey.items if i.id in raw.columns and (raw[i.id] != "").any()]
    problems: list[Problem] = []
    df = raw[["unit_id"]].copy()
    for item in present:
        if item.value_range:
            df[item.id] = parse_column(raw, item.id, _parse_whole, False, problems).astype("Int64")
        else:
            df[item.id] = raw[item.id].replace("", None)
    known = [r[0] for r in store.query_all("SELECT unit_id FROM units")]
    schema = pa.DataFrameSchema(
        {
            "unit_id": pa.Column(str, pa.Check.isin(known, error="er en ukendt enhed.")),
            **{i.id: pa.Column(nullable=True, checks=_check(i)) for i in present},
        }
    )
    problems += validate(df, schema)
    if problems:
        raise ImportRejected(problems)
    return df


def import_responses(store: Store, data: bytes, survey: Survey, label: str, actor: str) -> ImportResult:
    df = validate_responses(store, data, survey)
    existing = rounds.find_round(store, survey.id, label)
    if existing is not None and existing.access != "historical":
        raise ImportRejected(
            [
                Problem(
                    None,
                    None,
                    f"Runden '{label}' er ikke historisk. Svar kan kun importeres "
                    "til historiske runder; levende runder får svar fra medarbejderne.",
                )
            ]
        )
    round_id = existing.round_id if existing else uuid.uuid4().hex
    items = [c for c in df.columns if c != "unit_id"]
    answers = [
        (record.pop("unit_id"), rounds.answer_rows(survey, {k: v for k, v in record.items() if not pd.isna(v)}))
        for record in df.to_dict("records")
    ]

    def work(cur):
        if existing is None:
            cur.execute(
                "INSERT INTO survey_rounds (round_id, survey_id, survey_version, label, access, created_by) "
                "VALUES (?, ?, ?, ?, 'historical', ?)",
                [round_id, survey.id, survey.version, label, actor],
            )
        cur.execute(
            "DELETE FROM survey_answers WHERE response_id IN "
            "(SELECT response_id FROM survey_responses WHERE round_id = ?)",
            [round_id],
        )
        cur.execute("DELETE FROM survey_responses WHERE round_id = ?", [round_id])
        cur.execute("DELETE FROM round_units WHERE round_id = ?", [round_id])
        # The previous system did not say how many were employed, so no response rate.
        cur.executemany(
            "INSERT INTO round_units (round_id, unit_id, persons_at_start) VALUES (?, ?, 0)",
            [[round_id, u] for u in sorted(set(df["unit_id"]))],
        )
        for unit_id, rows in answers:
            rounds.insert_response(cur, round_id, unit_id, survey.version, rows)
        audit.record(cur, actor, "import_responses", survey=survey.id, round=label, rows=len(df))

    store.write(work)
    return ImportResult(len(df), f"{len(df)} besvarelser importeret til runden '{label}' ({len(items)} spørgsmål).")
