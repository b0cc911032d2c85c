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
from itertools import chain, islice
from operator import itemgetter

import numpy as np
import pandas as pd

from trivsel import config
from trivsel.imports.problems import ImportRejected, Problem
from trivsel.imports.xlsx import xlsx_rows

_XLSX_MAGIC = b"PK\x03\x04"
_SEPARATORS = (";", ",", "\t")
# Longer fields are refused: no column we read needs them, and a longer one is nearly always a
# quote left open. The csv module stops at 131,072 characters by itself.
MAX_FIELD_CHARS = 10_000
_OPEN_QUOTE = (
    'feltet begynder med et anførselstegn ("), som ikke lukkes på samme linje. Så bliver de '
    "følgende linjer læst som en del af feltet, og deres rækker ville gå tabt. Fjern anførselstegnet "
    "(eller linjeskiftet i feltet), og prøv igen."
)
_LONG_FIELD = f"{{}} er på mere end {MAX_FIELD_CHARS:_} tegn, og så lange felter kan ikke importeres.".replace("_", ".")


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
    rows = xlsx_rows(data) if data.startswith(_XLSX_MAGIC) else _csv_rows(_decode(data), required)
    return _to_frame(rows, required, optional, strict)


def _decode(data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise ImportRejected(
            [
                Problem(
                    None,
                    None,
                    "Filen ser ud til at være binær eller i en ukendt tegnkodning (fx UTF-16). "
                    "Gem den som CSV (UTF-8) eller som Excel-fil (.xlsx).",
                )
            ]
        )
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportRejected(
        [Problem(None, None, "Filen kan ikke læses som UTF-8 eller Windows-1252. Gem den som CSV (UTF-8).")]
    )


def _csv_rows(text: str, required: list[str]) -> list[tuple[int, list[str]]]:
    header_line = _first_line(text)

    def matches(sep: str) -> int:
        header = next(csv.reader([header_line], delimiter=sep))
        return len({normalise_header(h) for h in header} & set(required))

    sep = max(_SEPARATORS, key=matches)
    # newline="" lets the csv module see CR, LF and CRLF line ends alike, as its documentation asks.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    try:
        rows = list(enumerate(reader, start=1))
    except csv.Error:  # a field beyond the csv module's own limit, usually a quote left open
        rows = None
    # As many records as lines means that no record went on past its line, so the numbers are the lines.
    if rows is None or len(rows) != reader.line_num:
        rows = _rows_line_by_line(text, sep)
    return rows


def _rows_line_by_line(text: str, sep: str) -> list[tuple[int, list[str]]]:
    """The records with their line numbers; refuses the first record that is not one line.

    A field that begins with `"` runs on until the next `"`, across line ends: one stray quote in
    a free-text column swallowed the rows after it, with no error.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    rows: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for cells in reader:
            if reader.line_num > start:
                broken = next(i for i, cell in enumerate(cells) if "\n" in cell or "\r" in cell)
                raise ImportRejected([Problem(start, _column_name(rows, broken), _OPEN_QUOTE)])
            rows.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as exc:  # the field limit: a quote left open ran past it, or one line holds a huge field
        if reader.line_num == start:
            raise ImportRejected([Problem(start, None, _LONG_FIELD.format("et felt i rækken"))]) from exc
        # The open quote's field runs to the end of its line, so it is the line's last field.
        line = next(islice(io.StringIO(text, newline=""), start - 1, None))
        broken = len(next(csv.reader([line], delimiter=sep))) - 1
        raise ImportRejected([Problem(start, _column_name(rows, broken), _OPEN_QUOTE)]) from exc
    return rows


def _column_name(rows: list[tuple[int, list[str]]], index: int) -> str | None:
    """The heading of column `index`, taking the first row with text as the header."""
    header = next((cells for _, cells in rows if "".join(cells).strip()), [])
    return (normalise_header(header[index]) or None) if index < len(header) else None


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


def _to_frame(
    rows: list[tuple[int, list[str]]], required: list[str], optional: tuple[str, ...], strict: bool
) -> pd.DataFrame:
    # A row is blank when all its cells are whitespace, i.e. when their concatenation is.
    rows = [(n, cells) for n, cells in rows if "".join(cells).strip()]
    if not rows:
        raise ImportRejected([Problem(None, None, "Filen er tom.")])
    header_row, header = rows[0]
    names = [normalise_header(h) for h in header]  # normalise_header strips the cell itself
    problems = _long_fields(rows, names)
    seen = set()
    for name in names:
        if name and name in seen:
            problems.append(Problem(header_row, name, "kolonnen står mere end én gang i overskriften."))
        seen.add(name)
    missing = [c for c in required if c not in seen]
    problems += [Problem(header_row, c, "den påkrævede kolonne mangler i overskriften.") for c in missing]
    if strict:
        problems += [
            Problem(header_row, name, "ukendt kolonne.")
            for name in names
            if name and name not in required and name not in optional
        ]
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
            problems.append(
                Problem(
                    number,
                    None,
                    f"rækken har {len(cells)} felter, men overskriften har {len(names)}. "
                    "Er der blandede skilletegn eller et felt med skilletegn uden anførselstegn?",
                )
            )
    for i in unnamed:
        problems += [
            Problem(number, None, f"kolonne nr. {i + 1} har data, men ingen overskrift.")
            for number, cells in body
            if i < len(cells) and cells[i].strip()
        ]
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


def _long_fields(rows: list[tuple[int, list[str]]], names: list[str]) -> list[Problem]:
    # One pass in C over every cell; the cells are looked at one by one only when one is too long.
    if max(map(len, chain.from_iterable(map(itemgetter(1), rows)))) <= MAX_FIELD_CHARS:
        return []
    problems = []
    for number, cells in rows:
        for i, cell in enumerate(cells):
            if len(cell) > MAX_FIELD_CHARS:
                column = (names[i] or None) if number != rows[0][0] and i < len(names) else None
                problems.append(Problem(number, column, _LONG_FIELD.format("feltet" if column else "et felt i rækken")))
    return problems


def _objects(values: list[str]) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out
