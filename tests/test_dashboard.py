"""The trivsel dashboards' figures on the demo data: protected, comparable, scoped."""

from datetime import date, timedelta

import pytest

from attacker import assert_nothing_small_derivable
from trivsel import config
from trivsel.surveys import actions, rounds
from trivsel.surveys.definitions import load_all
from trivsel.views import dashboard
from trivsel.views import surveys as survey_views

SURVEY = load_all(config.surveys_dir())["trivsel"]
TODAY = date(2026, 11, 23)
CLOSED = date(2026, 12, 1)  # the day after the demo's open round (Efterår 2026) closes


@pytest.fixture
def demo_rounds(demo_store):
    # These tests pass their dates in: the open round closes as the demo made it, the day before CLOSED (the
    # shared demo keeps it open past the day the tests run, for the pages).
    demo_store.write(
        lambda cur: cur.execute(
            "UPDATE survey_rounds SET closes_on = ? WHERE label = 'Efterår 2026'", [CLOSED - timedelta(days=1)]
        )
    )
    found = {r.label: r for r in dashboard.dated_rounds(demo_store, SURVEY)}
    assert set(found) == {"Basis 2022/23", "Forår 2025", "Efterår 2026"}
    return found


@pytest.mark.parametrize("label", ["Basis 2022/23", "Forår 2025", "Efterår 2026"])
def test_survey_summary_survives_the_attacker_for_every_measure(demo_store, demo_rounds, label):
    rnd = demo_rounds[label]
    protected = survey_views.summary(demo_store, SURVEY, rnd, CLOSED)
    values = survey_views.respondents(demo_store, SURVEY, [rnd])[rnd.round_id].measures  # unprotected
    for measure, cells in protected.table.groupby("measure"):
        own = values.dropna(subset=[measure]).groupby("unit_id").size()
        assert_nothing_small_derivable(cells, {u: float(own.get(u, 0)) for u in cells["unit_id"]}, protected.threshold)


def test_headline_compares_with_the_baseline(demo_store, demo_rounds):
    cards, hidden = dashboard.headline(
        demo_store, SURVEY, demo_rounds["Efterår 2026"], demo_rounds["Basis 2022/23"], "V", CLOSED
    )
    by_label = {c.label: c for c in cards}
    assert set(by_label) == {"Svarprocent", "WHO-5", "WHO-5 under 50", "eNPS", "Forventer at blive", "Sygefravær"}
    assert 30 <= by_label["Svarprocent"].value <= 80 and 40 <= by_label["WHO-5"].value <= 80
    assert by_label["WHO-5"].baseline is not None and by_label["WHO-5"].value > by_label["WHO-5"].baseline
    assert 5 <= by_label["Sygefravær"].value <= 9 and hidden == "færre end 5"
    small, _ = dashboard.headline(demo_store, SURVEY, demo_rounds["Efterår 2026"], None, "SO-DEMK", CLOSED)
    assert {c.label: c.hidden for c in small}["WHO-5"] and {c.label: c.value for c in small}["WHO-5"] is None


def test_heatmap_rows_are_the_unit_and_its_children_sorted_with_hidden_cells(demo_store, demo_rounds):
    scores, hidden = dashboard.heatmap(demo_store, SURVEY, demo_rounds["Forår 2025"], "SO", "ledelse")
    assert scores.index[0] == "SO" and set(scores.index[1:]) == {
        "SO-PC-SOL",
        "SO-PC-LIN",
        "SO-PC-KAS",
        "SO-PC-BAK",
        "SO-HP-NORD",
        "SO-HP-SYD",
        "SO-HP-VEST",
        "SO-HP-NAT",
        "SO-REHAB",
        "SO-SYG",
        "SO-DEMK",
        "SO-HJM",
    }
    visible = scores.loc[scores.index[1:], "ledelse"].astype(float).dropna()
    assert list(visible) == sorted(visible)
    assert hidden.loc["SO-DEMK"].all() and scores.loc["SO-DEMK"].drop("unit_name").isna().all()
    assert scores.drop(columns="unit_name").astype(float).stack().dropna().between(0, 100).all()


def test_trend_leaves_out_dimensions_a_round_did_not_fully_ask(demo_store, demo_rounds):
    trend = dashboard.trend(demo_store, SURVEY, ["V"], CLOSED)
    assert set(trend.loc[trend["measure"] == "balance", "round"]) == {"Forår 2025", "Efterår 2026"}
    assert set(trend.loc[trend["measure"] == "who5", "round"]) == {"Basis 2022/23", "Forår 2025", "Efterår 2026"}
    assert trend.loc[trend["round"] == "Basis 2022/23", "is_baseline"].all()


def test_who5_bands_add_up_to_100(demo_store, demo_rounds):
    bands = dashboard.who5_bands(demo_store, SURVEY, demo_rounds["Forår 2025"], "V").dropna()
    assert len(bands) >= 3
    assert (bands[["≤ 28", "29–49", "≥ 50"]].sum(axis=1).round(6) == 100).all()


def test_drivers_need_30_respondents_and_rank_leadership_first_in_the_demo(demo_store, demo_rounds):
    found = dashboard.drivers(demo_store, SURVEY, demo_rounds["Forår 2025"], "V")
    assert found.respondents > 1000 and found.table.iloc[0]["dimension"] == "ledelse"
    assert (found.table["n_stay"] >= 30).all() and found.table["r_stay"].between(-1, 1).all()
    small = dashboard.drivers(demo_store, SURVEY, demo_rounds["Forår 2025"], "SO-DEMK")
    assert small.table is None and small.respondents is None  # no count that a hidden cell could be read from


def test_wellbeing_beside_absence_has_one_point_per_unit_visible_in_both(demo_store, demo_rounds):
    rnd = demo_rounds["Forår 2025"]
    points = dashboard.wellbeing_and_absence(demo_store, SURVEY, rnd, "who5", False, "V", TODAY)
    assert points["unit_id"].is_unique and len(points) >= 20
    assert points["absence_rate_pct"].between(0, 30).all() and points["score"].between(0, 100).all()
    assert "SO-DEMK" not in set(points["unit_id"])
    later = dashboard.wellbeing_and_absence(demo_store, SURVEY, rnd, "who5", True, "V", TODAY)
    assert len(later) >= 20 and not later["absence_rate_pct"].equals(points["absence_rate_pct"])
    # In the demo, units that feel worse are sicker: the correlation is negative.
    assert points["score"].corr(points["absence_rate_pct"]) < 0


def test_action_notes_belong_to_a_round_and_unit_and_leaders_stay_in_scope(demo_store, demo_rounds):
    rnd = demo_rounds["Forår 2025"]
    actions.add(
        demo_store,
        rnd.round_id,
        "SO-PC-SOL",
        "Fast morgenmøde om vagtplanen",
        "Leder og TR",
        date(2026, 3, 1),
        "konsulent",
        None,
    )
    notes = dashboard.notes(demo_store, rnd, "SO-PC-SOL")
    assert notes[["what", "owner", "status"]].values.tolist() == [
        ["Fast morgenmøde om vagtplanen", "Leder og TR", "Ikke startet"]
    ]
    actions.set_status(demo_store, notes["note_id"].iloc[0], "i_gang", "leder.solgaarden", "SO-PC-SOL")
    assert dashboard.notes(demo_store, rnd, "SO")["status"].tolist() == ["I gang"]
    with pytest.raises(actions.ActionError, match="egne enheder"):
        actions.add(demo_store, rnd.round_id, "SO-HP-NORD", "x", "y", None, "leder.solgaarden", "SO-PC-SOL")
    with pytest.raises(actions.ActionError, match="egne enheder"):  # another unit's note, by its id
        actions.set_status(demo_store, notes["note_id"].iloc[0], "faerdig", "leder.hjemmepleje", "SO-HP-NORD")
    with pytest.raises(actions.ActionError, match="både hvad"):
        actions.add(demo_store, rnd.round_id, "SO-PC-SOL", " ", "y", None, "konsulent", None)


def test_a_unit_outside_a_round_gets_empty_figures_not_an_error(demo_store):
    """A round for one unit, seen from an area it did not cover (the server log's KeyError from who5_bands)."""
    rnd, _ = rounds.create_round(
        demo_store,
        SURVEY,
        "Kun Solgården",
        TODAY - timedelta(days=10),
        TODAY - timedelta(days=1),
        ["SO-PC-SOL"],
        "link",
        "konsulent",
    )
    assert dashboard.covers(demo_store, rnd, "SO") and not dashboard.covers(demo_store, rnd, "SOC")
    every = dashboard.dated_rounds(demo_store, SURVEY)
    assert rnd not in dashboard.covering(demo_store, every, "SOC")
    assert dashboard.covering(demo_store, every, "SO-PC-SOL")[-1] == rnd  # in the order given, the newest last
    assert dashboard.who5_bands(demo_store, SURVEY, rnd, "SOC", TODAY).empty
    scores, hidden = dashboard.heatmap(demo_store, SURVEY, rnd, "SOC", "ledelse", TODAY)
    assert scores.empty and hidden.empty
