"""Real-browser end-to-end tests of path routing (TENANT_ROUTING=path): Debian's Chromium,
driven by Playwright's sync API, against a real gunicorn started in path mode.

One host serves everything, as on a bare <app>.herokuapp.com: the public site is
http://localhost:PORT and a tenant "foo" is http://localhost:PORT/t/foo/. Screenshots go to
test-artifacts/ (git-ignored).

Never `playwright install`: these tests use the system's /usr/bin/chromium. Without it they
skip, unless AWAN_REQUIRE_BROWSER=1 (CI), where a missing browser is a failure.
"""

from __future__ import annotations

import re
from typing import NamedTuple
from urllib.parse import urlsplit

import pytest

from tests.e2e.browser import (
    SIGNUP_TIMEOUT_MS,
    fill_signup,
    log_in,
    screenshot,
    unique_subdomain,
)
from tests.e2e.conftest import BIN, Proc, free_port, http_ok, process_env, wait_until

pytestmark = pytest.mark.e2e

NEW_PASSWORD = "plum-harbour-lantern-7319"
RESET_PASSWORD = "cobalt-orchard-ferry-5082"
# awan.css: `body { background: var(--bg) }` with --bg #f6f7fb; unstyled, Chromium says
# rgba(0, 0, 0, 0).
STYLED_BODY_BACKGROUND = "rgb(246, 247, 251)"


class PathServer(NamedTuple):
    url: str  # http://localhost:PORT
    proc: Proc  # gunicorn, whose log holds the console backend's emails


@pytest.fixture
def path_server(live_db, start_process) -> PathServer:
    """A real gunicorn in path routing mode serving the test database on a free port."""
    port = free_port()
    url = f"http://localhost:{port}"
    proc = start_process(
        [str(BIN / "gunicorn"), "config.wsgi", "--config", "config/gunicorn.conf.py"],
        name=f"gunicorn-path-{port}",
        env=process_env(PORT=str(port), WEB_CONCURRENCY="2", TENANT_ROUTING="path", SITE_URL=url),
    )
    wait_until(
        lambda: http_ok(f"http://127.0.0.1:{port}/healthz"),
        timeout=30,
        what="gunicorn to answer /healthz",
    )
    return PathServer(url, proc)


# --- path-mode variants of tests/e2e/browser.py's subdomain helpers -------------------------


def path_tenant_url(server_url: str, subdomain: str) -> str:
    """http://localhost:PORT → http://localhost:PORT/t/<subdomain>"""
    return f"{server_url}/t/{subdomain}"


def path_sign_up(
    page, server_url: str, *, subdomain: str, password: str, email: str | None = None
) -> str:
    """Sign up through the public site and wait to land on the tenant's dashboard under
    /t/<subdomain>/; returns the tenant's base URL (no trailing slash)."""
    email = email if email is not None else f"owner@{subdomain}.test"
    fill_signup(page, server_url, subdomain=subdomain, email=email, password=password)
    base = path_tenant_url(server_url, subdomain)
    with page.expect_navigation(url=f"{base}/", timeout=SIGNUP_TIMEOUT_MS):
        page.click("button:has-text('Create workspace')")
    return base


def log_out(page) -> None:
    with page.expect_navigation():
        page.click("header.topbar button:has-text('Log out')")


def topbar(page) -> str:
    return page.locator("header.topbar").inner_text()


def assert_same_host_urls_stay_under_the_prefix(page, server_url: str, subdomain: str) -> None:
    """Every link, form action and stylesheet on the page that points at this host is under
    /t/<subdomain>/, or is a static file."""
    urls = page.evaluate(
        """() => [
            ...Array.from(document.querySelectorAll('a[href]'), a => a.href),
            ...Array.from(document.querySelectorAll('form'), f => f.action),
            ...Array.from(document.querySelectorAll('link[href]'), l => l.href),
        ]"""
    )
    host = urlsplit(server_url).netloc
    same_host = [u for u in urls if urlsplit(u).netloc == host]
    assert same_host, "expected links on the page"
    stray = [
        u for u in same_host if not urlsplit(u).path.startswith((f"/t/{subdomain}/", "/static/"))
    ]
    assert stray == [], f"links leaving /t/{subdomain}/ on {page.url}: {stray}"


def assert_stylesheet_applied(page) -> None:
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == STYLED_BODY_BACKGROUND


# --- tests ----------------------------------------------------------------------------------


def test_signup_hands_off_under_the_path_and_tracks_tasks_in_a_project(page, path_server):
    server = path_server.url
    subdomain = unique_subdomain("path")
    email = f"owner@{subdomain}.test"
    base = path_tenant_url(server, subdomain)

    handoffs: list[str] = []
    page.on("request", lambda r: handoffs.append(r.url) if "/auth/handoff/" in r.url else None)
    css: list[tuple[str, int]] = []
    page.on("response", lambda r: css.append((r.url, r.status)) if r.url.endswith(".css") else None)
    path_sign_up(page, server, subdomain=subdomain, email=email, password=NEW_PASSWORD)

    assert len(handoffs) == 1
    assert re.fullmatch(rf"{re.escape(base)}/auth/handoff/[^/]+/", handoffs[0])
    assert page.url == f"{base}/"
    assert page.locator("h1").inner_text() == "Projects"
    assert email in topbar(page)
    assert "Your workspace is ready." in page.locator("ul.messages").inner_text()
    assert f"{server}/static/css/awan.css" in [url for url, _ in css]
    assert all(status in (200, 304) for _, status in css), css
    assert_stylesheet_applied(page)
    assert_same_host_urls_stay_under_the_prefix(page, server, subdomain)
    screenshot(page, "path-dashboard.png")

    page.fill("#id_name", "Path launch")
    page.fill("#id_description", "Everything, one host, one prefix.")
    page.click("button:has-text('Create project')")
    page.wait_for_url(re.compile(rf"{re.escape(base)}/projects/\d+/$"))
    assert page.locator("h1").inner_text() == "Path launch"

    page.fill("input[name=title]", "Check the prefix")
    with page.expect_navigation():
        page.click("form.add-task button:has-text('Add')")
    assert page.locator("p.counts").inner_text().startswith("1 open · 0 done")
    with page.expect_navigation():
        page.locator("li.task", has_text="Check the prefix").locator("button.check").click()

    assert re.fullmatch(rf"{re.escape(base)}/projects/\d+/", page.url)
    assert "0 open · 1 done" in page.locator("p.counts").inner_text()
    assert "done" in (
        page.locator("li.task", has_text="Check the prefix").get_attribute("class") or ""
    )
    assert_stylesheet_applied(page)
    assert_same_host_urls_stay_under_the_prefix(page, server, subdomain)
    screenshot(page, "path-project.png")

    page.click("a.brand")
    page.wait_for_url(f"{base}/")
    assert page.locator("a.card.project", has_text="Path launch").is_visible()


def test_two_workspaces_stay_logged_in_side_by_side_with_path_scoped_cookies(page, path_server):
    server = path_server.url
    first, second = unique_subdomain("path-a"), unique_subdomain("path-b")
    first_base = path_sign_up(page, server, subdomain=first, password=NEW_PASSWORD)
    second_base = path_sign_up(page, server, subdomain=second, password=NEW_PASSWORD)
    first_email, second_email = f"owner@{first}.test", f"owner@{second}.test"

    for _ in range(2):
        for base, mine, theirs in (
            (first_base, first_email, second_email),
            (second_base, second_email, first_email),
        ):
            page.goto(f"{base}/")
            assert page.url == f"{base}/", "sent to the login page: the session was lost"
            assert page.locator("h1").inner_text() == "Projects"
            assert mine in topbar(page)
            assert theirs not in topbar(page)

    sessions = [c for c in page.context.cookies() if c["name"] == "awan_session"]
    assert sorted(c["path"] for c in sessions) == sorted([f"/t/{first}/", f"/t/{second}/"])
    assert all(c["httpOnly"] for c in sessions)


def test_owner_logs_back_in_and_resets_the_password_under_the_path(page, path_server):
    server = path_server.url
    subdomain = unique_subdomain("path")
    email = f"owner@{subdomain}.test"
    base = path_sign_up(page, server, subdomain=subdomain, email=email, password=NEW_PASSWORD)

    log_out(page)
    assert page.url == f"{base}/login/"
    assert email not in topbar(page)
    log_in(page, base, email=email, password=NEW_PASSWORD)
    assert page.url == f"{base}/"
    assert page.locator("h1").inner_text() == "Projects"
    assert email in topbar(page)
    log_out(page)

    page.click("a:has-text('Forgot your password?')")
    page.wait_for_url(f"{base}/password-reset/")
    page.fill("#id_email", email)
    with page.expect_navigation():
        page.click("button:has-text('Send reset link')")
    assert page.url == f"{base}/password-reset/sent/"
    assert page.locator("h1").inner_text() == "Check your email"

    link_re = re.compile(r"http://\S+/reset/\S+/")
    wait_until(
        lambda: link_re.search(path_server.proc.output()) is not None,
        timeout=10,
        what="the reset email in the gunicorn log",
    )
    links = link_re.findall(path_server.proc.output())
    assert len(links) == 1, links
    assert re.fullmatch(rf"{re.escape(base)}/reset/[^/]+/[^/]+/", links[0])

    page.goto(links[0])  # redirects to …/reset/<uid>/set-password/
    assert page.url.startswith(f"{base}/reset/")
    assert page.locator("h1").inner_text() == "Choose a new password"
    page.fill("#id_new_password1", RESET_PASSWORD)
    page.fill("#id_new_password2", RESET_PASSWORD)
    with page.expect_navigation():
        page.click("button:has-text('Set password')")
    assert page.url == f"{base}/reset/done/"
    assert page.locator("h1").inner_text() == "Password set"

    log_in(page, base, email=email, password=NEW_PASSWORD)  # the old one no longer works
    assert page.url == f"{base}/login/"
    assert page.locator("div.errors[role=alert]").is_visible()
    log_in(page, base, email=email, password=RESET_PASSWORD)
    assert page.url == f"{base}/"
    assert email in topbar(page)


def test_unknown_workspace_path_shows_the_no_workspace_page(page, path_server):
    response = page.goto(f"{path_server.url}/t/nosuch-workspace/")

    assert response is not None and response.status == 404
    assert page.locator("h1").inner_text() == "There is no workspace at this address"
    screenshot(page, "path-unknown-workspace.png")
