"""Reads of billing state. Views, middleware and templates ask here."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from billing import conf
from billing.models import Plan, Subscription
from tenants.models import Tenant


@dataclass(frozen=True)
class BillingState:
    subscription: Subscription | None
    plan: Plan | None
    read_only: bool
    trialing: bool
    trial_days_left: int | None
    past_due: bool
    ends_at: datetime | None

    @property
    def plan_name(self) -> str:
        status = self.subscription.status if self.subscription else None
        if status == Subscription.Status.EXPIRED:
            return "Free trial (ended)"
        if self.trialing or self.plan is None:
            return "Free trial"
        return self.plan.name

    @property
    def has_paid_subscription(self) -> bool:
        """A live Stripe subscription: plan changes go through the portal, not a new checkout."""
        sub = self.subscription
        live = (Subscription.Status.ACTIVE, Subscription.Status.PAST_DUE)
        return bool(sub and sub.stripe_subscription_id and sub.status in live)


def plan_list() -> QuerySet[Plan]:
    return Plan.objects.filter(is_active=True)


def plan_by_key(*, key: str) -> Plan | None:
    return Plan.objects.filter(key=key, is_active=True).first()


def subscription_for_tenant(*, tenant: Tenant) -> Subscription | None:
    return Subscription.objects.select_related("plan").filter(tenant=tenant).first()


def billing_state_for(
    *, tenant: Tenant, now: datetime | None = None, use_snapshot: bool = False
) -> BillingState:
    """What the tenant may do right now. Read-only is computed from the dates, not only from the
    sweep's status flips, so it takes effect the second a trial or paid period ends.

    `use_snapshot`: take the subscription and plan the routing table attached to the request's
    tenant (tenants.lookup, current as of this request's start) instead of querying; for the
    middleware. Services deciding something (a limit, a checkout) read fresh."""
    now = now or timezone.now()
    snapshot = getattr(tenant, "billing_snapshot", None) if use_snapshot else None
    if snapshot is not None:
        sub, snapshot_plan = snapshot
        if sub is not None:
            sub.plan = snapshot_plan if sub.plan_id else None
        return _state(sub, now, trial_plan=snapshot_plan)
    sub = subscription_for_tenant(tenant=tenant)
    return _state(sub, now)


def _state(sub: Subscription | None, now: datetime, trial_plan: Plan | None = None) -> BillingState:
    if sub is None:  # tenants made before billing existed, and the public tenant
        return BillingState(None, None, False, False, None, False, None)
    status = Subscription.Status
    trialing = sub.status == status.TRIALING
    days_left = None
    read_only = False
    ends_at = None
    if trialing:
        ends_at = sub.trial_end
        remaining = (sub.trial_end - now).total_seconds() if sub.trial_end else 0
        days_left = max(0, math.ceil(remaining / 86400))
        read_only = remaining <= 0
    elif sub.status == status.EXPIRED:
        read_only = True
        ends_at = sub.trial_end
    elif sub.status == status.CANCELED:
        ends_at = sub.current_period_end
        read_only = not (sub.current_period_end and sub.current_period_end > now)
    elif sub.cancel_at_period_end:
        ends_at = sub.current_period_end
    plan = sub.plan
    if plan is None:
        plan = trial_plan or plan_by_key(key=conf.trial_plan_key())
    return BillingState(
        subscription=sub,
        plan=plan,
        read_only=read_only,
        trialing=trialing,
        trial_days_left=days_left,
        past_due=sub.status == status.PAST_DUE,
        ends_at=ends_at,
    )
