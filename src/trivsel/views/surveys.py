"""Survey results for pages and exports: rolled up over each unit's subtree, then protected."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

import pandas as pd

from trivsel import org, settings
from trivsel.disclosure import Protected, protect, visible_comments, withheld
from trivsel.scoring import scores
from trivsel.store import Store
from trivsel.store.memo import memoised, memoised_each
from trivsel.surveys import responses, rounds
from trivsel.surveys.definitions import Survey

EXPORT_COLUMNS = ["unit_id", "unit_name", "round", "respondents", "measure", "score", "suppressed"]
NOUN = "svar"


def _links(units: pd.DataFrame, unit_ids) -> pd.DataFrame:
    """(descendant, ancestor) for each given unit and every unit above it, itself included."""
    parent = dict(zip(units["unit_id"], units["parent_id"]))
    pairs = []
    for unit_id in unit_ids:
        node = unit_id
        while isinstance(node, str):
            pairs.append((unit_id, node))
            node = parent.get(node)
    return pd.DataFrame(pairs, columns=["descendant", "ancestor"]).drop_duplicates()


def _tree(store: Store, unit_ids: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The given units with all their ancestors (tree order), and a (descendant, ancestor) map."""
    units = org.units(store)
    links = _links(units, unit_ids)
    return units[units["unit_id"].isin(links["ancestor"])], links


# Shares are means of 0/100 indicators per respondent, so they roll up like every other mean.
# The cut-offs are scoring's own (who5_band, stay_share), applied to one respondent at a time.
SHARE_MEASURES = {
    "who5_below_50": ("who5", lambda v: 100.0 * (scores.who5_band(v) != "ok")),
    "who5_28_or_less": ("who5", lambda v: 100.0 * (scores.who5_band(v) == "depression_risk")),
    "stay_share": ("stay_value", lambda v: scores.stay_share([v])),
}


def measure_ids(survey: Survey) -> list[str]:
    """Every measure a summary holds: WHO-5 and its bands, the dimensions, intention to stay, eNPS."""
    return ["who5", *SHARE_MEASURES, *survey.dimensions, "enps"]


def export_measures(survey: Survey) -> list[str]:
    return ["who5", *survey.dimensions, "enps"]


RAW_ANSWERS = ["stay_value", "enps_value"]


class Respondents(NamedTuple):
    """One round's respondents. Kept for the figures made from them; never shown or exported as rows."""

    # One row per respondent: round_id, unit_id, each measure (NaN where not answered) and the raw answers
    # to the stay and recommend questions (RAW_ANSWERS).
    measures: pd.DataFrame
    asked: set[str]  # the numeric items anyone answered (older rounds asked fewer)


def respondents(store: Store, survey: Survey, rnds: list[rounds.Round]) -> dict[str, Respondents]:
    """Per round id, the round's respondents; rounds not kept yet are read together, in one pass."""
    return memoised_each(
        store,
        "surveys.respondents",
        (survey.id, survey.version),
        [r.round_id for r in rnds],
        lambda missing: _respondents(store, survey, missing),
    )


def _respondents(store: Store, survey: Survey, round_ids: list[str]) -> dict[str, Respondents]:
    answers = responses.responses_of_rounds(store, round_ids)
    items = answers.columns.drop(["round_id", "response_id", "unit_id"])
    per_person = scores.respondent_scores(answers, survey).assign(round_id=answers["round_id"].to_numpy())
    for measure, (source, indicator) in SHARE_MEASURES.items():
        values = per_person[source].astype(float)
        # A score takes few distinct values (WHO-5: 26), so the rule runs once per value, not per person.
        per_person[measure] = values.map({v: indicator(v) for v in values.dropna().unique()})
    # One respondent's eNPS is +100, -100 or 0 (scoring's own rule, applied to one answer), so a unit's
    # eNPS is the mean of these and rolls up like every other mean.
    recommend = per_person["enps_value"].astype(float)
    per_person["enps"] = recommend.map({v: scores.enps([v]) for v in recommend.dropna().unique()})
    per_person = per_person[["round_id", "unit_id", *measure_ids(survey), *RAW_ANSWERS]]
    by_round = per_person.groupby("round_id", sort=False).indices
    answered = answers[items].notna().groupby(answers["round_id"]).any()
    return {
        round_id: Respondents(
            per_person.iloc[by_round.get(round_id, [])].reset_index(drop=True),
            set(items[answered.loc[round_id].to_numpy()]) if round_id in answered.index else set(),
        )
        for round_id in round_ids
    }


def summary(store: Store, survey: Survey, rnd: rounds.Round, today: date | None = None) -> Protected:
    """One row per unit (own subtree) and measure: respondents and score, protected measure by measure.

    Every cell is withheld until the round has closed (disclosure.withheld)."""
    return summaries(store, survey, [rnd], today)[rnd.round_id]


def summaries(
    store: Store,
    survey: Survey,
    rnds: list[rounds.Round],
    today: date | None = None,
) -> dict[str, Protected]:
    """summary() of each round; rounds not kept yet are worked out together, in one pass (a trend reads
    ten years of rounds). Each round's table is kept on its own until the data change, so the other
    dashboards find the rounds a trend has summarised. A round is kept with whether it was released, so
    a result withheld while it was open is not served after it closed."""
    today = today or date.today()
    keys = {(r.round_id, r.results_released(today)): r for r in rnds}
    found = memoised_each(
        store,
        "surveys.summaries",
        (survey.id, survey.version),
        list(keys),
        lambda missing: _summaries(store, survey, [keys[k] for k in missing], today),
    )
    return {round_id: table for (round_id, _), table in found.items()}


def _summaries(store: Store, survey: Survey, rnds: list[rounds.Round], today: date) -> dict[tuple, Protected]:
    released = [r for r in rnds if r.results_released(today)]
    units = org.units(store)
    taking_part = rounds.units_of_rounds(store, [r.round_id for r in rnds])
    links = taking_part.merge(_links(units, taking_part["unit_id"].unique()), left_on="unit_id", right_on="descendant")[
        ["descendant", "ancestor", "round_id"]
    ]
    shown = links[["round_id", "ancestor"]].drop_duplicates().rename(columns={"ancestor": "unit_id"})
    grid = (
        units[["unit_id", "unit_name", "parent_id"]]
        .merge(shown, on="unit_id")  # tree order
        .merge(pd.DataFrame({"measure": measure_ids(survey)}), how="cross")
    )
    cells = (
        _cells(store, survey, released, links)
        if released
        else pd.DataFrame(columns=["round_id", "unit_id", "measure", "respondents", "own", "score"])
    )
    table = grid.merge(cells, on=["round_id", "unit_id", "measure"], how="left").fillna({"respondents": 0, "own": 0})
    table = table.astype({"respondents": "int64", "own": "int64", "score": "float64"})
    table["round"] = table["round_id"].map({r.round_id: r.label for r in rnds})
    threshold = settings.get(store, "threshold.survey")
    is_released = table["round_id"].isin({r.round_id for r in released})
    protected = protect(
        table[is_released],
        threshold=threshold,
        noun=NOUN,
        count="respondents",
        values=["score"],
        direct_count="own",
        group_by=("round_id", "measure"),
    )
    kept_back = withheld(
        table[~is_released], threshold=threshold, noun=NOUN, count="respondents", values=["score", "own"]
    )
    by_round = {
        **dict(iter(protected.table.groupby("round_id", sort=False))),
        **dict(iter(kept_back.table.groupby("round_id", sort=False))),
    }
    return {
        (r.round_id, r.results_released(today)): Protected(
            by_round.get(r.round_id, protected.table.iloc[:0]).drop(columns="round_id").reset_index(drop=True),
            threshold,
            NOUN,
        )
        for r in rnds
    }


def _cells(store: Store, survey: Survey, rnds: list[rounds.Round], links: pd.DataFrame) -> pd.DataFrame:
    """Per round, unit (over its subtree) and measure: respondents, those placed in the unit itself, mean."""
    per_person = pd.concat([r.measures for r in respondents(store, survey, rnds).values()]).drop(columns=RAW_ANSWERS)
    # Sums and counts per unit first, then over each subtree: no row per respondent and ancestor.
    own = per_person.groupby(["round_id", "unit_id"]).agg(["sum", "count"]).stack(level=0, future_stack=True)
    own = own[own["count"] > 0].rename_axis(["round_id", "unit_id", "measure"])
    rolled = own.reset_index().merge(links, left_on=["round_id", "unit_id"], right_on=["round_id", "descendant"])
    sums = rolled.groupby(["round_id", "ancestor", "measure"])[["sum", "count"]].sum()
    cells = pd.DataFrame(
        {
            "respondents": sums["count"],
            "own": own["count"].reindex(sums.index, fill_value=0),
            "score": sums["sum"] / sums["count"],
        }
    )
    return cells.rename_axis(["round_id", "unit_id", "measure"]).reset_index()


def export_table(protected: Protected, survey: Survey) -> pd.DataFrame:
    """The survey-summary file: WHO-5, eNPS and the dimensions, in the exact export columns."""
    table = protected.table[protected.table["measure"].isin(export_measures(survey))].copy()
    table["score"] = table["score"].round(1)
    table["suppressed"] = table["suppressed"].map({True: "true", False: "false"})
    return table[EXPORT_COLUMNS]


def response_rates(store: Store, rnd: rounds.Round) -> Protected:
    """Responses ÷ persons employed when the round opened, per unit subtree; small units hidden."""
    return memoised(store, "surveys.response_rates", (rnd.round_id,), lambda: _response_rates(store, rnd))


def _response_rates(store: Store, rnd: rounds.Round) -> Protected:
    counts = responses.response_counts(store, rnd.round_id)
    units, links = _tree(store, counts["unit_id"].tolist())
    rolled = counts.merge(links, left_on="unit_id", right_on="descendant")
    sums = rolled.groupby("ancestor")[["persons_at_start", "responses"]].sum()
    own = counts.set_index("unit_id")["persons_at_start"]
    table = units[["unit_id", "unit_name", "parent_id"]].join(sums, on="unit_id")
    table["own"] = table["unit_id"].map(own).fillna(0).astype("int64")
    table["rate_pct"] = 100 * table["responses"] / table["persons_at_start"].where(table["persons_at_start"] > 0)
    return protect(
        table,
        threshold=settings.get(store, "threshold.survey"),
        noun="ansatte",
        count="persons_at_start",
        values=["responses", "rate_pct"],
        direct_count="own",
    )


def units_at_headcount(store: Store, rnd: rounds.Round) -> list[str]:
    """The units with as many answers as staff, among those the response rates show: that every member of a
    unit hidden as too small took part is itself a figure about fewer than the threshold."""
    rates = response_rates(store, rnd).table
    shown = set(rates.loc[~rates["suppressed"], "unit_id"])
    return [u for u in rounds.units_at_headcount(store, rnd.round_id) if u in shown]


def comments(
    store: Store,
    survey: Survey,
    rnd: rounds.Round,
    unit_id: str,
    today: date | None = None,
) -> list[str] | None:
    """Free-text answers from the unit's subtree under the comment rules, or None when they are held back:
    the round is open, too few in the subtree wrote one, or the comments could be worked out by taking
    other units' comments from a larger group's (comment_groups)."""
    if not rnd.results_released(today or date.today()):
        return None
    groups, texts = memoised(
        store, "surveys.comments", (survey.id, rnd.round_id), lambda: _comment_groups(store, survey, rnd)
    )
    row = groups.table[groups.table["unit_id"] == unit_id]
    if row.empty or bool(row["suppressed"].iloc[0]):
        return None
    shown = texts.loc[texts["unit_id"].isin(org.subtree_ids(store, unit_id)), "text"].tolist()
    return visible_comments(shown, int(row["commenters"].iloc[0]), groups.threshold)


def _comment_groups(store: Store, survey: Survey, rnd: rounds.Round) -> tuple[Protected, pd.DataFrame]:
    """Per unit of the round's tree, the respondents who wrote a comment, protected like numbers over the
    whole tree (a parent's comments minus its visible children's are the rest's); and the texts."""
    texts = responses.comment_texts(store, rnd.round_id, [i.id for i in survey.items if i.type == "free_text"])
    taking_part = rounds.units_of_rounds(store, [rnd.round_id])["unit_id"].tolist()
    units, links = _tree(store, taking_part)
    writers = texts.drop_duplicates("response_id").groupby("unit_id").size()
    return protect_commenters(units, links, writers, settings.get(store, "threshold.comments")), texts


def protect_commenters(units: pd.DataFrame, links: pd.DataFrame, writers: pd.Series, threshold: int) -> Protected:
    """Per unit, those who wrote a comment in its subtree (and in the unit itself), protected over the tree."""
    rolled = links.assign(n=links["descendant"].map(writers).fillna(0)).groupby("ancestor")["n"].sum()
    table = units[["unit_id", "unit_name", "parent_id"]].copy()
    table["commenters"] = table["unit_id"].map(rolled).fillna(0).astype("int64")
    table["own"] = table["unit_id"].map(writers).fillna(0).astype("int64")
    return protect(
        table, threshold=threshold, noun="svar med kommentarer", count="commenters", values=[], direct_count="own"
    )
