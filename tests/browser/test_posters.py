"""A leader prints the unit's poster in a real browser, and its QR code opens the unit's survey."""

import shutil

from playwright.sync_api import Page, expect

from test_posters import images, qr_codes

from .conftest import ARTIFACTS, log_in, wait_idle


def test_a_leaders_poster_carries_a_qr_code_that_opens_the_units_staff_page(page: Page, app_url, demo_tokens, tmp_path):
    _, tokens, _ = demo_tokens
    log_in(page, app_url, "leder.solgaarden")
    page.locator("[data-testid=stSidebarNav]").get_by_role("link", name="Min enhed").click()
    expect(page.get_by_role("heading", name="Min enhed")).to_be_visible()
    wait_idle(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="Hent plakat med QR-kode (PDF)").click()
    assert info.value.suggested_filename == "plakat-SO-PC-SOL.pdf"
    [poster] = images(info.value.path().read_bytes(), tmp_path)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(tmp_path / "side-1.png", ARTIFACTS / "plakat.png")
    [link] = qr_codes(poster)
    assert link == f"{app_url}/medarbejder?adgang={tokens['SO-PC-SOL']}"

    page.goto(link)  # what a phone does with the scanned code, without a login
    expect(page.get_by_text("Plejecenter Solgården", exact=True)).to_be_visible()
