"""Reads for the console's tenants list and tenant page. The list is one query (plus the
paginator's count) whatever the filters; only a single tenant's page looks into its schema."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone
from django_tenants.utils import schema_context

from billing.models import Subscription, SubscriptionChange
from tenants.directory import email_digest
from tenants.models import AuditEntry, Tenant, TenantExport

TRIAL_ENDING_DAYS = 7
ACTIVITY_CHOICES = {
    "7d": "Active in the last 7 days",
    "30d": "Active in the last 30 days",
    "idle30": "Idle for 30+ days",
    "never": "Never signed in",
}
SORTS = {
    "name": ("name",),
    "-created": ("-created",),
    "created": ("created",),
    "-activity": (F("activity__last_seen_at").desc(nulls_last=True), "name"),
    "trial_end": (F("subscription__trial_end").asc(nulls_last=True), "name"),
    "-mrr": ("-mrr_cents", "name"),
}


@dataclass(frozen=True)
class TenantFilters:
    q: str = ""
    status: str = ""  # a tenant status, or a subscription status ("trialing", "past_due"…)
    plan: str = ""
    channel: str = ""
    trial_ending: bool = False
    past_due: bool = False
    activity: str = ""
    sort: str = "-created"


def tenants_filtered(filters: TenantFilters, *, now: datetime | None = None) -> QuerySet[Tenant]:
    now = now or timezone.now()
    queryset = (
        Tenant.objects.exclude(schema_name="public")
        .select_related("subscription__plan", "activity")
        .annotate(
            mrr_cents=Case(
                When(
                    subscription__status__in=["active", "past_due"],
                    then=F("subscription__plan__monthly_price_cents"),
                ),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
    )
    q = filters.q.strip()
    if q:
        match = Q(name__icontains=q) | Q(subdomain__icontains=q) | Q(schema_name=q)
        if "@" in q:  # someone's email: the find-my-workspace index (hashed) knows
            match |= Q(account_index__email_digest=email_digest(q.lower()))
        queryset = queryset.filter(match).distinct()
    if filters.status in Tenant.Status.values:
        queryset = queryset.filter(status=filters.status)
    elif filters.status in Subscription.Status.values:
        queryset = queryset.filter(subscription__status=filters.status)
    if filters.plan:
        queryset = queryset.filter(subscription__plan__key=filters.plan)
    if filters.channel in Tenant.Channel.values:
        queryset = queryset.filter(channel=filters.channel)
    if filters.trial_ending:
        queryset = queryset.filter(
            subscription__status=Subscription.Status.TRIALING,
            subscription__trial_end__gt=now,
            subscription__trial_end__lte=now + timedelta(days=TRIAL_ENDING_DAYS),
        )
    if filters.past_due:
        queryset = queryset.filter(subscription__status=Subscription.Status.PAST_DUE)
    if filters.activity == "7d":
        queryset = queryset.filter(activity__last_seen_at__gte=now - timedelta(days=7))
    elif filters.activity == "30d":
        queryset = queryset.filter(activity__last_seen_at__gte=now - timedelta(days=30))
    elif filters.activity == "idle30":
        queryset = queryset.filter(activity__last_seen_at__lt=now - timedelta(days=30))
    elif filters.activity == "never":
        queryset = queryset.filter(activity__isnull=True)
    return queryset.order_by(*SORTS.get(filters.sort, SORTS["-created"]))


@dataclass
class TenantPage:
    tenant: Tenant
    subscription: Subscription | None
    billing_history: list[SubscriptionChange]
    channel_history: list[Any]
    owners: list[str]
    members: int
    usage: dict[str, Any] | None
    audit: list[AuditEntry]
    exports: list[TenantExport]


def tenant_page(*, tenant: Tenant) -> TenantPage:
    from tenants.workspace.models import Membership, Role
    from tenants.workspace.usage import usage_report

    owners: list[str] = []
    members = 0
    usage = None
    # A suspended tenant's schema is still readable by operators; a provisioning one may not
    # have its tables yet.
    if tenant.status != Tenant.Status.PROVISIONING:
        with schema_context(tenant.schema_name):
            members = get_user_model().objects.filter(is_active=True).count()
            owners = list(
                Membership.objects.filter(role=Role.OWNER)
                .order_by("created")
                .values_list("user__email", flat=True)
            )
            usage = usage_report(weeks=8)
    return TenantPage(
        tenant=tenant,
        subscription=Subscription.objects.select_related("plan").filter(tenant=tenant).first(),
        billing_history=list(
            SubscriptionChange.objects.filter(tenant=tenant).order_by("-changed_at", "-id")[:50]
        ),
        channel_history=list(tenant.channel_changes.all()[:20]),
        owners=owners,
        members=members,
        usage=usage,
        audit=list(AuditEntry.objects.filter(tenant_id=tenant.pk)[:100]),
        exports=list(TenantExport.objects.filter(tenant=tenant)[:10]),
    )
