"""Read an uploaded table as it comes from Danish payroll systems.

Accepted: CSV with `;`, `,` or tab, UTF-8 with or without BOM or cp1252, and `.xlsx`
with one sheet. Every cell comes back as a stripped string; the DataFrame index is
the row number the user sees in the file (header = row 1).
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import pandas as pd

from trivsel import config
from trivsel.imports.problems import ImportRejected, Problem

_XLSX_MAGIC = b"PK\x03\x04"
_SEPARATORS = (";", ",", "\t")


def normalise_header(name: str) -> str:
    return "_".join(str(name).replace("\ufeff", "").strip().lower().split())


def read_table(data: bytes, required: list[str], optional: tuple[str, ...] = (), strict: bool = False) -> pd.DataFrame:
    """`strict` refuses columns that are neither required nor optional (otherwise they are ignored)."""
    if len(data) > config.MAX_IMPORT_BYTES:
        mb = config.MAX_IMPORT_BYTES // (1024 * 1024)
        raise ImportRejected([Problem(None, None, f"Filen er større end {mb} MB og kan ikke importeres.")])
    if not data.strip():
        raise ImportRejected([Problem(None, None, "Filen er tom.")])
    rows = _xlsx_rows(data) if data.startswith(_XLSX_MAGIC) else _csv_rows(_decode(data), required)
    return _to_frame(rows, required, optional, strict)


def _decode(data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise ImportRejected([Problem(None, None,
            "Filen ser ud til at være binær eller i en ukendt tegnkodning (fx UTF-16). "
            "Gem den som CSV (UTF-8) eller som Excel-fil (.xlsx).")])
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportRejected([Problem(None, None,
        "Filen kan ikke læses som UTF-8 eller Windows-1252. Gem den som CSV (UTF-8).")])


def _csv_rows(text: str, required: list[str]) -> list[tuple[int, list[str]]]:
    lines = text.splitlines()
    header_line = next((line for line in lines if line.strip()), "")

    def matches(sep: str) -> int:
        header = next(csv.reader([header_line], delimiter=sep))
        return len({normalise_header(h) for h in header} & set(required))

    sep = max(_SEPARATORS, key=matches)
    reader = csv.reader(io.StringIO(text), delimiter=sep)
    return [(number, row) for number, row in enumerate(reader, start=1)]


def _xlsx_rows(data: bytes) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise ImportRejected([Problem(None, None, f"Excel-filen kan ikke åbnes ({type(exc).__name__}).")]) from exc
    sheets = [ws for ws in book.worksheets if ws.max_row and ws.max_row > 0 and any(
        cell is not None for row in ws.iter_rows(max_row=1, values_only=True) for cell in row)]
    if len(sheets) > 1:
        names = ", ".join(ws.title for ws in sheets)
        raise ImportRejected([Problem(None, None,
            f"Excel-filen har data i flere ark ({names}). Gem det ark, der skal importeres, som en fil for sig.")])
    if not sheets:
        raise ImportRejected([Problem(None, None, "Filen er tom.")])
    rows, problems = [], []
    for number, values in enumerate(sheets[0].iter_rows(values_only=True), start=1):
        cells = [_cell_text(v) for v in values]
        problems += [
            Problem(number, None, f"Cellen i kolonne nr. {i + 1} indeholder en formel ({c}). Gem værdierne i stedet.")
            for i, c in enumerate(cells) if c.startswith("=")
        ]
        rows.append((number, cells))
    if problems:
        raise ImportRejected(problems)
    return rows


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _to_frame(rows: list[tuple[int, list[str]]], required: list[str], optional: tuple[str, ...],
              strict: bool) -> pd.DataFrame:
    rows = [(n, [c.strip() for c in cells]) for n, cells in rows if any(c.strip() for c in cells)]
    if not rows:
        raise ImportRejected([Problem(None, None, "Filen er tom.")])
    header_row, header = rows[0]
    names = [normalise_header(h) for h in header]
    problems = []
    seen = set()
    for name in names:
        if name and name in seen:
            problems.append(Problem(header_row, name, "kolonnen står mere end én gang i overskriften."))
        seen.add(name)
    missing = [c for c in required if c not in seen]
    problems += [Problem(header_row, c, "den påkrævede kolonne mangler i overskriften.") for c in missing]
    if strict:
        problems += [Problem(header_row, name, "ukendt kolonne.") for name in names
                     if name and name not in required and name not in optional]
    if problems:
        raise ImportRejected(problems)

    body = rows[1:]
    if not body:
        raise ImportRejected([Problem(None, None, "Filen indeholder kun en overskrift og ingen datarækker.")])
    wanted = {name: i for i, name in enumerate(names) if name in required or name in optional}
    for number, cells in body:
        extra = cells[len(names):]
        if any(extra):
            problems.append(Problem(number, None,
                f"rækken har {len(cells)} felter, men overskriften har {len(names)}. "
                "Er der blandede skilletegn eller et felt med skilletegn uden anførselstegn?"))
        unnamed = [i for i, name in enumerate(names) if not name and i < len(cells) and cells[i]]
        problems += [Problem(number, None, f"kolonne nr. {i + 1} har data, men ingen overskrift.") for i in unnamed]
    if problems:
        raise ImportRejected(problems)
    records = {
        name: [cells[i] if i < len(cells) else "" for _, cells in body] for name, i in wanted.items()
    }
    for name in optional:
        records.setdefault(name, [""] * len(body))
    return pd.DataFrame(records, index=pd.Index([n for n, _ in body], name="row"), dtype=object)
