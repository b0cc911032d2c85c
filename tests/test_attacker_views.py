"""The attacker against the remaining views: response rates and supervision statistics."""

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from attacker import assert_nothing_small_derivable
from trivsel import config
from trivsel.disclosure.rules import PeriodError
from trivsel.supervision import statistics
from trivsel.surveys import responses, rounds
from trivsel.surveys.definitions import load_all
from trivsel.views import supervision
from trivsel.views import surveys as survey_views

CATALOG = load_all(config.surveys_dir())


def test_response_rates_survive_the_attacker(demo_store):
    for rnd in rounds.all_rounds(demo_store):
        protected = survey_views.response_rates(demo_store, rnd)
        own = responses.response_counts(demo_store, rnd.round_id).set_index("unit_id")["persons_at_start"]
        direct = {u: float(own.get(u, 0)) for u in protected.table["unit_id"]}
        assert_nothing_small_derivable(protected.table, direct, protected.threshold)


@pytest.mark.parametrize("period", [(date(2025, 1, 1), date(2025, 12, 31)), (date(2026, 6, 1), date(2026, 6, 30))])
def test_supervision_statistics_survive_the_attacker(demo_store, period):
    survey = CATALOG["supervision_request"]
    result = supervision.summary(demo_store, *period, survey)
    raw_units = statistics.by_unit(demo_store, *period).set_index("unit_id")["own"]
    assert_nothing_small_derivable(
        result.units.table,
        {u: float(raw_units.get(u, 0)) for u in result.units.table["unit_id"]},
        result.units.threshold,
    )
    for split, raw in (
        (result.topics, statistics.by_topic(demo_store, *period, list(supervision.topic_labels(survey)))),
        (result.months, statistics.by_month(demo_store, *period)),
    ):
        counts = raw.set_index("key")["requests"]
        direct = {k: (0.0 if k == statistics.TOTAL else float(counts.get(k, 0))) for k in split.table["key"]}
        table = split.table.rename(columns={"key": "unit_id", "parent": "parent_id"})
        assert_nothing_small_derivable(table, direct, split.threshold)


@pytest.mark.parametrize(
    "period",
    [(date(2025, 3, 1), date(2025, 3, 1)), (date(2025, 1, 1), date(2025, 3, 6)), (date(2025, 1, 2), date(2025, 3, 31))],
)
def test_supervision_statistics_are_for_whole_months_only(demo_store, period):
    # A period one day longer than another showed the unit and topic of the one request made that day.
    with pytest.raises(PeriodError, match="hele kalendermåneder"):
        supervision.summary(demo_store, *period, CATALOG["supervision_request"])


def test_the_supervision_export_takes_whole_months_only(demo_db, tmp_path):
    out = tmp_path / "s.csv"
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "trivsel"),
            "export",
            "supervision-summary",
            "--from",
            "2025-01-01",
            "--to",
            "2025-03-06",
            "--format",
            "csv",
            "-o",
            str(out),
            "--db",
            str(demo_db),
        ],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1 and result.stderr.startswith("Fejl:") and "sidste dag" in result.stderr
    assert not out.exists()
