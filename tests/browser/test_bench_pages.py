"""The small twin of benchmark P9 (benchmarks/browser_pages.py): on the demo, every chosen page as every role
that may open it reaches its main content, first and warm, and the timings come back for each."""

from concurrent.futures import ThreadPoolExecutor

from benchmarks import browser_pages

from conftest import DEMO_TODAY
from trivsel import demo
from trivsel.store import open_store
from trivsel.ui import navigation


def test_the_page_benchmark_opens_each_page_as_each_role_that_may(tmp_path):
    db = tmp_path / "demo.duckdb"
    store = open_store(db)
    demo.load(store, seed=1, today=DEMO_TODAY)
    store.close()
    chosen = ["dashboard_heatmap", "imports", "staff"]
    # In a thread of its own: this thread already runs the other browser tests' Playwright.
    with ThreadPoolExecutor(1) as pool:
        result = pool.submit(browser_pages.run, db, db, warm=1, only=chosen).result()
    expected = [visit.name for visit in browser_pages.visits() if visit.spec.key in chosen]
    assert result["errors"] == {}
    assert sorted(result["visits"]) == sorted(expected)
    assert (
        len(expected) == len(navigation.BY_KEY["dashboard_heatmap"].roles) + len(navigation.BY_KEY["imports"].roles) + 1
    )
    assert all(visit["first"] > 0 and len(visit["times"]) == 1 for visit in result["visits"].values())
