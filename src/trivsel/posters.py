"""A4 posters with a QR code to a unit's staff link, for the staff room: care staff rarely have a desk
or a work e-mail, so the link has to reach them on a wall.

The QR code holds exactly the unit's link. It is drawn as vector squares (segno gives the modules), and
the text uses the reports' fonts (reports.pdf: Bitstream Vera, shipped with ReportLab). Text from data (unit
and round names) is drawn as plain strings, never as ReportLab markup.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from io import BytesIO

import segno
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

from trivsel import org
from trivsel.reports.pdf import ACCENT, BAND, BLACK, BOLD, GREY, MARGIN, REGULAR, TEXT_WIDTH
from trivsel.store import Store
from trivsel.surveys import rounds

LEADING = 1.25
QR_SIZE, MIN_QR_SIZE = 95 * mm, 55 * mm  # with the quiet zone; 95 mm reads from about a metre
QUIET_ZONE = 4  # modules of white around the code, as the QR standard asks

TITLE = "Hvordan har du det på arbejdet?"
NO_ROUND = "Her finder du jeres spørgeskema, når der er en måling i gang."
SCAN = "Scan koden med mobilens kamera"
SECTIONS = {
    "Hvad er det?": (
        "Et kort spørgeskema om, hvordan du har det på arbejdet: arbejdsglæde, samarbejde, ledelse og "
        "arbejdsmiljø. Svarene bruges til at gøre arbejdspladsen bedre."
    ),
    "Er det anonymt?": (
        "Ja. Du skal ikke logge ind, og hverken dit navn, tidspunktet eller din IP-adresse gemmes sammen med "
        "svarene. Resultater vises kun for grupper, der er store nok til, at ingen kan genkendes."
    ),
    "Sådan gør du": (
        "Åbn kameraet på din mobil, og hold det over QR-koden. Tryk på linket, der kommer frem, og svar på "
        "spørgsmålene. Via samme link kan I også bede om gruppesupervision."
    ),
}
FOOTER = "Linket gælder kun for denne enhed. Del det ikke med andre."


class PosterError(ValueError):
    """No poster can be made; the message is Danish."""


@dataclass(frozen=True)
class Poster:
    unit_name: str
    link: str
    round_label: str | None = None
    opens_on: date | None = None  # only for a round that has not opened yet
    closes_on: date | None = None

    def round_line(self) -> str | None:
        if self.round_label is None:
            return None
        opening = f"Åbner {self.opens_on:%d-%m-%Y}" if self.opens_on else "Åben nu"
        return f"{opening} – svar senest {self.closes_on:%d-%m-%Y}"


def _round_problem(rnd: rounds.Round, today: date) -> str | None:
    if rnd.access == "code":
        return f"Runden '{rnd.label}' bruger engangskoder; enhedens link åbner den ikke."
    if rnd.access != "link":
        return f"Runden '{rnd.label}' er importeret og kan ikke besvares."
    if rnd.status(today) == "lukket":
        return f"Runden '{rnd.label}' er lukket."
    return None


def _with_round(unit_name: str, link: str, rnd: rounds.Round | None, today: date) -> Poster:
    if rnd is None:
        return Poster(unit_name, link)
    opens_on = rnd.opens_on if rnd.status(today) == "planlagt" else None
    return Poster(unit_name, link, rnd.label, opens_on, rnd.closes_on)


def unit_poster(store: Store, unit_id: str, today: date, rnd: rounds.Round | None = None) -> Poster:
    """The poster of one unit: with the given round, or else with the open link round its link opens
    (the one the staff page shows, closing first), if any."""
    table = org.staff_links(store).set_index("unit_id")
    if unit_id not in table.index:
        raise PosterError(f"Enheden '{unit_id}' findes ikke eller har intet aktivt link.")
    name, link = table.at[unit_id, "unit_name"], table.at[unit_id, "link"]
    if rnd is None:
        open_rounds = rounds.open_link_rounds(store, unit_id, today)
        return _with_round(name, link, open_rounds[0] if open_rounds else None, today)
    problem = _round_problem(rnd, today)
    if problem:
        raise PosterError(problem)
    if unit_id not in set(rounds.units_of_rounds(store, [rnd.round_id])["unit_id"]):
        raise PosterError(f"Enheden {name} er ikke med i runden '{rnd.label}'.")
    return _with_round(name, link, rnd, today)


def round_posters(store: Store, rnd: rounds.Round, today: date) -> list[Poster]:
    """One poster for every unit of an open or planned link round, by unit name."""
    problem = _round_problem(rnd, today)
    if problem:
        raise PosterError(problem)
    table = org.staff_links(store)
    table = table[table["unit_id"].isin(rounds.units_of_rounds(store, [rnd.round_id])["unit_id"])]
    return [_with_round(name, link, rnd, today) for name, link in zip(table["unit_name"], table["link"])]


def pdf(posters: Iterable[Poster]) -> bytes:
    """The posters as one PDF, an A4 page each."""
    out = BytesIO()
    page = canvas.Canvas(out, pagesize=A4, pageCompression=1)
    page.setTitle("Plakat med QR-kode")
    page.setCreator("trivsel")
    for poster in posters:
        _draw(page, poster)
        page.showPage()
    page.save()
    return out.getvalue()


@dataclass(frozen=True)
class _Text:
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


def _draw(page: canvas.Canvas, poster: Poster) -> None:
    """Heading and round at the top, the explanations at the bottom, and the QR code as large as the
    space between them allows (a long unit name takes some of it)."""
    width, height = A4
    round_line = poster.round_line()
    top = [
        _Text(TITLE, BOLD, 24, ACCENT),
        _Text(poster.unit_name, BOLD, _fitting_size(poster.unit_name), space_before=2 * mm, max_lines=3),
        *(
            [
                _Text(poster.round_label, BOLD, 18, ACCENT, space_before=2 * mm, max_lines=2),
                _Text(round_line, REGULAR, 16),
            ]
            if round_line
            else [_Text(NO_ROUND, REGULAR, 14, space_before=2 * mm)]
        ),
    ]
    bottom = [_Text(SCAN, BOLD, 16), _Text(poster.link, REGULAR, _link_size(poster.link), GREY)]
    for heading, body in SECTIONS.items():
        bottom += [
            _Text(heading, BOLD, 13, ACCENT, centred=False, space_before=4 * mm),
            _Text(body, REGULAR, 11.5, centred=False),
        ]

    page.setFillColorRGB(*ACCENT)
    page.rect(0, height - BAND, width, BAND, stroke=0, fill=1)
    y = height - BAND - 8 * mm
    for block in top:
        y = block.draw(page, y)
    bottom_top = MARGIN + sum(block.height() for block in bottom)
    room = y - bottom_top - 4 * mm
    size = max(min(QR_SIZE, room), MIN_QR_SIZE)
    _qr(page, poster.link, (width - size) / 2, bottom_top + 2 * mm + (room - size) / 2, size)
    y = bottom_top
    for block in bottom:
        y = block.draw(page, y)
    page.setFont(REGULAR, 9)
    page.setFillColorRGB(*GREY)
    page.drawCentredString(width / 2, MARGIN / 2, FOOTER)


def _fitting_size(name: str) -> float:
    """The unit's name as large as fits on two lines, and never below 16 pt."""
    size = 30.0
    while size > 16 and len(simpleSplit(name, BOLD, size, TEXT_WIDTH)) > 2:
        size -= 1
    return size


def _link_size(link: str) -> float:
    """The link in small print on one line, for those who type it."""
    size = 9.0
    while size > 6 and pdfmetrics.stringWidth(link, REGULAR, size) > TEXT_WIDTH:
        size -= 0.5
    return size


def _qr(page: canvas.Canvas, link: str, x: float, y: float, size: float) -> None:
    """The QR code (error correction M, so a crease or a pin still reads) as black squares in a white
    square of the given size, quiet zone included, with (x, y) its lower left corner."""
    code = segno.make(link, error="m", micro=False, boost_error=False)
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
