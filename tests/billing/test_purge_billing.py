"""A purged tenant stops paying: its Stripe subscription is cancelled (once, idempotently)
before its data goes; if Stripe can't be reached, nothing is dropped and the purge waits."""

from __future__ import annotations

import pytest
from django.utils import timezone

from billing.models import Subscription
from tenants.lifecycle import tenant_delete_request, tenant_purge
from tenants.models import Tenant
from tenants.selectors import schema_exists
from tenants.services import tenant_signup
from tests.billing.conftest import PRICES
from tests.conftest import PASSWORD
from tests.queue import run_queued


@pytest.fixture
def paying(stripe, run_on_commit):
    tenant = tenant_signup(
        name="Paying Co", subdomain="paying", owner_email="o@paying.test", password=PASSWORD
    ).tenant
    sub = stripe._new_subscription("cus_paying", PRICES["team"], {"tenant_id": str(tenant.pk)})
    Subscription.objects.filter(tenant=tenant).update(
        status="active",
        stripe_customer_id="cus_paying",
        stripe_subscription_id=sub["id"],
        current_period_end=timezone.now(),
    )
    tenant_delete_request(tenant=tenant, reason="Closed", actor="operator:ana", grace_days=0)
    run_queued(only="tenant_export_build")
    return tenant, sub["id"], Subscription.objects.get(tenant=tenant).pk


def test_the_purge_cancels_the_stripe_subscription_first(paying, stripe):
    tenant, sub_id, _ = paying
    assert tenant_purge(tenant=tenant) == "purged"
    assert stripe.subscriptions[sub_id]["status"] == "canceled"
    cancels = [r for r in stripe.requests if r.method == "DELETE"]
    assert [r.path for r in cancels] == [f"/v1/subscriptions/{sub_id}"]
    key = f"awan-purge-cancel-{paying[2]}"
    assert cancels[0].idempotency_key == key  # a retried purge asks Stripe the same question


def test_if_stripe_cannot_be_reached_nothing_is_dropped(paying, settings):
    tenant, _, _ = paying
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # nothing listens there
    with pytest.raises(Exception):  # noqa: B017 (the SDK's connection error)
        tenant_purge(tenant=tenant)
    assert Tenant.objects.get(pk=tenant.pk).status == "pending_deletion"
    assert schema_exists(schema_name=tenant.schema_name)
    assert Subscription.objects.get(tenant=tenant).status == "active"
