"""Helpers for the real-browser tests (test_browser.py, test_billing_browser.py,
test_beta_browser.py): Debian's Chromium driven by Playwright's sync API. The `browser` and
`page` fixtures are in conftest.py; these are the plain functions the tests call.

Tenants are at http://<subdomain>.localhost:PORT, which Chromium resolves to loopback by itself.
Screenshots go to test-artifacts/ (git-ignored).
"""

from __future__ import annotations

import uuid

from tests.e2e.conftest import ARTIFACTS

# Signup builds and migrates a whole schema: give that navigation more time than the rest.
SIGNUP_TIMEOUT_MS = 90_000


def unique_subdomain(prefix: str) -> str:
    """A fresh subdomain, `<prefix>-<8 hex digits>`."""
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def tenant_url(server_url: str, subdomain: str) -> str:
    """http://localhost:PORT → http://<subdomain>.localhost:PORT"""
    return server_url.replace("://", f"://{subdomain}.", 1)


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def fill_signup(page, server_url: str, *, subdomain: str, email: str, password: str) -> None:
    """Open the public signup page and fill in the form, without submitting it."""
    page.goto(f"{server_url}/signup/")
    page.fill("#id_organization_name", f"Org {subdomain}")
    page.fill("#id_subdomain", subdomain)
    page.fill("#id_email", email)
    page.fill("#id_password", password)


def submit_signup(page, server_url: str, *, subdomain: str) -> str:
    """Submit the filled-in signup form and wait to land on the new tenant's dashboard;
    returns the tenant's base URL."""
    base = tenant_url(server_url, subdomain)
    with page.expect_navigation(url=f"{base}/", timeout=SIGNUP_TIMEOUT_MS):
        page.click("button:has-text('Create workspace')")
    return base


def sign_up(
    page, server_url: str, *, subdomain: str, password: str, email: str | None = None
) -> str:
    """Sign up through the public site; returns the tenant's base URL, where we land.
    The owner's email defaults to owner@<subdomain>.test."""
    email = email if email is not None else f"owner@{subdomain}.test"
    fill_signup(page, server_url, subdomain=subdomain, email=email, password=password)
    return submit_signup(page, server_url, subdomain=subdomain)


def log_in(page, base: str, *, email: str, password: str) -> None:
    """Log in on a tenant's login page (subdomain or path mode: `base` says which) and wait
    for the navigation that follows."""
    page.goto(f"{base}/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("button:has-text('Log in')")
