"""Billing in a real browser: the trial banner and billing page, the read-only workspace after
the trial, and paying for a plan through (fake) Stripe Checkout.

Same setup as test_browser.py: Debian's Chromium driven by Playwright's sync API against a real
gunicorn on the test database; tenants at http://<subdomain>.localhost:PORT. The checkout test
starts its own gunicorn with Stripe settings pointing at tests/fakes/stripe_server.py; the
checkout page itself (https://checkout.stripe.test/...) is intercepted in the browser.

Never `playwright install`. Without /usr/bin/chromium these tests skip, unless
AWAN_REQUIRE_BROWSER=1 (CI), where a missing browser is a failure.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.utils import timezone

from billing import errors
from billing.models import Plan, Subscription
from tenants import errors as tenant_errors
from tests.e2e.browser import (
    add_member,
    log_in,
    other_page,
    screenshot,
    sign_up,
    unique_subdomain,
)
from tests.e2e.conftest import BIN, free_port, http_ok, process_env, wait_until
from tests.fakes.stripe_server import FakeStripe, FakeStripeServer

pytestmark = pytest.mark.e2e

PASSWORD = "cobalt-orchard-pelican-5203"
MEMBER_PASSWORD = "saffron-glacier-heron-4417"
PLANS = ("Starter", "Team", "Business")
PRICES = {"starter": "price_starter_test", "team": "price_team_test", "business": "price_biz_test"}
FAKE_CHECKOUT = "https://checkout.stripe.test"


@pytest.fixture
def fake_stripe() -> Iterator[FakeStripeServer]:
    with FakeStripeServer() as server:
        yield server


@pytest.fixture
def plan_prices(live_db) -> Iterator[dict[str, str]]:
    """Stripe price ids on the Plan rows (committed, so gunicorn sees them); restored after.
    gunicorn's STRIPE_PRICE_* only reach the rows through `billing_sync_plans`."""
    before = dict(Plan.objects.filter(key__in=PRICES).values_list("key", "stripe_price_id"))
    assert set(before) == set(PRICES), "plans missing: seeded_tenants syncs them"
    for key, price_id in PRICES.items():
        Plan.objects.filter(key=key).update(stripe_price_id=price_id)
    yield PRICES
    for key, price_id in before.items():
        Plan.objects.filter(key=key).update(stripe_price_id=price_id)


@pytest.fixture
def stripe_server_url(live_db, start_process, fake_stripe, plan_prices) -> str:
    """Like live_server_url, but with Stripe configured against the fake Stripe server."""
    for price_id in plan_prices.values():
        fake_stripe.state.price(price_id)
    port = free_port()
    start_process(
        [str(BIN / "gunicorn"), "config.wsgi", "--config", "config/gunicorn.conf.py"],
        name=f"gunicorn-stripe-{port}",
        env=process_env(
            PORT=str(port),
            WEB_CONCURRENCY="2",
            STRIPE_SECRET_KEY="sk_test_x",
            STRIPE_PUBLISHABLE_KEY="pk_test_x",
            STRIPE_WEBHOOK_SECRET="whsec_x",
            STRIPE_API_BASE=fake_stripe.url,
            STRIPE_PRICE_STARTER=PRICES["starter"],
            STRIPE_PRICE_TEAM=PRICES["team"],
            STRIPE_PRICE_BUSINESS=PRICES["business"],
        ),
    )
    url = f"http://127.0.0.1:{port}"
    wait_until(lambda: http_ok(f"{url}/healthz"), timeout=30, what="gunicorn to answer /healthz")
    return f"http://localhost:{port}"


def go_to_billing(page, base: str) -> None:
    with page.expect_navigation(url=f"{base}/billing/"):
        page.click("header.topbar a:has-text('Billing')")


def plan_card(page, name: str):
    return page.locator("div.card.plan", has=page.locator(f"h3:text-is('{name}')"))


def checkout_and_portal_buttons(page):
    return page.locator(
        "form[action^='/billing/checkout/'], form[action='/billing/portal/'], "
        "button:has-text('Choose '), button:has-text('Manage billing')"
    )


def assert_payments_unavailable_for_the_owner(page, server_url: str) -> None:
    """Stripe isn't configured: one notice in the customer's words, the owner's setup hint with
    this server's webhook URL, and no button that would lead to a payment."""
    notice = page.locator("section#payments-unavailable")
    assert notice.count() == 1
    assert page.locator("body").inner_text().count(errors.STRIPE_NOT_CONFIGURED) == 1
    assert errors.STRIPE_NOT_CONFIGURED in notice.inner_text()
    hint = notice.locator("p", has_text=errors.STRIPE_SETUP_HINT)
    assert hint.count() == 1
    webhook_url = f"{server_url}/billing/webhooks/stripe/"
    assert notice.locator("code").first.inner_text() == webhook_url
    assert f"stripe listen --forward-to {webhook_url}" in hint.inner_text()
    assert checkout_and_portal_buttons(page).count() == 0
    assert page.locator("p#owner-only").count() == 0


def test_new_tenant_sees_the_trial_banner_and_the_plans_on_the_billing_page(page, live_server_url):
    base = sign_up(page, live_server_url, subdomain=unique_subdomain("bill"), password=PASSWORD)

    banner = page.locator("div.banner[role=status]")
    assert banner.count() == 1
    assert "info" in (banner.get_attribute("class") or "")
    assert "Free trial: 30 days left" in banner.inner_text()
    # No payments on this server yet: the banner links to billing but offers no plan to choose.
    assert banner.locator("a").inner_text() == "Billing"
    assert banner.locator("a").get_attribute("href") == "/billing/"
    assert "Choose a plan" not in banner.inner_text()
    screenshot(page, "billing-trial-dashboard.png")

    go_to_billing(page, base)

    assert page.locator("h1").inner_text() == "Billing"
    assert page.locator("h2", has_text="Your plan:").inner_text() == "Your plan: Free trial"
    assert "30 days left" in page.locator("section.card", has_text="Your plan:").inner_text()
    assert "Free trial: 30 days left" in page.locator("div.banner").inner_text()
    # The plans are shown, but nothing offers to take a payment this server can't take.
    for name in PLANS:
        assert plan_card(page, name).count() == 1, name
    assert page.locator("div.card.plan h3").all_inner_texts() == list(PLANS)
    assert_payments_unavailable_for_the_owner(page, live_server_url)
    screenshot(page, "billing-page.png")


def test_after_the_trial_ends_the_workspace_is_read_only_but_its_data_stays_visible(
    page, live_server_url
):
    subdomain = unique_subdomain("bill")
    base = sign_up(page, live_server_url, subdomain=subdomain, password=PASSWORD)
    page.fill("#id_name", "Kept project")
    page.fill("#id_description", "Made during the trial.")
    page.click("button:has-text('Create project')")
    page.wait_for_url(re.compile(rf"{re.escape(base)}/projects/\d+/$"))

    updated = Subscription.objects.filter(tenant__subdomain=subdomain).update(
        status=Subscription.Status.EXPIRED, trial_end=timezone.now() - timedelta(days=1)
    )
    assert updated == 1

    # The project page was opened while the trial ran; its "Add a task" form is now stale.
    project_url = page.url
    page.fill("input[name=title]", "Refused task")
    with page.expect_navigation() as navigation:
        page.click("button:has-text('Add')")

    response = navigation.value
    assert response is not None and response.status == 403
    assert page.url.startswith(project_url) and page.url.endswith("/tasks/")
    assert page.title().startswith("Read-only")
    assert page.locator("h1").inner_text() == "This workspace is read-only"
    message = errors.READ_ONLY.format(reason=errors.READ_ONLY_TRIAL_ENDED)
    assert page.locator("section.card p", has_text=message).is_visible()
    go = page.locator("main a.button:has-text('Go to billing')")
    assert go.get_attribute("href") == "/billing/"
    screenshot(page, "billing-read-only-refused.png")

    with page.expect_navigation(url=f"{base}/billing/"):
        go.click()
    assert "Your free trial has ended." in page.locator("section.card").first.inner_text()
    assert page.locator("h2", has_text="Your plan:").inner_text() == "Your plan: Free trial (ended)"
    assert_payments_unavailable_for_the_owner(page, live_server_url)
    screenshot(page, "billing-read-only-billing.png")

    page.goto(f"{base}/")
    banner = page.locator("div.banner[role=status]")
    assert "bad" in (banner.get_attribute("class") or "")
    banner_text = banner.inner_text()
    assert "Your workspace is read-only: your free trial has ended." in banner_text
    assert "Your data is safe." in banner_text
    assert page.locator("a.card.project", has_text="Kept project").is_visible()
    assert page.locator("#id_name").count() == 0  # no "New project" form while read-only
    screenshot(page, "billing-read-only.png")

    page.goto(f"{base}/")
    projects = page.locator("a.card.project").all_inner_texts()
    assert len(projects) == 1
    assert "Kept project" in projects[0]


def test_paying_for_a_plan_through_checkout_ends_the_trial(page, stripe_server_url, fake_stripe):
    subdomain = unique_subdomain("bill")
    base = sign_up(page, stripe_server_url, subdomain=subdomain, password=PASSWORD)
    state: FakeStripe = fake_stripe.state

    go_to_billing(page, base)
    assert page.locator("section#payments-unavailable").count() == 0  # Stripe is configured
    assert errors.STRIPE_NOT_CONFIGURED not in page.locator("body").inner_text()
    for name in PLANS:
        assert plan_card(page, name).locator(f"button:text-is('Choose {name}')").is_visible()
    assert page.locator("p#owner-only").count() == 0
    # The app redirects the browser to Stripe's hosted checkout, whose host doesn't resolve
    # here. Playwright routes don't see redirect targets: catch the failed request instead.
    with page.expect_event(
        "requestfailed", predicate=lambda r: r.url.startswith(FAKE_CHECKOUT)
    ) as failed:
        plan_card(page, "Starter").locator("button:has-text('Choose Starter')").click()

    request = failed.value
    assert request.redirected_from is not None
    assert request.redirected_from.url == f"{base}/billing/checkout/starter/"
    match = re.fullmatch(rf"{re.escape(FAKE_CHECKOUT)}/pay/(cs_\w+)", request.url)
    assert match, request.url
    session_id = match.group(1)
    session = state.sessions[session_id]
    assert session["line_items"][0]["price"] == PRICES["starter"]
    assert session["metadata"]["plan"] == "starter"
    assert session["cancel_url"] == f"{base}/billing/"
    success_url = session["success_url"].replace("{CHECKOUT_SESSION_ID}", session_id)
    assert success_url == f"{base}/billing/?session_id={session_id}"

    # A direct navigation can be routed: stand in for the checkout page, then pay.
    page.route(
        f"{FAKE_CHECKOUT}/**",
        lambda route: route.fulfill(
            status=200,
            content_type="text/html",
            body="<!doctype html><title>Checkout</title><h1>Fake Stripe Checkout</h1>",
        ),
    )
    page.goto(request.url)
    assert page.locator("h1").inner_text() == "Fake Stripe Checkout"
    state.complete_checkout(session_id)  # the customer paid
    page.goto(success_url)

    assert page.url == f"{base}/billing/"  # redirected, the session id is gone
    assert "Thank you! Your subscription is active." in page.locator("ul.messages").inner_text()
    assert page.locator("div.banner").count() == 0
    assert page.locator("h2", has_text="Your plan:").inner_text() == "Your plan: Starter"
    assert "Active, renews on" in page.locator("section.card", has_text="Your plan:").inner_text()
    assert plan_card(page, "Starter").locator("text=Your current plan").is_visible()
    assert "current" in (plan_card(page, "Starter").get_attribute("class") or "")
    assert page.locator("button:has-text('Choose Starter')").count() == 0
    assert page.locator("button:has-text('Manage billing')").is_visible()
    screenshot(page, "billing-subscribed.png")

    row = Subscription.objects.select_related("plan").get(tenant__subdomain=subdomain)
    assert row.status == Subscription.Status.ACTIVE
    assert row.plan is not None and row.plan.key == "starter"
    assert row.stripe_subscription_id == state.sessions[session_id]["subscription"]

    page.goto(f"{base}/")
    assert page.locator("div.banner").count() == 0


def assert_member_is_told_only_the_owner_can_pay(page) -> None:
    assert page.locator("p#owner-only").inner_text() == tenant_errors.BILLING_OWNER_ONLY
    assert checkout_and_portal_buttons(page).count() == 0
    assert errors.STRIPE_SETUP_HINT not in page.locator("body").inner_text()


def test_a_member_is_told_only_the_owner_can_pay_and_gets_no_checkout_buttons(
    page, browser, stripe_server_url
):
    subdomain = unique_subdomain("bill")
    base = sign_up(page, stripe_server_url, subdomain=subdomain, password=PASSWORD)
    member = f"member@{subdomain}.test"
    add_member(page, base, email=member, password=MEMBER_PASSWORD)
    go_to_billing(page, base)
    assert page.locator("button:has-text('Choose Starter')").is_visible()  # the owner can

    with other_page(browser) as theirs:
        log_in(theirs, base, email=member, password=MEMBER_PASSWORD)
        assert theirs.url == f"{base}/"
        go_to_billing(theirs, base)

        assert theirs.locator("h2", has_text="Your plan:").inner_text() == "Your plan: Free trial"
        assert_member_is_told_only_the_owner_can_pay(theirs)
        assert theirs.locator("section#payments-unavailable").count() == 0  # Stripe is on
        assert theirs.locator("div.card.plan h3").all_inner_texts() == list(PLANS)
        screenshot(theirs, "billing-member.png")


def test_without_stripe_a_member_reads_the_notice_but_not_the_owners_setup_hint(
    page, browser, live_server_url
):
    subdomain = unique_subdomain("bill")
    base = sign_up(page, live_server_url, subdomain=subdomain, password=PASSWORD)
    member = f"member@{subdomain}.test"
    add_member(page, base, email=member, password=MEMBER_PASSWORD)

    with other_page(browser) as theirs:
        log_in(theirs, base, email=member, password=MEMBER_PASSWORD)
        go_to_billing(theirs, base)

        notice = theirs.locator("section#payments-unavailable")
        assert notice.inner_text() == errors.STRIPE_NOT_CONFIGURED
        assert theirs.locator("body").inner_text().count(errors.STRIPE_NOT_CONFIGURED) == 1
        assert "/billing/webhooks/stripe/" not in theirs.locator("body").inner_text()
        assert_member_is_told_only_the_owner_can_pay(theirs)
        screenshot(theirs, "billing-member-no-stripe.png")
