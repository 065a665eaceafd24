from __future__ import annotations

import logging
import time
from datetime import datetime

from celery import shared_task
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from billing import conf
from billing.models import Subscription, TrialReminder
from billing.services import subscription_renewal_follow_deletion, subscriptions_reconcile
from billing.trials import trial_sweep
from billing.webhooks import (
    stripe_event_process,
    stripe_events_due_for_retry,
    stripe_events_pending,
)
from config import kv
from tenants.celery import TenantTask, in_tenant
from tenants.routing import tenant_url

logger = logging.getLogger(__name__)


@shared_task(bind=True, max_retries=None)
def stripe_event_handle(self, *, event_id: str) -> None:
    """Process one recorded Stripe event; on failure retry with backoff up to the max attempts."""
    try:
        stripe_event_process(event_id=event_id)
    except Exception as exc:
        if self.request.retries + 1 >= conf.event_max_attempts():
            logger.error(
                "stripe event %s gave up after %s attempts", event_id, self.request.retries + 1
            )
            return
        raise self.retry(exc=exc, countdown=min(600, 5 * 2**self.request.retries)) from exc


@shared_task(bind=True, max_retries=12)
def subscription_renewal_follow(self, *, tenant_id: int) -> str:
    """After a deletion request or its cancellation: Stripe's renewal follows the tenant.
    Retried with backoff (30 s doubling, capped at an hour) while Stripe can't be reached."""
    try:
        return subscription_renewal_follow_deletion(tenant_id=tenant_id)
    except Exception as exc:
        raise self.retry(exc=exc, countdown=min(3600, 30 * 2**self.request.retries)) from exc


DRAIN_FLAG = "awan:stripe-drain-requested"
DRAIN_SECONDS = 20.0
DRAIN_BATCH = 200


def stripe_events_drain_request() -> None:
    """After recording an event: make sure one drain is on its way. While one is queued and
    hasn't started, more events add nothing to the queue (a flag in Redis), so a burst of
    webhooks costs the worker one task, not one per event."""
    if kv.client().set(DRAIN_FLAG, "1", nx=True, ex=60):
        stripe_events_drain.delay()


@shared_task
def stripe_events_drain() -> int:
    """Process every pending Stripe event, oldest first, for up to DRAIN_SECONDS; then ask for
    another drain if any are left. Several drains may run at once: each event is taken with
    SKIP LOCKED (billing.webhooks.stripe_event_process), so they share the work. A failure is
    recorded on its event and retried later (stripe_events_retry); the drain goes on."""
    kv.client().delete(DRAIN_FLAG)  # events arriving from now on ask for the next drain
    deadline = time.monotonic() + DRAIN_SECONDS
    processed = 0
    synced: dict[str, datetime] = {}  # a burst for one subscription: one sync, not one each
    while time.monotonic() < deadline:
        batch = stripe_events_pending(limit=DRAIN_BATCH)
        if not batch:
            return processed
        for event_id in batch:
            try:
                if stripe_event_process(event_id=event_id, synced=synced) is not None:
                    processed += 1
            except Exception:  # recorded as failed on the event; beat's retry picks it up
                logger.warning("stripe event %s failed in the drain", event_id)
            if time.monotonic() >= deadline:
                break
    stripe_events_drain_request()
    return processed


@shared_task
def stripe_events_retry() -> int:
    """Beat: re-queue events no worker finished (a worker died, or retries were lost)."""
    due = stripe_events_due_for_retry()
    for event_id in due:
        stripe_event_handle.delay(event_id=event_id)
    return len(due)


@shared_task
def billing_trial_sweep() -> dict[str, int]:
    """Beat: trial reminders and expiries, set-based on the public schema."""
    result = trial_sweep()
    return {"reminders": len(result.reminders), "expired": len(result.expired)}


@shared_task
def billing_reconcile() -> int:
    """Beat (daily): re-sync every subscription from Stripe, in case webhooks were missed."""
    if not conf.stripe_enabled():
        return 0
    return subscriptions_reconcile()


def _owners_email(*, subject: str, template: str, context: dict) -> None:
    """Send one email to the tenant's owners (the current schema's active superusers)."""
    owners = get_user_model().objects.filter(is_superuser=True, is_active=True).exclude(email="")
    send_mail(
        subject=subject,
        message=render_to_string(template, context),
        from_email=None,
        recipient_list=list(owners.values_list("email", flat=True)),
    )


def _trial_reminder_send(*, schema_name: str, reminder_id: int) -> None:
    """Send one trial reminder. The row lock + sent_at make a repeat a no-op."""
    with transaction.atomic():
        reminder = (
            TrialReminder.objects.select_for_update()
            .select_related("subscription__tenant")
            .filter(pk=reminder_id, subscription__tenant__schema_name=schema_name)
            .first()
        )
        if reminder is None or reminder.sent_at is not None:
            return
        tenant = reminder.subscription.tenant
        days = reminder.days_before
        context = {
            "tenant": tenant,
            "days": reminder.days_before,
            "trial_end": reminder.subscription.trial_end,
            "billing_url": tenant_url(tenant=tenant, path="/billing/"),
        }
        _owners_email(
            subject=f"Your Awan trial ends in {days} day{'s' if days != 1 else ''}",
            template="billing/email/trial_reminder.txt",
            context=context,
        )
        reminder.sent_at = timezone.now()
        reminder.save(update_fields=["sent_at"])


def _trial_ended_send(*, schema_name: str, subscription_id: int) -> None:
    """Tell the owners the trial ended, once (row lock + trial_ended_notified_at)."""
    with transaction.atomic():
        subscription = (
            Subscription.objects.select_for_update()
            .select_related("tenant")
            .filter(pk=subscription_id, tenant__schema_name=schema_name)
            .first()
        )
        if subscription is None or subscription.trial_ended_notified_at is not None:
            return
        tenant = subscription.tenant
        context = {"tenant": tenant, "billing_url": tenant_url(tenant=tenant, path="/billing/")}
        _owners_email(
            subject="Your Awan trial has ended",
            template="billing/email/trial_ended.txt",
            context=context,
        )
        subscription.trial_ended_notified_at = timezone.now()
        subscription.save(update_fields=["trial_ended_notified_at"])


@shared_task(base=TenantTask)
def trial_reminder_email_send(*, schema_name: str, reminder_id: int) -> None:
    _trial_reminder_send(schema_name=schema_name, reminder_id=reminder_id)


@shared_task(base=TenantTask)
def trial_ended_email_send(*, schema_name: str, subscription_id: int) -> None:
    _trial_ended_send(schema_name=schema_name, subscription_id=subscription_id)


@shared_task
def trial_emails_send(
    *, reminders: list[list] | None = None, ended: list[list] | None = None
) -> int:
    """A batch of the sweep's emails: [[schema_name, reminder_id], …] and
    [[schema_name, subscription_id], …]. One task per few hundred emails instead of one per
    email, so a sweep that finds thousands due (after downtime) enqueues in milliseconds. Each
    email runs in its tenant's context, is skipped for a suspended tenant, and is idempotent."""
    sent = 0
    for schema_name, reminder_id in reminders or []:
        sent += in_tenant(schema_name, _trial_reminder_send, reminder_id=reminder_id)
    for schema_name, subscription_id in ended or []:
        sent += in_tenant(schema_name, _trial_ended_send, subscription_id=subscription_id)
    return sent
