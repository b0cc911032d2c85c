"""Raw supervision aggregates: requests per unit (over its subtree), topic and month, with median days
to the first answer and to the first planned session.

These figures are not yet protected. Pages and exports take them from
`trivsel.views.supervision`, which passes them through the disclosure rules.
No free text and no contact details are read here.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from trivsel import org
from trivsel.store import Store

TOTAL = "I alt"
FIGURES = ["requests", "responded", "median_days_to_first_response", "with_session", "median_days_to_first_session"]


def request_facts(store: Store, period_from: date, period_to: date) -> pd.DataFrame:
    """One row per request that came in during the period: unit, topic, month and the two delays in days."""
    frame = store.query_df(
        """SELECT r.unit_id, r.topic, r.created_on,
                  datediff('day', r.created_on, r.first_response_on) AS days_to_first_response,
                  datediff('day', r.created_on, min(s.session_date)) AS days_to_first_session
           FROM supervision_requests r LEFT JOIN supervision_sessions s USING (request_id)
           WHERE r.created_on BETWEEN ? AND ?
           GROUP BY r.request_id, r.unit_id, r.topic, r.created_on, r.first_response_on""",
        [period_from, period_to],
    )
    frame["month"] = pd.to_datetime(frame["created_on"]).dt.strftime("%Y-%m")
    return frame


def _figures(rows: pd.DataFrame) -> dict:
    response = rows["days_to_first_response"].dropna()
    session = rows["days_to_first_session"].dropna()
    return {
        "requests": len(rows),
        "responded": len(response),
        "median_days_to_first_response": float(response.median()) if len(response) else None,
        "with_session": len(session),
        "median_days_to_first_session": float(session.median()) if len(session) else None,
    }


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.astype(
        {
            "requests": "int64",
            "responded": "int64",
            "with_session": "int64",
            "median_days_to_first_response": "float64",
            "median_days_to_first_session": "float64",
        }
    )


def by_unit(store: Store, period_from: date, period_to: date) -> pd.DataFrame:
    """Every unit of the tree with the requests from it and everything under it (`own`: from it alone)."""
    facts = request_facts(store, period_from, period_to)
    units = org.units(store)
    parent = dict(zip(units["unit_id"], units["parent_id"]))
    pairs = []
    for index, unit_id in facts["unit_id"].items():
        node = unit_id if unit_id in parent else None
        while isinstance(node, str):
            pairs.append((index, node))
            node = parent.get(node)
    links = pd.DataFrame(pairs, columns=["row", "ancestor"])
    # Each request once under each of its ancestors, grouped in one go (a loop over ~900 units took 0.6 s).
    under = facts.loc[links["row"]].assign(ancestor=links["ancestor"].to_numpy()).groupby("ancestor")
    figures = pd.DataFrame(
        {
            "own": facts.groupby("unit_id").size(),
            "requests": under.size(),
            "responded": under["days_to_first_response"].count(),
            "median_days_to_first_response": under["days_to_first_response"].median(),
            "with_session": under["days_to_first_session"].count(),
            "median_days_to_first_session": under["days_to_first_session"].median(),
        }
    )
    table = units[["unit_id", "unit_name", "parent_id", "depth"]].merge(
        figures, left_on="unit_id", right_index=True, how="left"
    )
    counts = ["own", "requests", "responded", "with_session"]
    table[counts] = table[counts].fillna(0)
    return _typed(table)[["unit_id", "unit_name", "parent_id", "depth", "own", *FIGURES]]


def by_topic(store: Store, period_from: date, period_to: date, topics: list[str]) -> pd.DataFrame:
    """The total ("I alt") and one row per topic (the given ones, plus any other found), topics under the total."""
    facts = request_facts(store, period_from, period_to)
    keys = list(topics) + sorted(set(facts["topic"]) - set(topics))
    rows = [{"key": TOTAL, "parent": None, **_figures(facts)}]
    rows += [{"key": k, "parent": TOTAL, **_figures(facts[facts["topic"] == k])} for k in keys]
    return _typed(pd.DataFrame(rows))


def months(period_from: date, period_to: date) -> list[str]:
    return [p.strftime("%Y-%m") for p in pd.period_range(period_from, period_to, freq="M")]


def by_month(store: Store, period_from: date, period_to: date) -> pd.DataFrame:
    """The total ("I alt") and one row per calendar month the period touches, months under the total."""
    facts = request_facts(store, period_from, period_to)
    rows = [{"key": TOTAL, "parent": None, **_figures(facts)}]
    rows += [
        {"key": m, "parent": TOTAL, **_figures(facts[facts["month"] == m])} for m in months(period_from, period_to)
    ]
    return _typed(pd.DataFrame(rows))
