"""Downloads are made when the button is clicked (not on every rerun) and each one is audited."""

import csv
import io

from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from trivsel import demo
from trivsel.exports import heading
from trivsel.views import absence

from .conftest import log_in, log_out, wait_idle

LOGINS = {role: username for username, role, _ in demo.DEMO_USERS}


def download(page: Page, button: str) -> bytes:
    with page.expect_download() as info:
        page.get_by_role("button", name=button).click()
    return info.value.path().read_bytes()


def test_unit_summary_downloads_are_complete_and_logged(page: Page, app_url):
    log_in(page, app_url, LOGINS["sygefravaersraadgiver"])
    page.locator("[data-testid=stSidebarNav]").get_by_role("link", name="Sygefravær").click()
    expect(page.get_by_role("heading", name="Enheder")).to_be_visible()
    wait_idle(page)
    # the table's own toolbar offers no CSV: it would bypass formula neutralising and the audit log
    page.locator("[data-testid=stDataFrame]").last.hover()
    toolbar = page.locator("[data-testid=stElementToolbar]").last
    expect(toolbar.get_by_role("button", name="Search")).to_be_visible()
    expect(toolbar.get_by_role("button", name="Download as CSV")).to_have_count(0)

    rows = list(csv.reader(io.StringIO(download(page, "Hent CSV").decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == absence.export_columns()
    assert len(rows) > 10 and {row[-1] for row in rows[1:]} <= {"true", "false"}
    wait_idle(page)

    workbook = load_workbook(io.BytesIO(download(page, "Hent Excel")), read_only=True)
    assert workbook.sheetnames == ["Data", "Definitioner"]
    sheet = list(workbook["Data"].values)
    assert list(sheet[0]) == [heading(c) for c in absence.export_columns()] and len(sheet) == len(rows)
    wait_idle(page)

    log_out(page)
    log_in(page, app_url, LOGINS["admin"])
    page.locator("[data-testid=stSidebarNav]").get_by_role("link", name="Revisionslog").click()
    expect(page.get_by_role("heading", name="Revisionslog")).to_be_visible()
    wait_idle(page)
    log = list(csv.DictReader(io.StringIO(download(page, "Hent som CSV").decode("utf-8-sig")), delimiter=";"))
    exports = [entry for entry in log if entry["Handling"] == "export" and "unit_summary" in entry["Detaljer"]]
    assert len(exports) == 2, exports
    assert all(entry["Hvem"] == LOGINS["sygefravaersraadgiver"] for entry in exports)
