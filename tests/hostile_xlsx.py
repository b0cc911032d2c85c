"""Excel files written from raw XML, for the hostile-file tests.

The parts are streamed into the zip in chunks, so a zip bomb is never held unpacked, neither here
nor in the repository (only its packed bytes are).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from xml.sax.saxutils import escape

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
EMPLOYEE_HEADER = ["employee_id", "unit_id", "start_date", "end_date", "fte", "job_group"]


def row(number: int | None, values: Iterable[str]) -> bytes:
    """One row of inline strings; without a number, Excel counts on from the row before."""
    cells = "".join(f'<c t="inlineStr"><is><t>{escape(v)}</t></is></c>' for v in values)
    return (f'<row r="{number}">' if number else "<row>").encode() + cells.encode() + b"</row>"


def workbook(rows: Iterable[bytes], dimension: str | None = None, shared_strings: Iterable[bytes] = ()) -> bytes:
    """A one-sheet workbook whose <sheetData> is `rows`, and whose sharedStrings part holds `shared_strings`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr(
            "[Content_Types].xml",
            (
                '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/>'
                '<Override PartName="/xl/workbook.xml" '
                'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                '<Override PartName="/xl/worksheets/sheet1.xml" '
                'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                '<Override PartName="/xl/sharedStrings.xml" '
                'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
                "</Types>"
            ),
        )
        book.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" '
            f'Type="{DOC_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        book.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{MAIN}" xmlns:r="{DOC_RELS}"><sheets>'
            '<sheet name="Ark1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        book.writestr(
            "xl/_rels/workbook.xml.rels",
            (
                f'<Relationships xmlns="{RELS}">'
                f'<Relationship Id="rId1" Type="{DOC_RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
                f'<Relationship Id="rId2" Type="{DOC_RELS}/sharedStrings" Target="sharedStrings.xml"/>'
                "</Relationships>"
            ),
        )
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(f'<worksheet xmlns="{MAIN}">'.encode())
            if dimension:
                sheet.write(f'<dimension ref="{dimension}"/>'.encode())
            sheet.write(b"<sheetData>")
            for chunk in rows:
                sheet.write(chunk)
            sheet.write(b"</sheetData></worksheet>")
        with book.open("xl/sharedStrings.xml", "w", force_zip64=True) as strings:
            strings.write(f'<sst xmlns="{MAIN}">'.encode())
            for chunk in shared_strings:
                strings.write(chunk)
            strings.write(b"</sst>")
    return buffer.getvalue()


def employees(count: int) -> Iterable[bytes]:
    """The header and `count` good employment rows."""
    yield row(1, EMPLOYEE_HEADER)
    for i in range(count):
        yield row(i + 2, [f"E{i:06d}", "SO-PC-A", "01-03-2020", "", "1", "SSA"])


def ratio_bomb(megabytes: int = 400) -> bytes:
    """The same row over and over, as many as Excel allows: under 2 MB that unpack to `megabytes` of sheet."""
    same = row(None, ["E000001", "SO-PC-A", "01-03-2020", "", "1", "SSA"]) * 4096
    return workbook([row(1, EMPLOYEE_HEADER), *[same] * (megabytes * 2**20 // len(same))], dimension="A1:F1048576")


def wide_rows_bomb(rows: int = 100_000) -> bytes:
    """Each row has one cell in Excel's last column (XFD) and claims the whole sheet as its size.

    It packs no harder than an ordinary sheet, but a reader that fills every row out to its last
    column, or to the claimed size, holds 16,384 cells per row.
    """
    cells = (f'<row r="{n}"><c r="XFD{n}"><v>1</v></c></row>'.encode() for n in range(2, rows + 2))
    return workbook([row(1, EMPLOYEE_HEADER), *cells], dimension="A1:XFD1048576")


def shared_string_bomb(megabytes: int = 300) -> bytes:
    """One shared string of `megabytes` of the same letter."""
    return workbook(
        [row(1, EMPLOYEE_HEADER), b'<row r="2"><c r="A2" t="s"><v>0</v></c></row>'],
        shared_strings=[b"<si><t>", *[b"a" * 2**20] * megabytes, b"</t></si>"],
    )


def many_parts(count: int) -> bytes:
    """A good workbook with `count` empty parts added."""
    buffer = io.BytesIO(workbook(employees(1)))
    with zipfile.ZipFile(buffer, "a") as book:
        for i in range(count):
            book.writestr(f"x/{i}", b"")
    return buffer.getvalue()
