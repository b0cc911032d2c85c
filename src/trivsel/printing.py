"""A4 pages for staff to hold or pin up (the QR posters and the code letters): the fonts, the text blocks,
the page layout and the QR code they share.

The QR code is drawn as vector squares (segno gives the modules), and the text uses Bitstream Vera, which
ReportLab ships, so æøå print on any machine. Text from data (unit and round names) is drawn as plain
strings, never as ReportLab markup.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import TypeVar

import reportlab
import segno
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

_FONTS = Path(reportlab.__file__).parent / "fonts"
REGULAR, BOLD = "TrivselSans", "TrivselSans-Bold"
pdfmetrics.registerFont(TTFont(REGULAR, _FONTS / "Vera.ttf"))
pdfmetrics.registerFont(TTFont(BOLD, _FONTS / "VeraBd.ttf"))

ACCENT = (0x1D / 255, 0x5A / 255, 0x96 / 255)  # the app's primary colour
BLACK, GREY = (0.0, 0.0, 0.0), (0.3, 0.3, 0.3)
MARGIN, BAND = 18 * mm, 12 * mm
TEXT_WIDTH = A4[0] - 2 * MARGIN
LEADING = 1.25
QUIET_ZONE = 4  # modules of white around the code, as the QR standard asks

TITLE = "Hvordan har du det på arbejdet?"

Item = TypeVar("Item")


def round_line(opens_on: date | None, closes_on: date) -> str:
    """When to answer; opens_on only for a round that has not opened yet."""
    opening = f"Åbner {opens_on:%d-%m-%Y}" if opens_on else "Åben nu"
    return f"{opening} – svar senest {closes_on:%d-%m-%Y}"


def a4_pdf(items: Iterable[Item], draw: Callable[[canvas.Canvas, Item], None], title: str) -> bytes:
    """One A4 page per item, drawn by `draw`, as one PDF."""
    out = BytesIO()
    page = canvas.Canvas(out, pagesize=A4, pageCompression=1)
    page.setTitle(title)
    page.setCreator("trivsel")
    for item in items:
        draw(page, item)
        page.showPage()
    page.save()
    return out.getvalue()


@dataclass(frozen=True)
class Text:
    text: str
    font: str
    size: float
    colour: tuple[float, float, float] = BLACK
    centred: bool = True
    space_before: float = 0
    max_lines: int | None = None  # for text from data: a very long name must leave room for the QR code

    def lines(self) -> list[str]:
        lines = simpleSplit(self.text, self.font, self.size, TEXT_WIDTH) or [""]
        if self.max_lines is None or len(lines) <= self.max_lines:
            return lines
        last = lines[self.max_lines - 1]
        while last and pdfmetrics.stringWidth(last + " …", self.font, self.size) > TEXT_WIDTH:
            last = last[:-1]
        return [*lines[: self.max_lines - 1], last + " …"]

    def height(self) -> float:
        return self.space_before + len(self.lines()) * self.size * LEADING + self.size * 0.3

    def draw(self, page: canvas.Canvas, y: float) -> float:
        """Draw below y (the top of the block); return the y below it."""
        page.setFont(self.font, self.size)
        page.setFillColorRGB(*self.colour)
        y -= self.space_before
        for line in self.lines():
            y -= self.size * LEADING
            if self.centred:
                page.drawCentredString(A4[0] / 2, y, line)
            else:
                page.drawString(MARGIN, y, line)
        return y - self.size * 0.3


def sections(texts: dict[str, str]) -> list[Text]:
    """Headed paragraphs of explanation, left-aligned."""
    blocks = []
    for heading, body in texts.items():
        blocks += [
            Text(heading, BOLD, 13, ACCENT, centred=False, space_before=4 * mm),
            Text(body, REGULAR, 11.5, centred=False),
        ]
    return blocks


def draw_page(
    page: canvas.Canvas,
    top: list[Text],
    bottom: list[Text],
    qr_data: str,
    footer: str,
    qr_size: float,
    min_qr_size: float,
) -> None:
    """A coloured band, the top blocks below it, the bottom blocks above the footer, and the QR code as
    large as the space between them allows (a long name takes some of it)."""
    width, height = A4
    page.setFillColorRGB(*ACCENT)
    page.rect(0, height - BAND, width, BAND, stroke=0, fill=1)
    y = height - BAND - 8 * mm
    for block in top:
        y = block.draw(page, y)
    bottom_top = MARGIN + sum(block.height() for block in bottom)
    room = y - bottom_top - 4 * mm
    size = max(min(qr_size, room), min_qr_size)
    _qr(page, qr_data, (width - size) / 2, bottom_top + 2 * mm + (room - size) / 2, size)
    y = bottom_top
    for block in bottom:
        y = block.draw(page, y)
    page.setFont(REGULAR, 9)
    page.setFillColorRGB(*GREY)
    page.drawCentredString(width / 2, MARGIN / 2, footer)


def fitting_size(text: str, font: str, largest: float, smallest: float) -> float:
    """The text as large as fits on two lines, and never below `smallest`."""
    size = largest
    while size > smallest and len(simpleSplit(text, font, size, TEXT_WIDTH)) > 2:
        size -= 1
    return size


def link_size(link: str, largest: float = 9.0) -> float:
    """A link on one line, for those who type it: at most `largest`, and small print if it must."""
    size = largest
    while size > 6 and pdfmetrics.stringWidth(link, REGULAR, size) > TEXT_WIDTH:
        size -= 0.5
    return size


def _qr(page: canvas.Canvas, data: str, x: float, y: float, size: float) -> None:
    """The QR code (error correction M, so a crease or a pin still reads) as black squares in a white
    square of the given size, quiet zone included, with (x, y) its lower left corner."""
    code = segno.make(data, error="m", micro=False, boost_error=False)
    matrix = code.matrix
    module = size / (len(matrix) + 2 * QUIET_ZONE)
    page.setFillColorRGB(1, 1, 1)
    page.rect(x, y, size, size, stroke=0, fill=1)
    page.setFillColorRGB(0, 0, 0)
    top = y + size - QUIET_ZONE * module
    dark = page.beginPath()  # one filled path: no hairline seams between neighbouring modules
    for row, modules in enumerate(matrix):
        column = 0
        while column < len(modules):  # one rectangle per run of dark modules: a smaller file
            if not modules[column]:
                column += 1
                continue
            start = column
            while column < len(modules) and modules[column]:
                column += 1
            dark.rect(x + (QUIET_ZONE + start) * module, top - (row + 1) * module, (column - start) * module, module)
    page.drawPath(dark, stroke=0, fill=1)
