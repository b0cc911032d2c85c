"""The nudge e-mail to a leader: their units' response rates as Målinger shows them, and the staff links.

The rates are views.surveys.response_rates, the protected table Målinger shows, cut down to the leader's
subtree (showing less never reveals more): a unit hidden there is hidden here, and no count of it is
written. Nothing else about the answers goes in: no score, no answer, no comment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from trivsel import config, nudges, org
from trivsel.disclosure import Protected
from trivsel.formats import danish_number
from trivsel.store import Store
from trivsel.surveys import rounds
from trivsel.views.surveys import response_rates

MY_UNIT_PATH = "/min-enhed"  # the page with the posters (ui/navigation)


@dataclass(frozen=True)
class RoundFacts:
    """What every leader's e-mail about one round is made from, read once per run."""

    rnd: rounds.Round
    rates: Protected
    taking_part: set[str]
    links: dict[str, str]  # unit id -> staff link, for units taking part in a link round
    depth: dict[str, int]


def round_facts(store: Store, rnd: rounds.Round) -> RoundFacts:
    taking_part = set(rounds.units_of_rounds(store, [rnd.round_id])["unit_id"])
    links = {}
    if rnd.access == "link":
        staff = org.staff_links(store)
        links = dict(zip(staff["unit_id"], staff["link"]))
    units = org.units(store)
    return RoundFacts(rnd, response_rates(store, rnd), taking_part, links, dict(zip(units["unit_id"], units["depth"])))


def leader_units(store: Store, facts: RoundFacts, leader: nudges.Leader) -> set[str]:
    """The leader's subtree, when any unit of it takes part in the round; else empty."""
    scope = set(org.subtree_ids(store, leader.unit_id))
    return scope if scope & facts.taking_part else set()


def compose(facts: RoundFacts, kind: str, scope: set[str], today: date) -> tuple[str, str]:
    """Subject and plain-text body of the nudge `kind` to a leader who sees the units in `scope`."""
    rnd = facts.rnd
    closes = f"{rnd.closes_on:%d-%m-%Y}"
    days_left = (rnd.closes_on - today).days
    subject, opening = {
        nudges.START: (
            f"Målingen '{rnd.label}' er åbnet",
            f"Målingen '{rnd.label}' er åbnet i dine enheder. Der kan svares til og med {closes}.",
        ),
        nudges.MIDWAY: (
            f"Målingen '{rnd.label}' er halvvejs",
            f"Målingen '{rnd.label}' er halvvejs. Der kan svares til og med {closes}.",
        ),
        nudges.BEFORE_CLOSE: (
            f"Målingen '{rnd.label}' lukker {closes}",
            (
                f"Målingen '{rnd.label}' lukker om {days_left} {'dag' if days_left == 1 else 'dage'}: der kan "
                f"svares til og med {closes}. Mind gerne medarbejderne om at svare."
            ),
        ),
    }[kind]
    rates = facts.rates.subset(facts.rates.table["unit_id"].isin(scope))
    lines = [
        "Hej",
        "",
        opening,
        "",
        "Svarprocent lige nu (svar i forhold til ansatte, da runden åbnede):",
        "",
        *_rate_lines(rates, facts.depth),
        "",
        f"Enheder med {rates.hidden_label()} vises ikke, og heller ikke enheder, hvis tal ville afsløre dem.",
        "",
        *_link_lines(facts, scope),
        (
            "Mailen indeholder aldrig svar eller resultater, kun hvor mange der har svaret. Resultaterne kan ses "
            "i trivsel, når runden er lukket."
        ),
        "",
        "Venlig hilsen",
        "Trivsel (automatisk mail, som ikke kan besvares)",
    ]
    return subject, "\n".join(lines) + "\n"


def _rate_lines(rates: Protected, depth: dict[str, int]) -> list[str]:
    table = rates.table
    top = min((depth[u] for u in table["unit_id"]), default=0)
    lines = []
    for row in table.itertuples(index=False):
        indent = "  " * (depth[row.unit_id] - top)
        if row.suppressed:
            figure = "vises ikke"
        else:
            rate = "–" if pd.isna(row.rate_pct) else f"{danish_number(row.rate_pct, 0)} %"
            figure = (
                f"{danish_number(row.responses, 0)} af {danish_number(row.persons_at_start, 0)} ansatte "
                f"har svaret ({rate})"
            )
        lines.append(f"{indent}{row.unit_name}: {figure}")
    return lines


def _link_lines(facts: RoundFacts, scope: set[str]) -> list[str]:
    if facts.rnd.access != "link":
        return ["Runden bruger engangskoder, som trivselskonsulenten deler ud til medarbejderne.", ""]
    mine = [(u, link) for u, link in facts.links.items() if u in scope and u in facts.taking_part]
    names = {row.unit_id: row.unit_name for row in facts.rates.table.itertuples(index=False)}
    return [
        "Medarbejderne svarer via enhedens link. Del linket, eller hæng plakaten med QR-koden op i personalestuen:",
        *(f"  {names.get(u, u)}: {link}" for u, link in sorted(mine, key=lambda p: names.get(p[0], p[0]))),
        f"Plakaterne kan hentes under Min enhed: {config.base_url()}{MY_UNIT_PATH}",
        "",
    ]
