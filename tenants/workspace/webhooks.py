"""Outgoing webhooks, the delivering side: endpoints, signed deliveries, retries, disabling.

A delivery is a JSON POST with these headers:

    Awan-Event: project.created
    Awan-Delivery: 42
    Awan-Signature: t=1764470000,v1=<hex HMAC-SHA256 of "<t>.<body>" with the endpoint's secret>

A receiver checks the signature and that `t` is recent (docs/api.md shows how, in five lines).
Failures are retried with exponential backoff (30 s, 1 min, 2 min, … up to 2 h apart) until a day
after the event; an endpoint that fails DISABLE_AFTER_FAILURES times in a row is switched off
and the workspace's owners and admins are told by email. Nothing is sent to an address inside
the private network (SSRF): every delivery resolves the host again and refuses private,
loopback, link-local and other special addresses (WEBHOOKS_ALLOW_LOOPBACK lets tests and local
development use 127.0.0.1).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import logging
import secrets
import socket
import time
import urllib.error
import urllib.request
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tenants import errors
from tenants.db import current_schema_name
from tenants.roles import Perm, user_can
from tenants.workspace.models import WebhookDelivery, WebhookEndpoint
from tenants.workspace.outbox import EVENT_TYPES

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 5
RETRY_FOR = timedelta(days=1)
LEASE = timedelta(minutes=5)
DISABLE_AFTER_FAILURES = 15
BATCH = 50


def signature(*, secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def _allow_loopback() -> bool:
    return bool(getattr(settings, "WEBHOOKS_ALLOW_LOOPBACK", False))


def url_check(url: str) -> None:
    """Refuse URLs a webhook must not reach: other schemes, and hosts that resolve to private,
    loopback, link-local, multicast or reserved addresses (checked again at every delivery, so
    a DNS change can't turn an accepted endpoint into a probe of the internal network)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError(errors.WEBHOOK_URL_SCHEME)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        infos = socket.getaddrinfo(parts.hostname, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, ValueError) as exc:
        raise ValidationError(errors.WEBHOOK_URL_UNRESOLVABLE) from exc
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if address.is_loopback and _allow_loopback():
            continue
        if (
            address.is_private
            or address.is_loopback
            or address.is_link_local
            or address.is_multicast
            or address.is_reserved
            or address.is_unspecified
        ):
            raise ValidationError(errors.WEBHOOK_URL_PRIVATE)


def _events_check(events: list[str]) -> list[str]:
    unknown = sorted(set(events) - set(EVENT_TYPES))
    if unknown or not events:
        raise ValidationError(errors.WEBHOOK_EVENTS_INVALID)
    return sorted(set(events))


def endpoint_create(
    *, url: str, events: list[str], description: str = "", actor: AbstractBaseUser
) -> WebhookEndpoint:
    if not user_can(actor, Perm.MANAGE_WEBHOOKS):
        raise PermissionError(errors.ADMINS_ONLY)
    url_check(url)
    return WebhookEndpoint.objects.create(
        url=url,
        events=_events_check(events),
        description=description,
        secret="whsec_" + secrets.token_hex(24),
        created_by_id=actor.pk,
    )


def endpoint_set_active(
    *, endpoint_id: int, active: bool, actor: AbstractBaseUser
) -> WebhookEndpoint:
    if not user_can(actor, Perm.MANAGE_WEBHOOKS):
        raise PermissionError(errors.ADMINS_ONLY)
    endpoint = WebhookEndpoint.objects.get(pk=endpoint_id)
    if active:
        url_check(endpoint.url)
    endpoint.is_active = active
    endpoint.disabled_reason = "" if active else "turned off by an admin"
    endpoint.consecutive_failures = 0
    endpoint.save(update_fields=["is_active", "disabled_reason", "consecutive_failures"])
    return endpoint


def endpoint_delete(*, endpoint_id: int, actor: AbstractBaseUser) -> None:
    if not user_can(actor, Perm.MANAGE_WEBHOOKS):
        raise PermissionError(errors.ADMINS_ONLY)
    WebhookEndpoint.objects.filter(pk=endpoint_id).delete()


def delivery_redeliver(*, delivery_id: int, actor: AbstractBaseUser) -> WebhookDelivery:
    """Send it again now, whatever happened before (the receiver asked, or was fixed)."""
    from tenants.workspace.outbox import _deliver_soon

    if not user_can(actor, Perm.MANAGE_WEBHOOKS):
        raise PermissionError(errors.ADMINS_ONLY)
    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery_id)
        delivery.status = WebhookDelivery.Status.PENDING
        delivery.next_attempt_at = timezone.now()
        delivery.save(update_fields=["status", "next_attempt_at"])
        schema_name = current_schema_name()
        transaction.on_commit(lambda: _deliver_soon(schema_name))
    return delivery


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(2 * 3600, 30 * 2 ** max(0, attempts - 1)))


def _claim(now: Any) -> WebhookDelivery | None:
    """Take the next due delivery, leasing it for LEASE (if this worker dies mid-send, it is
    sent again after the lease: at least once)."""
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True)
            .select_related("endpoint", "event")
            .filter(
                status__in=[WebhookDelivery.Status.PENDING, WebhookDelivery.Status.RETRYING],
                next_attempt_at__lte=now,
                endpoint__is_active=True,
            )
            .order_by("next_attempt_at", "id")
            .first()
        )
        if delivery is not None:
            delivery.next_attempt_at = now + LEASE
            delivery.save(update_fields=["next_attempt_at"])
        return delivery


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a redirect is an answer, not an instruction to go elsewhere


_opener = urllib.request.build_opener(_NoRedirect)


def _post(delivery: WebhookDelivery) -> tuple[int | None, int, str]:
    """(HTTP status or None, milliseconds, error) of one attempt."""
    body = json.dumps({"id": delivery.event_id, **delivery.event.payload}).encode()
    timestamp = int(time.time())
    request = urllib.request.Request(
        delivery.endpoint.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "Awan-Webhooks/1",
            "Awan-Event": delivery.event.type,
            "Awan-Delivery": str(delivery.pk),
            "Awan-Signature": signature(
                secret=delivery.endpoint.secret, timestamp=timestamp, body=body
            ),
        },
    )
    started = time.monotonic()
    try:
        url_check(delivery.endpoint.url)
        with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            status = response.status
        return status, int((time.monotonic() - started) * 1000), ""
    except urllib.error.HTTPError as exc:
        return exc.code, int((time.monotonic() - started) * 1000), f"HTTP {exc.code}"
    except ValidationError as exc:
        return None, 0, " ".join(exc.messages)
    except (OSError, ValueError) as exc:
        return None, int((time.monotonic() - started) * 1000), exc.__class__.__name__


def _record(delivery: WebhookDelivery, status: int | None, ms: int, error: str) -> None:
    now = timezone.now()
    with transaction.atomic():
        row = (
            WebhookDelivery.objects.select_for_update().select_related("event").get(pk=delivery.pk)
        )
        endpoint = WebhookEndpoint.objects.select_for_update().get(pk=row.endpoint_id)
        row.attempts += 1
        row.last_status_code, row.last_response_ms = status, ms
        if status is not None and 200 <= status < 300:
            row.status = WebhookDelivery.Status.SUCCEEDED
            row.delivered_at, row.last_error = now, ""
            endpoint.consecutive_failures = 0
        else:
            row.last_error = (error or f"HTTP {status}")[:500]
            endpoint.consecutive_failures += 1
            if now - row.event.created >= RETRY_FOR:
                row.status = WebhookDelivery.Status.GAVE_UP
            else:
                row.status = WebhookDelivery.Status.RETRYING
                row.next_attempt_at = now + backoff(row.attempts)
        row.save()
        if endpoint.is_active and endpoint.consecutive_failures >= DISABLE_AFTER_FAILURES:
            endpoint.is_active = False
            endpoint.disabled_reason = (
                f"turned off after {endpoint.consecutive_failures} failed deliveries in a row "
                f"(last: {row.last_error})"
            )[:300]
            schema_name = current_schema_name()
            transaction.on_commit(
                lambda: _tell_admins_disabled(schema_name=schema_name, endpoint_id=endpoint.pk)
            )
        endpoint.save(update_fields=["consecutive_failures", "is_active", "disabled_reason"])


def _tell_admins_disabled(*, schema_name: str, endpoint_id: int) -> None:
    from tenants.workspace.tasks import webhook_disabled_email_send

    webhook_disabled_email_send.delay(schema_name=schema_name, endpoint_id=endpoint_id)


def deliveries_send(*, budget_seconds: float = 20.0) -> int:
    """Send what is due in this tenant, for up to `budget_seconds`; returns attempts made.
    Leaves the public index (tenants.WebhookDue) pointing at the next retry, if any."""
    deadline = time.monotonic() + budget_seconds
    attempts = 0
    while time.monotonic() < deadline:
        delivery = _claim(timezone.now())
        if delivery is None:
            break
        status, ms, error = _post(delivery)
        _record(delivery, status, ms, error)
        attempts += 1
    _schedule_next()
    return attempts


def _schedule_next() -> None:
    from tenants.models import WebhookDue

    upcoming = (
        WebhookDelivery.objects.filter(
            status__in=[WebhookDelivery.Status.PENDING, WebhookDelivery.Status.RETRYING],
            endpoint__is_active=True,
        )
        .order_by("next_attempt_at")
        .values_list("next_attempt_at", flat=True)
        .first()
    )
    schema_name = current_schema_name()
    if upcoming is None:
        WebhookDue.objects.filter(schema_name=schema_name).delete()
    else:
        WebhookDue.objects.update_or_create(schema_name=schema_name, defaults={"due_at": upcoming})
