"""Stripe webhooks: verify → record once → answer 2xx → process in the worker.

Stripe delivers at least once and in any order. Recording under the event's unique id makes a
duplicate delivery a no-op; handlers re-read the subscription from Stripe (billing.services.
subscription_sync), so the order they run in doesn't matter.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from billing import conf
from billing.gateway import stripe_id
from billing.models import StripeEvent, Subscription
from billing.services import subscription_sync

logger = logging.getLogger(__name__)
Handler = Callable[[dict[str, Any]], None]


def _subscription_id_of_invoice(invoice: dict[str, Any]) -> str:
    # API versions before 2025-03 put it on the invoice; newer ones under parent.
    direct = stripe_id(invoice.get("subscription"))
    if direct:
        return direct
    details = ((invoice.get("parent") or {}).get("subscription_details")) or {}
    return stripe_id(details.get("subscription"))


def on_checkout_session_completed(obj: dict[str, Any]) -> None:
    """Link a paid checkout to its tenant, but only if it is that tenant's own checkout.

    `client_reference_id` alone proves nothing: a Payment Link lets whoever opens it choose
    one. A checkout we started always runs under the Stripe customer we created for the tenant
    (billing.services.checkout_start stores it first), so the session's customer must be the
    one on the tenant's row; anything else is logged and ignored.
    """
    if obj.get("mode") != "subscription" or not stripe_id(obj.get("subscription")):
        return
    reference = str(obj.get("client_reference_id") or "")
    customer = stripe_id(obj.get("customer"))
    row = (
        Subscription.objects.filter(tenant_id=int(reference)).first()
        if reference.isdigit()
        else None
    )
    if row is None or not customer or row.stripe_customer_id != customer:
        logger.warning(
            "checkout session %s names tenant %r but runs under customer %r, not that tenant's; "
            "ignored",
            obj.get("id"),
            reference,
            customer,
        )
        return
    subscription_sync(
        stripe_subscription_id=stripe_id(obj.get("subscription")), tenant_hint=row.tenant_id
    )


def on_subscription_changed(obj: dict[str, Any]) -> None:
    subscription_sync(stripe_subscription_id=obj["id"])


def on_trial_will_end(obj: dict[str, Any]) -> None:
    # Our trial is card-less and ours; Stripe-side trials (if a price has one) just re-sync.
    subscription_sync(stripe_subscription_id=obj["id"])


def on_invoice_event(obj: dict[str, Any]) -> None:
    subscription_id = _subscription_id_of_invoice(obj)
    if subscription_id:
        subscription_sync(stripe_subscription_id=subscription_id)


HANDLERS: dict[str, Handler] = {
    "checkout.session.completed": on_checkout_session_completed,
    "customer.subscription.created": on_subscription_changed,
    "customer.subscription.updated": on_subscription_changed,
    "customer.subscription.deleted": on_subscription_changed,
    "customer.subscription.trial_will_end": on_trial_will_end,
    "invoice.paid": on_invoice_event,
    "invoice.payment_failed": on_invoice_event,
}


def event_shape_error(event: dict[str, Any]) -> str | None:
    """Why a signed payload can't be stored and handled as an event, or None if it can."""
    if not isinstance(event.get("id"), str) or not event["id"] or len(event["id"]) > 100:
        return "an event id"
    if not isinstance(event.get("type"), str) or not event["type"] or len(event["type"]) > 100:
        return "an event type"
    created = event.get("created")
    if isinstance(created, bool) or not isinstance(created, int) or not 0 < created < 2**33:
        return "a 'created' timestamp"
    data = event.get("data")
    if not isinstance(data, dict) or not isinstance(data.get("object"), dict):
        return "a 'data.object'"
    return None


def stripe_event_record(*, event: dict[str, Any]) -> tuple[StripeEvent, bool]:
    """Store a verified event once. Returns (event, created); a duplicate delivery is (…, False)."""
    known = event["type"] in HANDLERS
    try:
        with transaction.atomic():
            record = StripeEvent.objects.create(
                id=event["id"],
                type=event["type"],
                payload=event,
                stripe_created=datetime.fromtimestamp(event["created"], tz=UTC),
                status=StripeEvent.Status.PENDING if known else StripeEvent.Status.IGNORED,
            )
    except IntegrityError:
        return StripeEvent.objects.get(id=event["id"]), False
    return record, True


CLOCK_MARGIN = timedelta(seconds=2)


def synced_subscription_of(event_type: str, obj: dict[str, Any]) -> str:
    """The Stripe subscription an event's whole handling is "re-sync this subscription" for,
    or "" when handling it takes more than that (a checkout's ownership check)."""
    if event_type.startswith("customer.subscription."):
        return str(obj.get("id") or "")
    if event_type.startswith("invoice."):
        return _subscription_id_of_invoice(obj)
    return ""


def stripe_event_process(
    *, event_id: str, synced: dict[str, datetime] | None = None
) -> StripeEvent | None:
    """Run the event's handler once. A failure is recorded (status `failed`, the error, the
    attempt) and re-raised so the task retries; the row is never lost. If the worker dies
    mid-handler, the open transaction rolls back and the event is still `pending`.

    `synced` (a drain's memory: subscription id → when a sync of it started) coalesces a
    burst: a handler only re-reads the subscription's current state from Stripe, so an event
    received before a sync that already ran in this drain is already reflected in our row, and
    is marked processed without asking Stripe again."""
    error: Exception | None = None
    with transaction.atomic():
        # SKIP LOCKED: if another worker has this event right now, it's theirs; leave it.
        event = StripeEvent.objects.select_for_update(skip_locked=True).filter(id=event_id).first()
        if event is None or event.status in (
            StripeEvent.Status.PROCESSED,
            StripeEvent.Status.IGNORED,
        ):
            return None
        event.attempts += 1
        obj = event.payload["data"]["object"]
        subscription_id = synced_subscription_of(event.type, obj) if synced is not None else ""
        started = timezone.now()
        try:
            already = (
                synced.get(subscription_id) if synced is not None and subscription_id else None
            )
            # The margin covers clock skew between the web dyno that stamped received_at and
            # this worker: within it, sync again rather than risk missing the event.
            if already is None or already < event.received_at + CLOCK_MARGIN:
                with transaction.atomic():  # the handler's writes roll back alone if it fails
                    HANDLERS[event.type](obj)
                if synced is not None and subscription_id:
                    synced[subscription_id] = started
        except Exception as exc:
            error = exc
            event.status = StripeEvent.Status.FAILED
            event.last_error = f"{exc.__class__.__name__}: {exc}"[:2000]
            logger.warning(
                "stripe event %s (%s) failed: %s", event.id, event.type, event.last_error
            )
        else:
            event.status = StripeEvent.Status.PROCESSED
            event.processed_at = timezone.now()
            event.last_error = ""
            logger.info("stripe event %s (%s) processed", event.id, event.type)
        event.save(update_fields=["status", "attempts", "last_error", "processed_at"])
    if error is not None:
        raise error
    return event


def stripe_events_due_for_retry(*, older_than_seconds: int = 60) -> list[str]:
    """Events a worker never finished (it died, or the handler failed) and may try again."""
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    return list(
        StripeEvent.objects.filter(
            status__in=[StripeEvent.Status.PENDING, StripeEvent.Status.FAILED],
            received_at__lt=cutoff,
            attempts__lt=conf.event_max_attempts(),
        ).values_list("id", flat=True)[:500]
    )


def stripe_events_pending(*, limit: int) -> list[str]:
    """The oldest events no worker has processed yet (a drain's next batch)."""
    return list(
        StripeEvent.objects.filter(status=StripeEvent.Status.PENDING)
        .order_by("received_at")
        .values_list("id", flat=True)[:limit]
    )
