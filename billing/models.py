"""Billing lives in the public schema: plans, one subscription per tenant, trial reminders sent,
and every Stripe event we received (the inbox the worker drains)."""

from __future__ import annotations

from django.db import models

from tenants.models import Tenant


class Plan(models.Model):
    """A price list entry, defined in settings.BILLING_PLANS and synced by `billing_sync_plans`."""

    key = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=60)
    stripe_price_id = models.CharField(max_length=100, blank=True)
    monthly_price_cents = models.PositiveIntegerField()
    currency = models.CharField(max_length=3, default="usd")
    max_projects = models.PositiveIntegerField(null=True, blank=True, help_text="empty = unlimited")
    max_members = models.PositiveIntegerField(null=True, blank=True, help_text="empty = unlimited")
    is_active = models.BooleanField(default=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "monthly_price_cents"]

    def __str__(self) -> str:
        return self.name

    @property
    def monthly_price(self) -> str:
        return f"{self.monthly_price_cents / 100:,.2f}".removesuffix(".00")


class Subscription(models.Model):
    class Status(models.TextChoices):
        TRIALING = "trialing", "Trial"
        ACTIVE = "active", "Active"
        PAST_DUE = "past_due", "Past due"
        CANCELED = "canceled", "Canceled"
        EXPIRED = "expired", "Trial expired"

    tenant = models.OneToOneField(Tenant, on_delete=models.CASCADE, related_name="subscription")
    plan = models.ForeignKey(Plan, null=True, blank=True, on_delete=models.PROTECT)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.TRIALING)
    trial_end = models.DateTimeField(null=True, blank=True)
    current_period_end = models.DateTimeField(null=True, blank=True)
    cancel_at_period_end = models.BooleanField(default=False)
    stripe_customer_id = models.CharField(max_length=100, blank=True, db_index=True)
    stripe_subscription_id = models.CharField(max_length=100, blank=True, db_index=True)
    # Stripe's own clock for the state we hold: an older snapshot never overwrites a newer one.
    stripe_synced_at = models.DateTimeField(null=True, blank=True)
    # Set when the "trial ended" email went out, so a re-delivered task never sends it twice.
    trial_ended_notified_at = models.DateTimeField(null=True, blank=True)
    # Counts our Stripe write requests, so each gets a fresh idempotency key from our own ids.
    stripe_request_seq = models.PositiveIntegerField(default=0)
    # We turned renewal off because the tenant is waiting to be deleted (not the customer's own
    # "cancel at period end"): cancelling the deletion turns it back on only when this is set.
    renewal_paused_for_deletion = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        # The trial sweep's question: trials ending within a window.
        indexes = [
            models.Index(fields=["status", "trial_end"], name="billing_sub_status_trial_end")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["stripe_subscription_id"],
                condition=~models.Q(stripe_subscription_id=""),
                name="billing_unique_stripe_subscription",
            )
        ]

    def __str__(self) -> str:
        return f"{self.tenant_id}: {self.status}"


class SubscriptionChange(models.Model):
    """A subscription's history: one row each time its status or plan changes, written by a
    database trigger (billing migration 0005), so every path counts: webhooks, the trial sweep,
    the admin, raw SQL. The operators' console reads it for MRR, churn and conversion. When a
    tenant is purged its rows stay, unlinked: revenue history doesn't change after the fact."""

    tenant = models.ForeignKey(
        Tenant, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    subscription_key = models.BigIntegerField(db_index=True, help_text="the subscription's id")
    status = models.CharField(max_length=20)
    plan_key = models.CharField(max_length=40, blank=True)
    # The plan's monthly price while this status earns money (active, past due), else 0.
    mrr_cents = models.PositiveIntegerField(default=0)
    changed_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["changed_at", "id"]
        indexes = [models.Index(fields=["tenant", "changed_at"], name="billing_subchange_tenant")]

    def __str__(self) -> str:
        return f"{self.subscription_key}: {self.status} {self.plan_key} @ {self.changed_at}"

    @property
    def status_label(self) -> str:
        labels = {**dict(Subscription.Status.choices), "deleted": "Deleted"}
        return str(labels.get(self.status, self.status))


class TrialReminder(models.Model):
    """One row per (subscription, days before the end): the unique constraint is what makes each
    reminder go out exactly once, however many sweeps run and however concurrently."""

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="reminders"
    )
    days_before = models.PositiveSmallIntegerField()
    created = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "days_before"], name="billing_one_reminder"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subscription_id} -{self.days_before}d"


class StripeEvent(models.Model):
    """Every verified webhook delivery, stored once under Stripe's event id before we answer."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        PROCESSED = "processed", "Processed"
        IGNORED = "ignored", "Ignored (no handler)"
        FAILED = "failed", "Failed (will retry)"

    id = models.CharField(primary_key=True, max_length=100)
    type = models.CharField(max_length=100, db_index=True)
    payload = models.JSONField()
    stripe_created = models.DateTimeField()
    received_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-stripe_created"]
        indexes = [models.Index(fields=["status", "received_at"])]

    def __str__(self) -> str:
        return f"{self.id} {self.type} ({self.status})"
