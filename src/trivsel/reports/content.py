"""A report's content, neutral of its format: headings, text, tables and charts in reading order.

The PDF (reports.pdf.render) flows the blocks over A4 pages; the slides (reports.slides.render) start a
slide at each section heading and continue a section on a new slide when it does not fit. Every string is
final text, numbers already written the Danish way; nothing in it is read as markup by either format.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import plotly.graph_objects as go


@dataclass(frozen=True)
class Title:
    """The report's title; what follows it up to the first section is the title page (slide)."""

    text: str


@dataclass(frozen=True)
class Section:
    """A section heading: a new slide, a heading in the PDF's flow."""

    text: str


@dataclass(frozen=True)
class Text:
    text: str
    style: str = "body"  # "body", "small" (notes) or "lead" (a heading's look inside a section)


@dataclass(frozen=True)
class Grid:
    """A table of text cells; `weights` are the columns' relative widths across the text width."""

    rows: list[list[str]]
    weights: list[float]
    header_rows: int = 1


@dataclass(frozen=True)
class Chart:
    figure: go.Figure
    width: float = 1.0  # a share of the text width


@dataclass(frozen=True)
class PageBreak:
    """A new PDF page (a slide starts at the next section anyway)."""


Block = Title | Section | Text | Grid | Chart | PageBreak


@dataclass
class Document:
    title: str  # the file's title
    footer: str  # on every page and slide, with its number
    blocks: list[Block] = field(default_factory=list)

    def charts(self) -> list[go.Figure]:
        return [block.figure for block in self.blocks if isinstance(block, Chart)]

    def add(self, *blocks: Block) -> Document:
        self.blocks.extend(blocks)
        return self
