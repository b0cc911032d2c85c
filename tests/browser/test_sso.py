"""Single sign-on end to end: st.login against a local OpenID Connect provider (oidc-provider-mock)."""

import secrets
import shutil

import pytest
from oidc_provider_mock import run_server_in_thread
from playwright.sync_api import Page, expect

from conftest import DEMO_TODAY
from trivsel import auth, demo
from trivsel.store import open_store

from .conftest import ROOT, free_port, open_app, start_app


@pytest.fixture(scope="module")
def sso_app_url(tmp_path_factory, browser):
    work = tmp_path_factory.mktemp("sso")
    db = work / "sso.duckdb"
    store = open_store(db)
    demo.load(store, seed=1, today=DEMO_TODAY)
    auth.set_sso_mapping(store, "mette@kommune.dk", "leder", "SO-HP-NORD", actor="test")
    store.close()

    with run_server_in_thread(port=free_port()) as provider:
        provider_port = provider.server_address[1]
        # Streamlit reads .streamlit/ from its working directory: give this server its own secrets.
        (work / ".streamlit").mkdir()
        shutil.copy(ROOT / ".streamlit" / "config.toml", work / ".streamlit" / "config.toml")

        def write_secrets(app_url: str) -> None:
            (work / ".streamlit" / "secrets.toml").write_text(
                "[auth]\n"
                f'redirect_uri = "{app_url}/oauth2callback"\n'
                f'cookie_secret = "{secrets.token_urlsafe(32)}"\n'
                'client_id = "trivsel"\n'
                'client_secret = "test-secret"\n'
                f'server_metadata_url = "http://127.0.0.1:{provider_port}/.well-known/openid-configuration"\n',
                encoding="utf-8",
            )

        yield from start_app(db, cwd=work, before_start=write_secrets)


def sso_login(page: Page, url: str, email: str) -> None:
    open_app(page, url)
    page.get_by_role("button", name="Log ind med kommunens login").click()
    page.locator("input[name=sub]").fill(email)
    page.get_by_role("button", name="Authorize").click()


def test_mapped_email_gets_its_role_through_sso(page: Page, sso_app_url):
    sso_login(page, sso_app_url, "mette@kommune.dk")
    expect(page.get_by_role("heading", name="Forside")).to_be_visible()
    expect(page.get_by_text("Logget ind som mette@kommune.dk (Leder)")).to_be_visible()
    expect(page.get_by_text("Du ser data for Hjemmeplejen Nord og enhederne under den.")).to_be_visible()


def test_unmapped_email_gets_no_access(page: Page, sso_app_url):
    sso_login(page, sso_app_url, "ukendt@kommune.dk")
    expect(page.get_by_text("din e-mail har ikke fået en rolle endnu")).to_be_visible()
    expect(page.locator("[data-testid=stSidebarNav]")).to_have_count(0)
