"""Writes to billing: plans, trials, checkout and portal, applying Stripe's subscription state."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from billing import conf, errors, gateway
from billing.gateway import stripe_id
from billing.models import Plan, Subscription
from billing.selectors import billing_state_for
from tenants.models import Tenant

logger = logging.getLogger(__name__)

# Stripe's subscription statuses → ours. `incomplete` (first payment not made yet) changes
# nothing: the tenant keeps whatever it had until Stripe says the payment went through.
STRIPE_STATUS = {
    "active": Subscription.Status.ACTIVE,
    "trialing": Subscription.Status.ACTIVE,
    "past_due": Subscription.Status.PAST_DUE,
    "unpaid": Subscription.Status.PAST_DUE,
    "canceled": Subscription.Status.CANCELED,
    "incomplete_expired": Subscription.Status.CANCELED,
}


class PlanLimitReached(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BillingError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def plan_sync_from_settings() -> list[Plan]:
    """Make the Plan table match BILLING_PLANS: create, update, deactivate what's gone."""
    synced = []
    with transaction.atomic():
        for order, spec in enumerate(conf.plans()):
            plan, _ = Plan.objects.update_or_create(
                key=spec["key"],
                defaults={
                    "name": spec["name"],
                    "monthly_price_cents": spec["monthly_price_cents"],
                    "currency": spec.get("currency", "usd"),
                    "stripe_price_id": spec.get("stripe_price_id", ""),
                    "max_projects": spec.get("max_projects"),
                    "max_members": spec.get("max_members"),
                    "is_active": True,
                    "sort_order": order,
                },
            )
            synced.append(plan)
        Plan.objects.exclude(pk__in=[p.pk for p in synced]).update(is_active=False)
    return synced


def subscription_start_trial(*, tenant: Tenant, now: datetime | None = None) -> Subscription:
    """Every new tenant starts a card-less trial of TRIAL_DAYS."""
    now = now or timezone.now()
    subscription, _ = Subscription.objects.get_or_create(
        tenant=tenant,
        defaults={
            "status": Subscription.Status.TRIALING,
            "trial_end": now + timedelta(days=conf.trial_days()),
        },
    )
    return subscription


def plan_limit_hold(*, tenant: Tenant, limit: str, count: Callable[[], int]) -> None:
    """Raise PlanLimitReached unless one more `limit` item (max_projects, max_members) fits
    the tenant's plan, and hold that answer until the caller's transaction ends.

    The one place plan limits are checked. It takes a transaction-scoped advisory lock on
    (tenant, limit) before counting, so concurrent adds queue up and each one counts the rows
    the others committed: eight simultaneous "new project" requests on a 3-project plan leave
    exactly three. Must run inside transaction.atomic(), around the insert it guards.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("plan_limit_hold must run inside transaction.atomic()")
    state = billing_state_for(tenant=tenant)
    if state.plan is None:
        return
    allowed = getattr(state.plan, limit)
    if allowed is None:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))",
            [f"awan.plan-limit:{tenant.schema_name}:{limit}"],
        )
    if count() >= allowed:
        raise PlanLimitReached(
            errors.plan_limit(
                plan=state.plan, limit=limit, allowed=allowed, trialing=state.trialing
            )
        )


def _next_idempotency_key(subscription: Subscription, action: str) -> str:
    Subscription.objects.filter(pk=subscription.pk).update(
        stripe_request_seq=F("stripe_request_seq") + 1
    )
    subscription.refresh_from_db(fields=["stripe_request_seq"])
    return f"awan-{action}-{subscription.pk}-{subscription.stripe_request_seq}"


def _ensure_customer(*, subscription: Subscription, email: str) -> str:
    if subscription.stripe_customer_id:
        return subscription.stripe_customer_id
    tenant = subscription.tenant
    customer_id = gateway.customer_create(
        email=email,
        name=tenant.name,
        metadata={"tenant_id": str(tenant.pk), "schema_name": tenant.schema_name},
        idempotency_key=f"awan-customer-{tenant.pk}",
    )
    Subscription.objects.filter(pk=subscription.pk).update(stripe_customer_id=customer_id)
    subscription.stripe_customer_id = customer_id
    return customer_id


def checkout_start(
    *, tenant: Tenant, plan: Plan, email: str, success_url: str, cancel_url: str
) -> str:
    """A Stripe Checkout URL (subscription mode) for `plan`."""
    if not plan.stripe_price_id:
        raise BillingError(errors.PLAN_HAS_NO_PRICE.format(plan=plan.name))
    if billing_state_for(tenant=tenant).has_paid_subscription:
        # A second checkout would start a second subscription billing alongside the first.
        raise BillingError(errors.ALREADY_SUBSCRIBED)
    subscription = subscription_start_trial(tenant=tenant)
    customer_id = _ensure_customer(subscription=subscription, email=email)
    return gateway.checkout_session_create(
        customer_id=customer_id,
        price_id=plan.stripe_price_id,
        success_url=success_url,
        cancel_url=cancel_url,
        client_reference_id=str(tenant.pk),
        metadata={"tenant_id": str(tenant.pk), "plan": plan.key},
        idempotency_key=_next_idempotency_key(subscription, "checkout"),
    )


def portal_open(*, tenant: Tenant, return_url: str) -> str:
    subscription = subscription_start_trial(tenant=tenant)
    if not subscription.stripe_customer_id:
        raise BillingError(errors.NO_STRIPE_CUSTOMER)
    return gateway.portal_session_create(
        customer_id=subscription.stripe_customer_id,
        return_url=return_url,
        idempotency_key=_next_idempotency_key(subscription, "portal"),
    )


def checkout_complete(*, tenant: Tenant, session_id: str) -> Subscription | None:
    """Back from Checkout: apply the new subscription now instead of waiting for the webhook.
    The session must belong to this tenant's customer; anything else is ignored."""
    subscription = subscription_start_trial(tenant=tenant)
    session = gateway.checkout_session_retrieve(session_id=session_id)
    if (
        not subscription.stripe_customer_id
        or session.get("customer") != subscription.stripe_customer_id
    ):
        return None
    stripe_subscription_id = stripe_id(session.get("subscription"))
    if not stripe_subscription_id:
        return None
    return subscription_sync(stripe_subscription_id=stripe_subscription_id, tenant_hint=tenant.pk)


def _subscription_row_for(
    stripe_sub: dict[str, Any], tenant_hint: int | None
) -> Subscription | None:
    rows = Subscription.objects.select_for_update()
    found = rows.filter(stripe_subscription_id=stripe_sub["id"]).first()
    if found is None and stripe_id(stripe_sub.get("customer")):
        found = rows.filter(stripe_customer_id=stripe_id(stripe_sub.get("customer"))).first()
    metadata_tenant = str((stripe_sub.get("metadata") or {}).get("tenant_id") or "")
    tenant_id = tenant_hint or (int(metadata_tenant) if metadata_tenant.isdigit() else None)
    if found is None and tenant_id:
        # Only onto a row with no Stripe customer yet, or this very customer: a subscription
        # never takes over a tenant that already pays through someone else's account.
        customer = stripe_id(stripe_sub.get("customer"))
        found = (
            rows.filter(tenant_id=tenant_id)
            .filter(Q(stripe_customer_id="") | Q(stripe_customer_id=customer))
            .first()
        )
    return found


def _period_end(stripe_sub: dict[str, Any]) -> datetime | None:
    # Newer API versions keep the period on each item; older ones on the subscription.
    raw = stripe_sub.get("current_period_end")
    items = (stripe_sub.get("items") or {}).get("data") or []
    if raw is None and items:
        raw = items[0].get("current_period_end")
    return datetime.fromtimestamp(raw, tz=UTC) if raw else None


def _price_id(stripe_sub: dict[str, Any]) -> str:
    items = (stripe_sub.get("items") or {}).get("data") or []
    return stripe_id(items[0].get("price")) if items else ""


def subscription_sync(
    *, stripe_subscription_id: str, tenant_hint: int | None = None
) -> Subscription | None:
    """Re-read one subscription from Stripe and make our row match it.

    This is what makes webhook handling order-proof: whatever event woke us, we apply Stripe's
    *current* state, under a row lock, so two workers can't interleave a stale write.
    """
    with transaction.atomic():
        stripe_sub = gateway.subscription_retrieve(subscription_id=stripe_subscription_id)
        row = _subscription_row_for(stripe_sub, tenant_hint)
        if row is None:
            logger.warning("stripe subscription %s matches no tenant", stripe_subscription_id)
            return None
        return _apply(row, stripe_sub, observed_at=timezone.now())


def subscription_apply_snapshot(
    *, stripe_sub: dict[str, Any], observed_at: datetime
) -> Subscription | None:
    """Apply a subscription object we already hold (reconciliation's list call)."""
    with transaction.atomic():
        row = _subscription_row_for(stripe_sub, None)
        if row is None:
            return None
        return _apply(row, stripe_sub, observed_at=observed_at)


def _apply(row: Subscription, stripe_sub: dict[str, Any], *, observed_at: datetime) -> Subscription:
    if row.stripe_synced_at and observed_at < row.stripe_synced_at:
        return row  # we already hold a newer snapshot
    replaced = row.stripe_subscription_id and row.stripe_subscription_id != stripe_sub["id"]
    if replaced and stripe_sub.get("status") in ("canceled", "incomplete_expired"):
        return row  # an old, ended subscription never overrides the tenant's current one
    status = STRIPE_STATUS.get(stripe_sub.get("status", ""))
    row.stripe_subscription_id = stripe_sub["id"]
    row.stripe_customer_id = stripe_id(stripe_sub.get("customer")) or row.stripe_customer_id
    row.stripe_synced_at = observed_at
    if status is not None:
        row.status = status
        row.current_period_end = _period_end(stripe_sub)
        row.cancel_at_period_end = bool(stripe_sub.get("cancel_at_period_end"))
        plan = (
            Plan.objects.filter(stripe_price_id=_price_id(stripe_sub)).first()
            if _price_id(stripe_sub)
            else None
        )
        row.plan = plan or row.plan
    row.save()
    logger.info(
        "subscription synced tenant=%s status=%s stripe=%s",
        row.tenant_id,
        row.status,
        row.stripe_subscription_id,
    )
    return row


def subscription_cancel_for_purge(*, tenant: Tenant) -> None:
    """Before a tenant is purged: no more charges. Cancels its Stripe subscription (when it has
    one that can still charge) and records the end, so revenue history sees the churn. Raises on
    a Stripe error, and the purge waits for the next sweep."""
    row = Subscription.objects.filter(tenant=tenant).first()
    if row is None:
        return
    if row.stripe_subscription_id and row.status != Subscription.Status.CANCELED:
        gateway.subscription_cancel(
            subscription_id=row.stripe_subscription_id,
            idempotency_key=f"awan-purge-cancel-{row.pk}",
        )
    Subscription.objects.filter(pk=row.pk).exclude(status=Subscription.Status.CANCELED).update(
        status=Subscription.Status.CANCELED, cancel_at_period_end=False
    )
    logger.info("subscription cancelled for purge tenant=%s", tenant.pk)


def subscription_renewal_follow_deletion(*, tenant_id: int) -> str:
    """A tenant waiting to be deleted must not renew: turn renewal off at Stripe. If the
    deletion is cancelled, turn it back on, unless the customer had turned it off themselves.

    Reads the tenant's state now, so however the worker orders request/cancel tasks, the last
    run leaves Stripe matching the tenant. Raises on a Stripe error (the task retries); the
    deletion itself never waits on Stripe. Returns "paused", "resumed" or "unchanged"."""
    tenant = Tenant.objects.filter(pk=tenant_id).first()
    row = Subscription.objects.filter(tenant_id=tenant_id).first()
    ended = (Subscription.Status.CANCELED, Subscription.Status.EXPIRED)
    if tenant is None or row is None or not row.stripe_subscription_id or row.status in ended:
        return "unchanged"
    pending = tenant.status == Tenant.Status.PENDING_DELETION
    if pending and not row.cancel_at_period_end:
        renew = False
    elif not pending and row.renewal_paused_for_deletion:
        renew = True
    else:
        return "unchanged"
    stripe_sub = gateway.subscription_renewal_set(
        subscription_id=row.stripe_subscription_id,
        renew=renew,
        idempotency_key=_next_idempotency_key(row, "renewal"),
    )
    # Stripe's answer is the state now; its webhook follows and changes nothing more.
    Subscription.objects.filter(pk=row.pk).update(
        cancel_at_period_end=bool(stripe_sub.get("cancel_at_period_end")),
        renewal_paused_for_deletion=not renew,
    )
    logger.info("subscription renewal %s tenant=%s", "on" if renew else "off", tenant_id)
    return "resumed" if renew else "paused"


def subscriptions_reconcile() -> int:
    """Re-sync every subscription from Stripe's list API, for when webhooks were missed."""
    observed_at = timezone.now()
    applied = 0
    for stripe_sub in gateway.subscription_list_all():
        if subscription_apply_snapshot(stripe_sub=stripe_sub, observed_at=observed_at) is not None:
            applied += 1
    return applied
