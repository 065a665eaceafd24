"""What a newcomer runs into first, in a real browser: the pages on a phone, finding the way
back into a workspace, the settings page, and small things that read wrong. Each test is a
defect a user found; each would fail on the UI before the fix.

Same setup as test_browser.py: Debian's Chromium driven by Playwright's sync API against a real
gunicorn on the test database; tenants at http://<subdomain>.localhost:PORT. Screenshots go to
test-artifacts/ (git-ignored): phone-*.png at 390 px, laptop-*.png at 1280 px.

Never `playwright install`. Without /usr/bin/chromium these tests skip, unless
AWAN_REQUIRE_BROWSER=1 (CI), where a missing browser is a failure.
"""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from billing.models import Subscription
from tenants import errors
from tenants.channels import channel_set
from tenants.models import Tenant
from tests.e2e.browser import (
    DESKTOP,
    PHONE,
    add_member,
    fill_signup,
    log_in,
    other_page,
    screenshot,
    sign_up,
    submit_signup,
    tenant_url,
    unique_subdomain,
    visit,
)

pytestmark = pytest.mark.e2e

PASSWORD = "juniper-lagoon-walrus-3381"
MEMBER_PASSWORD = "amber-thicket-marmot-9027"
CHANGED_PASSWORD = "indigo-prairie-osprey-6604"
# 60 characters each, one of them a single long word: what a phone header must survive.
LONG_NAME = "Kraftfahrzeughaftpflichtversicherungsgesellschaft Nordwest AG"[:60]
VIEWPORTS = {"phone": PHONE, "laptop": DESKTOP}
# The workspace header's links, in order (Insights only on beta).
NAV_LINKS = ("Projects", "Team", "Settings", "Billing")
NAV = "header.topbar nav.nav"
MENU = "header.topbar label.nav-toggle-label"


def long_email(subdomain: str) -> str:
    """A 60-character address at this workspace's test domain."""
    domain = f"@{subdomain}.test"
    local = ("alexandra.konstantinopoulou.procurement" + "x" * 60)[: 60 - len(domain)]
    return local + domain


def sign_up_long_named(page, server_url: str) -> tuple[str, str, str]:
    """A workspace with a 60-character name, owned by a 60-character email; returns (subdomain,
    base URL, email)."""
    subdomain = unique_subdomain("phone")
    email = long_email(subdomain)
    assert len(LONG_NAME) == 60 and len(email) == 60
    base = sign_up(
        page,
        server_url,
        subdomain=subdomain,
        email=email,
        password=PASSWORD,
        organization_name=LONG_NAME,
    )
    return subdomain, base, email


def add_project(page, base: str, *, name: str, description: str = "") -> str:
    """From the dashboard: create a project; returns its URL."""
    page.goto(f"{base}/")
    page.fill("#id_name", name)
    page.fill("#id_description", description)
    with page.expect_navigation(url=re.compile(rf"{re.escape(base)}/projects/\d+/$")):
        page.click("button:has-text('Create project')")
    return page.url


def add_task(page, title: str) -> None:
    """On a project page: add a task."""
    page.fill("input[name=title]", title)
    with page.expect_navigation():
        page.click("form.add-task button:has-text('Add')")


def assert_no_sideways_scroll(page, width: int) -> None:
    """The page is no wider than the window. On failure, name the elements sticking out."""
    found = page.evaluate(
        """() => ({
            scrollWidth: document.documentElement.scrollWidth,
            innerWidth: window.innerWidth,
            sticking_out: Array.from(document.querySelectorAll("body *"))
                .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
                .slice(0, 6)
                .map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "")
                    + (e.className && typeof e.className === "string"
                        ? "." + e.className.trim().split(/\\s+/).join(".") : "")),
        })"""
    )
    assert found["innerWidth"] == width
    assert found["scrollWidth"] <= found["innerWidth"], f"{page.url} scrolls sideways: {found}"


def header_height(page) -> float:
    box = page.locator("header.topbar").bounding_box()
    assert box is not None
    return box["height"]


def log_out(page) -> None:
    """Through the menu when the header has one (a phone), directly otherwise."""
    if page.locator(MENU).is_visible():
        page.click(MENU)
    with page.expect_navigation():
        page.click("header.topbar button:has-text('Log out')")


# --- a. phones ------------------------------------------------------------------------------


@pytest.mark.parametrize("width", VIEWPORTS, ids=list(VIEWPORTS))
def test_no_workspace_page_scrolls_sideways(page, live_server_url, width):
    viewport = VIEWPORTS[width]
    page.set_viewport_size(viewport)
    subdomain, base, email = sign_up_long_named(page, live_server_url)
    channel_set(
        tenant=Tenant.objects.get(subdomain=subdomain), channel="beta", actor="operator:test"
    )
    project = add_project(
        page,
        base,
        name="Quarterly procurement review for the northwestern region",
        description="Every supplier contract, renewal date and contact person in one place.",
    )
    add_task(page, "Collect the signed framework agreements from the regional offices")
    add_member(page, base, email="m." + email[2:], password=MEMBER_PASSWORD)

    pages = {
        "dashboard": f"{base}/",
        "project": project,
        "members": f"{base}/members/",
        "settings": f"{base}/settings/",
        "billing": f"{base}/billing/",
        "insights": f"{base}/insights/",
    }
    for name, url in pages.items():
        visit(page, url)
        assert_no_sideways_scroll(page, viewport["width"])
        screenshot(page, f"{width}-{name}.png")

    log_out(page)
    for url in (f"{base}/login/", f"{base}/password-reset/"):
        visit(page, url)
        assert_no_sideways_scroll(page, viewport["width"])
    screenshot(page, f"{width}-password-reset.png")


@pytest.mark.parametrize("width", VIEWPORTS, ids=list(VIEWPORTS))
def test_no_public_page_scrolls_sideways(page, live_server_url, width):
    viewport = VIEWPORTS[width]
    page.set_viewport_size(viewport)
    for name in ("", "pricing/", "signup/", "login/"):
        visit(page, f"{live_server_url}/{name}")
        assert_no_sideways_scroll(page, viewport["width"])
    screenshot(page, f"{width}-find-workspace.png")

    # The answer repeats a 60-character email; the signup form's errors are long sentences.
    page.fill("#id_email", long_email("example"))
    with page.expect_navigation():
        page.click("button:has-text('Email me my workspaces')")
    assert_no_sideways_scroll(page, viewport["width"])
    screenshot(page, f"{width}-find-workspace-sent.png")

    visit(page, f"{live_server_url}/signup/")
    screenshot(page, f"{width}-signup.png")
    page.fill("#id_subdomain", "-bad-")
    with page.expect_navigation():
        page.click("button:has-text('Create workspace')")
    assert page.locator("p.error", has_text=errors.SUBDOMAIN_FORMAT).is_visible()
    assert_no_sideways_scroll(page, viewport["width"])
    screenshot(page, f"{width}-signup-errors.png")


def test_on_a_phone_the_workspace_header_is_one_short_line_and_the_links_open_from_a_menu(
    page, live_server_url
):
    page.set_viewport_size(PHONE)
    _, base, email = sign_up_long_named(page, live_server_url)

    menu = page.locator(MENU)
    assert menu.is_visible()
    assert menu.inner_text().split() == ["☰", "Menu"]
    assert header_height(page) <= 64
    for name in NAV_LINKS:
        assert page.locator(f"{NAV} a:text-is('{name}')").is_hidden(), name
    assert page.locator(f"{NAV} button:has-text('Log out')").is_hidden()
    # The long name is cut short on the one line, not pushed past the edge.
    brand = page.locator("header.topbar .brand-name").bounding_box()
    assert brand is not None and brand["x"] + brand["width"] <= PHONE["width"]
    assert page.locator("header.topbar .brand-name").inner_text() == LONG_NAME
    screenshot(page, "phone-header-closed.png")

    menu.click()
    for name in NAV_LINKS:
        assert page.locator(f"{NAV} a:text-is('{name}')").is_visible(), name
    assert page.locator(f"{NAV} .nav-user").inner_text() == email
    assert page.locator(f"{NAV} button:has-text('Log out')").is_visible()
    assert_no_sideways_scroll(page, PHONE["width"])
    screenshot(page, "phone-header-open.png")

    with page.expect_navigation(url=f"{base}/settings/"):
        page.click(f"{NAV} a:text-is('Settings')")
    assert page.locator("h1").inner_text() == "Settings"
    assert page.locator(f"{NAV} a:text-is('Settings')").is_hidden()  # closed again
    assert header_height(page) <= 64


def test_on_a_laptop_the_workspace_links_are_in_the_header_without_a_menu(page, live_server_url):
    _, base, email = sign_up_long_named(page, live_server_url)

    assert page.locator(MENU).is_hidden()
    assert header_height(page) <= 64
    for name in NAV_LINKS:
        assert page.locator(f"{NAV} a:text-is('{name}')").is_visible(), name
    assert page.locator(f"{NAV} button:has-text('Log out')").is_visible()
    assert page.locator(f"{NAV} .nav-user").get_attribute("title") == email
    with page.expect_navigation(url=f"{base}/billing/"):
        page.click(f"{NAV} a:text-is('Billing')")
    assert page.locator("h1").inner_text() == "Billing"


# --- b. the way back in ---------------------------------------------------------------------


def ask_for_workspace_links(page, server_url: str, email: str) -> str:
    """Fill in "Log in to your workspace" on the public site; returns the answer shown."""
    visit(page, f"{server_url}/login/")
    page.fill("#find-workspace #id_email", email)
    with page.expect_navigation(url=f"{server_url}/login/") as navigation:
        page.click("button:has-text('Email me my workspaces')")
    response = navigation.value
    assert response is not None and response.status == 200
    return page.locator("#find-workspace p[role=status]").inner_text()


def test_the_public_header_has_a_log_in_link_to_find_your_workspace(page, live_server_url):
    visit(page, f"{live_server_url}/")
    log_in_link = page.locator("header.topbar nav a:text-is('Log in')")
    assert log_in_link.get_attribute("href") == "/login/"

    with page.expect_navigation(url=f"{live_server_url}/login/"):
        log_in_link.click()
    assert page.locator("section#find-workspace h1").inner_text() == "Log in to your workspace"
    assert page.locator("section#find-workspace #id_email").is_visible()
    signup = page.locator("section#find-workspace a:text-is('Create a workspace')")
    assert signup.get_attribute("href") == "/signup/"
    screenshot(page, "find-workspace.png")


def test_finding_a_workspace_answers_the_same_for_a_known_and_an_unknown_email(
    page, browser, live_server_url
):
    subdomain = unique_subdomain("find")
    known = f"owner@{subdomain}.test"
    sign_up(page, live_server_url, subdomain=subdomain, email=known, password=PASSWORD)
    unknown = f"nobody-{uuid.uuid4().hex[:8]}@example.test"

    with other_page(browser) as visitor:  # someone not logged in anywhere
        for_known = ask_for_workspace_links(visitor, live_server_url, known)
        screenshot(visitor, "find-workspace-sent.png")
        for_unknown = ask_for_workspace_links(visitor, live_server_url, unknown)

    assert for_known == errors.WORKSPACE_LOOKUP_SENT.format(email=known)
    assert for_unknown == errors.WORKSPACE_LOOKUP_SENT.format(email=unknown)
    assert for_known.replace(known, "EMAIL") == for_unknown.replace(unknown, "EMAIL")


def test_the_worker_emails_a_link_to_each_workspace_of_that_email_and_nothing_to_a_stranger(
    page, browser, live_server_url, celery_worker
):
    email = f"owner-{uuid.uuid4().hex[:8]}@example.test"
    first, second = unique_subdomain("find-a"), unique_subdomain("find-b")
    sign_up(page, live_server_url, subdomain=first, email=email, password=PASSWORD)
    sign_up(page, live_server_url, subdomain=second, email=email, password=PASSWORD)
    unknown = f"nobody-{uuid.uuid4().hex[:8]}@example.test"
    task = r"tenants\.tasks\.workspace_links_send\[[\w-]+\] succeeded in [\d.e-]+s: "

    with other_page(browser) as visitor:
        ask_for_workspace_links(visitor, live_server_url, unknown)
        celery_worker.wait_for_line(f"(?m){task}0$")
        ask_for_workspace_links(visitor, live_server_url, email)
        celery_worker.wait_for_line(f"(?m){task}2$")

    log = celery_worker.output()
    assert log.count("Subject: Your Awan workspaces") == 1  # one email, not one per workspace
    assert unknown not in log  # nothing went to the stranger
    # The console backend prints the message, then a line of dashes.
    message = log[log.index("Subject: Your Awan workspaces") :].split("-" * 20, 1)[0]
    assert f"\nTo: {email}\n" in message
    links = re.findall(r"http://\S+/login/", message)
    assert sorted(links) == sorted(
        f"{tenant_url(live_server_url, sub)}/login/" for sub in (first, second)
    )


# --- c. settings ----------------------------------------------------------------------------


def test_the_owner_renames_the_workspace_and_the_header_shows_the_new_name(page, live_server_url):
    subdomain = unique_subdomain("settings")
    base = sign_up(page, live_server_url, subdomain=subdomain, password=PASSWORD)
    visit(page, f"{base}/settings/")
    card = page.locator("section#workspace-name")
    assert page.input_value("section#workspace-name #id_name") == f"Org {subdomain}"

    card.locator("#id_name").fill("Renamed Rowing Club")
    with page.expect_navigation(url=f"{base}/settings/"):
        card.locator("button:has-text('Rename workspace')").click()

    assert "Workspace renamed." in page.locator("ul.messages").inner_text()
    assert page.locator("header.topbar .brand-name").inner_text() == "Renamed Rowing Club"
    assert page.input_value("section#workspace-name #id_name") == "Renamed Rowing Club"
    visit(page, f"{base}/")
    assert page.locator("header.topbar .brand-name").inner_text() == "Renamed Rowing Club"
    assert page.title() == "Projects · Renamed Rowing Club"
    assert Tenant.objects.get(subdomain=subdomain).name == "Renamed Rowing Club"


def test_a_member_is_not_offered_renaming_the_workspace_and_cannot_post_it(
    page, browser, live_server_url
):
    subdomain = unique_subdomain("settings")
    base = sign_up(page, live_server_url, subdomain=subdomain, password=PASSWORD)
    member = f"member@{subdomain}.test"
    add_member(page, base, email=member, password=MEMBER_PASSWORD)

    with other_page(browser) as theirs:
        log_in(theirs, base, email=member, password=MEMBER_PASSWORD)
        visit(theirs, f"{base}/settings/")
        card = theirs.locator("section#workspace-name")
        assert card.locator("p.muted").inner_text() == "Only the workspace owner can rename it."
        assert card.locator("form").count() == 0
        assert card.locator("p").first.inner_text() == f"Org {subdomain}"
        screenshot(theirs, "settings-member.png")

        # The form the page doesn't offer, posted by hand, is refused in words.
        response = theirs.evaluate(
            """async () => {
                const body = new URLSearchParams({
                    name: "Hijacked",
                    csrfmiddlewaretoken: document.querySelector(
                        "input[name=csrfmiddlewaretoken]").value,
                });
                const r = await fetch("/settings/name/", {method: "POST", body});
                const html = new DOMParser().parseFromString(await r.text(), "text/html");
                return {status: r.status, alert: html.querySelector("[role=alert]").textContent};
            }"""
        )
    assert response == {"status": 403, "alert": errors.WORKSPACE_OWNER_ONLY}
    assert Tenant.objects.get(subdomain=subdomain).name == f"Org {subdomain}"


def test_a_member_changes_their_password_stays_logged_in_and_logs_in_with_it(
    page, browser, live_server_url
):
    subdomain = unique_subdomain("settings")
    base = sign_up(page, live_server_url, subdomain=subdomain, password=PASSWORD)
    member = f"member@{subdomain}.test"
    add_member(page, base, email=member, password=MEMBER_PASSWORD)

    with other_page(browser) as theirs:
        log_in(theirs, base, email=member, password=MEMBER_PASSWORD)
        visit(theirs, f"{base}/settings/")
        card = theirs.locator("section#your-password")
        card.locator("#id_old_password").fill(MEMBER_PASSWORD)
        card.locator("#id_new_password1").fill(CHANGED_PASSWORD)
        card.locator("#id_new_password2").fill(CHANGED_PASSWORD)
        with theirs.expect_navigation(url=f"{base}/settings/"):
            card.locator("button:has-text('Change password')").click()

        assert "Your password was changed." in theirs.locator("ul.messages").inner_text()
        visit(theirs, f"{base}/")  # still logged in
        assert theirs.url == f"{base}/"
        assert member in theirs.locator("header.topbar").inner_text()

    with other_page(browser) as fresh:
        log_in(fresh, base, email=member, password=MEMBER_PASSWORD)  # the old one
        assert fresh.url == f"{base}/login/"
        assert errors.LOGIN_INVALID in fresh.locator("div.errors[role=alert]").inner_text()
        log_in(fresh, base, email=member, password=CHANGED_PASSWORD)
        assert fresh.url == f"{base}/"
        assert member in fresh.locator("header.topbar").inner_text()


# --- d-f. projects and tasks ----------------------------------------------------------------


def test_a_tasks_notes_are_shown_under_its_title_on_the_project_page(page, live_server_url):
    base = sign_up(page, live_server_url, subdomain=unique_subdomain("notes"), password=PASSWORD)
    project = add_project(page, base, name="Garden")
    add_task(page, "Order seeds")
    add_task(page, "Fix the fence")

    with page.expect_navigation(url=re.compile(r".*/tasks/\d+/edit/$")):
        page.locator("li.task", has_text="Order seeds").locator("a:text-is('edit')").click()
    page.fill("#id_notes", "Tomatoes and basil.\nAsk about the heirloom beans.")
    with page.expect_navigation(url=project):
        page.click("button:has-text('Save')")

    task = page.locator("li.task", has_text="Order seeds")
    notes = task.locator("span.title span.notes")
    assert notes.inner_text() == "Tomatoes and basil.\nAsk about the heirloom beans."
    title, shown = task.locator("span.title").bounding_box(), notes.bounding_box()
    assert title is not None and shown is not None
    assert shown["y"] > title["y"]  # on its own line, under the title
    assert page.locator("li.task", has_text="Fix the fence").locator("span.notes").count() == 0
    screenshot(page, "task-notes.png")


def test_one_open_task_is_counted_as_one_open_task(page, live_server_url):
    base = sign_up(page, live_server_url, subdomain=unique_subdomain("count"), password=PASSWORD)
    add_project(page, base, name="Just one thing")
    add_task(page, "The one thing")
    assert page.locator("p.counts").inner_text() == "1 open · 0 done · 1 task in all"

    visit(page, f"{base}/")
    stats = page.locator(".page-head .stats .stat").all_inner_texts()
    assert stats == ["1 project", "1 open task", "0 done"]


def test_five_quick_export_requests_leave_one_building_entry(page, live_server_url):
    base = sign_up(page, live_server_url, subdomain=unique_subdomain("export"), password=PASSWORD)
    project = add_project(page, base, name="Exports")
    add_task(page, "Something to export")

    # Five requests at once, as from an impatient double (quintuple) click; no worker runs.
    statuses = page.evaluate(
        """async () => {
            const form = [...document.querySelectorAll("form")]
                .find(f => f.action.endsWith("/exports/"));
            const send = () => fetch(form.action, {method: "POST", body: new FormData(form)});
            const responses = await Promise.all([1, 2, 3, 4, 5].map(send));
            return responses.map(r => r.status);
        }"""
    )
    assert statuses == [200] * 5  # each followed its redirect back to the project page
    with page.expect_navigation(url=project):
        page.click("button:has-text('Export CSV')")  # and a sixth, the ordinary way

    entries = page.locator("ul.exports li")
    assert entries.count() == 1
    assert entries.first.inner_text().startswith("Building…")
    screenshot(page, "exports-one-building.png")


# --- g-h. signing up ------------------------------------------------------------------------


def test_a_subdomain_typed_in_capitals_is_accepted_in_lower_case(page, live_server_url):
    hex8 = uuid.uuid4().hex[:8]
    email = f"owner@upperco-{hex8}.test"
    fill_signup(page, live_server_url, subdomain=f"UpperCo-{hex8}", email=email, password=PASSWORD)
    base = submit_signup(page, live_server_url, subdomain=f"upperco-{hex8}")

    assert page.url == f"http://upperco-{hex8}.localhost:{live_server_url.rsplit(':', 1)[1]}/"
    assert base + "/" == page.url
    assert page.locator("h1").inner_text() == "Projects"
    assert email in page.locator("header.topbar").inner_text()
    assert Tenant.objects.filter(subdomain=f"upperco-{hex8}").count() == 1


def test_a_password_like_the_email_is_refused_in_words_about_the_email(page, live_server_url):
    subdomain = unique_subdomain("similar")
    local = "margaretheoberhuber"  # 19 characters: only the similarity rule refuses it
    email = f"{local}@{subdomain}.test"
    fill_signup(page, live_server_url, subdomain=subdomain, email=email, password=local)
    with page.expect_navigation(url=f"{live_server_url}/signup/") as navigation:
        page.click("button:has-text('Create workspace')")

    response = navigation.value
    assert response is not None and response.status == 400
    password_errors = page.locator("#id_password ~ p.error").all_inner_texts()
    assert password_errors == ["The password is too similar to the email address."]
    assert "username" not in page.locator("main").inner_text().lower()
    assert Tenant.objects.filter(subdomain=subdomain).count() == 0
    screenshot(page, "signup-password-like-email.png")


# --- i. read-only ---------------------------------------------------------------------------


def test_an_empty_read_only_workspace_does_not_invite_creating_a_first_project(
    page, live_server_url
):
    subdomain = unique_subdomain("empty")
    base = sign_up(page, live_server_url, subdomain=subdomain, password=PASSWORD)
    updated = Subscription.objects.filter(tenant__subdomain=subdomain).update(
        status=Subscription.Status.EXPIRED, trial_end=timezone.now() - timedelta(days=1)
    )
    assert updated == 1

    visit(page, f"{base}/")
    empty = page.locator("div.card.empty")
    assert empty.inner_text() == (
        "No projects. Your workspace is read-only, so new projects can't be added until you "
        "choose a plan."
    )
    assert empty.locator("a:text-is('choose a plan')").get_attribute("href") == "/billing/"
    assert "Create your first one" not in page.locator("main").inner_text()
    assert page.locator("#id_name").count() == 0
    screenshot(page, "read-only-empty-dashboard.png")
