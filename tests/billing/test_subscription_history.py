"""Every change of a subscription's status or plan leaves a history row, whoever made it
(a service, the trial sweep's bulk update, raw SQL), with the price it earned then; a deleted
subscription's end is recorded too, unlinked from the tenant that is going."""

from __future__ import annotations

from django.db import connection

from billing.models import Plan, Subscription, SubscriptionChange


def _history(subscription_id: int) -> list[tuple[str, str, int]]:
    return list(
        SubscriptionChange.objects.filter(subscription_key=subscription_id)
        .order_by("changed_at", "id")
        .values_list("status", "plan_key", "mrr_cents")
    )


def test_status_and_plan_changes_are_recorded_with_the_price_they_earn(acme):
    sub = Subscription.objects.get(tenant=acme.tenant)
    start = _history(sub.pk)
    assert start[-1][0] == "trialing" and start[-1][2] == 0
    starter, business = Plan.objects.get(key="starter"), Plan.objects.get(key="business")
    Subscription.objects.filter(pk=sub.pk).update(status="active", plan=starter)
    Subscription.objects.filter(pk=sub.pk).update(stripe_customer_id="cus_1")  # not a change
    with connection.cursor() as cursor:  # whatever path: raw SQL too
        cursor.execute(
            "UPDATE billing_subscription SET plan_id = %s WHERE id = %s", [business.pk, sub.pk]
        )
    Subscription.objects.filter(pk=sub.pk).update(status="past_due")
    Subscription.objects.filter(pk=sub.pk).update(status="canceled")
    assert _history(sub.pk)[len(start) :] == [
        ("active", "starter", 900),
        ("active", "business", 9900),
        ("past_due", "business", 9900),
        ("canceled", "business", 0),
    ]
    assert set(
        SubscriptionChange.objects.filter(subscription_key=sub.pk).values_list(
            "tenant_id", flat=True
        )
    ) == {acme.tenant.pk}


def test_a_deleted_subscription_ends_its_history_without_pointing_at_its_tenant(acme):
    sub = Subscription.objects.get(tenant=acme.tenant)
    key = sub.pk
    sub.delete()
    last = SubscriptionChange.objects.filter(subscription_key=key).order_by("-id").first()
    assert (last.status, last.mrr_cents, last.tenant_id) == ("deleted", 0, None)
