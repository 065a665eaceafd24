"""Outgoing webhooks, the writing side: an event is recorded in the tenant's schema in the same
transaction as the change it describes (the outbox), with one delivery row per subscribed
endpoint; the worker sends them once that transaction commits (tenants.workspace.webhooks).
If the change rolls back, so does the event: a receiver never hears of something that didn't
happen, and never misses something that did."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from tenants.db import current_schema_name

EVENT_TYPES: dict[str, str] = {
    "project.created": "A project was created",
    "project.updated": "A project's name or description changed",
    "project.deleted": "A project was deleted (with its tasks)",
    "task.created": "A task was added to a project",
    "task.updated": "A task's title or notes changed",
    "task.completed": "A task was marked done",
    "task.reopened": "A done task was marked open again",
    "task.deleted": "A task was deleted",
    "member.joined": "Someone joined the workspace",
    "member.left": "Someone left or was removed from the workspace",
}


def event_record(event_type: str, data: dict[str, Any]) -> Any:
    """Record `event_type` with `data` for every active endpoint that wants it. Call it inside
    the transaction that makes the change (it opens one if there is none)."""
    from tenants.workspace.models import WebhookDelivery, WebhookEndpoint, WebhookEvent

    if event_type not in EVENT_TYPES:
        raise ValueError(f"unknown webhook event type {event_type!r}")
    endpoints = [
        endpoint
        for endpoint in WebhookEndpoint.objects.filter(is_active=True).only("id", "events")
        if event_type in endpoint.events
    ]
    if not endpoints:
        return None
    with transaction.atomic():
        event = WebhookEvent.objects.create(
            type=event_type,
            payload={"type": event_type, "created": timezone.now().isoformat(), "data": data},
        )
        WebhookDelivery.objects.bulk_create(
            WebhookDelivery(endpoint=endpoint, event=event) for endpoint in endpoints
        )
        schema_name = current_schema_name()
        transaction.on_commit(lambda: _deliver_soon(schema_name))
    return event


def _deliver_soon(schema_name: str) -> None:
    from tenants.workspace.tasks import webhook_deliveries_send

    webhook_deliveries_send.delay(schema_name=schema_name)
