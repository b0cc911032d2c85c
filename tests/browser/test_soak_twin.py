"""The small twin of benchmark P13 (benchmarks/soak.py): on the demo, 5 staff one after another within half a
minute while a trivselskonsulent browses the dashboards, through the same soak code and server launcher."""

from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

from benchmarks import soak

from trivsel import demo
from trivsel.roles import KONSULENT
from trivsel.store import open_store


def test_the_soak_stores_every_answer_and_the_server_keeps_no_closed_session(tmp_path):
    db = tmp_path / "demo.duckdb"
    store = open_store(db)
    # Every demo round closed before today: the staff links lead to the soak's own round only.
    demo.load(store, seed=1, today=date.today() - timedelta(days=60))
    store.close()
    # In a thread of its own: this thread may already run the other browser tests' Playwright.
    with ThreadPoolExecutor(1) as pool:
        result = pool.submit(soak.run, db, staff=5, minutes=0.5, ttl=10, roles=(KONSULENT,)).result()

    assert result["errors"] == [] and result["dashboard_errors"] == []
    assert result["stored"] == result["distinct"] == 5 and len(result["answer_rows"]) == 1
    assert soak.stored_ok(result)
    assert len(result["times"]) == 5 and result["dashboard_visits"] > 0
    # The server's own counts: the staff were seen beside the dashboard, the last of them still kept within the
    # TTL, and after it only the open dashboard; once that closed too, nothing.
    during, kept, last = result["sessions_during"], result["sessions_with_dashboards"], result["sessions_after_all"]
    assert during["peaks"]["active"] >= 2
    assert during["active"] == 1 and during["sessions"] >= 2
    assert kept["active"] == kept["sessions"] == 1 and kept["alive"] >= 1
    assert last["active"] == last["sessions"] == 0
    assert soak.sessions_ok(result)
    assert 0 < result["memory_first_mb"] and 0 < result["memory_last_mb"]
    # The memory after every window of sends (2 here) and after the last: whether it levels off or keeps growing.
    by_sends = result["memory_by_sends"]
    assert sorted(by_sends) == [2, 4, 5]
    assert (by_sends[2], by_sends[5]) == (result["memory_first_mb"], result["memory_last_mb"])
