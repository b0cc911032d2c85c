"""A report's content as PowerPoint slides (16:9), for MED meetings run from slides.

The title and what follows it make the first slide; each section starts a slide titled with its heading.
A section that does not fit goes on over slides titled "(fortsat)", a table with its header rows again.
Every slide carries the footer and "Side i af n". Text is set as plain runs (python-pptx escapes it);
characters XML cannot hold are dropped.
"""

from __future__ import annotations

import math
import re
from io import BytesIO

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import PP_ALIGN
from pptx.util import Emu, Inches, Pt

from trivsel.printing import ACCENT, GREY
from trivsel.reports import charts, content

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
LEFT = Inches(0.6)
BODY_TOP, BODY_BOTTOM = Inches(1.25), Inches(6.85)
BODY_WIDTH = WIDTH - 2 * LEFT
SIZES = {"body": 16, "small": 12, "lead": 20}
CELL_SIZE = 11
ROW_HEIGHT = Inches(0.3)  # a table row of one line at CELL_SIZE
MIN_CHART = Inches(2.6)  # a chart smaller than this goes on a slide of its own instead
MAX_CHART = Emu(int(0.45 * (BODY_BOTTOM - BODY_TOP)))  # room for its table and note below it
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _rgb(colour: tuple[float, float, float]) -> RGBColor:
    return RGBColor(*(round(255 * c) for c in colour))


def _clean(text: str) -> str:
    return _NOT_XML.sub("", str(text).replace("\u2009", "\u00a0"))


class _Deck:
    def __init__(self, footer: str):
        self.deck = Presentation()
        self.deck.slide_width, self.deck.slide_height = WIDTH, HEIGHT
        self.footer = footer
        self.title = ""
        self.slide = None
        self.top = BODY_TOP

    def new_slide(self, title: str, size: int = 28) -> None:
        self.slide = self.deck.slides.add_slide(self.deck.slide_layouts[6])  # blank
        band = self.slide.shapes.add_shape(1, 0, 0, WIDTH, Inches(0.18))  # a rectangle: the accent band
        band.fill.solid()
        band.fill.fore_color.rgb = _rgb(ACCENT)
        band.line.fill.background()
        self._box(title, LEFT, Inches(0.35), BODY_WIDTH, Inches(0.8), size, bold=True, colour=ACCENT)
        self.title, self.top = title, BODY_TOP

    def go_on(self) -> None:
        """The section goes on over a new slide."""
        title = self.title if self.title.endswith("(fortsat)") else f"{self.title} (fortsat)"
        self.new_slide(title)

    def room(self) -> int:
        return BODY_BOTTOM - self.top

    def _box(self, text: str, left, top, width, height, size: int, bold=False, colour=None, align=None):
        frame = self.slide.shapes.add_textbox(left, top, width, height).text_frame
        frame.word_wrap = True
        paragraph = frame.paragraphs[0]
        if align is not None:
            paragraph.alignment = align
        run = paragraph.add_run()
        run.text = _clean(text)
        run.font.size, run.font.bold = Pt(size), bold
        if colour:
            run.font.color.rgb = _rgb(colour)
        return frame

    def text(self, text: str, style: str) -> None:
        size = SIZES[style]
        per_line = max(1, int(BODY_WIDTH / Pt(size * 0.5)))  # characters of an average width
        height = Emu(int(Pt(size * 1.25) * max(1, math.ceil(len(text) / per_line)) + Inches(0.15)))
        if height > self.room() and self.top > BODY_TOP:
            self.go_on()
        colour = GREY if style == "small" else ACCENT if style == "lead" else None
        self._box(text, LEFT, self.top, BODY_WIDTH, height, size, bold=style == "lead", colour=colour)
        self.top += height

    def grid(self, block: content.Grid) -> None:
        header, body = block.rows[: block.header_rows], block.rows[block.header_rows :]
        while True:
            fits = int(self.room() / ROW_HEIGHT) - len(header)
            if fits < min(3, len(body)) and self.top > BODY_TOP:
                self.go_on()
                continue
            part, body = body[: max(fits, 1)], body[max(fits, 1) :]
            self._table(header + part, block.weights, len(header))
            if not body:
                return
            self.go_on()

    def _table(self, rows: list[list[str]], weights: list[float], header_rows: int) -> None:
        height = ROW_HEIGHT * len(rows)
        table = self.slide.shapes.add_table(len(rows), len(weights), LEFT, self.top, BODY_WIDTH, height).table
        for i, weight in enumerate(weights):
            table.columns[i].width = Emu(int(BODY_WIDTH * weight / sum(weights)))
        for r, row in enumerate(rows):
            table.rows[r].height = ROW_HEIGHT
            for c, value in enumerate(row):
                frame = table.cell(r, c).text_frame
                frame.word_wrap = True
                run = frame.paragraphs[0].add_run()
                run.text = _clean(value)
                run.font.size, run.font.bold = Pt(CELL_SIZE), r < header_rows
        self.top += height + Inches(0.15)

    def picture(self, png: bytes, chart, share: float) -> None:
        width = Emu(int(BODY_WIDTH * share))
        height = Emu(int(width * charts.height(chart) / charts.WIDTH))
        if height > MAX_CHART:
            width, height = Emu(int(width * MAX_CHART / height)), MAX_CHART
        if height > self.room() and self.room() < MIN_CHART and self.top > BODY_TOP:
            self.go_on()
        if height > self.room():  # smaller, its aspect kept
            width, height = Emu(int(width * self.room() / height)), self.room()
        self.slide.shapes.add_picture(BytesIO(png), LEFT + (BODY_WIDTH - width) // 2, self.top, width, height)
        self.top += height + Inches(0.1)

    def number(self) -> bytes:
        slides = list(self.deck.slides)
        for i, slide in enumerate(slides, 1):
            self.slide = slide
            self._box(self.footer, LEFT, Inches(7.0), BODY_WIDTH - Inches(2), Inches(0.35), 10, colour=GREY)
            self._box(
                f"Side {i} af {len(slides)}",
                WIDTH - LEFT - Inches(2),
                Inches(7.0),
                Inches(2),
                Inches(0.35),
                10,
                colour=GREY,
                align=PP_ALIGN.RIGHT,
            )
        out = BytesIO()
        self.deck.save(out)
        return out.getvalue()


def render(doc: content.Document) -> bytes:
    """A report's content as a .pptx file, its charts drawn in one browser."""
    pictures = iter(charts.images(doc.charts()))
    deck = _Deck(doc.footer)
    deck.deck.core_properties.title = _clean(doc.title)
    for block in doc.blocks:
        match block:
            case content.Title(text=title):
                deck.new_slide(title, size=36)
                deck.top = Inches(1.6)
            case content.Section(text=name):
                deck.new_slide(name)
            case content.Text(text=body, style=style):
                deck.text(body, style)
            case content.Grid():
                deck.grid(block)
            case content.Chart(figure=chart, width=share):
                deck.picture(next(pictures), chart, share)
            case content.PageBreak():
                pass  # a slide starts at the next section anyway
    return deck.number()
