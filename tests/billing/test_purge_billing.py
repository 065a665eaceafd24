"""A purged tenant stops paying: its Stripe subscription is cancelled (once, idempotently)
before its data goes; if Stripe can't be reached, nothing is dropped and the purge waits. The
operators' admin "delete now" (no grace period) keeps the same promise."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from billing.models import Subscription
from tenants.lifecycle import tenant_delete_cancel, tenant_delete_request, tenant_purge
from tenants.models import Tenant
from tenants.selectors import schema_exists
from tenants.services import tenant_signup
from tests.billing.conftest import PRICES
from tests.conftest import PASSWORD, operator_verified
from tests.queue import run_queued


def _subscribed(stripe, subdomain: str) -> tuple[Tenant, str]:
    tenant = tenant_signup(
        name=f"{subdomain} Co",
        subdomain=subdomain,
        owner_email=f"o@{subdomain}.test",
        password=PASSWORD,
    ).tenant
    customer = f"cus_{subdomain}"
    sub = stripe._new_subscription(customer, PRICES["team"], {"tenant_id": str(tenant.pk)})
    Subscription.objects.filter(tenant=tenant).update(
        status="active",
        stripe_customer_id=customer,
        stripe_subscription_id=sub["id"],
        current_period_end=timezone.now(),
    )
    return tenant, sub["id"]


@pytest.fixture
def paying(stripe, run_on_commit):
    tenant, sub_id = _subscribed(stripe, "paying")
    tenant_delete_request(tenant=tenant, reason="Closed", actor="operator:ana", grace_days=0)
    run_queued(only="tenant_export_build")
    return tenant, sub_id, Subscription.objects.get(tenant=tenant).pk


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


@pytest.fixture
def operator(public_client):
    root = get_user_model().objects.create_superuser("root", "root@awan.test", "op-pass-12345")
    return operator_verified(public_client, root)


def test_delete_now_in_the_admin_cancels_the_stripe_subscription_first(stripe, operator):
    tenant, sub_id = _subscribed(stripe, "quick")
    response = operator.post(f"/admin/tenants/tenant/{tenant.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Tenant.objects.filter(pk=tenant.pk).exists()
    assert stripe.subscriptions[sub_id]["status"] == "canceled"
    assert [r.path for r in stripe.requests if r.method == "DELETE"] == [
        f"/v1/subscriptions/{sub_id}"
    ]


def test_delete_now_without_stripe_deletes_nothing_and_says_why(stripe, operator, settings):
    tenant, _ = _subscribed(stripe, "kept")
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # nothing listens there
    response = operator.post(
        f"/admin/tenants/tenant/{tenant.pk}/delete/", {"post": "yes"}, follow=True
    )
    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    assert any("kept" in m and "nothing was deleted" in m for m in shown), shown
    assert Tenant.objects.get(pk=tenant.pk).status == "active"
    assert schema_exists(schema_name=tenant.schema_name)
    assert Subscription.objects.get(tenant=tenant).status == "active"


def test_bulk_delete_now_keeps_the_tenant_stripe_did_not_answer_for(stripe, operator, settings):
    tenant, _ = _subscribed(stripe, "bulkkept")
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"
    response = operator.post(
        "/admin/tenants/tenant/",
        {"action": "delete_selected", "_selected_action": [tenant.pk], "post": "yes"},
        follow=True,
    )
    assert response.status_code == 200
    shown = " ".join(str(m) for m in response.context["messages"])
    assert "Not deleted: bulkkept" in shown
    assert schema_exists(schema_name=tenant.schema_name)
    assert Tenant.objects.filter(pk=tenant.pk).exists()


# --- the grace period: nobody pays for a period they'll never use ------------------------


def _renewal(sub_id: str, stripe, tenant: Tenant) -> tuple[bool, bool, bool]:
    row = Subscription.objects.get(tenant=tenant)
    return (
        stripe.subscriptions[sub_id]["cancel_at_period_end"],
        row.cancel_at_period_end,
        row.renewal_paused_for_deletion,
    )


def test_a_deletion_request_stops_renewal_and_cancelling_it_brings_renewal_back(
    stripe, run_on_commit
):
    tenant, sub_id = _subscribed(stripe, "leaving")
    tenant_delete_request(tenant=tenant, reason="Closing", actor="owner:o@leaving.test")
    assert [r for _, r in run_queued(only="subscription_renewal_follow")] == ["paused"]
    assert _renewal(sub_id, stripe, tenant) == (True, True, True)
    assert Subscription.objects.get(tenant=tenant).status == "active"  # paid-for time is kept

    tenant_delete_cancel(tenant=Tenant.objects.get(pk=tenant.pk), actor="owner:o@leaving.test")
    assert [r for _, r in run_queued(only="subscription_renewal_follow")] == ["resumed"]
    assert _renewal(sub_id, stripe, tenant) == (False, False, False)
    keys = [r.idempotency_key for r in stripe.requests if r.path == f"/v1/subscriptions/{sub_id}"]
    assert len(keys) == 2 and len(set(keys)) == 2  # two different questions, two keys


def test_a_customer_who_had_turned_renewal_off_keeps_it_off_after_a_cancelled_deletion(
    stripe, run_on_commit
):
    tenant, sub_id = _subscribed(stripe, "chose")
    stripe.subscriptions[sub_id]["cancel_at_period_end"] = True
    Subscription.objects.filter(tenant=tenant).update(cancel_at_period_end=True)
    tenant_delete_request(tenant=tenant, reason="Closing", actor="operator:ana")
    tenant_delete_cancel(tenant=Tenant.objects.get(pk=tenant.pk), actor="operator:ana")
    assert [r for _, r in run_queued(only="subscription_renewal_follow")] == [
        "unchanged",
        "unchanged",
    ]
    assert _renewal(sub_id, stripe, tenant) == (True, True, False)
    assert not [r for r in stripe.requests if r.method == "POST" and "subscriptions/" in r.path]


def test_tasks_run_out_of_order_still_leave_stripe_matching_the_tenant(stripe, run_on_commit):
    tenant, sub_id = _subscribed(stripe, "flip")
    tenant_delete_request(tenant=tenant, reason="Closing", actor="operator:ana")
    tenant_delete_cancel(tenant=Tenant.objects.get(pk=tenant.pk), actor="operator:ana")
    tenant_delete_request(
        tenant=Tenant.objects.get(pk=tenant.pk), reason="Closing after all", actor="operator:ana"
    )
    results = run_queued(only="subscription_renewal_follow")  # three tasks, one state: pending
    assert [r for _, r in results] == ["paused", "unchanged", "unchanged"]
    assert _renewal(sub_id, stripe, tenant) == (True, True, True)


def test_if_stripe_is_down_the_deletion_still_starts_and_the_pause_is_retried(
    stripe, run_on_commit, settings
):
    from billing.services import subscription_renewal_follow_deletion

    tenant, sub_id = _subscribed(stripe, "later")
    reachable = settings.STRIPE_API_BASE
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # nothing listens there
    tenant_delete_request(tenant=tenant, reason="Closing", actor="operator:ana")
    assert Tenant.objects.get(pk=tenant.pk).status == "pending_deletion"
    with pytest.raises(Exception):  # noqa: B017 (the SDK's connection error: the task retries)
        subscription_renewal_follow_deletion(tenant_id=tenant.pk)
    assert _renewal(sub_id, stripe, tenant) == (False, False, False)
    settings.STRIPE_API_BASE = reachable
    assert subscription_renewal_follow_deletion(tenant_id=tenant.pk) == "paused"
    assert _renewal(sub_id, stripe, tenant) == (True, True, True)


def test_a_trial_without_a_stripe_subscription_asks_stripe_nothing(stripe, run_on_commit):
    tenant = tenant_signup(
        name="Trial Co", subdomain="trialco", owner_email="o@trialco.test", password=PASSWORD
    ).tenant
    tenant_delete_request(tenant=tenant, reason="Closing", actor="operator:ana")
    assert [r for _, r in run_queued(only="subscription_renewal_follow")] == ["unchanged"]
    assert stripe.requests == []
