"""Reading an uploaded `.xlsx` file, after checks that keep a hostile one from taking the server.

An xlsx file is a zip of XML parts, and both layers can be made to explode. A zip bomb is a small
file whose parts unpack to gigabytes: 2 MB drove the app to 5.5 GB. A sheet can also make openpyxl
build far more cells than the file holds: it fills every row out to its last cell (one cell in
column XFD makes 16,384), yields every missing row before a row numbered in the millions, and
takes the size the sheet's <dimension> element claims on trust. So before openpyxl parses a sheet:

1. the zip's table of contents is read: at most MAX_PARTS parts, together at most
   MAX_UNPACKED_FACTOR times the upload limit unpacked, and no part over 1 MB unpacking to more
   than MAX_RATIO times its packed size;
2. every worksheet is streamed once through expat, counting its rows and the cells openpyxl will
   build, and stopping at the first limit passed (Excel's own sheet size, and MAX_CELLS).

Then the sheet is read without its <dimension>: the rows themselves say how many there are.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from xml.parsers import expat

from trivsel import config
from trivsel.imports.problems import ImportRejected, Problem

MAX_PARTS = 10_000
MAX_UNPACKED_FACTOR = 5
MAX_RATIO = 100  # Apache POI's default zip-bomb limit; ordinary sheets pack 5 to 30 times
_RATIO_FROM_BYTES = 1 << 20  # a smaller part cannot hurt, whatever its ratio
MAX_ROWS = 1_048_576  # Excel's own sheet size: a sheet saved by Excel is never larger
MAX_COLUMNS = 16_384
MAX_CELLS = 10_000_000  # the rows' widths added up

_ROW = "http://schemas.openxmlformats.org/spreadsheetml/2006/main row"  # expat's "namespace name"
_SAVE_AS_CSV = "Gem arket som CSV, og importér det i stedet."


def xlsx_rows(data: bytes) -> list[tuple[int, list[str]]]:
    """The rows of the one sheet with data, numbered as in Excel, every cell as text."""
    from openpyxl import load_workbook

    _check_table_of_contents_size(data)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_parts(archive)
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
            # The worksheet's part name is private to openpyxl, but it is the part openpyxl will parse.
            sheets = [ws for ws in book.worksheets if _scan(archive, ws._worksheet_path)]
    except ImportRejected:
        raise
    except Exception as exc:  # zipfile, expat and openpyxl raise many types for a broken file
        raise _refuse(f"Excel-filen kan ikke åbnes ({type(exc).__name__}).") from exc
    if len(sheets) > 1:
        names = ", ".join(ws.title for ws in sheets)
        raise _refuse(
            f"Excel-filen har data i flere ark ({names}). Gem det ark, der skal importeres, som en fil for sig."
        )
    if not sheets:
        raise _refuse("Filen er tom.")
    return _read(sheets[0])


def _refuse(reason: str, row: int | None = None) -> ImportRejected:
    return ImportRejected([Problem(row, None, reason)])


def _number(n: int) -> str:
    return f"{n:_}".replace("_", ".")


def _check_table_of_contents_size(data: bytes) -> None:
    # Python's zipfile builds an object per entry before anything can be checked: 40 MB of empty
    # entries took 4 s and 280 MB. Every entry starts with this signature, so counting it bounds them.
    if data.count(b"PK\x01\x02") > MAX_PARTS:
        raise _refuse(
            f"Excel-filen består af mere end {_number(MAX_PARTS)} dele, og det gør et regneark "
            f"fra Excel ikke. {_SAVE_AS_CSV}"
        )


def _check_parts(archive: zipfile.ZipFile) -> None:
    """Sizes from the table of contents; zipfile never unpacks more than they state (it stops there)."""
    limit = MAX_UNPACKED_FACTOR * config.MAX_IMPORT_BYTES
    for part in archive.infolist():
        if part.file_size > _RATIO_FROM_BYTES and part.file_size > MAX_RATIO * part.compress_size:
            ratio = part.file_size // max(part.compress_size, 1)
            raise _refuse(
                f"Excel-filen er pakket usædvanligt tæt: delen {part.filename} fylder {_number(ratio)} gange "
                f"mere udpakket end pakket (højst {MAX_RATIO} gange). Sådan er en zip-bombe lavet, så "
                f"filen åbnes ikke. {_SAVE_AS_CSV}"
            )
    unpacked = sum(part.file_size for part in archive.infolist())
    if unpacked > limit:
        raise _refuse(
            f"Excel-filen fylder {_number(unpacked // 2**20)} MB udpakket, og højst "
            f"{_number(limit // 2**20)} MB kan importeres. {_SAVE_AS_CSV}"
        )


def _scan(archive: zipfile.ZipFile, part: str) -> bool:
    """Whether a worksheet has values; streams it through expat and refuses it at the first limit passed."""
    shape = _Shape()
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = shape.start
    parser.EndElementHandler = shape.end
    with archive.open(part.lstrip("/")) as stream:
        while chunk := stream.read(1 << 20):
            parser.Parse(chunk, False)
    parser.Parse(b"", True)
    return shape.has_values


@dataclass
class _Shape:
    """The rows and cells of a worksheet as openpyxl will build them, counted while expat streams it."""

    depth: int = 0
    row_depth: int = 0  # the depth of the <row> being read, 0 outside rows
    row: int = 0
    column: int = 0
    cells: int = 0
    has_values: bool = False

    def start(self, name: str, attributes: dict[str, str]) -> None:
        self.depth += 1
        if not self.row_depth:
            if name == _ROW:
                self.row_depth = self.depth
                self._start_row(attributes.get("r"))
        elif self.depth == self.row_depth + 1:  # openpyxl takes every child of a row as a cell
            self._start_cell(attributes.get("r"))
        elif self.depth == self.row_depth + 2:  # a value, inline string or formula in a cell
            self.has_values = True

    def end(self, name: str) -> None:
        if self.depth == self.row_depth:
            self.row_depth = 0
            self.cells += self.column  # openpyxl fills a row out to its last cell
            if self.cells > MAX_CELLS:
                raise _refuse(
                    f"Arket har mere end {_number(MAX_CELLS)} celler, når hver række tælles ud til sin "
                    f"sidste celle, og så store ark kan ikke importeres. Slet tomme rækker og kolonner, "
                    f"eller gem arket som CSV.",
                    self.row,
                )
        self.depth -= 1

    def _start_row(self, r: str | None) -> None:
        number = self.row + 1 if r is None else _row_number(r)
        if number <= self.row:
            raise _refuse(
                f"rækken står i filen efter række {_number(self.row)}, men rækkerne skal stå i rækkefølge. "
                "Gem filen igen fra Excel.",
                number,
            )
        if number > MAX_ROWS:
            raise _refuse(
                f"Arket har en række nr. {_number(number)}, men et Excel-ark har højst {_number(MAX_ROWS)} rækker."
            )
        self.row, self.column = number, 0

    def _start_cell(self, r: str | None) -> None:
        column = self.column + 1 if r is None else _column_number(r, self.row)
        if column <= self.column:
            raise _refuse("cellerne står ikke i kolonnernes rækkefølge. Gem filen igen fra Excel.", self.row)
        if column > MAX_COLUMNS:
            raise _refuse(
                f"rækken har en celle i kolonne nr. {_number(column)}, men et Excel-ark har højst "
                f"{_number(MAX_COLUMNS)} kolonner.",
                self.row,
            )
        self.column = column


def _row_number(r: str) -> int:
    # As openpyxl reads it: a whole number, possibly written as a float ("3.0", "1e6").
    try:
        number = float(r)
    except ValueError:
        number = None
    if number is None or not number.is_integer():
        raise _refuse(f"Arket har rækkenummeret '{r[:20]}', som ikke er et helt tal.")
    return int(number)


def _column_number(r: str, row: int) -> int:
    from openpyxl.utils.cell import column_index_from_string

    try:
        return column_index_from_string(r.rstrip("0123456789").replace("$", ""))
    except ValueError:
        raise _refuse(f"en celle har adressen '{r[:20]}', som ikke er en celleadresse.", row) from None


def _read(ws) -> list[tuple[int, list[str]]]:
    ws.reset_dimensions()  # the <dimension> element may claim any size; the scan counted the real one
    rows, problems = [], []
    try:
        for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
            if not values:  # openpyxl yields an empty row for each row number the sheet skips
                continue
            cells = [_cell_text(v) for v in values]
            problems += [
                Problem(
                    number, None, f"Cellen i kolonne nr. {i + 1} indeholder en formel ({c}). Gem værdierne i stedet."
                )
                for i, c in enumerate(cells)
                if c.startswith("=")
            ]
            rows.append((number, cells))
    except Exception as exc:  # e.g. a shared string that does not exist
        raise _refuse(f"Excel-filen kan ikke læses ({type(exc).__name__}).") from exc
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
