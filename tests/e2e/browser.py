"""Helpers for the real-browser tests (tests/e2e/test_*_browser.py): Debian's Chromium driven
by Playwright's sync API. The `browser` and `page` fixtures are in conftest.py; these are the
plain functions the tests call.

Tenants are at http://<subdomain>.localhost:PORT, which Chromium resolves to loopback by itself.
Screenshots go to test-artifacts/ (git-ignored).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

from tests.e2e.conftest import ARTIFACTS, DEFAULT_TIMEOUT_MS

# The widths the layout is checked at: a phone (iPhone 12-15) and a laptop.
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 860}

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


def fill_signup(
    page,
    server_url: str,
    *,
    subdomain: str,
    email: str,
    password: str,
    organization_name: str | None = None,
) -> None:
    """Open the public signup page and fill in the form, without submitting it. The
    organization's name defaults to "Org <subdomain>"."""
    page.goto(f"{server_url}/signup/")
    page.fill("#id_organization_name", organization_name or f"Org {subdomain}")
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
    page,
    server_url: str,
    *,
    subdomain: str,
    password: str,
    email: str | None = None,
    organization_name: str | None = None,
) -> str:
    """Sign up through the public site; returns the tenant's base URL, where we land.
    The owner's email defaults to owner@<subdomain>.test."""
    email = email if email is not None else f"owner@{subdomain}.test"
    fill_signup(
        page,
        server_url,
        subdomain=subdomain,
        email=email,
        password=password,
        organization_name=organization_name,
    )
    return submit_signup(page, server_url, subdomain=subdomain)


def log_in(page, base: str, *, email: str, password: str) -> None:
    """Log in on a tenant's login page (subdomain or path mode: `base` says which) and wait
    for the navigation that follows."""
    page.goto(f"{base}/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("button:has-text('Log in')")


@contextmanager
def other_page(browser, *, viewport: dict[str, int] | None = None) -> Iterator:
    """A second person's browser: a fresh context (no cookies), closed afterwards."""
    context = browser.new_context(viewport=viewport or DESKTOP)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    context.set_default_navigation_timeout(DEFAULT_TIMEOUT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()


def add_member(page, base: str, *, email: str, password: str) -> None:
    """As the owner, someone joins the workspace at `base` as a member. People join by
    invitation (the whole flow, in a browser, is test_workspace_browser's); tests that only need
    a second person add them through the same team service the invitation ends in."""
    parts = urlsplit(base)
    match = re.match(r"^/t/([^/]+)", parts.path)
    subdomain = match.group(1) if match else (parts.hostname or "").split(".")[0]
    add_team_member(subdomain, email=email, password=password)


def add_team_member(subdomain: str, *, email: str, password: str, role: str = "member") -> None:
    """Add someone to a workspace straight through the team service, as its first owner (people
    join by invitation in the UI; this is for the extra people a test needs)."""
    from django.contrib.auth import get_user_model
    from django_tenants.utils import schema_context

    from tenants.models import Tenant
    from tenants.workspace.team import member_add

    tenant = Tenant.objects.get(subdomain=subdomain)
    with schema_context(tenant.schema_name):
        owner = get_user_model().objects.filter(membership__role="owner").order_by("pk").first()
        assert owner is not None, f"{subdomain} has no owner"
        member_add(email=email, password=password, actor=owner, role=role)


def visit(page, url: str, *, status: int = 200) -> None:
    """Open `url` and expect `status`."""
    response = page.goto(url)
    assert response is not None and response.status == status, (url, response and response.status)


def submit(page, button: str, *, url: str | re.Pattern[str] | None = None) -> None:
    """Click a submit button and wait for the page that answers (at `url`, if given)."""
    with page.expect_navigation(**({"url": url} if url is not None else {})):
        page.click(button)


def messages(page) -> list[str]:
    """The flash messages on the page."""
    return page.locator("ul.messages li").all_inner_texts()
