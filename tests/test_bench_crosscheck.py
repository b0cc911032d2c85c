"""The benchmark's small, fast twin: on data from the benchmark generator, the naive pandas reference
(every spell expanded to days) gives exactly trivsel's unit summary. No timing is asserted here;
`make bench` measures the speed."""

import sys
from datetime import date
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1]))  # the benchmarks package lives at the project root

from benchmarks import generate, naive

from trivsel.absence.measures import unit_summary
from trivsel.store import open_store

SMALL = generate.Scale("crosscheck", 300, years=3, seed=7, today=date(2026, 11, 23))


@pytest.fixture(scope="module")
def bench_store(tmp_path_factory):
    path = tmp_path_factory.mktemp("bench") / "small.duckdb"
    generate.write(SMALL, path, log=lambda *_: None)
    store = open_store(path)
    yield store
    store.close()


def test_the_generated_data_has_transfers_second_jobs_and_running_spells(bench_store):
    assert (
        bench_store.query_value(
            "SELECT count(*) FROM (SELECT employee_id FROM employments GROUP BY 1 HAVING count(*) > 1)"
        )
        > 0
    )
    assert bench_store.query_value("SELECT count(*) FROM absence_spells WHERE end_date IS NULL") > 0
    assert bench_store.query_value("SELECT count(DISTINCT absence_type) FROM absence_spells") == 3


@pytest.mark.parametrize(
    "period_from, period_to, as_of",
    [
        (date(2025, 1, 1), date(2025, 12, 31), date(2026, 11, 23)),  # the benchmark's period
        (date(2026, 2, 10), date(2026, 6, 20), None),  # a spell running past the end is cut there
        (date(2024, 12, 1), date(2026, 11, 23), date(2026, 11, 23)),  # up to today: running spells
    ],
)
def test_naive_reference_equals_unit_summary(bench_store, period_from, period_to, as_of):
    reference = naive.unit_summary(naive.load(bench_store.cursor()), period_from, period_to, as_of)
    ours = unit_summary(bench_store, period_from, period_to, as_of)
    assert reference["spells_started"].sum() > 0 and len(reference) == len(ours)
    assert naive.compare(reference, ours) == []
