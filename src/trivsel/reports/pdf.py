"""The reports' documents: the house style of `printing` (fonts, colours, margins) as flowing A4 pages,
each carrying its scope, the date and "Side i af n".

Text from data goes through `text()`: ReportLab's Paragraph reads markup, so it is escaped first.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from io import BytesIO

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas
from reportlab.platypus import Flowable, Image, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from trivsel.printing import ACCENT, BAND, BOLD, GREY, MARGIN, REGULAR, TEXT_WIDTH
from trivsel.reports import charts, content

BODY = ParagraphStyle("body", fontName=REGULAR, fontSize=9.5, leading=12.5, spaceAfter=4)
SMALL = ParagraphStyle("small", parent=BODY, fontSize=8, leading=10, textColor=colors.Color(*GREY))
CELL = ParagraphStyle("cell", parent=BODY, fontSize=7.5, leading=9, spaceAfter=0)
HEADING = ParagraphStyle(
    "heading",
    fontName=BOLD,
    fontSize=13,
    leading=16,
    spaceBefore=10,
    spaceAfter=5,
    textColor=colors.Color(*ACCENT),
    keepWithNext=1,  # never alone at the foot of a page
)
TITLE = ParagraphStyle("title", parent=HEADING, fontSize=20, leading=24, spaceBefore=0)


def plain(value: str) -> str:
    """A string as Vera can draw it: the thin space between thousands (figures.danish_number) is not in the
    font, so it becomes a no-break space, which keeps a number on one line."""
    return str(value).replace("\u2009", "\u00a0")


def text(value: str, style: ParagraphStyle = BODY) -> Paragraph:
    """A paragraph of text as typed: no markup is read from it."""
    return Paragraph(html.escape(plain(value), quote=False), style)


def heading(value: str) -> Paragraph:
    return text(value, HEADING)


def table(rows: Sequence[Sequence[str]], widths: Sequence[float], header_rows: int = 1) -> Table:
    """A grid of text cells (each wrapped in its column), the header rows in bold on the accent tint."""
    bold = ParagraphStyle("cell_bold", parent=CELL, fontName=BOLD)
    cells = [[text(c, bold if i < header_rows else CELL) for c in row] for i, row in enumerate(rows)]
    grid = Table(cells, colWidths=list(widths), repeatRows=header_rows)
    grid.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.Color(0.90, 0.93, 0.97)),
                ("GRID", (0, 0), (-1, -1), 0.3, colors.Color(0.75, 0.75, 0.75)),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 2.5),
                ("RIGHTPADDING", (0, 0), (-1, -1), 2.5),
            ]
        )
    )
    return grid


def image(png: bytes, width_px: int, height_px: int, width: float = TEXT_WIDTH) -> Image:
    """A chart image (PNG) scaled to the given width, its aspect kept."""
    return Image(BytesIO(png), width=width, height=width * height_px / width_px)


def space(height: float = 3 * mm) -> Spacer:
    return Spacer(1, height)


def document(flowables: list[Flowable], title: str, footer: str) -> bytes:
    """An A4 PDF: the accent band on top, and `footer` with "Side i af n" at the bottom of every page."""
    out = BytesIO()

    class Numbered(canvas.Canvas):
        """Holds each page until the end, when the number of pages is known."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages = []

        def showPage(self):  # ReportLab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            for number, state in enumerate(self._pages, 1):
                self.__dict__.update(state)
                _frame(self, footer, f"Side {number} af {len(self._pages)}")
                super().showPage()
            super().save()

    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=BAND + 10 * mm,
        bottomMargin=MARGIN + 4 * mm,
        title=plain(title),
        creator="trivsel",
        pageCompression=1,
    )
    doc.build(flowables, canvasmaker=Numbered)
    return out.getvalue()


def render(doc: content.Document) -> bytes:
    """A report's content as an A4 PDF, its charts drawn in one browser."""
    pictures = iter(charts.images(doc.charts()))
    styles = {"body": BODY, "small": SMALL, "lead": HEADING}
    flowables: list[Flowable] = []
    for block in doc.blocks:
        match block:
            case content.Title(text=title):
                flowables.append(text(title, TITLE))
            case content.Section(text=name):
                flowables.append(heading(name))
            case content.Text(text=body, style=style):
                flowables.append(text(body, styles[style]))
            case content.Grid(rows=rows, weights=weights, header_rows=header_rows):
                flowables.append(table(rows, [TEXT_WIDTH * w / sum(weights) for w in weights], header_rows))
            case content.Chart(figure=chart, width=share):
                flowables.append(image(next(pictures), charts.WIDTH, charts.height(chart), TEXT_WIDTH * share))
            case content.PageBreak():
                flowables.append(PageBreak())
    return document(flowables, doc.title, doc.footer)


def _frame(page: canvas.Canvas, footer: str, number: str) -> None:
    width, height = A4
    page.setFillColorRGB(*ACCENT)
    page.rect(0, height - BAND, width, BAND, stroke=0, fill=1)
    page.setFont(REGULAR, 8)
    page.setFillColorRGB(*GREY)
    page.setStrokeColorRGB(0.75, 0.75, 0.75)
    page.line(MARGIN, MARGIN + 1 * mm, width - MARGIN, MARGIN + 1 * mm)
    line = plain(footer)
    while line and pdfmetrics.stringWidth(line, REGULAR, 8) > TEXT_WIDTH - 25 * mm:
        line = line[:-2] + "…"  # a very long unit name must leave room for the page number
    page.drawString(MARGIN, MARGIN - 3 * mm, line)
    page.drawRightString(width - MARGIN, MARGIN - 3 * mm, number)
