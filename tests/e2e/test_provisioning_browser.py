"""With the pool of spare schemas empty, a signup still lands at once: on a progress page that
moves on by itself, in a real browser, as soon as a real worker has built the workspace."""

from __future__ import annotations

import pytest

from tenants import errors
from tenants.models import SpareSchema, Tenant
from tenants.provisioning import schema_drop
from tests.e2e.browser import PHONE, fill_signup, screenshot, tenant_url, unique_subdomain
from tests.e2e.conftest import BIN, WORKER_ARGS, process_env, wait_until

pytestmark = pytest.mark.e2e
PASSWORD = "a-long-browser-password-5"


def test_an_empty_pool_shows_a_progress_page_that_moves_on_by_itself(
    page, live_server_url, start_process, server_port
):
    for name in list(SpareSchema.objects.values_list("schema_name", flat=True)):
        SpareSchema.objects.filter(schema_name=name).delete()
        schema_drop(schema_name=name)
    subdomain = unique_subdomain("slow")
    base = tenant_url(live_server_url, subdomain)
    page.set_viewport_size(PHONE)
    fill_signup(page, live_server_url, subdomain=subdomain, email=f"o@{subdomain}.test",
                password=PASSWORD)  # fmt: skip
    with page.expect_navigation(url=f"{base}/auth/handoff/**"):
        page.click("button:has-text('Create workspace')")

    assert page.locator("h1").inner_text() == f"Setting up Org {subdomain}"
    assert errors.WORKSPACE_PROVISIONING in page.locator("#provisioning").inner_text()
    assert page.locator("ol.steps li.current").count() == 1
    assert Tenant.objects.get(subdomain=subdomain).status == Tenant.Status.PROVISIONING
    screenshot(page, "provisioning-phone.png")

    # Only now does a worker start: the page, left alone, must move on to the dashboard.
    worker = start_process(
        [str(BIN / "celery"), *WORKER_ARGS],
        name="celery-provisioning",
        env=process_env(SITE_URL=f"http://localhost:{server_port}"),
    )
    wait_until(lambda: "ready." in worker.output(), timeout=30, what="the worker")
    page.wait_for_url(f"{base}/", timeout=30_000)
    assert f"Welcome to Org {subdomain}!" in page.locator("ul.messages").inner_text()
    page.click("label.nav-toggle-label")  # phone: the account is in the menu
    assert f"o@{subdomain}.test" in page.locator("header.topbar nav").inner_text()
    assert Tenant.objects.get(subdomain=subdomain).status == Tenant.Status.ACTIVE
    worker.wait_for_line(r"tenant_provision\[[^\]]+\] succeeded")
