"""Read an uploaded table as it comes from Danish payroll systems.

Accepted: CSV with `;`, `,` or tab, UTF-8 with or without BOM or cp1252, and `.xlsx`
with one sheet. Every cell comes back as a stripped string; the DataFrame index is
the row number the user sees in the file (header = row 1).
"""

from __future__ import annotations

import csv
import gc
import io
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime

import numpy as np
import pandas as pd

from trivsel import config
from trivsel.imports.problems import ImportRejected, Problem

_XLSX_MAGIC = b"PK\x03\x04"
_SEPARATORS = (";", ",", "\t")


def normalise_header(name: str) -> str:
    return "_".join(str(name).replace("\ufeff", "").strip().lower().split())


@contextmanager
def paused_gc() -> Iterator[None]:
    """Hold Python's cycle collector while a file is turned into millions of small objects.

    None of them form cycles, yet each collection walks all of them: for a million-row file the
    collector took most of the reading time. Reference counting still frees everything as usual.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def read_table(data: bytes, required: list[str], optional: tuple[str, ...] = (), strict: bool = False) -> pd.DataFrame:
    """`strict` refuses columns that are neither required nor optional (otherwise they are ignored)."""
    with paused_gc():
        return _read_table(data, required, optional, strict)


def _read_table(data: bytes, required: list[str], optional: tuple[str, ...], strict: bool) -> pd.DataFrame:
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
    header_line = _first_line(text)

    def matches(sep: str) -> int:
        header = next(csv.reader([header_line], delimiter=sep))
        return len({normalise_header(h) for h in header} & set(required))

    sep = max(_SEPARATORS, key=matches)
    reader = csv.reader(io.StringIO(text), delimiter=sep)
    return list(enumerate(reader, start=1))


def _first_line(text: str, chunk: int = 1 << 16) -> str:
    """The first line with more than whitespace (as `str.splitlines` splits), without splitting the whole file."""
    head = text[:chunk]
    lines = head.splitlines()
    for i, line in enumerate(lines):
        # The chunk's last line may be cut off (unless the chunk is the whole text).
        if line.strip() and (i < len(lines) - 1 or len(head) == len(text)):
            return line
        if line.strip():
            break
    return next((line for line in text.splitlines() if line.strip()), "")


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
    # A row is blank when all its cells are whitespace, i.e. when their concatenation is.
    rows = [(n, cells) for n, cells in rows if "".join(cells).strip()]
    if not rows:
        raise ImportRejected([Problem(None, None, "Filen er tom.")])
    header_row, header = rows[0]
    names = [normalise_header(h) for h in header]  # normalise_header strips the cell itself
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
    width = len(names)
    wanted = {name: i for i, name in enumerate(names) if name in required or name in optional}
    unnamed = [i for i, name in enumerate(names) if not name]
    cells_of = [cells for _, cells in body]
    # Only rows longer than the header can have data beyond it, and only unnamed columns can hold data
    # without a heading, so the per-row checks run on those alone.
    for number, cells in body:
        if len(cells) > width and "".join(cells[width:]).strip():
            problems.append(Problem(number, None,
                f"rækken har {len(cells)} felter, men overskriften har {len(names)}. "
                "Er der blandede skilletegn eller et felt med skilletegn uden anførselstegn?"))
    for i in unnamed:
        problems += [Problem(number, None, f"kolonne nr. {i + 1} har data, men ingen overskrift.")
                     for number, cells in body if i < len(cells) and cells[i].strip()]
    if problems:
        raise ImportRejected(problems)
    if set(map(len, cells_of)) == {width}:  # the usual case: every row as wide as the header
        columns = list(zip(*cells_of))
        records = {name: list(map(str.strip, columns[i])) for name, i in wanted.items()}
    else:
        records = {
            name: [cells[i].strip() if i < len(cells) else "" for cells in cells_of] for name, i in wanted.items()
        }
    for name in optional:
        records.setdefault(name, [""] * len(body))
    # Object arrays, not lists: pandas then takes the cells as they are instead of inferring a type.
    index = pd.Index(np.fromiter((n for n, _ in body), dtype=np.int64, count=len(body)), name="row")
    return pd.DataFrame({name: _objects(values) for name, values in records.items()}, index=index, dtype=object)


def _objects(values: list[str]) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out
