"""The operators' console (/console/ on the public host) in a real browser, and the owner's side
of a deletion: an operator signs in with a password and sets up TOTP (QR code, then a code),
reads the dashboard's charts, finds a tenant by name and by its owner's email, filters by
status, suspends and reactivates it from its page and exports it; an owner deletes their
workspace from Settings, sees it read-only with the date, and cancels. Every page is checked on
a laptop (1280 px) and a phone (390 px): nothing scrolls sideways.

Same setup as test_workspace_browser.py: Debian's Chromium driven by Playwright's sync API
against a real gunicorn on the test database (whose settings require the second factor), and a
real Celery worker where one is needed; tenants at http://<subdomain>.localhost:PORT.
Screenshots go to test-artifacts/console-*-{1280,390}.png (git-ignored).

Never `playwright install`. Without /usr/bin/chromium these tests skip, unless
AWAN_REQUIRE_BROWSER=1 (CI), where a missing browser is a failure.
"""

from __future__ import annotations

import base64
import re
import uuid
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from billing.models import Plan, Subscription
from tenants import errors
from tenants.models import AuditEntry, Tenant
from tenants.operators import operator_delete
from tenants.services import tenant_signup
from tests.e2e.browser import (
    DESKTOP,
    PHONE,
    messages,
    other_page,
    screenshot,
    sign_up,
    submit,
    unique_subdomain,
    visit,
)

pytestmark = pytest.mark.e2e

PASSWORD = "juniper-lagoon-walrus-3381"
OPERATOR_PASSWORD = "saffron-glacier-puffin-7716"
VIEWPORTS = {"390": PHONE, "1280": DESKTOP}
CHARTS = ["signups", "trials", "conversion", "mrr", "churn", "tenants"]
CONSOLE_NAV = ["Dashboard", "Tenants", "Exports", "Admin"]
NAV = "header.topbar nav.nav"
MENU = "header.topbar label.nav-toggle-label"


# --- helpers --------------------------------------------------------------------------------


def assert_no_sideways_scroll(page) -> None:
    """The page is no wider than the window; a wide table may scroll inside its own box, which
    must end inside the window. On failure, name the elements sticking out."""
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
            boxes: [...document.querySelectorAll(".table-scroll")].map(box => ({
                right: box.getBoundingClientRect().right,
                overflowX: getComputedStyle(box).overflowX,
            })),
        })"""
    )
    assert found["scrollWidth"] <= found["innerWidth"], f"{page.url} scrolls sideways: {found}"
    for box in found["boxes"]:
        assert box["right"] <= found["innerWidth"] + 0.5, (page.url, box)
        assert box["overflowX"] == "auto", (page.url, box)


def shots(page, name: str) -> None:
    """The current page at 1280 and 390 px (left at 1280), screenshots of both; nothing may
    scroll sideways at either width."""
    for width in ("1280", "390"):
        page.set_viewport_size(VIEWPORTS[width])
        assert page.evaluate("window.innerWidth") == VIEWPORTS[width]["width"]
        assert_no_sideways_scroll(page)
        screenshot(page, f"console-{name}-{width}.png")
    page.set_viewport_size(DESKTOP)


def totp_code(device: TOTPDevice) -> str:
    """What the operator's authenticator app shows right now."""
    device.refresh_from_db()
    return (
        f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"
    )


def password_step(page, server_url: str, operator) -> None:
    """Open the console signed out, get sent to its login, give the password: the next page
    asks for the second factor (set up, for an operator without a device yet)."""
    visit(page, f"{server_url}/console/")
    assert urlsplit(page.url).path == "/console/login/"
    assert parse_qs(urlsplit(page.url).query) == {"next": ["/console/"]}
    assert page.locator("h1").inner_text() == "Operators sign in"
    page.fill("#id_username", operator.username)
    page.fill("#id_password", OPERATOR_PASSWORD)
    submit(page, "button:has-text('Continue')", url=re.compile(r".*/console/2fa/setup/\?"))


def confirm_code(page, server_url: str, operator) -> None:
    """On the 2FA setup page: type the app's current code; lands on the dashboard."""
    device = TOTPDevice.objects.get(user=operator, confirmed=False)
    page.fill("#id_code", totp_code(device))
    submit(page, "button:has-text('Confirm and continue')", url=f"{server_url}/console/")
    assert page.locator("h1").inner_text() == "The business at a glance"


def console_sign_in(page, server_url: str, operator) -> None:
    password_step(page, server_url, operator)
    confirm_code(page, server_url, operator)


def tenant_rows(page) -> list[tuple[str, str]]:
    """(name, subdomain) of each row of the tenants table."""
    rows = []
    for row in page.locator("#tenant-table tbody tr").all():
        if row.locator("td a").count() == 0:
            rows.append((row.inner_text().strip(), ""))
            continue
        rows.append(
            (
                row.locator("td a b").inner_text(),
                row.locator("td").first.locator("span").inner_text(),
            )
        )
    return rows


def search_tenants(page, server_url: str, *, q: str = "", status: str = "") -> list:
    """Fill in the filters on the tenants list and apply them; returns the rows."""
    if urlsplit(page.url).path != "/console/tenants/":
        visit(page, f"{server_url}/console/tenants/")
    page.fill("#id_q", q)
    page.select_option("#id_status", status)
    submit(page, "#filters button:has-text('Filter')", url=re.compile(r".*/console/tenants/\?"))
    return tenant_rows(page)


def audit(page) -> list[str]:
    return [" ".join(t.split()) for t in page.locator("#audit-trail li").all_inner_texts()]


def long_email(subdomain: str) -> str:
    """A 60-character address at this workspace's test domain, one long word before the @."""
    domain = f"@{subdomain}.test"
    return ("margarethe.oberhuber-konstantinopoulou.einkauf" + "x" * 60)[
        : 60 - len(domain)
    ] + domain


def pending_deletion_due(subdomain: str) -> tuple[str, str]:
    """The deletion date as the banner shows it ("5 March 2027") and as the refusal says it."""
    due = Tenant.objects.get(subdomain=subdomain).deletion_due_at
    assert due is not None
    return date_format(timezone.localtime(due), "j F Y"), f"{due:%d %B %Y}"


@pytest.fixture
def operator(live_db) -> Iterator:
    """A staff user of the public schema, without a second factor yet; deleted afterwards."""
    connection.set_schema_to_public()
    username = f"ops-{uuid.uuid4().hex[:8]}"
    user = get_user_model().objects.create_user(
        username, f"{username}@operators.test", OPERATOR_PASSWORD, is_staff=True
    )
    yield user
    connection.set_schema_to_public()
    operator_delete(user=user)
    assert not get_user_model().objects.filter(username=username).exists()


# --- 1. signing in: password, then a second factor set up with a QR code --------------------


def test_an_operator_sets_up_a_second_factor_and_sees_the_dashboard_charts(
    page, live_server_url, operator
):
    # Someone paying, so MRR and conversion have something to draw (dropped after the test).
    paying = tenant_signup(
        name="Paying Customer Ltd",
        subdomain=unique_subdomain("paying"),
        owner_email="billing@paying.test",
        password=PASSWORD,
    ).tenant
    Subscription.objects.filter(tenant=paying).update(
        status=Subscription.Status.ACTIVE, plan=Plan.objects.get(key="team")
    )

    password_step(page, live_server_url, operator)
    assert page.locator("h1").inner_text() == "Set up your second factor"
    qr = page.locator(".qr svg")
    assert qr.is_visible()
    box = qr.bounding_box()
    assert box is not None and box["width"] >= 100 and box["height"] >= 100
    device = TOTPDevice.objects.get(user=operator)
    assert not device.confirmed
    secret = page.locator("#totp-secret").inner_text()
    assert re.fullmatch(r"[A-Z2-7]{4}( [A-Z2-7]{1,4})+", secret), secret
    assert base64.b32decode(secret.replace(" ", "")) == device.bin_key
    # Not in yet: the console sends an unverified operator back to the setup.
    visit(page, f"{live_server_url}/console/tenants/")
    assert urlsplit(page.url).path == "/console/2fa/setup/"
    assert page.locator(".qr svg").count() == 1
    shots(page, "2fa-setup")

    page.fill("#id_code", "000000" if totp_code(device) != "000000" else "111111")
    submit(page, "button:has-text('Confirm and continue')")
    assert page.locator(".error").inner_text() == (
        "That code is not right: check the app's clock, then retry."
    )
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed
    # django-otp makes the next try wait after a wrong code: let that pass.
    page.wait_for_timeout(1500)
    page.fill("#id_code", totp_code(device))
    submit(page, "button:has-text('Confirm and continue')")
    assert urlsplit(page.url).path == "/console/tenants/"  # where it was going
    assert TOTPDevice.objects.get(pk=device.pk).confirmed

    with page.expect_navigation(url=f"{live_server_url}/console/"):
        page.click(f"{NAV} a:text-is('Dashboard')")
    assert page.locator("h1").inner_text() == "The business at a glance"
    assert [t.strip() for t in page.locator(f"{NAV} > a").all_text_contents()] == CONSOLE_NAV
    assert page.locator(f"{NAV} .nav-user").inner_text() == operator.username
    headline = page.locator("#headline .stat").all_inner_texts()
    mrr_now = re.match(r"\$([\d,]+) MRR", headline[0])
    assert len(headline) == 3 and mrr_now is not None, headline
    assert int(mrr_now.group(1).replace(",", "")) >= 29, headline  # the paying tenant's Team
    for key in CHARTS:
        card = page.locator(f"#chart-{key}")
        assert card.is_visible(), key
        assert card.locator("h2").inner_text(), key
    for key in CHARTS[:-1]:
        svg = page.locator(f"#chart-{key} svg.chart")
        assert svg.count() == 1, key
        assert svg.get_attribute("role") == "img"
        assert (
            page.locator(f"#chart-{key} a:text-is('Download CSV')").get_attribute("href")
            == f"/console/series/{key}.csv"
        )
    # This week's signups include the seeded tenants and the paying one: a bar you can see.
    signups = page.locator("#chart-signups svg.chart rect.series-0")
    assert signups.count() >= 1
    last = signups.last.bounding_box()
    assert last is not None and last["height"] > 10
    mrr = page.locator("#chart-mrr")
    assert mrr.locator("rect").count() >= 1
    assert re.search(r"\$[\d,]+\s+Team", mrr.locator(".legend").inner_text())
    assert page.locator("#chart-conversion .legend").inner_text().count("converted") == 1
    # Each legend entry has the colour of its part of the bars.
    for key in CHARTS[:-1]:
        colours = page.locator(f"#chart-{key}").evaluate(
            """card => [...card.querySelectorAll(".legend .swatch")].map(swatch => {
                const series = [...swatch.classList].find(c => c.startsWith("series-"));
                const part = card.querySelector(`svg.chart rect.${series}`);
                return [getComputedStyle(swatch).backgroundColor,
                        part && getComputedStyle(part).fill];
            })"""
        )
        drawn = [(legend, bar) for legend, bar in colours if bar is not None]
        assert all(legend == bar for legend, bar in drawn), (key, colours)
    assert page.locator("#chart-conversion rect.series-1").count() >= 1  # the paying one (green)
    statuses = page.locator("#chart-tenants tbody.group th").all_inner_texts()
    assert statuses, "no status rows"
    assert page.locator("#mrr-table tbody tr").count() >= 1
    shots(page, "dashboard")

    # At 390 px the charts fill the phone's width, with text big enough to read.
    page.set_viewport_size(PHONE)
    for key in CHARTS[:-1]:
        svg = page.locator(f"#chart-{key} svg.chart").bounding_box()
        assert svg is not None and svg["width"] >= 300, (key, svg)
        size = page.locator(f"#chart-{key} svg.chart text").first.evaluate(
            "t => t.getBoundingClientRect().height"
        )
        assert size >= 10, (key, size)
    page.set_viewport_size(DESKTOP)


# --- 2. tenants: search, filter, suspend, reactivate, export --------------------------------


def test_an_operator_finds_a_tenant_suspends_it_with_a_reason_and_reactivates_it(
    page, browser, live_server_url, celery_worker, operator
):
    subdomain = unique_subdomain("north")
    token = subdomain.rsplit("-", 1)[1]
    name = f"Nordwest Logistik Genossenschaft {token}"
    owner = long_email(subdomain)
    with other_page(browser) as owners:
        base = sign_up(
            owners,
            live_server_url,
            subdomain=subdomain,
            email=owner,
            password=PASSWORD,
            organization_name=name,
        )

        console_sign_in(page, live_server_url, operator)
        with page.expect_navigation(url=f"{live_server_url}/console/tenants/"):
            page.click(f"{NAV} a:text-is('Tenants')")
        everyone = tenant_rows(page)
        assert (name, subdomain) in everyone
        assert ("Acme Inc", "acme") in everyone and ("Globex Corp", "globex") in everyone
        assert everyone[0] == (name, subdomain)  # newest first
        shots(page, "tenants")

        # By name (any part, any case), by subdomain, by the owner's email.
        assert search_tenants(page, live_server_url, q=f"logistik GENOSSENSCHAFT {token}") == [
            (name, subdomain)
        ]
        assert page.locator("#result-count").inner_text() == "1 tenant"
        assert page.locator("#id_q").input_value() == f"logistik GENOSSENSCHAFT {token}"
        assert search_tenants(page, live_server_url, q=owner.upper()) == [(name, subdomain)]
        assert search_tenants(page, live_server_url, q="owner@acme.test") == [("Acme Inc", "acme")]
        assert search_tenants(page, live_server_url, q=f"nobody@{subdomain}.test") == [
            ("No tenant matches these filters.", "")
        ]
        assert page.locator("#result-count").inner_text() == "0 tenants"
        # By status.
        assert search_tenants(page, live_server_url, q=subdomain, status="active") == [
            (name, subdomain)
        ]
        assert page.locator("#id_status").input_value() == "active"
        assert search_tenants(page, live_server_url, q=subdomain, status="suspended") == [
            ("No tenant matches these filters.", "")
        ]
        assert search_tenants(page, live_server_url, q=subdomain, status="trialing") == [
            (name, subdomain)
        ]
        row = page.locator("#tenant-table tbody tr").first
        assert row.locator(".status-pill").all_inner_texts() == ["Active", "Trial"]

        with page.expect_navigation(url=f"{live_server_url}/console/tenants/{subdomain}/"):
            page.click(f"#tenant-table a:has-text('{name}')")
        assert page.locator("h1").inner_text() == name
        assert page.locator("#lifecycle-status").inner_text() == "Active"
        assert page.locator("#overview dd").first.inner_text() == owner
        assert page.locator("#member-count").inner_text() == "1"
        assert audit(page) == ["Nothing yet."]
        assert page.locator("#actions h3").all_inner_texts() == ["Suspend", "Export", "Delete"]

        # Suspend, with the reason its users will read.
        reason = "Chargeback on invoice 1042 — call us"
        page.fill("#actions #suspend-reason", reason)
        submit(page, "#actions button:has-text('Suspend')", url=page.url)
        assert messages(page) == ["Suspended: its users now see the reason you gave."]
        assert page.locator("#lifecycle-status").inner_text() == "Suspended"
        assert "suspended" in page.locator("#lifecycle-status").get_attribute("class").split()
        assert page.locator("#suspension-reason").inner_text() == f"Suspended: {reason}"
        trail = audit(page)
        assert len(trail) == 1
        assert trail[0].startswith("Suspended · ")
        assert trail[0].endswith(f" · operator:{operator.username} · “{reason}”")
        assert page.locator("#actions h3").all_inner_texts() == ["Reactivate", "Export", "Delete"]
        assert Tenant.objects.get(subdomain=subdomain).status == "suspended"
        shots(page, "tenant-suspended")
        # On a phone the actions come right after the overview, before the histories.
        page.set_viewport_size(PHONE)
        tops = {
            card: page.locator(f"#{card}").bounding_box()["y"]
            for card in ("overview", "actions", "exports", "billing-history", "audit-trail")
        }
        page.set_viewport_size(DESKTOP)
        assert sorted(tops, key=tops.__getitem__) == [
            "overview",
            "actions",
            "exports",
            "billing-history",
            "audit-trail",
        ], tops

        # The owner's workspace says so, with the reason.
        visit(owners, f"{base}/", status=403)
        assert owners.locator("#suspended p", has_text="Reason:").inner_text() == (
            f"Reason: {reason}"
        )

        assert search_tenants(page, live_server_url, q=subdomain, status="active") == [
            ("No tenant matches these filters.", "")
        ]
        assert search_tenants(page, live_server_url, q=subdomain, status="suspended") == [
            (name, subdomain)
        ]
        assert page.locator("#tenant-table .status-pill").first.inner_text() == "Suspended"

        # Reactivate from its page.
        with page.expect_navigation(url=f"{live_server_url}/console/tenants/{subdomain}/"):
            page.click(f"#tenant-table a:has-text('{name}')")
        page.fill("#actions #reactivate-reason", "Paid by bank transfer")
        submit(page, "#actions button:has-text('Reactivate')", url=page.url)
        assert messages(page) == ["Reactivated."]
        assert page.locator("#lifecycle-status").inner_text() == "Active"
        assert page.locator("#suspension-reason").count() == 0
        trail = audit(page)
        assert [t.split(" · ")[0] for t in trail] == ["Reactivated", "Suspended"]
        assert trail[0].endswith("“Paid by bank transfer”")
        assert list(
            AuditEntry.objects.filter(tenant_subdomain=subdomain).values_list("action", flat=True)
        ) == ["reactivate", "suspend"]
        visit(owners, f"{base}/")
        assert owners.locator("h1").inner_text() == "Projects"

    # Export it: progress on the page, then a download link, and a row on the exports page.
    page.fill("#actions #export-reason", "Before the migration")
    submit(page, "#actions button:has-text('Export the whole schema')", url=page.url)
    assert messages(page) == [
        "Export queued: it appears below with its progress, then a download link."
    ]
    download = page.locator("#exports a:text-is('Download')")
    download.wait_for(timeout=60_000)  # the page refreshes itself while the worker builds it
    assert audit(page)[0].startswith("Export requested · ")
    shots(page, "tenant")

    with page.expect_navigation(url=f"{live_server_url}/console/exports/"):
        page.click(f"{NAV} a:text-is('Exports')")
    row = page.locator("#export-table tbody tr", has_text=subdomain)
    assert row.count() == 1
    assert row.locator("a:text-is('Download')").count() == 1
    assert row.locator("a", has_text=name).get_attribute("href") == (
        f"/console/tenants/{subdomain}/"
    )
    assert row.locator("input[name=subdomain]").is_visible()
    assert row.locator("button:text-is('Restore')").is_visible()
    shots(page, "exports")


# --- 3. the owner deletes their workspace, and changes their mind --------------------------


def test_an_owner_deletes_the_workspace_sees_it_read_only_with_the_date_and_cancels(
    page, live_server_url, celery_worker
):
    subdomain = unique_subdomain("leaving")
    base = sign_up(page, live_server_url, subdomain=subdomain, password=PASSWORD)
    with page.expect_navigation(url=f"{base}/settings/"):
        page.click(f"{NAV} a:text-is('Settings')")
    section = page.locator("#delete-workspace")
    assert section.locator("h2").inner_text() == "Delete this workspace"
    assert subdomain in section.locator("label[for=id_confirm]").inner_text()
    assert page.locator("#deletion-banner").count() == 0
    reason_box = page.locator("#id_reason").bounding_box()
    button_box = section.locator("button").bounding_box()
    assert reason_box is not None and button_box is not None
    assert button_box["y"] >= reason_box["y"] + reason_box["height"] + 8  # not stuck to it
    shots(page, "settings-delete")

    # A mistyped address: nothing happens.
    page.fill("#id_confirm", f"{subdomain}x")
    page.fill("#id_delete_password", PASSWORD)
    submit(page, "#delete-workspace button:has-text('Delete this workspace')")
    assert page.locator("#delete-workspace .error").inner_text() == (
        errors.DELETION_CONFIRM_MISMATCH.format(subdomain=subdomain)
    )
    assert Tenant.objects.get(subdomain=subdomain).status == "active"

    page.fill("#id_confirm", subdomain)
    page.fill("#id_delete_password", PASSWORD)
    page.fill("#id_reason", "Moving to another tool")
    submit(
        page, "#delete-workspace button:has-text('Delete this workspace')", url=f"{base}/settings/"
    )
    tenant = Tenant.objects.get(subdomain=subdomain)
    assert tenant.status == "pending_deletion"
    shown, said = pending_deletion_due(subdomain)
    assert messages(page) == [
        f"Org {subdomain} will be deleted on {tenant.deletion_due_at:%d %B %Y}. Until then you "
        "can export your data, or change your mind and cancel."
    ]
    banner = page.locator("#deletion-banner")
    assert " ".join(banner.inner_text().split()) == (
        f"This workspace will be deleted on {shown}. Until then it is read-only: see settings."
    )
    status = page.locator("#delete-workspace [role=status]").inner_text()
    assert status.startswith(f"Org {subdomain} will be deleted on {shown}.")
    assert page.locator("#delete-workspace button:text-is('Cancel the deletion')").is_visible()
    entry = AuditEntry.objects.get(tenant_subdomain=subdomain, action="deletion_request")
    assert (entry.actor, entry.reason) == (
        f"owner:owner@{subdomain}.test",
        "Moving to another tool",
    )
    shots(page, "settings-pending")

    # Every page says when; a write is refused, saying the same.
    visit(page, f"{base}/")
    assert shown in page.locator("#deletion-banner").inner_text()
    visit(page, f"{base}/members/")
    assert shown in page.locator("#deletion-banner").inner_text()
    visit(page, f"{base}/")
    page.fill("#id_name", "One more project")
    with page.expect_navigation() as answer:
        page.click("button:has-text('Create project')")
    assert answer.value is not None and answer.value.status == 403
    assert page.locator("#pending-deletion [role=alert]").inner_text() == (
        errors.WORKSPACE_PENDING_DELETION.format(due=said)
    )
    assert shown in page.locator("#deletion-banner").inner_text()
    assert_no_sideways_scroll(page)
    screenshot(page, "console-owner-write-refused-1280.png")

    # Changed their mind.
    visit(page, f"{base}/settings/")
    submit(
        page, "#delete-workspace button:has-text('Cancel the deletion')", url=f"{base}/settings/"
    )
    assert messages(page) == ["Deletion cancelled: your workspace stays."]
    assert page.locator("#deletion-banner").count() == 0
    assert page.locator("#delete-workspace #id_confirm").is_visible()
    assert Tenant.objects.get(subdomain=subdomain).status == "active"
    visit(page, f"{base}/")
    assert page.locator("#deletion-banner").count() == 0
    page.fill("#id_name", "One more project")
    submit(
        page,
        "button:has-text('Create project')",
        url=re.compile(rf"{re.escape(base)}/projects/\d+/$"),
    )
    assert page.locator("h1").inner_text() == "One more project"
