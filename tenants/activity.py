""" "Last activity" of each tenant, for the operators' console, at a price that doesn't grow
with traffic: at most one database write per tenant per TENANT_ACTIVITY_WRITE_SECONDS.

Three gates, cheapest first: this process's own memory of when it last wrote for the tenant
(no I/O at all for almost every request), then a Redis SET NX with that expiry (one process in
the whole fleet wins each window), then one upsert into tenants_tenantactivity, a table of its
own so the tenant row (whose changes reset every web process's routing cache) isn't touched.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from config import kv
from tenants import conf
from tenants.models import Tenant

logger = logging.getLogger(__name__)
_written_at: dict[int, float] = {}  # tenant id → monotonic time this process last claimed it


def activity_touch(*, tenant: Tenant) -> bool:
    """Record that the tenant is in use now; True if this call wrote to the database."""
    window = conf.activity_write_seconds()
    now = time.monotonic()
    if now - _written_at.get(tenant.pk, -float("inf")) < window:
        return False
    _written_at[tenant.pk] = now
    try:
        claimed = kv.client().set(f"awan:activity:{tenant.pk}", 1, nx=True, ex=window)
    except Exception:  # Redis down: skip the record, never the request
        logger.warning("activity not recorded tenant=%s: Redis unavailable", tenant.pk)
        return False
    if not claimed:
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO public.tenants_tenantactivity (tenant_id, last_seen_at) VALUES (%s, %s) "
            "ON CONFLICT (tenant_id) DO UPDATE SET last_seen_at = EXCLUDED.last_seen_at",
            [tenant.pk, timezone.now()],
        )
    return True


def activity_forget() -> None:
    """Clear this process's memory (tests)."""
    _written_at.clear()


class ActivityMiddleware:
    """After the response: a signed-in user (page or API key) on an active tenant's host."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        tenant = getattr(request, "tenant", None)
        user = getattr(request, "user", None)
        if (
            tenant is not None
            and not tenant.is_public
            and response.status_code < 400
            and user is not None
            and user.is_authenticated
        ):
            activity_touch(tenant=tenant)
        return response
