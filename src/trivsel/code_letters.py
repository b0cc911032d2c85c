"""Printed letters for a round with one-time codes: one A4 page per code, to hand to each employee. The
code is in large print for typing, and the QR code opens the staff page with the code filled in, so the QR
code is as secret as the code itself (it is the same key, and it works once).

The codes exist in clear text only in the creator's session until they confirm they are saved; the letters
are made from that table at the download and never stored. Page layout: `printing`, shared with the posters.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

import pandas as pd
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from trivsel import config, printing
from trivsel.printing import ACCENT, BOLD, GREY, REGULAR, Text
from trivsel.surveys.rounds import Round

CODE_FONT = "Courier-Bold"  # one of the PDF standard fonts: every character of a code equally wide
QR_SIZE, MIN_QR_SIZE = 60 * mm, 40 * mm  # held in the hand: smaller than on a poster

YOUR_CODE = "Din personlige kode"
SCAN = "Scan QR-koden med mobilen – så er koden skrevet ind for dig"
TYPE_IT = "Eller åbn denne adresse, og skriv koden:"
SECTIONS = {
    "Sådan svarer du": (
        "Åbn kameraet på din mobil, hold det over QR-koden, og tryk på linket: spørgeskemaet åbner med din kode "
        "skrevet ind. Du kan også åbne adressen ovenfor på en mobil eller computer og skrive koden. Dine svar "
        "gemmes undervejs, så du kan fortsætte senere med samme kode."
    ),
    "Er det anonymt?": (
        "Ja. Koden er ikke knyttet til dit navn i systemet, og hverken dit navn, koden, tidspunktet eller din "
        "IP-adresse gemmes sammen med svarene. Resultater vises kun for grupper, der er store nok til, at ingen "
        "kan genkendes."
    ),
    "Koden virker én gang": (
        "Når du har sendt dine svar, kan koden ikke bruges igen. Den er kun til dig: giv den ikke videre, og "
        "vis ikke QR-koden til andre."
    ),
}
FOOTER = "Smid brevet ud, når du har svaret: QR-koden indeholder din kode."


@dataclass(frozen=True)
class Letter:
    unit_name: str
    round_label: str
    code: str
    link: str  # the staff page with the code filled in
    opens_on: date | None  # only for a round that has not opened yet
    closes_on: date

    def round_line(self) -> str:
        return printing.round_line(self.opens_on, self.closes_on)


def code_link(code: str) -> str:
    """The staff page with the code filled in (the page reads ?kode=)."""
    return f"{config.staff_page_url()}?{urlencode({'kode': code})}"


def round_letters(rnd: Round, codes: pd.DataFrame, today: date) -> list[Letter]:
    """One letter per code of a newly created round (the table create_round returns), in its order."""
    opens_on = rnd.opens_on if rnd.status(today) == "planlagt" else None
    return [
        Letter(unit_name, rnd.label, code, code_link(code), opens_on, rnd.closes_on)
        for unit_name, code in zip(codes["unit_name"], codes["code"])
    ]


def pdf(letters: Iterable[Letter]) -> bytes:
    """The letters as one PDF, an A4 page each."""
    return printing.a4_pdf(letters, _draw, "Breve med engangskoder")


def _draw(page: canvas.Canvas, letter: Letter) -> None:
    address = config.staff_page_url()
    top = [
        Text(printing.TITLE, BOLD, 22, ACCENT),
        Text(
            letter.unit_name,
            BOLD,
            printing.fitting_size(letter.unit_name, BOLD, 24, 14),
            space_before=2 * mm,
            max_lines=2,
        ),
        Text(letter.round_label, BOLD, 16, ACCENT, space_before=2 * mm, max_lines=2),
        Text(letter.round_line(), REGULAR, 14),
        Text(YOUR_CODE, REGULAR, 13, GREY, space_before=5 * mm),
        Text(letter.code, CODE_FONT, 44),
    ]
    bottom = [
        Text(SCAN, BOLD, 13),
        Text(TYPE_IT, REGULAR, 11, space_before=2 * mm),
        Text(address, REGULAR, printing.link_size(address, largest=12)),
        *printing.sections(SECTIONS),
    ]
    printing.draw_page(page, top, bottom, letter.link, FOOTER, QR_SIZE, MIN_QR_SIZE)
