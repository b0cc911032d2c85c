import shutil
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest

from trivsel import demo
from trivsel.store import open_store

# `make check` leaves these out (`-m "not browser and not slow"`); `make test` runs everything. A test is
# slow when it runs many random cases (hypothesis) or real processes (the `trivsel` command, a worker killed
# with kill -9): it uses `subprocess`, itself or through a helper of its module. The xlsx bombs and the
# large generated files are slow too.
SLOW_WORDS = ("bomb", "20000", "deterministic")
# The reports draw their charts in Chromium (Kaleido): `make check` needs no browser.
CHROMIUM_FILES = {"test_report_charts.py", "test_unit_report.py", "test_followup_report.py"}
# The page × role × state matrices (hundreds of AppTest runs of about a second): the fast loop takes every
# fourth case of each, a spread over pages and roles; `make test` takes them all.
MATRICES = {
    "test_each_page_says_what_is_missing_in_an_empty_database": 4,
    "test_each_page_speaks_danish": 4,
    "test_metric_cards_fit_their_text": 4,
    "test_each_page_checks_the_role_itself": 4,
    "test_each_page_opens_before_any_unit_is_imported": 4,
}


def _runs_processes(function) -> bool:
    code = getattr(function, "__code__", None)
    if code is None:
        return False
    helpers = [function.__globals__.get(name) for name in code.co_names]
    return "subprocess" in code.co_names or any(
        "subprocess" in getattr(getattr(h, "__code__", None), "co_names", ()) for h in helpers
    )


def pytest_collection_modifyitems(items):
    seen = Counter()
    for item in items:
        function = getattr(item, "obj", None)
        name = getattr(item, "originalname", item.name)
        every = MATRICES.get(name)
        seen[name] += 1
        if (
            getattr(function, "is_hypothesis_test", False)
            or _runs_processes(function)
            or any(word in item.name for word in SLOW_WORDS)
            or (every is not None and (seen[name] - 1) % every)
            or item.path.name in CHROMIUM_FILES
        ):
            item.add_marker(pytest.mark.slow)


# A fixed "today" keeps the demo data, and the assertions on it, the same on every run.
DEMO_TODAY = date(2026, 11, 23)
DATA = Path(__file__).parents[1] / "data" / "samples"


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path / "test.duckdb")
    yield s
    s.close()


def keep_demo_rounds_open(store) -> None:
    """The rounds open on DEMO_TODAY stay open a week past the day the tests run: the demo is made for the fixed
    DEMO_TODAY, while the pages and the CLI ask for the real date (its open round closed on 30-11-2026, and from
    then on every staff-page test found no survey)."""
    store.write(
        lambda cur: cur.execute(
            "UPDATE survey_rounds SET closes_on = greatest(closes_on, ?) WHERE opens_on <= ? AND closes_on >= ?",
            [date.today() + timedelta(days=7), DEMO_TODAY, DEMO_TODAY],
        )
    )


@pytest.fixture(scope="session")
def demo_db_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    s = open_store(path)
    demo.load(s, seed=1, today=DEMO_TODAY)
    keep_demo_rounds_open(s)
    s.close()
    return path


@pytest.fixture
def demo_db(demo_db_template, tmp_path) -> Path:
    """A private copy of the demo database, free to change."""
    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_db_template, path)
    return path


@pytest.fixture
def demo_store(demo_db):
    s = open_store(demo_db)
    yield s
    s.close()


def snapshot(store) -> dict[str, list]:
    """Every row of every table the importers may touch, to prove a rejected file changed nothing."""
    tables = ["units", "employees", "employments", "absence_spells", "unit_access_links", "audit_log"]
    return {t: sorted(map(repr, store.query_all(f"SELECT * FROM {t}"))) for t in tables}
