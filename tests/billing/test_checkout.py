from __future__ import annotations

import html

from billing import errors
from billing.models import Plan, Subscription
from tenants import errors as tenant_errors
from tests.conftest import heroku_router_headers


def _sub(info) -> Subscription:
    return Subscription.objects.get(tenant=info.tenant)


def test_without_stripe_keys_customers_read_customer_words_once(acme, settings):
    settings.STRIPE_SECRET_KEY = ""
    member = acme.client_as(acme.add_member())
    page = member.get("/billing/")
    body = page.content.decode()
    assert page.status_code == 200
    assert body.count(html.escape(errors.STRIPE_NOT_CONFIGURED)) == 1
    for operator_words in ("STRIPE_", "localhost:8000", "docs/billing.md", "stripe listen"):
        assert operator_words not in body
    assert "Choose Starter" not in body  # nothing to click that can't work


def test_without_stripe_keys_the_owner_gets_the_setup_hint_once_with_the_right_url(acme, settings):
    settings.STRIPE_SECRET_KEY = ""
    client = acme.client(HTTP_HOST=f"{acme.host}:8123")
    body = client.get("/billing/").content.decode()
    assert body.count(html.escape(errors.STRIPE_SETUP_HINT)) == 1
    assert "stripe listen --forward-to http://localhost:8123/billing/webhooks/stripe/" in body
    assert "localhost:8000" not in body

    clicked = client.post("/billing/checkout/starter/", follow=True).content.decode()
    assert clicked.count(html.escape(errors.STRIPE_NOT_CONFIGURED)) == 1


def test_a_member_cannot_start_checkout_or_open_the_portal(acme, stripe):
    acme.client().post("/billing/checkout/starter/")  # the owner made the customer
    writes_before = len(stripe.writes())
    member = acme.client_as(acme.add_member())

    for path in ("/billing/checkout/team/", "/billing/portal/"):
        refused = member.post(path)
        assert refused.status_code == 403
        assert html.escape(tenant_errors.BILLING_OWNER_ONLY) in refused.content.decode()
    assert len(stripe.writes()) == writes_before


def test_a_member_sees_who_manages_billing_and_no_buttons(acme, stripe):
    body = acme.client_as(acme.add_member()).get("/billing/").content.decode()
    assert html.escape(tenant_errors.BILLING_OWNER_ONLY) in body
    assert "Choose Starter" not in body and "/billing/portal/" not in body


def test_the_stripe_customer_always_gets_the_owners_email(acme, stripe):
    member = acme.client_as(acme.add_member("first.clicker@acme.test"))
    member.post("/billing/checkout/starter/")
    acme.client().post("/billing/checkout/starter/")
    assert [c["email"] for c in stripe.customers.values()] == [acme.owner_email]


def test_checkout_and_portal_urls_behind_herokus_router_have_no_dyno_port(
    acme, stripe, production_settings
):
    client = acme.client(**heroku_router_headers(host=acme.host))
    client.post("/billing/checkout/starter/")
    client.post("/billing/portal/")
    session = next(iter(stripe.sessions.values()))
    assert (
        session["success_url"] == "https://acme.localhost/billing/?session_id={CHECKOUT_SESSION_ID}"
    )
    assert session["cancel_url"] == "https://acme.localhost/billing/"
    portal = next(r for r in stripe.writes() if r.path == "/v1/billing_portal/sessions")
    assert portal.params["return_url"] == "https://acme.localhost/billing/"


def test_billing_page_shows_trial_and_plans(acme, stripe):
    body = acme.client().get("/billing/").content.decode()
    assert "Your plan: Free trial" in body
    for name in ("Starter", "Team", "Business"):
        assert f"Choose {name}" in body


def test_checkout_creates_customer_once_and_a_subscription_mode_session(acme, stripe):
    client = acme.client()

    first = client.post("/billing/checkout/starter/")
    second = client.post("/billing/checkout/team/")

    assert first.status_code == 302
    assert first["Location"].startswith("https://checkout.stripe.test/pay/cs_")
    assert len(stripe.customers) == 1
    customer = next(iter(stripe.customers.values()))
    assert customer["email"] == acme.owner_email
    assert customer["metadata"] == {"tenant_id": str(acme.tenant.pk), "schema_name": acme.schema}
    sessions = list(stripe.sessions.values())
    assert [s["line_items"][0]["price"] for s in sessions] == [
        "price_starter_test",
        "price_team_test",
    ]
    assert all(s["mode"] == "subscription" and s["customer"] == customer["id"] for s in sessions)
    assert (
        sessions[0]["success_url"]
        == "http://acme.localhost/billing/?session_id={CHECKOUT_SESSION_ID}"
    )
    assert second.status_code == 302
    assert _sub(acme).stripe_customer_id == customer["id"]


def test_every_stripe_write_carries_an_idempotency_key_from_our_ids(acme, stripe):
    sub = _sub(acme)
    client = acme.client()
    client.post("/billing/checkout/starter/")
    client.post("/billing/checkout/starter/")
    client.post("/billing/portal/")

    keys = [r.idempotency_key for r in stripe.writes()]
    assert keys == [
        f"awan-customer-{acme.tenant.pk}",
        f"awan-checkout-{sub.pk}-1",
        f"awan-checkout-{sub.pk}-2",
        f"awan-portal-{sub.pk}-3",
    ]


def test_a_retried_customer_create_returns_the_same_customer(acme, stripe):
    from billing import gateway

    first = gateway.customer_create(
        email="a@b.c", name="A", metadata={}, idempotency_key="awan-customer-x"
    )
    again = gateway.customer_create(
        email="a@b.c", name="A", metadata={}, idempotency_key="awan-customer-x"
    )
    assert first == again and len(stripe.customers) == 1


def test_portal_opens_for_the_tenants_own_customer(acme, stripe):
    client = acme.client()
    client.post("/billing/checkout/starter/")
    response = client.post("/billing/portal/")
    assert response["Location"].startswith("https://billing.stripe.test/session/bps_")
    portal_call = next(r for r in stripe.writes() if r.path == "/v1/billing_portal/sessions")
    assert portal_call.params["customer"] == _sub(acme).stripe_customer_id
    assert portal_call.params["return_url"] == "http://acme.localhost/billing/"


def test_portal_before_any_checkout_explains_there_is_no_account(acme, stripe):
    page = acme.client().post("/billing/portal/", follow=True)
    assert html.escape(errors.NO_STRIPE_CUSTOMER) in page.content.decode()
    assert stripe.writes() == []


def test_returning_from_checkout_activates_the_plan_at_once(acme, stripe):
    client = acme.client()
    client.post("/billing/checkout/team/")
    session_id = next(iter(stripe.sessions))
    stripe.complete_checkout(session_id)

    landed = client.get(f"/billing/?session_id={session_id}", follow=True)

    sub = _sub(acme)
    assert sub.status == Subscription.Status.ACTIVE
    assert sub.plan == Plan.objects.get(key="team")
    assert sub.stripe_subscription_id.startswith("sub_")
    assert "Thank you! Your subscription is active." in landed.content.decode()
    assert "Free trial:" not in landed.content.decode()


def test_subscribing_after_expiry_lifts_read_only_at_once(acme, stripe):
    from datetime import timedelta

    from django.utils import timezone

    Subscription.objects.filter(tenant=acme.tenant).update(
        status=Subscription.Status.EXPIRED, trial_end=timezone.now() - timedelta(days=1)
    )
    client = acme.client()
    assert client.post("/projects/new/", {"name": "blocked"}).status_code == 403
    assert client.post("/billing/checkout/starter/").status_code == 302  # billing stays usable
    session_id = next(iter(stripe.sessions))
    stripe.complete_checkout(session_id)
    client.get(f"/billing/?session_id={session_id}")

    assert client.post("/projects/new/", {"name": "allowed"}).status_code == 302


def test_a_tenant_cannot_claim_another_tenants_checkout_session(acme, globex, stripe):
    acme.client().post("/billing/checkout/business/")
    session_id = next(iter(stripe.sessions))
    stripe.complete_checkout(session_id)

    globex.client().get(f"/billing/?session_id={session_id}")

    assert _sub(globex).status == Subscription.Status.TRIALING
    assert _sub(globex).stripe_subscription_id == ""
    assert _sub(acme).stripe_subscription_id == ""  # not applied through globex either


def test_a_tenants_portal_never_opens_another_tenants_customer(acme, globex, stripe):
    acme.client().post("/billing/checkout/starter/")
    globex.client().post("/billing/checkout/starter/")
    globex.client().post("/billing/portal/")

    portal_call = next(r for r in stripe.writes() if r.path == "/v1/billing_portal/sessions")
    assert portal_call.params["customer"] == _sub(globex).stripe_customer_id
    assert portal_call.params["customer"] != _sub(acme).stripe_customer_id


def test_billing_pages_exist_only_on_tenant_hosts(public_client):
    assert public_client.get("/billing/").status_code == 404


def test_stripe_outage_shows_a_message_and_changes_nothing(acme, stripe):
    stripe.fail_next = 10
    page = acme.client().post("/billing/checkout/starter/", follow=True)
    assert html.escape(errors.STRIPE_UNAVAILABLE) in page.content.decode()
    assert _sub(acme).stripe_customer_id == ""


def test_pricing_page_lists_the_plans(public_client):
    body = public_client.get("/pricing/").content.decode()
    assert "Starter" in body and "$9" in body and "3 projects" in body
    assert "Unlimited projects" in body


def test_an_active_subscriber_cannot_start_a_second_subscription(acme, stripe):
    client = acme.client()
    client.post("/billing/checkout/starter/")
    session_id = next(iter(stripe.sessions))
    stripe.complete_checkout(session_id)
    client.get(f"/billing/?session_id={session_id}")

    again = client.post("/billing/checkout/team/", follow=True)

    assert html.escape(errors.ALREADY_SUBSCRIBED) in again.content.decode()
    assert len(stripe.sessions) == 1
    assert "Switch with “Manage billing” above." in again.content.decode()


def test_expired_trial_is_not_shown_as_a_paid_plan(acme):
    from datetime import timedelta

    from django.utils import timezone

    Subscription.objects.filter(tenant=acme.tenant).update(
        status=Subscription.Status.EXPIRED, trial_end=timezone.now() - timedelta(days=1)
    )
    body = acme.client().get("/billing/").content.decode()
    assert "Your plan: Free trial (ended)" in body


def test_the_trial_banner_offers_choosing_a_plan_only_to_whoever_can(acme, stripe, settings):
    owner_page = acme.client().get("/").content.decode()
    member_page = acme.client_as(acme.add_member()).get("/").content.decode()
    assert ">Choose a plan</a>" in owner_page
    assert ">Choose a plan</a>" not in member_page and ">Billing</a>" in member_page
    settings.STRIPE_SECRET_KEY = ""
    assert ">Choose a plan</a>" not in acme.client().get("/").content.decode()
