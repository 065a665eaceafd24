from __future__ import annotations

import logging

from celery import shared_task
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from billing import conf
from billing.models import Subscription, TrialReminder
from billing.services import subscriptions_reconcile
from billing.trials import trial_sweep
from billing.webhooks import stripe_event_process, stripe_events_due_for_retry
from tenants.celery import TenantTask
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


@shared_task(base=TenantTask)
def trial_reminder_email_send(*, schema_name: str, reminder_id: int) -> None:
    """Send one trial reminder. The row lock + sent_at make a re-delivered task a no-op."""
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


@shared_task(base=TenantTask)
def trial_ended_email_send(*, schema_name: str, subscription_id: int) -> None:
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
