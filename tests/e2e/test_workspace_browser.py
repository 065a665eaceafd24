"""The workspace's own pages in a real browser: the team and invitations, API keys, outgoing
webhooks, usage charts and the full data export, on a laptop (1280 px) and a phone (390 px).

Same setup as test_newcomer_browser.py: Debian's Chromium driven by Playwright's sync API against
a real gunicorn on the test database, and a real Celery worker where one is needed (emails go to
its log through the console backend); tenants at http://<subdomain>.localhost:PORT. Screenshots go
to test-artifacts/workspace-*-{1280,390}.png (git-ignored).

Never `playwright install`. Without /usr/bin/chromium these tests skip, unless
AWAN_REQUIRE_BROWSER=1 (CI), where a missing browser is a failure.
"""

from __future__ import annotations

import csv
import io
import json
import re
import time
import zipfile
from collections.abc import Callable, Iterator
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import requests
from django.conf import settings
from django.utils import timezone
from django.utils.dateformat import format as date_format

from tenants import errors
from tenants.workspace.usage import week_start
from tenants.workspace.webhooks import signature
from tests.e2e.browser import (
    DESKTOP,
    PHONE,
    add_team_member,
    log_in,
    messages,
    other_page,
    screenshot,
    sign_up,
    submit,
    unique_subdomain,
    visit,
)
from tests.e2e.conftest import wait_until
from tests.fakes.receiver import Receiver

pytestmark = pytest.mark.e2e

PASSWORD = "juniper-lagoon-walrus-3381"
MEMBER_PASSWORD = "amber-thicket-marmot-9027"
COLLEAGUE_PASSWORD = "cobalt-meadow-heron-5512"
NAV = "header.topbar nav.nav"
# The workspace header's links, in order, for an owner or admin and for a member (stable channel).
OWNER_NAV = ["Projects", "Team", "Usage", "Developers", "Settings", "Billing"]
MEMBER_NAV = ["Projects", "Team", "Usage", "Settings", "Billing"]
INVITATION_SENT = (
    r"tenants\.workspace\.tasks\.invitation_email_send\[[\w-]+\] succeeded in [\d.e-]+s: True"
)
INVITATION_LINK = r"http://\S+/invitations/[\w-]+/"
RAW_KEY = r"awan_([0-9a-f]{8})_[\w-]{43}"
SECRET = r"whsec_[0-9a-f]{48}"
KEY_REFUSED = {"error": "not_authenticated", "detail": "Invalid, expired or revoked API key."}
VIEWPORTS = {"390": PHONE, "1280": DESKTOP}


# --- helpers --------------------------------------------------------------------------------


def long_email(prefix: str, subdomain: str) -> str:
    """A 60-character address at this workspace's test domain, one long word before the @."""
    domain = f"@{subdomain}.test"
    local = (prefix + ".konstantinopoulou.procurement" + "x" * 60)[: 60 - len(domain)]
    return local + domain


def new_workspace(
    page, server_url: str, prefix: str, owner: Callable[[str], str] | None = None
) -> tuple[str, str, str]:
    """Sign up; returns (subdomain, base URL, owner's email). The owner is
    owner@<subdomain>.test, or `owner(subdomain)` when given."""
    subdomain = unique_subdomain(prefix)
    email = owner(subdomain) if owner else f"owner@{subdomain}.test"
    base = sign_up(page, server_url, subdomain=subdomain, email=email, password=PASSWORD)
    return subdomain, base, email


def nav_links(page) -> list[str]:
    return [t.strip() for t in page.locator(f"{NAV} > a").all_text_contents()]


def add_project(page, base: str, *, name: str) -> str:
    """From the dashboard: create a project; returns its URL."""
    visit(page, f"{base}/")
    page.fill("#id_name", name)
    submit(
        page,
        "button:has-text('Create project')",
        url=re.compile(rf"{re.escape(base)}/projects/\d+/$"),
    )
    return page.url


def add_task(page, title: str) -> None:
    """On a project page: add a task."""
    page.fill("input[name=title]", title)
    submit(page, "form.add-task button:has-text('Add')")


def reload_until(page, check: Callable[[], bool], *, what: str, timeout: float = 20) -> None:
    """Reload the page until `check()` holds on it (the worker changes things behind it)."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what} on {page.url}")
        page.wait_for_timeout(250)
        page.reload()


def at_width(page, width: str) -> None:
    page.set_viewport_size(VIEWPORTS[width])


def assert_no_sideways_scroll(page) -> None:
    """The page is no wider than the window. On failure, name the elements sticking out."""
    found = page.evaluate(
        """() => ({
            scrollWidth: document.documentElement.scrollWidth,
            innerWidth: window.innerWidth,
            sticking_out: Array.from(document.querySelectorAll("body *"))
                .filter(e => !e.closest(".table-scroll"))
                .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
                .slice(0, 6)
                .map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "")
                    + (e.className && typeof e.className === "string"
                        ? "." + e.className.trim().split(/\\s+/).join(".") : "")),
        })"""
    )
    assert found["scrollWidth"] <= found["innerWidth"], f"{page.url} scrolls sideways: {found}"


def table_boxes(page) -> dict[str, dict]:
    """Each `.table-scroll` box (by its card's id): where it ends, how it overflows, and whether
    it really scrolls its table sideways (scrollLeft moves)."""
    return page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll(".table-scroll")].map(box => {
            const before = box.scrollLeft;
            box.scrollLeft = 10000;
            const moved = box.scrollLeft > before;
            box.scrollLeft = before;
            return [box.closest("section").id, {
                right: box.getBoundingClientRect().right,
                innerWidth: window.innerWidth,
                overflowX: getComputedStyle(box).overflowX,
                clientWidth: box.clientWidth,
                tableWidth: box.querySelector("table").scrollWidth,
                scrolls: moved,
            }];
        }))"""
    )


def assert_wide_tables_scroll_in_their_box(page) -> dict[str, dict]:
    boxes = table_boxes(page)
    for name, box in boxes.items():
        assert box["right"] <= box["innerWidth"] + 0.5, (name, box)
        assert box["overflowX"] == "auto", (name, box)
        if box["tableWidth"] > box["clientWidth"]:
            assert box["scrolls"], (name, box)
    return boxes


def phone_and_laptop_shots(page, name: str) -> None:
    """Screenshots of the current page at 1280 and 390 px (left at 1280); at 390 nothing may
    scroll sideways but a table inside its box."""
    for width in ("1280", "390"):
        at_width(page, width)
        if width == "390":
            assert_no_sideways_scroll(page)
            assert_wide_tables_scroll_in_their_box(page)
        screenshot(page, f"workspace-{name}-{width}.png")
    at_width(page, "1280")


def invitation_link(worker, email: str) -> str:
    """The link in the last invitation email the worker sent to `email`."""
    worker.wait_for_line(INVITATION_SENT)
    wait_until(lambda: f"\nTo: {email}\n" in worker.output(), timeout=10, what=f"email to {email}")
    log = worker.output()
    message = log[log.rindex(f"\nTo: {email}\n") :].split("-" * 20, 1)[0]
    found = re.search(INVITATION_LINK, message)
    assert found is not None, message
    return found.group(0)


def api(port: int, subdomain: str, raw_key: str, method: str, path: str, **kwargs):
    """A request to the API the way a client elsewhere makes it: to the server's address, with
    the workspace's host name and an API key."""
    headers = {"Host": f"{subdomain}.localhost:{port}", "Authorization": f"Bearer {raw_key}"}
    return requests.request(
        method, f"http://127.0.0.1:{port}{path}", headers=headers, timeout=10, **kwargs
    )


def port_of(url: str) -> int:
    port = urlsplit(url).port
    assert port is not None
    return port


def deliveries(page) -> list[list[str]]:
    return [
        [c.strip() for c in row.locator("td").all_inner_texts()]
        for row in page.locator("#deliveries tbody tr").all()
    ]


def first_delivery(page, column: int) -> str:
    """A cell of the newest delivery's row ("" while there is none)."""
    rows = deliveries(page)
    return rows[0][column] if rows and len(rows[0]) > column else ""


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    hooks = Receiver()
    yield hooks
    hooks.close()


# --- 1-2. the team --------------------------------------------------------------------------


def test_an_invited_colleague_chooses_a_password_and_is_on_the_team_as_admin(
    page, browser, live_server_url, celery_worker
):
    subdomain, base, owner = new_workspace(page, live_server_url, "invite")
    colleague = f"dana@{subdomain}.test"
    visit(page, f"{base}/members/")
    assert page.locator(".page-head .stat").inner_text() == "1 member of 15"
    page.fill("#invite #id_email", colleague)
    page.select_option("#invite #id_role", "admin")
    submit(page, "button:has-text('Send invitation')", url=f"{base}/members/")

    assert messages(page) == [f"Invitation sent to {colleague}."]
    assert page.locator(".page-head .stat").inner_text() == "1 member + 1 invited of 15"
    pending = page.locator("#invitations li.row")
    assert pending.count() == 1
    assert pending.locator(".wrap-anywhere").inner_text() == colleague
    assert pending.locator(".pill").text_content() == "admin"

    link = invitation_link(celery_worker, colleague)
    log = celery_worker.output()
    assert f"Subject: {owner} invited you to Org {subdomain} on Awan\n" in log
    assert f"{owner} invited you to join Org {subdomain} on Awan as admin." in log
    assert link.startswith(f"{base}/invitations/")

    with other_page(browser) as theirs:
        visit(theirs, link)
        assert theirs.locator("#invitation h1").inner_text() == f"Join Org {subdomain}"
        assert theirs.locator("#invitation p").first.inner_text() == (
            f"You're invited as admin, with the email {colleague}."
        )
        theirs.fill("#id_password", COLLEAGUE_PASSWORD)
        submit(theirs, f"button:has-text('Join Org {subdomain}')", url=f"{base}/")
        assert messages(theirs) == [f"Welcome to Org {subdomain}!"]
        assert theirs.locator("h1").inner_text() == "Projects"
        assert theirs.locator(f"{NAV} .nav-user").inner_text() == colleague
        assert nav_links(theirs) == OWNER_NAV  # an admin sees Developers
        visit(theirs, link, status=404)  # used: it works once
        assert theirs.locator("#invitation p[role=alert]").inner_text() == (
            errors.INVITATION_INVALID
        )

    visit(page, f"{base}/members/")
    rows = page.locator("#members li.row")
    assert rows.count() == 2
    assert [r.locator(".pill").text_content() for r in rows.all()] == ["owner", "admin"]
    theirs_row = rows.filter(has_text=colleague)
    assert theirs_row.locator(".pill").text_content() == "admin"
    assert theirs_row.locator("select").input_value() == "admin"
    assert page.locator("#invitations").count() == 0  # nothing pending any more
    assert page.locator(".page-head .stat").inner_text() == "2 members of 15"
    phone_and_laptop_shots(page, "team")


def test_a_member_sees_the_team_without_the_invite_form_or_role_controls(
    page, browser, live_server_url
):
    subdomain, base, owner = new_workspace(page, live_server_url, "member")
    member = f"morgan@{subdomain}.test"
    add_team_member(subdomain, email=member, password=MEMBER_PASSWORD)
    visit(page, f"{base}/members/")
    assert nav_links(page) == OWNER_NAV
    assert page.locator("#invite").count() == 1
    assert page.locator("#members select").count() == 1  # the member's, not the owner's own

    with other_page(browser) as theirs:
        log_in(theirs, base, email=member, password=MEMBER_PASSWORD)
        visit(theirs, f"{base}/members/")
        assert nav_links(theirs) == MEMBER_NAV
        assert theirs.locator(f"{NAV} a:text-is('Developers')").count() == 0
        rows = theirs.locator("#members li.row")
        assert [r.locator(".wrap-anywhere").inner_text() for r in rows.all()] == [owner, member]
        assert [r.locator(".pill").text_content() for r in rows.all()] == ["owner", "member"]
        assert theirs.locator("#invite").count() == 0
        assert theirs.locator("#invitations").count() == 0
        assert theirs.locator("#members select").count() == 0
        assert theirs.locator("#members .row-actions").count() == 0
        for action in ("Change", "make owner", "remove"):
            assert theirs.locator(f"main button:text-is('{action}')").count() == 0, action
        assert theirs.locator("button:text-is('Leave this workspace')").is_visible()
        table = theirs.locator("#roles table.perm-table")
        assert table.locator("thead th").all_inner_texts() == ["", "Owner", "Admin", "Member"]
        assert table.locator("tbody tr").count() == 10
        screenshot(theirs, "workspace-team-as-member-1280.png")

        visit(theirs, f"{base}/developers/api-keys/", status=403)
        assert theirs.locator("p[role=alert]").inner_text() == errors.ADMINS_ONLY
        visit(theirs, f"{base}/developers/webhooks/", status=403)
        assert theirs.locator("p[role=alert]").inner_text() == errors.ADMINS_ONLY


# --- 3. API keys ----------------------------------------------------------------------------


def test_an_api_key_is_shown_once_works_until_revoked_and_then_gets_401(page, live_server_url):
    subdomain, base, owner = new_workspace(page, live_server_url, "keys")
    port = port_of(live_server_url)
    keys_url = f"{base}/developers/api-keys/"
    with page.expect_navigation(url=keys_url):
        page.click(f"{NAV} a:text-is('Developers')")
    assert page.locator("nav.tabs a").all_inner_texts() == ["API keys", "Webhooks", "API docs"]
    assert page.locator("#keys").inner_text().endswith("No keys yet.")

    page.fill("#id_name", "Zapier")
    page.select_option("#id_scope", "write")
    submit(page, "button:has-text('Create key')", url=keys_url)
    raw = page.locator("#new-key code.key").inner_text()
    match = re.fullmatch(RAW_KEY, raw)
    assert match is not None, raw
    prefix = match.group(1)
    row = page.locator("#keys li.row", has_text="Zapier")
    assert row.locator("code").inner_text() == f"awan_{prefix}_…"
    assert row.locator(".pill").text_content() == "write"
    assert row.locator(".row-main .small").inner_text() == f"by {owner} · never used"
    phone_and_laptop_shots(page, "api-key-new")

    visit(page, keys_url)  # the key is not shown again
    assert page.locator("#new-key").count() == 0
    assert raw not in page.content()

    created = api(port, subdomain, raw, "POST", "/api/v1/projects/", json={"name": "From Zapier"})
    assert created.status_code == 201, created.text
    assert created.json()["name"] == "From Zapier"
    visit(page, f"{base}/")
    assert page.locator("main", has_text="From Zapier").count() == 1

    visit(page, keys_url)
    row = page.locator("#keys li.row", has_text="Zapier")
    assert (
        row.locator(".row-main .small").inner_text() == f"by {owner} · last used 0\xa0minutes ago"
    )
    phone_and_laptop_shots(page, "api-keys")

    dialogs: list[str] = []
    page.once("dialog", lambda d: (dialogs.append(d.message), d.accept()))
    with page.expect_navigation(url=keys_url):
        row.locator("button:text-is('revoke')").click()
    assert dialogs == ["Revoke Zapier? Requests with it will be refused."]
    assert messages(page) == ["Key revoked: requests with it are refused from now on."]
    row = page.locator("#keys li.row", has_text="Zapier")
    assert row.get_attribute("class") == "row inactive"
    revoked_on = date_format(timezone.now(), "M j")
    assert row.locator(".row-main .small").inner_text() == f"by {owner} · revoked {revoked_on}"
    assert row.locator("button").count() == 0

    refused = api(port, subdomain, raw, "POST", "/api/v1/projects/", json={"name": "Too late"})
    assert refused.status_code == 401
    assert refused.json() == KEY_REFUSED
    assert refused.headers["WWW-Authenticate"] == 'Bearer realm="api"'
    assert api(port, subdomain, raw, "GET", "/api/v1/projects/").status_code == 401

    # The third tab: the API's docs, served from this host (no CDN).
    hosts: set[str] = set()
    page.on("request", lambda r: hosts.add(urlsplit(r.url).netloc))
    with page.expect_navigation(url=f"{base}/api/docs/"):
        page.click("nav.tabs a:text-is('API docs')")
    projects_list = page.locator(
        ".opblock-get .opblock-summary-path[data-path='/api/v1/projects/']"
    )
    projects_list.wait_for()
    title = page.locator(".swagger-ui .info .title").inner_text().splitlines()[0]
    assert title == settings.SPECTACULAR_SETTINGS["TITLE"]
    assert hosts == {f"{subdomain}.localhost:{port}"}


# --- 4. webhooks ----------------------------------------------------------------------------


def test_a_webhook_is_delivered_shown_with_its_result_and_redelivered_on_request(
    page, live_server_url, celery_worker, receiver
):
    _, base, _ = new_workspace(page, live_server_url, "hooks")
    visit(page, f"{base}/developers/webhooks/")
    assert page.locator("nav.tabs a[aria-current=page]").inner_text() == "Webhooks"
    page.fill("#id_url", receiver.url)
    page.check("input[name=events][value='project.created']")
    submit(
        page,
        "button:has-text('Add endpoint')",
        url=re.compile(rf"{re.escape(base)}/developers/webhooks/\d+/$"),
    )
    detail = page.url
    assert messages(page) == ["Endpoint added. Its signing secret is shown below."]
    assert page.locator("h1").inner_text() == receiver.url
    assert page.locator("#endpoint code").first.inner_text() == "project.created"
    secret = page.locator("#endpoint p", has_text="Signing secret").locator("code").inner_text()
    assert re.fullmatch(SECRET, secret), secret
    assert deliveries(page) == [["Nothing sent yet."]]

    add_project(page, base, name="Hooked")
    wait_until(lambda: len(receiver.received) == 1, timeout=20, what="the webhook's POST")
    sent = receiver.received[0]
    assert sent.path == "/hooks/awan"
    assert sent.headers["Awan-Event"] == "project.created"
    body = json.loads(sent.body)
    assert body["type"] == "project.created"
    assert body["data"]["name"] == "Hooked"
    timestamp = int(sent.headers["Awan-Signature"].split(",")[0].removeprefix("t="))
    assert sent.headers["Awan-Signature"] == signature(
        secret=secret, timestamp=timestamp, body=sent.body
    )

    visit(page, detail)
    reload_until(
        page,
        lambda: first_delivery(page, 2) == "Delivered · 200",
        what="the delivery to be recorded",
    )
    [row] = deliveries(page)
    event, when, result, took, tries, action = row
    assert (event, result, tries, action) == (
        "project.created",
        "Delivered · 200",
        "1",
        "redeliver",
    )
    assert re.fullmatch(r"\d+ ms", took), took
    assert re.fullmatch(r"[A-Z][a-z]{2} \d{1,2}, \d\d:\d\d:\d\d", when), when
    assert page.locator("#deliveries td.status-succeeded").count() == 1
    phone_and_laptop_shots(page, "webhook-delivered")

    receiver.answers.append(500)
    submit(page, "#deliveries button:text-is('redeliver')", url=detail)
    assert messages(page) == ["Delivery queued again."]
    reload_until(
        page,
        lambda: first_delivery(page, 4) == "2",
        what="the worker to try the delivery again",
    )
    [row] = deliveries(page)
    assert row[2] == "Failed, will retry · 500"
    assert re.fullmatch(r"\d+ ms", row[3]), row[3]
    assert page.locator("#deliveries td.status-retrying").count() == 1
    assert len(receiver.received) == 2
    assert receiver.received[1].headers["Awan-Delivery"] == sent.headers["Awan-Delivery"]
    phone_and_laptop_shots(page, "webhook-failed")

    visit(page, f"{base}/developers/webhooks/")
    endpoint = page.locator("#endpoints li.row")
    assert endpoint.locator("a").inner_text() == receiver.url
    assert endpoint.locator(".pill").text_content() == "on"


# --- 5. usage -------------------------------------------------------------------------------


def test_the_usage_page_draws_this_weeks_tasks_and_counts_the_workspace(page, live_server_url):
    _, base, _ = new_workspace(page, live_server_url, "usage")
    add_project(page, base, name="Garden")
    for title in ("Order seeds", "Fix the fence", "Plant tomatoes"):
        add_task(page, title)
    submit(page, "li.task:has-text('Fix the fence') button.check")
    assert page.locator("li.task.done").count() == 1
    add_project(page, base, name="Kitchen")

    with page.expect_navigation(url=f"{base}/usage/"):
        page.click(f"{NAV} a:text-is('Usage')")
    assert page.locator(".page-head .stats .stat").all_inner_texts() == [
        "1 member",
        "2 projects",
        "2 open tasks",
    ]
    assert page.locator(".chart-card h2").all_inner_texts() == [
        "Tasks",
        "API calls",
        "Webhook deliveries",
    ]
    tasks = page.locator("#usage-tasks")
    legend = [" ".join(t.split()) for t in tasks.locator(".legend span").all_text_contents()]
    assert legend == ["3 created", "1 completed"]

    def bars(kind: str) -> list[tuple[str, float, float]]:
        """(title, height in the SVG, height drawn on screen) of each week's bar."""
        found = []
        for rect in tasks.locator(f"svg.chart rect.{kind}").all():
            box = rect.bounding_box()
            assert box is not None
            found.append(
                (
                    rect.locator("title").text_content(),
                    float(rect.get_attribute("height")),
                    box["height"],
                )
            )
        return found

    created, completed = bars("created"), bars("completed")
    assert len(created) == len(completed) == 12
    assert created[-1][0] == "3 created" and completed[-1][0] == "1 completed"
    assert created[-1][1] > 0 and created[-1][2] > 10  # this week: a bar you can see
    assert completed[-1][1] == pytest.approx(created[-1][1] / 3, abs=0.1)
    assert all(height == 0 for _, height, _ in created[:-1] + completed[:-1])
    this_week = week_start(timezone.localdate()).strftime("%d %b")
    assert tasks.locator("svg.chart text").all_text_contents()[-2] == this_week
    for other in ("#usage-api_calls", "#usage-webhooks"):
        heights = [
            float(h)
            for h in page.locator(f"{other} rect").evaluate_all(
                "rects => rects.map(r => r.getAttribute('height'))"
            )
        ]
        assert heights and not any(heights), other
    phone_and_laptop_shots(page, "usage")


# --- 6. data export -------------------------------------------------------------------------


def test_the_whole_workspace_is_exported_to_a_zip_with_progress_on_the_page(
    page, browser, live_server_url, request, tmp_path
):
    subdomain, base, _ = new_workspace(page, live_server_url, "export")
    project_url = add_project(page, base, name="Export me")
    add_task(page, "Count the spoons")
    visit(page, f"{base}/settings/")
    with page.expect_navigation(url=f"{base}/settings/export/"):
        page.click("#your-data a:text-is('Export all data')")
    assert page.locator("h1").inner_text() == "Export all your data"
    assert page.locator("#exports").count() == 0

    submit(page, "#export button:has-text('Export all data')", url=f"{base}/settings/export/")
    # No worker yet: the export waits, and the page says so and refreshes itself.
    assert messages(page) == ["Export started: this page shows its progress."]
    row = page.locator("#exports li.row")
    assert row.inner_text().strip() == "Waiting for a worker: 0%"
    assert row.locator("[role=progressbar]").get_attribute("aria-valuenow") == "0"
    assert page.locator("#export button").inner_text() == "Export in progress…"
    assert page.locator("#export button").is_disabled()
    assert page.locator("meta[http-equiv=refresh]").get_attribute("content") == "2"
    phone_and_laptop_shots(page, "export-waiting")

    request.getfixturevalue("celery_worker")
    link = page.locator("#exports a[href$='/download/']")
    link.wait_for(timeout=30_000)  # the page reloads itself until the worker is done
    filename, href = link.inner_text(), link.get_attribute("href")
    assert re.fullmatch(rf"{subdomain}-export-\d{{8}}-\d{{4}}\.zip", filename), filename
    assert page.locator("#export button").inner_text() == "Export all data"
    assert page.locator("meta[http-equiv=refresh]").count() == 0
    until = date_format(timezone.now() + timedelta(days=1), "M j")
    assert re.fullmatch(
        rf"{re.escape(filename)}\n[\d.]+\xa0KB · until {until}, \d\d:\d\d",
        page.locator("#exports .row-main").inner_text().strip(),
    ), page.locator("#exports .row-main").inner_text()
    phone_and_laptop_shots(page, "export-ready")

    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == filename
    saved = tmp_path / filename
    download.save_as(saved)
    with zipfile.ZipFile(saved) as archive:
        names = set(archive.namelist())
        assert {"manifest.json", "json/core_app_project.json", "csv/core_app_project.csv"} <= names
        assert "json/core_app_task.json" in names and "csv/core_app_task.csv" in names
        manifest = json.loads(archive.read("manifest.json"))
        projects = json.loads(archive.read("json/core_app_project.json"))
        tasks = json.loads(archive.read("json/core_app_task.json"))
        project_rows = list(
            csv.DictReader(io.StringIO(archive.read("csv/core_app_project.csv").decode()))
        )
        users = json.loads(archive.read("json/auth_user.json"))
    project_id = int(project_url.rstrip("/").rsplit("/", 1)[1])
    assert [(p["id"], p["name"]) for p in projects] == [(project_id, "Export me")]
    assert [(t["project_id"], t["title"]) for t in tasks] == [(project_id, "Count the spoons")]
    assert [(r["id"], r["name"]) for r in project_rows] == [(str(project_id), "Export me")]
    assert manifest["tables"]["core_app_project"]["rows"] == 1
    assert users and all("password" not in u for u in users)  # secrets stay out

    member = f"member@{subdomain}.test"
    add_team_member(subdomain, email=member, password=MEMBER_PASSWORD)
    with other_page(browser) as theirs:
        log_in(theirs, base, email=member, password=MEMBER_PASSWORD)
        visit(theirs, f"{base}/settings/")
        assert theirs.locator("#your-data").count() == 0
        visit(theirs, f"{base}/settings/export/", status=403)
        assert theirs.locator("p[role=alert]").inner_text() == errors.ADMINS_ONLY
        visit(theirs, f"{base}{href}", status=403)  # nor download it


# --- 7. long values on a phone --------------------------------------------------------------


@pytest.mark.parametrize("width", VIEWPORTS, ids=[f"{w}px" for w in VIEWPORTS])
def test_no_workspace_page_scrolls_sideways_with_long_values(
    page, browser, live_server_url, celery_worker, receiver, width
):
    subdomain, base, owner = new_workspace(
        page, live_server_url, "wide", owner=lambda sub: long_email("owner", sub)
    )
    invitee, member = long_email("invitee", subdomain), long_email("member", subdomain)
    assert len(owner) == len(invitee) == len(member) == 60
    add_team_member(subdomain, email=member, password=MEMBER_PASSWORD)
    visit(page, f"{base}/members/")
    page.fill("#invite #id_email", invitee)
    submit(page, "button:has-text('Send invitation')", url=f"{base}/members/")
    link = invitation_link(celery_worker, invitee)

    # A webhook endpoint whose URL has a 200-character path, one unbreakable word.
    origin = receiver.url.removesuffix("/hooks/awan")
    path = ("/hooks/awan/" + "quarterly-procurement-review-northwest-" * 6)[:200]
    long_url = origin + path
    visit(page, f"{base}/developers/webhooks/")
    page.fill("#id_url", long_url)
    page.fill("#id_description", "Everything, for the procurement team's dashboard")
    for box in page.locator("input[name=events]").all():
        box.check()
    submit(page, "button:has-text('Add endpoint')", url=re.compile(r".*/developers/webhooks/\d+/$"))
    detail = page.url
    add_project(page, base, name="Quarterly procurement review for the northwestern region")
    visit(page, detail)
    reload_until(
        page,
        lambda: first_delivery(page, 2) == "Delivered · 200",
        what="the delivery",
    )
    assert receiver.received[0].path == path

    visit(page, f"{base}/settings/export/")
    submit(page, "#export button:has-text('Export all data')")
    page.locator("#exports a[href$='/download/']").wait_for(timeout=30_000)

    at_width(page, width)
    pages = {
        "team": f"{base}/members/",
        "webhooks": f"{base}/developers/webhooks/",
        "webhook-detail": detail,
        "usage": f"{base}/usage/",
        "export": f"{base}/settings/export/",
        "settings": f"{base}/settings/",
    }
    for name, url in pages.items():
        visit(page, url)
        assert_no_sideways_scroll(page)
        boxes = assert_wide_tables_scroll_in_their_box(page)
        if name == "webhook-detail" and width == "390":
            # The log is wider than a phone: it scrolls inside its card, not the page.
            assert boxes["deliveries"]["tableWidth"] > boxes["deliveries"]["clientWidth"]
            assert boxes["deliveries"]["scrolls"]
        if name == "team":
            assert set(boxes) == {"roles"}
        screenshot(page, f"workspace-long-{name}-{width}.png")

    # The new key is shown once, on the answer to the form: with a long name.
    visit(page, f"{base}/developers/api-keys/")
    page.fill("#id_name", "Nightly synchronisation with the accounting system of the northwest")
    submit(page, "button:has-text('Create key')")
    assert page.locator("#new-key").is_visible()
    assert_no_sideways_scroll(page)
    screenshot(page, f"workspace-long-api-keys-{width}.png")

    with other_page(browser, viewport=VIEWPORTS[width]) as theirs:
        visit(theirs, link)
        assert invitee in theirs.locator("#invitation").inner_text()
        assert_no_sideways_scroll(theirs)
        screenshot(theirs, f"workspace-long-invitation-{width}.png")
