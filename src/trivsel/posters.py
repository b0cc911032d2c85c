"""A4 posters with a QR code to a unit's staff link, for the staff room: care staff rarely have a desk
or a work e-mail, so the link has to reach them on a wall.

The QR code holds exactly the unit's link; the page is laid out by `printing`, shared with the code letters.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from trivsel import org, printing
from trivsel.printing import ACCENT, BOLD, GREY, REGULAR, Text
from trivsel.store import Store
from trivsel.surveys import rounds

QR_SIZE, MIN_QR_SIZE = 95 * mm, 55 * mm  # with the quiet zone; 95 mm reads from about a metre

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
        return None if self.round_label is None else printing.round_line(self.opens_on, self.closes_on)


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
    return printing.a4_pdf(posters, _draw, "Plakat med QR-kode")


def _draw(page: canvas.Canvas, poster: Poster) -> None:
    round_line = poster.round_line()
    top = [
        Text(printing.TITLE, BOLD, 24, ACCENT),
        Text(
            poster.unit_name,
            BOLD,
            printing.fitting_size(poster.unit_name, BOLD, 30, 16),
            space_before=2 * mm,
            max_lines=3,
        ),
        *(
            [
                Text(poster.round_label, BOLD, 18, ACCENT, space_before=2 * mm, max_lines=2),
                Text(round_line, REGULAR, 16),
            ]
            if round_line
            else [Text(NO_ROUND, REGULAR, 14, space_before=2 * mm)]
        ),
    ]
    bottom = [
        Text(SCAN, BOLD, 16),
        Text(poster.link, REGULAR, printing.link_size(poster.link), GREY),
        *printing.sections(SECTIONS),
    ]
    printing.draw_page(page, top, bottom, poster.link, FOOTER, QR_SIZE, MIN_QR_SIZE)
