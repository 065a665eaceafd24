"""Real-browser end-to-end tests: Debian's Chromium, driven by Playwright's sync API, against a
real gunicorn serving the test database (`live_server_url`).

The public site is http://localhost:PORT; a tenant "foo" is http://foo.localhost:PORT, which
Chromium resolves to loopback by itself. Screenshots go to test-artifacts/ (git-ignored).

Never `playwright install`: these tests use the system's /usr/bin/chromium. Without it they
skip, unless AWAN_REQUIRE_BROWSER=1 (CI), where a missing browser is a failure.
"""

from __future__ import annotations

import re
import uuid

import pytest

from tenants import errors
from tests.e2e.browser import (
    fill_signup,
    log_in,
    screenshot,
    sign_up,
    submit_signup,
    tenant_url,
    unique_subdomain,
)

pytestmark = pytest.mark.e2e

NEW_PASSWORD = "plum-harbour-lantern-7319"
OTHER_PASSWORD = "quartz-meadow-falcon-2846"


def test_visitor_signs_up_lands_logged_in_and_tracks_tasks_in_a_project(page, live_server_url):
    subdomain = unique_subdomain("browser")
    email = f"owner@{subdomain}.test"
    base = tenant_url(live_server_url, subdomain)

    fill_signup(page, live_server_url, subdomain=subdomain, email=email, password=NEW_PASSWORD)
    screenshot(page, "signup.png")
    handoffs: list[str] = []
    page.on("request", lambda r: handoffs.append(r.url) if "/auth/handoff/" in r.url else None)
    submit_signup(page, live_server_url, subdomain=subdomain)

    assert len(handoffs) == 1
    assert re.fullmatch(rf"{re.escape(base)}/auth/handoff/[^/]+/", handoffs[0])
    assert page.url == f"{base}/"
    assert page.locator("h1").inner_text() == "Projects"
    assert email in page.locator("header.topbar").inner_text()
    assert "Your workspace is ready." in page.locator("ul.messages").inner_text()
    screenshot(page, "dashboard.png")

    page.fill("#id_name", "Launch plan")
    page.fill("#id_description", "Everything for the spring launch.")
    page.click("button:has-text('Create project')")
    page.wait_for_url(re.compile(rf"{re.escape(base)}/projects/\d+/$"))
    page.click("a.brand")
    page.wait_for_url(f"{base}/")
    page.click("a.card.project:has-text('Launch plan')")
    page.wait_for_url(re.compile(rf"{re.escape(base)}/projects/\d+/$"))
    assert page.locator("h1").inner_text() == "Launch plan"

    for title in ("Write the announcement", "Book the venue"):
        page.fill("input[name=title]", title)
        with page.expect_navigation():
            page.click("form.add-task button:has-text('Add')")
    task = page.locator("li.task", has_text="Write the announcement")
    with page.expect_navigation():
        task.locator("button.check").click()

    counts = page.locator("p.counts").inner_text()
    assert "1 open" in counts
    assert "1 done" in counts
    assert "done" in (
        page.locator("li.task", has_text="Write the announcement").get_attribute("class") or ""
    )
    screenshot(page, "project.png")


def test_signup_with_a_reserved_subdomain_rerenders_the_form_on_the_public_host(
    page, live_server_url
):
    fill_signup(
        page,
        live_server_url,
        subdomain="admin",
        email="someone@example.test",
        password=NEW_PASSWORD,
    )
    with page.expect_navigation():
        page.click("button:has-text('Create workspace')")

    assert page.url == f"{live_server_url}/signup/"
    assert page.locator("p.error", has_text=errors.SUBDOMAIN_RESERVED).is_visible()
    assert page.input_value("#id_subdomain") == "admin"
    assert page.input_value("#id_email") == "someone@example.test"
    screenshot(page, "signup-reserved.png")


def test_unknown_tenant_host_shows_the_no_workspace_page(page, live_server_url):
    response = page.goto(tenant_url(live_server_url, "nosuch") + "/")

    assert response is not None and response.status == 404
    assert page.locator("h1").inner_text() == "There is no workspace at this address"
    screenshot(page, "unknown-host.png")


def test_owner_logs_out_and_logs_back_in_with_email_and_password(page, live_server_url):
    subdomain = unique_subdomain("browser")
    email = f"owner@{subdomain}.test"
    base = sign_up(page, live_server_url, subdomain=subdomain, email=email, password=NEW_PASSWORD)

    with page.expect_navigation():
        page.click("header.topbar button:has-text('Log out')")
    assert page.url == f"{base}/login/"
    assert email not in page.locator("header.topbar").inner_text()

    log_in(page, base, email=email.upper(), password=NEW_PASSWORD)  # emails are lowercased

    assert page.url == f"{base}/"
    assert page.locator("h1").inner_text() == "Projects"
    assert email in page.locator("header.topbar").inner_text()


def test_credentials_of_one_workspace_do_not_log_in_on_another_workspace(page, live_server_url):
    """Two workspaces with an owner of the same email: each account lives in its own schema,
    so one workspace's password does not open the other."""
    email = f"owner-{uuid.uuid4().hex[:8]}@example.test"
    first = unique_subdomain("browser")
    sign_up(page, live_server_url, subdomain=first, email=email, password=NEW_PASSWORD)
    second = unique_subdomain("browser")
    second_base = sign_up(
        page, live_server_url, subdomain=second, email=email, password=OTHER_PASSWORD
    )
    with page.expect_navigation():
        page.click("header.topbar button:has-text('Log out')")

    log_in(page, second_base, email=email, password=NEW_PASSWORD)  # the first workspace's

    assert page.url == f"{second_base}/login/"
    assert page.locator("div.errors[role=alert]").is_visible()
    assert page.input_value("#id_username") == email
    assert email not in page.locator("header.topbar").inner_text()
    screenshot(page, "login-other-workspace.png")
